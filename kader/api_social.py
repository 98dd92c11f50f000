"""API (DRF) of the social feature, under /api/v1/kader/: the same services
as the pages (kader/views_social.py).

- ``social-screens/``: list (``social.refer`` scope) and POST a screen
  (idempotent on ``client_id``: a repeat answers 200 with the first screen).
- ``social-referrals/``: list (``social.view``, filter ``status``) and POST
  ``{"screen": uuid}`` (one referral per screen: a repeat answers 200).
- ``social-referrals/{uuid}/`` and ``social-referrals/{uuid}/status/``
  (POST ``status``, ``note``, ``aid``, ``aid_other``; Puskesos officer only).

Service ValidationErrors answer 400 with messages in Bahasa Indonesia;
refused permissions 403; objects outside the scope 404.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from ilp.models import Person
from kader import social_rules as rules
from kader.models.social import SocialReferral, SocialScreen
from kader.selectors import social as sel
from kader.services import social as services
from posyandu.api import ScopedAPIMixin, scoped_object


class PersonMinimalOutput(serializers.Serializer):
    """What the Puskesos gets of the person (selectors.social.person_minimum)."""

    def to_representation(self, person):
        return {"uuid": str(person.uuid), **sel.person_minimum(person)}


class ScreenOutput(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person.uuid")
    posyandu = serializers.UUIDField(source="posyandu.uuid")
    unmet = serializers.SerializerMethodField()

    class Meta:
        model = SocialScreen
        fields = ["uuid", "person", "posyandu", "date", "reasons", "reason_other", "flags",
                  "dtsen", "pkh", "bpnt", "jkn", "notes", "refer", "unmet", "client_id",
                  "created_at"]

    def get_unmet(self, screen) -> list[dict]:
        return [{"code": code, "label": label} for code, label in screen.unmet]


class ScreenInput(serializers.Serializer):
    person = serializers.UUIDField()
    reasons = serializers.ListField(child=serializers.CharField(), allow_empty=True)
    reason_other = serializers.CharField(required=False, allow_blank=True, default="")
    dtsen = serializers.CharField(required=False, allow_blank=True, default="")
    pkh = serializers.CharField(required=False, allow_blank=True, default="")
    bpnt = serializers.CharField(required=False, allow_blank=True, default="")
    jkn = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    client_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class EventOutput(serializers.Serializer):
    def to_representation(self, e):
        return {"from_status": e.from_status, "to_status": e.to_status, "note": e.note,
                "at": e.at.isoformat(), "by": str(e.by) if e.by else None}


class ReferralOutput(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    person = PersonMinimalOutput()
    posyandu = serializers.CharField(source="posyandu.nama")
    made_by = serializers.StringRelatedField()
    screen = ScreenOutput()
    events = EventOutput(many=True)

    class Meta:
        model = SocialReferral
        fields = ["uuid", "status", "status_label", "person", "posyandu", "made_by", "notes",
                  "created_at", "status_changed_at", "decided_at", "aid", "aid_other",
                  "reject_reason", "outcome", "screen", "events"]


class ReferralInput(serializers.Serializer):
    screen = serializers.UUIDField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class StatusInput(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=list(rules.STATUS_LABELS),
        error_messages={"invalid_choice": "Status rujukan tidak dikenal."},
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    aid = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    aid_other = serializers.CharField(required=False, allow_blank=True, default="")


REFERRAL_QS = SocialReferral.objects.select_related(
    "person__posyandu__desa", "person__household", "person__mother", "posyandu", "made_by",
    "screen__person", "screen__posyandu",
).prefetch_related("events__by")


class SocialScreenListApi(ScopedAPIMixin, generics.ListCreateAPIView):
    """Social screens of the posyandu where you screen and refer."""

    scope_perm = services.REFER_PERM
    queryset = SocialScreen.objects.select_related("person", "posyandu")
    serializer_class = ScreenOutput

    def refine_queryset(self, qs):
        return qs.order_by("-date", "-created_at")

    @extend_schema(request=ScreenInput, responses={201: ScreenOutput, 200: ScreenOutput})
    def post(self, request):
        data = ScreenInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        person = scoped_object(Person.objects.active().select_related("posyandu"), request.user,
                               v["person"], field="person", perm=services.REFER_PERM)
        screen, created = services.screen_create(
            user=request.user, person=person, reasons=v["reasons"],
            reason_other=v["reason_other"], notes=v["notes"], client_id=v["client_id"],
            answers={f: v[f] for f in rules.ANSWER_FIELDS},
        )
        return Response(ScreenOutput(screen).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class SocialReferralListApi(ScopedAPIMixin, generics.ListCreateAPIView):
    """Social referrals you may see (``?status=diajukan``...); POST refers a screen."""

    scope_perm = sel.VIEW_PERM
    queryset = REFERRAL_QS
    serializer_class = ReferralOutput

    def refine_queryset(self, qs):
        wanted = self.request.query_params.get("status")
        if wanted:
            qs = qs.filter(status=wanted)
        return qs.order_by("-created_at")

    @extend_schema(request=ReferralInput, responses={201: ReferralOutput, 200: ReferralOutput})
    def post(self, request):
        data = ReferralInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        screen = scoped_object(SocialScreen, request.user, v["screen"], field="screen",
                               perm=services.REFER_PERM)
        referral, created = services.referral_create(user=request.user, screen=screen,
                                                     notes=v["notes"])
        referral = REFERRAL_QS.get(pk=referral.pk)
        return Response(ReferralOutput(referral).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class SocialReferralDetailApi(ScopedAPIMixin, generics.RetrieveAPIView):
    scope_perm = sel.VIEW_PERM
    queryset = REFERRAL_QS
    serializer_class = ReferralOutput


class SocialReferralStatusApi(ScopedAPIMixin, generics.GenericAPIView):
    """Move a referral (Puskesos officer of the desa): Diajukan -> Diproses ->
    Disetujui (``aid``) / Ditolak (``note`` = reason)."""

    scope_perm = sel.VIEW_PERM
    queryset = REFERRAL_QS
    serializer_class = ReferralOutput

    @extend_schema(request=StatusInput, responses={200: ReferralOutput})
    def post(self, request, uuid):
        referral = self.get_object()
        data = StatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        services.referral_set_status(
            user=request.user, referral=referral, status=v["status"], note=v["note"],
            aid=v["aid"], aid_other=v["aid_other"],
        )
        return Response(ReferralOutput(REFERRAL_QS.get(pk=referral.pk)).data)


# Included from kader/api_urls.py (namespace api:kader).
urlpatterns = [
    path("social-screens/", SocialScreenListApi.as_view(), name="social-screen-list"),
    path("social-referrals/", SocialReferralListApi.as_view(), name="social-referral-list"),
    path("social-referrals/<uuid:uuid>/", SocialReferralDetailApi.as_view(),
         name="social-referral-detail"),
    path("social-referrals/<uuid:uuid>/status/", SocialReferralStatusApi.as_view(),
         name="social-referral-status"),
]
