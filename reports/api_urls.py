"""API routes under /api/v1/reports/ (namespace "api:reports"). One route per
report kind (/skdn/, /sip/, /ilp/) so each is documented and scoping-tested
on its own."""

from django.urls import path

from reports import api

urlpatterns = [
    path("areas/", api.AreasApi.as_view(), name="areas"),
    path("skdn-trend/", api.SkdnTrendApi.as_view(), name="skdn-trend"),
    *[
        path(f"{kind}/", api.ReportTablesApi.as_view(kind=kind), name=kind)
        for kind in api.KINDS
    ],
]
