from django.utils import timezone
from rest_framework import serializers

from ilp.lifecycle import labels
from ilp.models import Household, Person, Pregnancy
from posyandu.reference import table


class PregnancySerializer(serializers.ModelSerializer):
    class Meta:
        model = Pregnancy
        fields = ["uuid", "hpht", "due_date", "gravida", "outcome", "outcome_date"]
        read_only_fields = ["uuid", "outcome", "outcome_date"]
        extra_kwargs = {"due_date": {"required": False}}


class PersonOutput(serializers.ModelSerializer):
    posyandu = serializers.UUIDField(source="posyandu.uuid", read_only=True)
    household = serializers.UUIDField(source="household.uuid", read_only=True, allow_null=True)
    mother = serializers.UUIDField(source="mother.uuid", read_only=True, allow_null=True)
    groups = serializers.SerializerMethodField(help_text="Kelompok sasaran hari ini (turunan)")

    class Meta:
        model = Person
        fields = [
            "uuid", "name", "sex", "birth_date", "birth_date_estimated", "nik", "mother",
            "mother_name", "mother_nik", "household", "posyandu", "bpjs_number", "address",
            "rt", "rw", "phone", "has_buku_kia", "moved_on", "moved_to", "died_on", "groups",
            "created_at", "updated_at",
        ]

    def get_groups(self, person) -> list[str]:
        today = timezone.localdate()
        return labels(person.lifecycle_groups(today), table("lifecycle_groups", today))


class PersonInput(serializers.Serializer):
    posyandu = serializers.UUIDField(required=False)
    household = serializers.UUIDField(required=False, allow_null=True)
    mother = serializers.UUIDField(required=False, allow_null=True)
    name = serializers.CharField(max_length=120)
    sex = serializers.ChoiceField(choices=["L", "P"])
    birth_date = serializers.DateField()
    birth_date_estimated = serializers.BooleanField(required=False, default=False)
    nik = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=24)
    mother_name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    mother_nik = serializers.CharField(required=False, allow_blank=True, max_length=24)
    bpjs_number = serializers.CharField(required=False, allow_blank=True, max_length=20)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    rt = serializers.CharField(required=False, allow_blank=True, max_length=3)
    rw = serializers.CharField(required=False, allow_blank=True, max_length=3)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    has_buku_kia = serializers.BooleanField(required=False, default=False)
    moved_on = serializers.DateField(required=False, allow_null=True)
    moved_to = serializers.CharField(required=False, allow_blank=True, max_length=200)
    died_on = serializers.DateField(required=False, allow_null=True)
    not_duplicate = serializers.BooleanField(required=False, default=False)


class HouseholdSerializer(serializers.ModelSerializer):
    posyandu = serializers.UUIDField(source="posyandu.uuid", read_only=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = ["uuid", "posyandu", "no_kk", "kepala_keluarga", "alamat", "rt", "rw", "members"]

    def get_members(self, household) -> list[str]:
        return [str(u) for u in household.members.filter(merged_into__isnull=True)
                .values_list("uuid", flat=True)]


class HouseholdInput(serializers.Serializer):
    posyandu = serializers.UUIDField(required=False)
    kepala_keluarga = serializers.CharField(max_length=120)
    no_kk = serializers.CharField(required=False, allow_blank=True, max_length=24)
    alamat = serializers.CharField(required=False, allow_blank=True, max_length=200)
    rt = serializers.CharField(required=False, allow_blank=True, max_length=3)
    rw = serializers.CharField(required=False, allow_blank=True, max_length=3)


class MergeInput(serializers.Serializer):
    remove = serializers.UUIDField(help_text="Data yang digabung ke data ini (lalu disembunyikan)")


class PosyanduSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    nama = serializers.CharField()
    desa = serializers.CharField(source="desa.nama")
    puskesmas = serializers.CharField(source="desa.puskesmas.nama")
    timezone = serializers.CharField()
