"""Reports API (/api/v1/reports/): the user's areas, the report tables of an
area and month as JSON, and 12 months of SKDN indicators. Areas are checked
with ``reports.areas.area_for_user`` (scoping entry point): another area is a
404, exactly like a missing one."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from reports import dashboard as data
from reports import serializers as s
from reports.areas import area_for_user, areas_for_user
from reports.forms import month_param

KINDS = ("skdn", "sip", "ilp")  # = reports.figures.build.KINDS; one route each (api_urls)

_QUERY_PARAMS = [
    OpenApiParameter("level", OpenApiTypes.STR, enum=["posyandu", "puskesmas", "kabupaten"],
                     description="Tingkat wilayah; bersama `area`. Tanpa keduanya: wilayah terluas Anda."),
    OpenApiParameter("area", OpenApiTypes.INT, description="id wilayah (dari `areas/`)."),
    OpenApiParameter("month", OpenApiTypes.STR, description="Bulan TTTT-BB, misalnya 2026-10; bawaan: bulan ini."),
]
_ERRORS = {
    400: OpenApiResponse(description="Filter tidak sah (pesan per kolom)."),
    404: OpenApiResponse(description="Wilayah di luar cakupan Anda atau tidak ada."),
}


def _area(request):
    query = s.ReportQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    q = query.validated_data
    if "level" in q:
        area = area_for_user(request.user, q["level"], q["area"])
    else:
        areas = areas_for_user(request.user)
        if not areas:
            raise NotFound("Anda belum punya wilayah laporan.")
        area = areas[0]
    return area, q["month"]


class AreasApi(APIView):
    """The areas you may report on, widest first (kabupaten, Puskesmas, posyandu)."""

    @extend_schema(responses=s.AreaOut(many=True))
    def get(self, request):
        return Response(s.AreaOut([s.area_out(a) for a in areas_for_user(request.user)], many=True).data)


class SkdnTrendApi(APIView):
    """SKDN counts and indicators of an area for the 12 months ending with `month`."""

    @extend_schema(parameters=_QUERY_PARAMS, responses={200: s.TrendOut, **_ERRORS})
    def get(self, request):
        area, month = _area(request)
        months = [
            {"month": month_param(m), "counts": data.counts(skdn), "indicators": skdn.indicators()}
            for m, skdn in data.trend(area, month)
        ]
        return Response(s.TrendOut({
            "area": s.area_out(area), "level": area.level, "month": month_param(month), "months": months,
        }).data)


class ReportTablesApi(APIView):
    """The tables of a report (the same as the PDF, CSV and XLSX) for an area and month."""

    kind = "skdn"  # set per route in api_urls

    @extend_schema(parameters=_QUERY_PARAMS, responses={200: s.ReportOut, **_ERRORS})
    def get(self, request):
        from reports.figures import build

        area, month = _area(request)
        tables = build.report_tables(self.kind, area.level, area.posyandu_ids, month)
        return Response(s.ReportOut({
            "area": s.area_out(area), "level": area.level, "month": month_param(month),
            "kind": self.kind, "tables": [t.as_dict() for t in tables],
        }).data)
