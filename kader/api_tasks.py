"""API (DRF) of the follow-up feature, under /api/v1/kader/: the same services
as the pages (kader/views_tasks.py).

- ``followup-tasks/``: list (filters ``status`` open/done/cancelled,
  ``mine`` = 1 for the caller's own, ``posyandu`` id, ``assigned_to`` user id
  or "none");
- ``followup-tasks/{uuid}/``; ``followup-tasks/{uuid}/complete/`` (POST
  ``note``); ``followup-tasks/{uuid}/cancel/`` (POST ``reason``, required);
- ``home-visits/``: list, and POST a home visit (idempotent on ``client_id``:
  a repeat answers 200 with the first save; 201 when created); 400 with
  messages per field, 409 ``confirm_unusual`` for unusual measurements;
- ``home-visits/{uuid}/``.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ilp.models import Person
from ilp.services.measurements import CONFIRM_CODE, UnusualValues
from kader.models.tasks import FollowUpTask, HomeVisit
from kader.services.home_visit import home_visit_record
from kader.services.tasks import task_cancel, task_complete
from posyandu.api import ScopedAPIMixin, scoped_object
from posyandu.scoping import get_for_user_or_404

UNUSUAL = (
    "Ada nilai yang tidak biasa; belum disimpan. Ukur ulang; jika sudah benar, kirim lagi "
    "dengan confirm_unusual: true."
)


class TaskOutput(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person.uuid")
    person_name = serializers.CharField(source="person.name")
    rt = serializers.CharField(source="person.rt")
    rw = serializers.CharField(source="person.rw")
    posyandu = serializers.IntegerField(source="posyandu_id")
    assigned_to = serializers.IntegerField(source="assigned_to_id", allow_null=True)
    assigned_to_name = serializers.SerializerMethodField()

    class Meta:
        model = FollowUpTask
        fields = ["uuid", "rule", "period", "action", "reason", "details", "person",
                  "person_name", "rt", "rw", "posyandu", "anchor_on", "due_on", "assigned_to",
                  "assigned_to_name", "status", "done_at", "closed_automatically",
                  "close_note", "cancelled_at", "cancel_reason", "created_at"]

    def get_assigned_to_name(self, task) -> str:
        return str(task.assigned_to) if task.assigned_to_id else ""


class CompleteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class CancelInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


def _errors(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {("non_field_errors" if k == NON_FIELD_ERRORS else k): v
                for k, v in exc.message_dict.items()}
    return {"non_field_errors": exc.messages}


def _call(service, **kwargs):
    try:
        return service(**kwargs)
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc)) from exc


class TaskListApi(ScopedAPIMixin, generics.ListAPIView):
    queryset = FollowUpTask.objects.select_related("person", "assigned_to")
    serializer_class = TaskOutput

    def refine_queryset(self, qs):
        params = self.request.query_params
        if (value := params.get("status")) in FollowUpTask.Status.values:
            qs = qs.filter(status=value)
        if params.get("mine") in ("1", "true"):
            qs = qs.filter(assigned_to=self.request.user)
        if (value := params.get("posyandu", "")).isdigit():
            qs = qs.filter(posyandu_id=int(value))
        value = params.get("assigned_to", "")
        if value == "none":
            qs = qs.filter(assigned_to__isnull=True)
        elif value.isdigit():
            qs = qs.filter(assigned_to_id=int(value))
        return qs.order_by("due_on", "pk")


class TaskDetailApi(ScopedAPIMixin, generics.RetrieveAPIView):
    queryset = FollowUpTask.objects.select_related("person", "assigned_to")
    serializer_class = TaskOutput


class TaskCompleteApi(APIView):
    """Mark the task done (a kader or the bidan of the posyandu)."""

    @extend_schema(request=CompleteInput, responses={200: TaskOutput})
    def post(self, request, uuid):
        task = get_for_user_or_404(FollowUpTask, request.user, uuid=uuid)
        data = CompleteInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            task = _call(task_complete, user=request.user, task=task,
                         note=data.validated_data["note"])
        except ValidationError as exc:
            return Response(_errors(exc), status=status.HTTP_400_BAD_REQUEST)
        return Response(TaskOutput(task).data)


class TaskCancelApi(APIView):
    """Cancel the task; ``reason`` is required."""

    @extend_schema(request=CancelInput, responses={200: TaskOutput})
    def post(self, request, uuid):
        task = get_for_user_or_404(FollowUpTask, request.user, uuid=uuid)
        data = CancelInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            task = _call(task_cancel, user=request.user, task=task,
                         reason=data.validated_data["reason"])
        except ValidationError as exc:
            return Response(_errors(exc), status=status.HTTP_400_BAD_REQUEST)
        return Response(TaskOutput(task).data)


# --------------------------------------------------------------------------
# home visits


class HomeVisitOutput(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person.uuid")
    visit = serializers.UUIDField(source="visit.uuid")
    task = serializers.SerializerMethodField()
    measurement = serializers.SerializerMethodField()
    referral = serializers.SerializerMethodField()

    class Meta:
        model = HomeVisit
        fields = ["uuid", "person", "visit", "date", "task", "found", "notes", "topics",
                  "refer_to", "refer_note", "referral", "measurement", "client_id",
                  "created_at"]

    def get_task(self, home) -> str | None:
        return str(home.task.uuid) if home.task_id else None

    def get_referral(self, home) -> str | None:
        return str(home.referral.uuid) if home.referral_id else None

    def get_measurement(self, home) -> dict | None:
        m = getattr(home.visit, "measurement", None)
        if m is None:
            return None
        def text(value):
            return None if value is None else str(value)

        return {"weight_kg": text(m.weight_kg), "length_cm": text(m.length_cm),
                "muac_cm": text(m.muac_cm), "trend": m.final_trend, "flags": m.flags}


def _text():
    return serializers.CharField(required=False, allow_blank=True, allow_null=True,
                                 default="")


class HomeVisitInput(serializers.Serializer):
    person = serializers.UUIDField()
    date = serializers.DateField(required=False)
    task = serializers.UUIDField(required=False, allow_null=True)
    client_id = serializers.UUIDField(required=False, allow_null=True)
    found = serializers.BooleanField(required=False, default=True)
    notes = _text()
    topics = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    weight_kg = _text()
    length_cm = _text()
    length_method = _text()
    head_cm = _text()
    muac_cm = _text()
    waist_cm = _text()
    confirm_unusual = serializers.BooleanField(required=False, default=False)
    exam_systolic = _text()
    exam_diastolic = _text()
    exam_glucose_mg_dl = _text()
    exam_glucose_kind = _text()
    exam_hb_g_dl = _text()
    refer_to = _text()
    refer_note = _text()


class HomeVisitListApi(ScopedAPIMixin, generics.ListAPIView):
    """Home visits in your scope (newest first); POST records one."""

    queryset = HomeVisit.objects.select_related("person", "visit__measurement", "task",
                                                "referral")
    serializer_class = HomeVisitOutput

    def refine_queryset(self, qs):
        return qs.order_by("-date", "-created_at")

    @extend_schema(request=HomeVisitInput, responses={
        201: HomeVisitOutput, 200: HomeVisitOutput,
        409: OpenApiResponse(description="Nilai tidak biasa; belum disimpan"),
    })
    def post(self, request):
        user = request.user
        data = HomeVisitInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        person = scoped_object(Person.objects.active(), user, v.pop("person"), field="person",
                               perm="service.kader")
        task = scoped_object(FollowUpTask, user, v.pop("task", None), field="task",
                             perm="service.kader")
        on = v.pop("date", None) or timezone.localdate()
        if v.get("client_id"):
            v["client_id"] = str(v["client_id"])
        try:
            home, created = _call(home_visit_record, user=user, person=person, on=on,
                                  task=task, data=v)
        except UnusualValues as exc:
            return Response({"code": CONFIRM_CODE, "detail": UNUSUAL, "errors": _errors(exc)},
                            status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            return Response(_errors(exc), status=status.HTTP_400_BAD_REQUEST)
        return Response(HomeVisitOutput(home).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class HomeVisitDetailApi(ScopedAPIMixin, generics.RetrieveAPIView):
    queryset = HomeVisit.objects.select_related("person", "visit__measurement", "task",
                                                "referral")
    serializer_class = HomeVisitOutput


urlpatterns = [
    path("followup-tasks/", TaskListApi.as_view(), name="followup-list"),
    path("followup-tasks/<uuid:uuid>/", TaskDetailApi.as_view(), name="followup-detail"),
    path("followup-tasks/<uuid:uuid>/complete/", TaskCompleteApi.as_view(),
         name="followup-complete"),
    path("followup-tasks/<uuid:uuid>/cancel/", TaskCancelApi.as_view(), name="followup-cancel"),
    path("home-visits/", HomeVisitListApi.as_view(), name="home-visit-list"),
    path("home-visits/<uuid:uuid>/", HomeVisitDetailApi.as_view(), name="home-visit-detail"),
]
