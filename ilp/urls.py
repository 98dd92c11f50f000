from django.urls import path

from ilp import views

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
]
