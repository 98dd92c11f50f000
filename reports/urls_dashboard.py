"""Dashboards and CSV/XLSX downloads (under /laporan/, namespace "reports")."""

from django.urls import path

from reports import views_dashboard as v

urlpatterns = [
    path("dasbor/", v.dashboard, name="dashboard"),
    path("dasbor/tindak-lanjut/", v.followup, name="dashboard-followup"),
    path(
        "unduh/<slug:kind>/<slug:level>/<int:area>/<slug:month>.<slug:fmt>",
        v.export, name="export",
    ),
]
