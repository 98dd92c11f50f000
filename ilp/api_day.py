"""API views (DRF) of the service day: the same services as the pages
(ilp/views_day.py), for the phone.

Every write from the phone carries a client-generated id. Registration stores
it on the visit: a repeat returns the first visit (200) and saves nothing. A
visit has one measurement set, so the measurement PUT is idempotent by itself;
a repeat with the same values returns the saved set without writing again.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ilp import serializers_day as s
from ilp.models import Measurement, Person, ServiceDay, Step, Visit
from ilp.selectors import day as sel
from ilp.services import day as services
from ilp.services.measurements import (
    CONFIRM_CODE,
    UnusualValues,
    measurement_trend_override,
    visit_measure,
)
from posyandu.api import ScopedAPIMixin, scoped_object
from posyandu.models import Posyandu
from posyandu.scoping import get_for_user_or_404

ERRORS_400 = OpenApiResponse(s.FieldErrors, description="Pesan per isian (Bahasa Indonesia)")
UNUSUAL = (
    "Ada nilai yang tidak biasa; belum disimpan. Ukur ulang; jika sudah benar, kirim lagi "
    "dengan confirm_unusual: true."
)


def _day(user, uuid) -> ServiceDay:
    return get_for_user_or_404(ServiceDay.objects.select_related("posyandu"), user, uuid=uuid)


def _visit(user, uuid, perm: str = "view") -> Visit:
    return get_for_user_or_404(
        Visit.objects.select_related("person", "service_day", "posyandu", "measurement",
                                     "counselling"),
        user, perm, uuid=uuid,
    )


def _field_errors(exc: ValidationError) -> dict:
    if not hasattr(exc, "error_dict"):
        return {"non_field_errors": exc.messages}
    return {("non_field_errors" if k == NON_FIELD_ERRORS else k): v
            for k, v in exc.message_dict.items()}


# --- service days --------------------------------------------------------------------


class ServiceDayFilter(django_filters.FilterSet):
    posyandu = django_filters.UUIDFilter(field_name="posyandu__uuid")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    status = django_filters.ChoiceFilter(choices=ServiceDay.Status.choices)

    class Meta:
        model = ServiceDay
        fields = []


class ServiceDayListApi(ScopedAPIMixin, generics.ListCreateAPIView):
    """Service days in your scope (newest first); POST schedules one."""

    queryset = ServiceDay.objects.select_related("posyandu")
    serializer_class = s.ServiceDayOutput
    filterset_class = ServiceDayFilter

    def refine_queryset(self, qs):
        return qs.order_by("-date", "posyandu__nama")

    @extend_schema(request=s.ServiceDayInput, responses={201: s.ServiceDayOutput, 400: ERRORS_400})
    def post(self, request):
        data = s.ServiceDayInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        user = request.user
        qs = Posyandu.objects.for_user(user, "service.kader")
        if v.get("posyandu"):
            posyandu = scoped_object(qs, user, v["posyandu"], field="posyandu", perm="service.kader")
        elif qs.count() == 1:
            posyandu = qs.get()
        else:
            raise serializers.ValidationError({"posyandu": "Pilih posyandu."})
        day = services.service_day_schedule(user=user, posyandu=posyandu, on=v["date"],
                                            place=v["place"])
        return Response(s.ServiceDayOutput(day).data, status=status.HTTP_201_CREATED)


class ServiceDayDetailApi(ScopedAPIMixin, generics.RetrieveAPIView):
    queryset = ServiceDay.objects.select_related("posyandu")
    serializer_class = s.ServiceDayOutput


class ServiceDayOpenApi(APIView):
    """Open the day (on or after its date). Opening an open day changes nothing."""

    @extend_schema(request=None, responses={200: s.ServiceDayOutput, 400: ERRORS_400})
    def post(self, request, uuid):
        day = services.service_day_open(user=request.user, day=_day(request.user, uuid))
        return Response(s.ServiceDayOutput(day).data)


class ServiceDayCloseApi(APIView):
    """Close the day: it becomes read-only."""

    @extend_schema(request=None, responses={200: s.ServiceDayOutput, 400: ERRORS_400})
    def post(self, request, uuid):
        day = services.service_day_close(user=request.user, day=_day(request.user, uuid))
        return Response(s.ServiceDayOutput(day).data)


class ServiceDayReopenApi(APIView):
    """Reopen a closed day: bidan only, with a reason kept in the day's history."""

    @extend_schema(request=s.ReopenInput, responses={200: s.ServiceDayOutput, 400: ERRORS_400})
    def post(self, request, uuid):
        day = _day(request.user, uuid)
        data = s.ReopenInput(data=request.data)
        data.is_valid(raise_exception=True)
        day = services.service_day_reopen(user=request.user, day=day,
                                          reason=data.validated_data["reason"])
        return Response(s.ServiceDayOutput(day).data)


class ServiceDayQueueApi(ScopedAPIMixin, generics.RetrieveAPIView):
    """The day's queue: visits grouped by their current step, in arrival order."""

    queryset = ServiceDay.objects.select_related("posyandu")
    serializer_class = s.QueueOutput

    def retrieve(self, request, *args, **kwargs):
        day = self.get_object()
        board = sel.day_queue(user=request.user, day=day)
        steps = [{"step": step, "label": Step(step).label, "visits": visits}
                 for step, visits in board.items()]
        return Response(s.QueueOutput({"day": day, "steps": steps}).data)


