"""API of the offline-first service day (docs/offline.md): the batch of
operations a phone queued (``POST /api/v1/sync/``) and the day kept on the
phone (``GET /api/v1/service-days/{uuid}/offline/``). Thin: the rules are in
``ilp.services.sync`` and ``ilp.selectors.offline``."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from ilp import serializers_sync as s
from ilp.models import ServiceDay
from ilp.selectors.offline import day_bundle
from ilp.services.sync import sync_apply
from posyandu.scoping import get_for_user_or_404

DAY_NOT_OPEN = "Hari buka ini tidak sedang berlangsung; data hari ini tidak disimpan di HP."


class SyncApi(APIView):
    """Apply up to 100 operations queued on the phone, in order, each on its own.
    Answers one result per operation: saved, duplicate (sent before: the first
    result), conflict (client id used for other content) or rejected (with the
    reasons). 400 only for a malformed body or more than 100 operations."""

    @extend_schema(
        request=s.SyncInput,
        responses={200: s.SyncOutput,
                   400: OpenApiResponse(s.TooMany, description="Isi kiriman tidak sah")},
    )
    def post(self, request):
        data = s.SyncInput(data=request.data)
        data.is_valid(raise_exception=True)
        results = sync_apply(user=request.user, operations=data.validated_data["operations"])
        return Response({"results": results})


class ServiceDayOfflineApi(APIView):
    """The open day as the phone keeps it: its people with what step 1–3 need
    offline, its visits, and the tables for BB/U and N/T. 409 when the day is
    not open (the phone drops its copy)."""

    @extend_schema(
        responses={200: s.OfflineBundle,
                   409: OpenApiResponse(s.DayNotOpen, description="Hari buka tidak berlangsung")},
    )
    def get(self, request, uuid):
        day = get_for_user_or_404(ServiceDay.objects.select_related("posyandu"), request.user,
                                  "service.kader", uuid=uuid)
        if day.status != ServiceDay.Status.OPEN:
            return Response({"code": "day_not_open", "detail": DAY_NOT_OPEN},
                            status=status.HTTP_409_CONFLICT)
        return Response(day_bundle(user=request.user, day=day))
