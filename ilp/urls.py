from django.urls import include, path

from ilp import views, views_calculator, views_day

app_name = "ilp"

urlpatterns = [
    path("sasaran/", views.person_list, name="person-list"),
    path("sasaran/baru/", views.person_create, name="person-create"),
    path("sasaran/<uuid:uuid>/", views.person_detail, name="person-detail"),
    path("sasaran/<uuid:uuid>/ubah/", views.person_edit, name="person-edit"),
    path("sasaran/<uuid:uuid>/gabung/", views.person_merge, name="person-merge"),
    path("sasaran/<uuid:uuid>/kehamilan/", views.pregnancy_create, name="pregnancy-create"),
    path("kehamilan/<uuid:uuid>/selesai/", views.pregnancy_close, name="pregnancy-close"),
    path("keluarga/", views.household_list, name="household-list"),
    path("keluarga/baru/", views.household_create, name="household-create"),
    path("keluarga/<uuid:uuid>/", views.household_detail, name="household-detail"),
    path("kalkulator-gizi/", views_calculator.growth_calculator, name="growth-calculator"),
    path("hari-buka/", views_day.service_day_list, name="day-list"),
    path("hari-buka/<uuid:uuid>/", views_day.service_day_detail, name="day-detail"),
    path("hari-buka/<uuid:uuid>/daftar/", views_day.visit_register, name="day-register"),
    path("", include("ilp.urls_import")),
    *[
        path(f"hari-buka/<uuid:uuid>/{action}/", views_day.service_day_action,
             {"action": action}, name="day-action")
        for action in ("buka", "tutup", "buka-kembali")
    ],
    path("kunjungan/<uuid:uuid>/", views_day.visit_detail, name="visit-detail"),
    path("kunjungan/<uuid:uuid>/ukur/", views_day.visit_measure, name="visit-measure"),
    path("kunjungan/<uuid:uuid>/pindah/", views_day.visit_move, name="visit-move"),
    path("kunjungan/<uuid:uuid>/koreksi-kms/", views_day.visit_override, name="visit-override"),
    path("kunjungan/<uuid:uuid>/penyuluhan/", views_day.visit_counsel, name="visit-counsel"),
    path("bidan/antrian/", views_day.bidan_queue, name="bidan-queue"),
    path("", include("ilp.urls_exam")),
]
