"""Routes owned by one feature; included from ilp/urls.py."""

from django.urls import path

from ilp import views_import

urlpatterns = [
    path("hari-buka/<uuid:uuid>/impor/", views_import.day_import, name="day-import"),
    path("impor/template.csv", views_import.import_template_csv, name="import-template-csv"),
    path("impor/template.xlsx", views_import.import_template_xlsx, name="import-template-xlsx"),
]
