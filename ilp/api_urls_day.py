"""API routes of the service day; included from ilp/api_urls.py."""

from django.urls import path

from ilp import api_day

urlpatterns = [
    path("service-days/", api_day.ServiceDayListApi.as_view(), name="service-day-list"),
    path("service-days/<uuid:uuid>/", api_day.ServiceDayDetailApi.as_view(),
         name="service-day-detail"),
    path("service-days/<uuid:uuid>/open/", api_day.ServiceDayOpenApi.as_view(),
         name="service-day-open"),
    path("service-days/<uuid:uuid>/close/", api_day.ServiceDayCloseApi.as_view(),
         name="service-day-close"),
    path("service-days/<uuid:uuid>/reopen/", api_day.ServiceDayReopenApi.as_view(),
         name="service-day-reopen"),
    path("service-days/<uuid:uuid>/queue/", api_day.ServiceDayQueueApi.as_view(),
         name="service-day-queue"),
    path("service-days/<uuid:uuid>/visits/", api_day.VisitRegisterApi.as_view(),
         name="visit-register"),
    path("visits/<uuid:uuid>/", api_day.VisitDetailApi.as_view(), name="visit-detail"),
    path("visits/<uuid:uuid>/measurement/", api_day.VisitMeasurementApi.as_view(),
         name="visit-measurement"),
    path("visits/<uuid:uuid>/move/", api_day.VisitMoveApi.as_view(), name="visit-move"),
    path("visits/<uuid:uuid>/trend-override/", api_day.VisitTrendOverrideApi.as_view(),
         name="visit-trend-override"),
    path("visits/<uuid:uuid>/counselling/", api_day.VisitCounsellingApi.as_view(),
         name="visit-counselling"),
    path("bidan/queue/", api_day.BidanQueueApi.as_view(), name="bidan-queue"),
]
