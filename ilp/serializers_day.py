"""Serializers of the service-day API (ilp/api_day.py): shape only. Numbers of
step 2 stay as typed ("10,5" or 10.5); the measurement service parses them and
answers in Bahasa Indonesia."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ilp.due import measurement_fields
from ilp.lifecycle import completed_months
from ilp.models import Counselling, LengthMethod, Measurement, Person, ServiceDay, Step, Visit

NUMBER_HINT = "Isi angka, misalnya 10,5."


# --- service days -------------------------------------------------------------------


class ServiceDayOutput(serializers.ModelSerializer):
    posyandu = serializers.UUIDField(source="posyandu.uuid", read_only=True)
    posyandu_nama = serializers.CharField(source="posyandu.nama", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ServiceDay
        fields = ["uuid", "posyandu", "posyandu_nama", "date", "place", "status", "status_label",
                  "opened_at", "closed_at"]


class ServiceDayInput(serializers.Serializer):
    posyandu = serializers.UUIDField(
        required=False, help_text="uuid posyandu; boleh kosong bila Anda hanya punya satu posyandu"
    )
    date = serializers.DateField()
    place = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class ReopenInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="Alasan membuka kembali (dicatat)")


# --- visits --------------------------------------------------------------------------


class PersonBrief(serializers.ModelSerializer):
    sex = serializers.CharField(read_only=True, help_text="L = laki-laki, P = perempuan")

    class Meta:
        model = Person
        fields = ["uuid", "name", "sex", "birth_date"]


class MeasurementOutput(serializers.ModelSerializer):
    """What was measured (step 2) and what it means (step 3, derived)."""

    visit = serializers.UUIDField(source="visit.uuid", read_only=True)
    final_trend = serializers.CharField(
        read_only=True, help_text="Status KMS yang berlaku (koreksi menang atas hasil hitung)"
    )
    flags = serializers.ListField(
        child=serializers.CharField(), read_only=True,
        help_text="Kode temuan untuk daftar tinjauan bidan (mis. 2T, BGM, gizi_kurang)",
    )

    class Meta:
        model = Measurement
        fields = [
            "visit", "measured_on",
            "weight_kg", "length_cm", "length_method", "head_cm", "muac_cm", "waist_cm",
            "systolic", "diastolic",
            "age_days", "age_months",
            "bbu_z", "tbu_z", "bbtb_z", "imtu_z", "lku_z",
            "bbu_cat", "tbu_cat", "bbtb_cat", "imtu_cat", "lku_cat",
            "trend", "trend_override", "trend_override_reason", "final_trend",
            "is_bgm", "is_2t", "imt", "imt_cat", "flags", "updated_at",
        ]
        read_only_fields = fields


class CounsellingOutput(serializers.ModelSerializer):
    topics = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Counselling
        fields = ["topics", "notes", "updated_at"]


class VisitOutput(serializers.ModelSerializer):
    service_day = serializers.UUIDField(source="service_day.uuid", read_only=True, allow_null=True)
    posyandu = serializers.UUIDField(source="posyandu.uuid", read_only=True)
    step_label = serializers.CharField(source="get_step_display", read_only=True)
    person = PersonBrief(read_only=True)
    measure_fields = serializers.SerializerMethodField(
        help_text="Isian langkah 2 untuk orang ini, urut seperti kader mengukur"
    )
    measurement = MeasurementOutput(read_only=True, allow_null=True)
    counselling = CounsellingOutput(read_only=True, allow_null=True)

    class Meta:
        model = Visit
        fields = ["uuid", "client_id", "service_day", "posyandu", "date", "kind", "step",
                  "step_label", "step_changed_at", "person", "measure_fields", "measurement",
                  "counselling"]

    def get_measure_fields(self, visit) -> list[str]:
        person = visit.person
        if visit.date < person.birth_date:
            return []
        # Only a woman can be pregnant (the one group the fields depend on besides age
        # and sex): the pregnancy query is skipped for everybody else.
        groups = person.lifecycle_groups(visit.date) if person.sex == "P" else []
        return measurement_fields(
            age_months=completed_months(person.birth_date, visit.date), sex=person.sex,
            groups=groups,
            measures_bp=visit.posyandu.measures_blood_pressure,
        )


class VisitBrief(serializers.ModelSerializer):
    """One row of a queue."""

    person = serializers.UUIDField(source="person.uuid", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    sex = serializers.CharField(source="person.sex", read_only=True)
    birth_date = serializers.DateField(source="person.birth_date", read_only=True)
    final_trend = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = ["uuid", "person", "person_name", "sex", "birth_date", "step",
                  "step_changed_at", "final_trend", "flags"]

    @staticmethod
    def _measurement(visit):
        return getattr(visit, "measurement", None) if hasattr(visit, "measurement") else None

    def get_final_trend(self, visit) -> str:
        m = self._measurement(visit)
        return m.final_trend if m else ""

    def get_flags(self, visit) -> list[str]:
        m = self._measurement(visit)
        return list(m.flags) if m else []


class BidanQueueItem(VisitBrief):
    posyandu = serializers.UUIDField(source="posyandu.uuid", read_only=True)
    posyandu_nama = serializers.CharField(source="posyandu.nama", read_only=True)

    class Meta(VisitBrief.Meta):
        fields = [*VisitBrief.Meta.fields, "posyandu", "posyandu_nama"]


class QueueStep(serializers.Serializer):
    step = serializers.IntegerField()
    label = serializers.CharField()
    visits = VisitBrief(many=True)


class QueueOutput(serializers.Serializer):
    day = ServiceDayOutput()
    steps = QueueStep(many=True, help_text="Langkah 2 sampai selesai/pulang, urut kedatangan")


class RegisterInput(serializers.Serializer):
    person = serializers.UUIDField(help_text="uuid sasaran")
    client_id = serializers.UUIDField(
        help_text="Id buatan HP untuk kiriman ini; kiriman ulang dengan id yang sama "
        "mengembalikan kunjungan yang pertama (200) dan tidak menyimpan dua kali"
    )


# --- step 2: the measurement ------------------------------------------------------


@extend_schema_field({"oneOf": [{"type": "string", "example": "10,5"}, {"type": "number"}],
                      "nullable": True})
class TypedNumber(serializers.Field):
    """A number as typed on the phone: "10,5", "10.5" or 10.5; blank or null
    means "not measured". Kept as sent: the service parses and checks it."""

    default_error_messages = {"invalid": NUMBER_HINT}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class MeasurementInput(serializers.Serializer):
    """The whole measurement set (a field left out or blank is "not measured";
    a PUT replaces the previous set of the visit)."""

    weight_kg = TypedNumber(help_text="Berat badan (kg), mis. \"10,5\"")
    length_cm = TypedNumber(help_text="Panjang/tinggi badan (cm)")
    length_method = serializers.ChoiceField(
        choices=LengthMethod.choices, required=False, allow_blank=True, allow_null=True,
        help_text="lying = telentang (PB), standing = berdiri (TB)",
    )
    head_cm = TypedNumber(help_text="Lingkar kepala (cm)")
    muac_cm = TypedNumber(help_text="LiLA (cm)")
    waist_cm = TypedNumber(help_text="Lingkar perut (cm)")
    systolic = TypedNumber(help_text="Tekanan darah sistolik (mmHg)")
    diastolic = TypedNumber(help_text="Tekanan darah diastolik (mmHg)")
    confirm_unusual = serializers.BooleanField(
        required=False, default=False,
        help_text="Kirim true setelah jawaban 409 bila sudah diukur ulang dan nilainya benar",
    )
    client_id = serializers.UUIDField(
        required=False, allow_null=True,
        help_text="Id buatan HP untuk kiriman ini. Satu kunjungan punya satu set pengukuran: "
        "kiriman ulang dengan nilai yang sama tidak menyimpan apa pun lagi",
    )


class UnusualOutput(serializers.Serializer):
    code = serializers.CharField(help_text='Selalu "confirm_unusual"')
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Pesan per isian: ukur ulang, atau kirim lagi dengan confirm_unusual true",
    )


class FieldErrors(serializers.Serializer):
    """400: messages (Bahasa Indonesia) keyed by field, e.g.
    {"weight_kg": ["Sepertinya diisi dalam gram. ..."]}."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


# --- other steps ---------------------------------------------------------------------


class VisitMoveInput(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in Step if s != Step.REGISTER],
        help_text="Langkah tujuan (2–5), 6 = selesai, 9 = pulang sebelum selesai",
    )


class TrendOverrideInput(serializers.Serializer):
    trend = serializers.ChoiceField(
        choices=[("N", "N (naik)"), ("T", "T (tidak naik)")], allow_blank=True,
        help_text='N atau T; "" menghapus koreksi',
    )
    reason = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


class CounsellingInput(serializers.Serializer):
    topics = serializers.ListField(
        child=serializers.CharField(max_length=40), allow_empty=True,
        help_text="Kode topik dari tabel counselling_topics",
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")
