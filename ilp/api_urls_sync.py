"""API routes of the offline-first service day; included from ilp/api_urls.py."""

from django.urls import path

from ilp import api_sync

urlpatterns = [
    path("sync/", api_sync.SyncApi.as_view(), name="sync"),
    path("service-days/<uuid:uuid>/offline/", api_sync.ServiceDayOfflineApi.as_view(),
         name="service-day-offline"),
]