class VisitRegisterApi(APIView):
    """Step 1: the person joins the day's queue. 201 with the new visit; a repeated
    ``client_id`` (or the same person again that day) answers 200 with the first visit."""

    @extend_schema(
        request=s.RegisterInput,
        responses={201: s.VisitOutput, 200: s.VisitOutput, 400: ERRORS_400},
    )
    def post(self, request, uuid):
        day = _day(request.user, uuid)
        data = s.RegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        person = scoped_object(Person, request.user, v["person"], field="person")
        visit, created = services.visit_register(
            user=request.user, day=day, person=person, client_id=v["client_id"]
        )
        if created:  # nothing else to load: answer from what is in hand
            visit.person, visit.service_day, visit.posyandu = person, day, day.posyandu
            for absent in (Visit.measurement, Visit.counselling):  # new: none yet
                absent.related.set_cached_value(visit, None)
        else:
            visit = _visit(request.user, visit.uuid)
        return Response(s.VisitOutput(visit).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


# --- visits ----------------------------------------------------------------------------


class VisitDetailApi(ScopedAPIMixin, generics.RetrieveAPIView):
    """A visit: the person, the step, the measurement with its derived values and flags."""

    queryset = Visit.objects.select_related(
        "person", "service_day", "posyandu", "measurement", "counselling"
    )
    serializer_class = s.VisitOutput


class VisitMeasurementApi(APIView):
    """Step 2: save the visit's measurement set (create, or replace it as a
    correction). The visit moves on to step 3. 400: values refused, messages
    keyed by field. 409 (``code`` "confirm_unusual"): possible but unusual
    values, nothing saved; measure again, or send again with
    ``confirm_unusual: true``."""

    @extend_schema(
        request=s.MeasurementInput,
        responses={
            200: s.MeasurementOutput,
            400: ERRORS_400,
            409: OpenApiResponse(s.UnusualOutput, description="Nilai tidak biasa; belum disimpan"),
        },
    )
    def put(self, request, uuid):
        user = request.user
        # Looked up with the writing permission: one scope computation per request.
        visit = _visit(user, uuid, "service.kader")
        data = s.MeasurementInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items()
                  if k not in ("confirm_unusual", "client_id")}
        try:
            measurement = visit_measure(
                user=user, visit=visit, data=values,
                confirm_unusual=data.validated_data["confirm_unusual"],
            )
        except UnusualValues as exc:
            return Response(
                {"code": CONFIRM_CODE, "detail": UNUSUAL, "errors": _field_errors(exc)},
                status=status.HTTP_409_CONFLICT,
            )
        except ValidationError as exc:
            return Response(_field_errors(exc), status=status.HTTP_400_BAD_REQUEST)
        measurement.visit = visit
        return Response(s.MeasurementOutput(measurement).data)


class VisitMoveApi(APIView):
    """Move the visit to another step (forward, back for a correction, or 9 =
    left early). Step 4 is the bidan's."""

    @extend_schema(request=s.VisitMoveInput, responses={200: s.VisitOutput, 400: ERRORS_400})
    def post(self, request, uuid):
        visit = _visit(request.user, uuid)
        data = s.VisitMoveInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.visit_move(user=request.user, visit=visit, to=data.validated_data["to"])
        return Response(s.VisitOutput(_visit(request.user, uuid)).data)


class VisitTrendOverrideApi(APIView):
    """Correct the computed KMS N/T of this visit's weighing (reason required),
    or clear the correction with ``trend: ""``."""

    @extend_schema(request=s.TrendOverrideInput, responses={200: s.MeasurementOutput, 400: ERRORS_400})
    def post(self, request, uuid):
        visit = _visit(request.user, uuid)
        data = s.TrendOverrideInput(data=request.data)
        data.is_valid(raise_exception=True)
        measurement = Measurement.objects.filter(visit=visit).first()
        if measurement is None:
            raise ValidationError("Belum ada hasil penimbangan untuk kunjungan ini.")
        measurement = measurement_trend_override(user=request.user, measurement=measurement,
                                                 **data.validated_data)
        return Response(s.MeasurementOutput(measurement).data)


class VisitCounsellingApi(APIView):
    """Step 5: the counselling topics given; the visit is done."""

    @extend_schema(request=s.CounsellingInput, responses={200: s.VisitOutput, 400: ERRORS_400})
    def post(self, request, uuid):
        visit = _visit(request.user, uuid)
        data = s.CounsellingInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.counselling_record(user=request.user, visit=visit, **data.validated_data)
        return Response(s.VisitOutput(_visit(request.user, uuid)).data)


class BidanQueueApi(ScopedAPIMixin, generics.ListAPIView):
    """Step 4 today across every posyandu you cover as bidan, longest waiting first."""

    queryset = Visit.objects.select_related("person", "posyandu", "measurement")
    serializer_class = s.BidanQueueItem
    scope_perm = "service.bidan"

    def refine_queryset(self, qs):
        return qs.filter(date=timezone.localdate(), step=Step.EXAMINE).order_by("step_changed_at")
