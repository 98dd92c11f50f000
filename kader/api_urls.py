"""API routes under /api/v1/kader/."""

from django.urls import include, path

urlpatterns: list = [
    path("", include("kader.api_social")),
    path("", include("kader.api_tasks")),
]
