"""Routes of the follow-up feature: tasks, home visits, reminders."""

from django.urls import path

from kader import views_tasks as v

urlpatterns = [
    path("tugas/", v.followup_mine, name="followup-mine"),
    path("tugas/posyandu/", v.followup_list, name="followup-list"),
    path("tugas/<uuid:uuid>/", v.followup_detail, name="followup-detail"),
    path("tugas/<uuid:uuid>/selesai/", v.followup_complete, name="followup-complete"),
    path("tugas/<uuid:uuid>/batalkan/", v.followup_cancel, name="followup-cancel"),
    path("kunjungan-rumah/", v.home_visit_list, name="home-visit-list"),
    path("kunjungan-rumah/baru/<uuid:uuid>/", v.home_visit_create, name="home-visit-create"),
    path("kunjungan-rumah/<uuid:uuid>/", v.home_visit_detail, name="home-visit-detail"),
    path("pengingat/", v.reminder_list, name="reminder-list"),
    path("pengingat/<uuid:uuid>/", v.reminder_day, name="reminder-day"),
]
