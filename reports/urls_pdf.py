"""Report PDF pages under /laporan/pdf/."""

from django.urls import path

from reports import views_pdf

urlpatterns = [
    path("pdf/", views_pdf.report_list, name="report-list"),
    path("pdf/<uuid:uuid>/", views_pdf.report_detail, name="report-detail"),
    path("pdf/<uuid:uuid>/ulang/", views_pdf.report_retry, name="report-retry"),
    path("pdf/<uuid:uuid>/unduh/", views_pdf.report_download, name="report-download"),
]
