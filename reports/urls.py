"""Report pages. Each feature keeps its own URL module (one owner each)."""

from django.urls import include, path

app_name = "reports"

urlpatterns = [
    path("", include("reports.urls_pdf")),
    path("", include("reports.urls_dashboard")),
]
