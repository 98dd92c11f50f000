"""Team pages: /kader/tim/, kader profiles and skills, the service-day staff
plan, assignments and the accountability page."""

from django.urls import path

from kader import views_accountability
from kader import views_team as v

urlpatterns = [
    path("tim/", v.team_home, name="team-home"),
    path("tim/<int:posyandu_id>/", v.team_detail, name="team-detail"),
    path("tim/<int:posyandu_id>/profil-baru/", v.kader_profile_create, name="kader-profile-create"),
    path("tim/<int:posyandu_id>/penugasan/baru/", v.assignment_create, name="assignment-create"),
    path("anggota/<uuid:uuid>/", v.kader_detail, name="kader-detail"),
    path("anggota/<uuid:uuid>/ubah/", v.kader_edit, name="kader-edit"),
    path("anggota/<uuid:uuid>/keterampilan/", v.kader_skill, name="kader-skill"),
    path("anggota/<uuid:uuid>/pelatihan/", v.kader_training, name="kader-training"),
    path("profil-nakes/", v.staff_profile, name="staff-profile"),
    path("hari-buka/<uuid:uuid>/petugas/", v.day_plan, name="day-plan"),
    path("petugas/<uuid:uuid>/hapus/", v.day_plan_remove, name="day-plan-remove"),
    path("penugasan/", v.assignment_list, name="assignment-list"),
    path("penugasan/<uuid:uuid>/selesai/", v.assignment_done, name="assignment-done"),
    path("penugasan/<uuid:uuid>/batal/", v.assignment_cancel, name="assignment-cancel"),
    path("akuntabilitas/", views_accountability.accountability_home, name="accountability-home"),
    path("akuntabilitas/<str:level>/<int:area_id>/", views_accountability.accountability,
         name="accountability"),
]
