"""Routes owned by one feature; included from ilp/urls.py."""

from django.urls import path

from ilp import views_exam

urlpatterns = [
    path("kunjungan/<uuid:uuid>/periksa/", views_exam.visit_exam, name="visit-exam"),
    path("kunjungan/<uuid:uuid>/imunisasi/", views_exam.visit_immunise, name="visit-immunise"),
    path("kunjungan/<uuid:uuid>/suplemen/", views_exam.visit_supplement, name="visit-supplement"),
    path("kunjungan/<uuid:uuid>/anc/", views_exam.visit_anc, name="visit-anc"),
    path("kunjungan/<uuid:uuid>/skrining/<slug:instrument>/", views_exam.visit_screening,
         name="visit-screening"),
    path("kunjungan/<uuid:uuid>/rujuk/", views_exam.visit_refer, name="visit-refer"),
    path("rujukan/", views_exam.referral_list, name="referral-list"),
    path("rujukan/<uuid:uuid>/status/", views_exam.referral_status, name="referral-status"),
]
