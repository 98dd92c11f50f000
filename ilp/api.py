"""API views (DRF) for the registry. They call the same services as the pages."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from ilp import serializers as s
from ilp.filters import HouseholdFilter, PersonFilter
from ilp.models import Household, Person
from ilp.selectors.registry import possible_duplicates
from ilp.services import registry as services
from posyandu.api import ScopedAPIMixin, scoped_object
from posyandu.models import Posyandu
from posyandu.scoping import get_for_user_or_404


def _posyandu_for_write(user, key):
    """The posyandu named in the body, or the user's only one."""
    qs = Posyandu.objects.for_user(user, "registry.edit")
    if key:
        return scoped_object(qs, user, key, field="posyandu", perm="registry.edit")
    if qs.count() == 1:
        return qs.get()
    raise s.serializers.ValidationError({"posyandu": "Pilih posyandu."})


def _call(service, **kwargs):
    try:
        return service(**kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc


class PersonListApi(ScopedAPIMixin, generics.ListCreateAPIView):
    """Sasaran in your scope; POST registers one (409 with candidates when a
    possible duplicate exists, unless ``not_duplicate`` is true)."""

    queryset = Person.objects.active().select_related("posyandu", "household", "mother")
    serializer_class = s.PersonOutput
    filterset_class = PersonFilter

    def refine_queryset(self, qs):
        return qs.order_by("name")

    @extend_schema(request=s.PersonInput, responses={201: s.PersonOutput, 409: s.PersonOutput(many=True)})
    def post(self, request):
        data = s.PersonInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        user = request.user
        posyandu = _posyandu_for_write(user, v.pop("posyandu", None))
        household = scoped_object(Household, user, v.pop("household", None), field="household")
        mother = scoped_object(Person, user, v.pop("mother", None), field="mother")
        try:
            person = _call(
                services.person_create, user=user, posyandu=posyandu, data=v,
                household=household, mother=mother, not_duplicate=v.pop("not_duplicate"),
            )
        except services.DuplicateSuspected as dup:
            return Response(
                {"detail": dup.message, "candidates": s.PersonOutput(dup.candidates, many=True).data},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(s.PersonOutput(person).data, status=status.HTTP_201_CREATED)


class PersonDetailApi(ScopedAPIMixin, generics.RetrieveAPIView):
    queryset = Person.objects.active().select_related("posyandu", "household", "mother")
    serializer_class = s.PersonOutput

    @extend_schema(request=s.PersonInput, responses=s.PersonOutput)
    def patch(self, request, uuid):
        person = get_for_user_or_404(Person, request.user, "registry.edit", uuid=uuid)
        data = s.PersonInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        v.pop("posyandu", None)
        v.pop("not_duplicate", None)
        household = person.household
        if "household" in v:
            household = scoped_object(Household, request.user, v.pop("household"), field="household")
        mother = person.mother
        if "mother" in v:
            mother = scoped_object(Person, request.user, v.pop("mother"), field="mother")
        person = _call(
            services.person_update, user=request.user, person=person, data=v,
            household=household, mother=mother,
        )
        return Response(s.PersonOutput(person).data)


class PersonMergeApi(APIView):
    @extend_schema(request=s.MergeInput, responses=s.PersonOutput)
    def post(self, request, uuid):
        keep = get_for_user_or_404(Person, request.user, "registry.merge", uuid=uuid)
        data = s.MergeInput(data=request.data)
        data.is_valid(raise_exception=True)
        remove = scoped_object(
            Person.objects.active(), request.user, data.validated_data["remove"],
            field="remove", perm="registry.merge",
        )
        keep = _call(services.person_merge, user=request.user, keep=keep, remove=remove)
        return Response(s.PersonOutput(keep).data)


class PersonDuplicatesApi(APIView):
    """Possible duplicates in your scope, to show before registering."""

    @extend_schema(
        parameters=[
            OpenApiParameter("nik", str), OpenApiParameter("name", str),
            OpenApiParameter("birth_date", str, description="YYYY-MM-DD"),
            OpenApiParameter("mother", str, description="uuid ibu"),
            OpenApiParameter("mother_nik", str), OpenApiParameter("mother_name", str),
        ],
        responses=s.PersonOutput(many=True),
    )
    def get(self, request):
        p = request.query_params
        birth = s.serializers.DateField(required=False).run_validation(p.get("birth_date") or None) \
            if p.get("birth_date") else None
        mother = scoped_object(Person, request.user, p.get("mother"), field="mother")
        found = possible_duplicates(
            user=request.user, nik=p.get("nik") or None, name=p.get("name", ""),
            birth_date=birth, mother=mother, mother_nik=p.get("mother_nik", ""),
            mother_name=p.get("mother_name", ""),
        )
        return Response(s.PersonOutput(found, many=True).data)


class PregnancyCreateApi(APIView):
    @extend_schema(request=s.PregnancySerializer, responses={201: s.PregnancySerializer})
    def post(self, request, uuid):
        person = get_for_user_or_404(Person, request.user, "registry.edit", uuid=uuid)
        data = s.PregnancySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pregnancy = _call(services.pregnancy_create, user=request.user, person=person, **data.validated_data)
        return Response(s.PregnancySerializer(pregnancy).data, status=status.HTTP_201_CREATED)


class HouseholdListApi(ScopedAPIMixin, generics.ListCreateAPIView):
    queryset = Household.objects.select_related("posyandu")
    serializer_class = s.HouseholdSerializer
    filterset_class = HouseholdFilter

    def refine_queryset(self, qs):
        return qs.order_by("kepala_keluarga")

    @extend_schema(request=s.HouseholdInput, responses={201: s.HouseholdSerializer})
    def post(self, request):
        data = s.HouseholdInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        posyandu = _posyandu_for_write(request.user, v.pop("posyandu", None))
        household = _call(services.household_create, user=request.user, posyandu=posyandu, data=v)
        return Response(s.HouseholdSerializer(household).data, status=status.HTTP_201_CREATED)


class HouseholdDetailApi(ScopedAPIMixin, generics.RetrieveAPIView):
    queryset = Household.objects.select_related("posyandu")
    serializer_class = s.HouseholdSerializer


class PosyanduListApi(ScopedAPIMixin, generics.ListAPIView):
    queryset = Posyandu.objects.select_related("desa__puskesmas")
    serializer_class = s.PosyanduSerializer

    def refine_queryset(self, qs):
        return qs.order_by("nama")
