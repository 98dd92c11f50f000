from django.urls import path

from interop import views

app_name = "interop"

urlpatterns = [
    path("", views.home, name="home"),
    path("satusehat/<int:puskesmas_id>/", views.puskesmas, name="puskesmas"),
    path("satusehat/ulang/<uuid:uuid>/", views.submission_resend, name="resend"),
    path("unduh/<int:posyandu_id>/<str:month>/<str:kind>.<str:fmt>", views.export,
         name="export"),
    path("impor-rekap/<int:posyandu_id>/", views.wide_import_view, name="wide-import"),
    path("impor-rekap/template.xlsx", views.wide_template, name="wide-template"),
]
