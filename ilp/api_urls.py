from django.urls import include, path

from ilp import api, api_calculator

urlpatterns = [
    path("posyandu/", api.PosyanduListApi.as_view(), name="posyandu-list"),
    path("persons/", api.PersonListApi.as_view(), name="person-list"),
    path("persons/duplicates/", api.PersonDuplicatesApi.as_view(), name="person-duplicates"),
    path("persons/<uuid:uuid>/", api.PersonDetailApi.as_view(), name="person-detail"),
    path("persons/<uuid:uuid>/merge/", api.PersonMergeApi.as_view(), name="person-merge"),
    path("persons/<uuid:uuid>/pregnancies/", api.PregnancyCreateApi.as_view(), name="pregnancy-create"),
    path("households/", api.HouseholdListApi.as_view(), name="household-list"),
    path("households/<uuid:uuid>/", api.HouseholdDetailApi.as_view(), name="household-detail"),
    path("growth/assess/", api_calculator.GrowthAssessApi.as_view(), name="growth-assess"),
    path("", include("ilp.api_urls_day")),
    path("", include("ilp.api_urls_sync")),
]
