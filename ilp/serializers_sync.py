"""Serializers of batch sync (``POST /api/v1/sync/``) and of the day kept on
the phone (``GET /api/v1/service-days/{uuid}/offline/``): shape only.

The envelope (``SyncInput``) is checked by the view: a malformed body is a 400
for the whole request. Each operation's payload is checked by the sync service
with the serializer of its kind (``PAYLOADS``): a bad payload refuses that
operation only. Numbers of step 2 stay as typed ("10,5"); the services parse
and check them. A reference (person, visit, mother, household) is a uuid: a
server uuid or the client id of an earlier operation of the same user.
"""

from __future__ import annotations

from rest_framework import serializers

from ilp.models import LengthMethod
from ilp.serializers_day import TypedNumber

MAX_OPERATIONS = 100
TOO_MANY = f"Paling banyak {MAX_OPERATIONS} data sekali kirim."
REF_HINT = "uuid di server, atau client_id kiriman sebelumnya yang membuatnya"


UUID_ERRORS = {"invalid": "Kode data tidak sah."}


def _ref(**kwargs):
    return serializers.UUIDField(help_text=REF_HINT, error_messages=UUID_ERRORS, **kwargs)


# --- the envelope ----------------------------------------------------------------------


class OperationInput(serializers.Serializer):
    client_id = serializers.UUIDField(error_messages=UUID_ERRORS, help_text="Id buatan HP; kiriman ulang dengan id ini "
                                      "tidak menyimpan dua kali")
    kind = serializers.CharField(max_length=32, help_text="person.register, visit.register, "
                                 "measurement.record, trend.override, counselling.record, "
                                 "homevisit.record")
    taken_at = serializers.DateTimeField(help_text="Waktu data dicatat di HP")
    payload = serializers.DictField(help_text="Isi data; bentuknya menurut kind")


class SyncInput(serializers.Serializer):
    operations = serializers.ListField(
        child=OperationInput(), max_length=MAX_OPERATIONS, allow_empty=True,
        error_messages={"max_length": TOO_MANY},
        help_text=f"Paling banyak {MAX_OPERATIONS}; diterapkan berurutan",
    )


class OperationResult(serializers.Serializer):
    client_id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=["saved", "duplicate", "conflict", "rejected"])
    ids = serializers.DictField(child=serializers.UUIDField(), required=False,
                                help_text="uuid di server: person, visit, measurement, ...")
    result = serializers.DictField(required=False, help_text="Hasil langkah 3 dari server")
    code = serializers.CharField(required=False, help_text="Untuk rejected: invalid, "
                                 "confirm_unusual, possible_duplicate, day_closed, missing_ref, "
                                 "forbidden, not_found")
    message = serializers.CharField(required=False)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   required=False, help_text="Pesan per isian")
    candidates = serializers.ListField(child=serializers.DictField(), required=False,
                                       help_text="possible_duplicate: uuid, nama, tanggal lahir")


class SyncOutput(serializers.Serializer):
    results = OperationResult(many=True)


class TooMany(serializers.Serializer):
    operations = serializers.ListField(child=serializers.CharField(), required=False)


# --- payloads, one per kind -------------------------------------------------------------


class PersonRegisterPayload(serializers.Serializer):
    posyandu = serializers.UUIDField(required=False, allow_null=True, error_messages=UUID_ERRORS,
                                     help_text="boleh kosong bila Anda hanya punya satu posyandu")
    name = serializers.CharField(max_length=120)
    sex = serializers.ChoiceField(choices=["L", "P"])
    birth_date = serializers.DateField()
    birth_date_estimated = serializers.BooleanField(required=False, default=False)
    nik = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=24)
    mother = _ref(required=False, allow_null=True)
    mother_name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    mother_nik = serializers.CharField(required=False, allow_blank=True, max_length=24)
    household = _ref(required=False, allow_null=True)
    bpjs_number = serializers.CharField(required=False, allow_blank=True, max_length=20)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    rt = serializers.CharField(required=False, allow_blank=True, max_length=3)
    rw = serializers.CharField(required=False, allow_blank=True, max_length=3)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    has_buku_kia = serializers.BooleanField(required=False, default=False)
    confirm_new = serializers.BooleanField(required=False, default=False)


class VisitRegisterPayload(serializers.Serializer):
    day = serializers.UUIDField(help_text="uuid hari buka", error_messages=UUID_ERRORS)
    person = _ref()


class MeasurementValues(serializers.Serializer):
    weight_kg = TypedNumber()
    length_cm = TypedNumber()
    length_method = serializers.ChoiceField(
        choices=LengthMethod.choices, required=False, allow_blank=True, allow_null=True
    )
    head_cm = TypedNumber()
    muac_cm = TypedNumber()
    waist_cm = TypedNumber()
    systolic = TypedNumber()
    diastolic = TypedNumber()


class MeasurementPayload(serializers.Serializer):
    visit = _ref()
    values = MeasurementValues()
    confirm_unusual = serializers.BooleanField(required=False, default=False)


class TrendOverridePayload(serializers.Serializer):
    visit = _ref()
    trend = serializers.ChoiceField(choices=["N", "T"], allow_blank=True)
    reason = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


class CounsellingPayload(serializers.Serializer):
    visit = _ref()
    topics = serializers.ListField(child=serializers.CharField(max_length=40), allow_empty=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class HomeVisitValues(serializers.Serializer):
    weight_kg = TypedNumber()
    length_cm = TypedNumber()
    length_method = serializers.ChoiceField(
        choices=LengthMethod.choices, required=False, allow_blank=True, allow_null=True
    )
    head_cm = TypedNumber()
    muac_cm = TypedNumber()
    waist_cm = TypedNumber()


class HomeVisitPayload(serializers.Serializer):
    person = _ref()
    date = serializers.DateField(help_text="Tanggal kunjungan rumah")
    task = serializers.UUIDField(required=False, allow_null=True, help_text="uuid tugas",
                                 error_messages=UUID_ERRORS)
    values = HomeVisitValues(required=False)
    found = serializers.BooleanField(required=False, default=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    topics = serializers.ListField(child=serializers.CharField(max_length=40), required=False,
                                   default=list)
    confirm_unusual = serializers.BooleanField(required=False, default=False)
    exam_systolic = TypedNumber()
    exam_diastolic = TypedNumber()
    exam_glucose_mg_dl = TypedNumber()
    exam_glucose_kind = serializers.CharField(required=False, allow_blank=True, default="")
    exam_hb_g_dl = TypedNumber()
    refer_to = serializers.CharField(required=False, allow_blank=True, default="")
    refer_note = serializers.CharField(required=False, allow_blank=True, default="")


PAYLOADS: dict[str, type[serializers.Serializer]] = {
    "person.register": PersonRegisterPayload,
    "visit.register": VisitRegisterPayload,
    "measurement.record": MeasurementPayload,
    "trend.override": TrendOverridePayload,
    "counselling.record": CounsellingPayload,
    "homevisit.record": HomeVisitPayload,
}


# --- the day kept on the phone (documentation of the answer) --------------------------


class DayNotOpen(serializers.Serializer):
    code = serializers.CharField(help_text='"day_not_open"')
    detail = serializers.CharField()


class OfflineBundle(serializers.Serializer):
    """See docs/offline.md: the day, its people and visits, and the tables step 3 needs."""

    version = serializers.IntegerField()
    generated_at = serializers.DateTimeField()
    user = serializers.DictField()
    day = serializers.DictField()
    people = serializers.ListField(child=serializers.DictField())
    visits = serializers.ListField(child=serializers.DictField())
    tables = serializers.DictField()
