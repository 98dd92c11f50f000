"""Kader and bidan co-production pages. Each feature keeps its own URL module."""

from django.urls import include, path

app_name = "kader"

urlpatterns = [
    path("", include("kader.urls_team")),
    path("", include("kader.urls_tasks")),
    path("", include("kader.urls_social")),
]
