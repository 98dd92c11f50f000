"""Batch sync: apply the operations a phone queued offline (docs/offline.md).

``sync_apply`` applies the operations in the order given, each in its own
transaction, through the same services as the pages. Each operation first
claims its client id by inserting its ledger row (``SyncOperation``): a repeat
finds the row and answers "duplicate" with the first ids and result; a
concurrent identical batch waits on the unique index until the first commits
and then answers "duplicate" too. A refused operation rolls back entirely
(ledger row included), so the corrected entry can be sent again with the same
client id.

A reference in a payload (person, visit, mother, household) is a server uuid
or the client id of an earlier operation of the same user; both end in a
lookup through the scoping entry point, and an object outside the user's
scope answers exactly like an unknown one.
"""

from __future__ import annotations

import hashlib
import json
import uuid as uuidlib
from collections.abc import Iterable, Mapping

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from ilp import serializers_sync as payloads
from ilp.models import Household, Measurement, Person, ServiceDay, Step, SyncOperation, Visit
from ilp.services.day import counselling_record, visit_register
from ilp.services.measurements import UnusualValues, measurement_trend_override, visit_measure
from ilp.services.registry import DuplicateSuspected, person_create
from kader.models.tasks import FollowUpTask
from kader.services.home_visit import home_visit_record
from posyandu.models import Posyandu

SAVED, DUPLICATE, CONFLICT, REJECTED = "saved", "duplicate", "conflict", "rejected"

CONFLICT_MESSAGE = "Kode kiriman ini sudah dipakai untuk data lain; data tidak ditimpa."
DAY_CLOSED_MESSAGE = (
    "Hari buka sudah ditutup sebelum data ini terkirim. Minta bidan membuka kembali hari "
    "buka, lalu kirim ulang."
)
NOT_FOUND_MESSAGE = (
    "Data yang dirujuk tidak ditemukan di server. Jika data itu dibuat di HP ini, kirim dulu "
    "data tersebut."
)
MISSING_REF_MESSAGE = (
    "Data yang dirujuk belum tersimpan di server karena kirimannya ditolak. Perbaiki kiriman "
    "itu dulu, lalu kirim ulang yang ini."
)
UNUSUAL_MESSAGE = (
    "Ada nilai yang tidak biasa; belum disimpan. Ukur ulang; jika nilainya benar, kirim lagi "
    "dengan tanda \"sudah diukur ulang\"."
)
INVALID_MESSAGE = "Data belum bisa disimpan; periksa isian yang ditandai."
CLASH_MESSAGE = "Data ini bentrok dengan data lain di server; periksa lalu kirim ulang."
STEP3_FIELDS = ("bbu_z", "bbu_cat", "tbu_cat", "bbtb_cat", "trend", "trend_override",
                "is_2t", "is_bgm")


class Rejected(Exception):
    """An operation refused with a code, a one-line message and field errors."""

    def __init__(self, code: str, message: str, errors: Mapping | None = None, **extra):
        super().__init__(message)
        self.code, self.message = code, message
        self.errors = dict(errors or {})
        self.extra = extra


class _Claimed(Exception):
    """The client id is already in the ledger (committed by someone else meanwhile)."""


def payload_hash(kind: str, payload) -> str:
    """SHA-256 of the canonical JSON of kind + payload, as sent."""
    text = json.dumps({"kind": kind, "payload": payload}, sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sync_apply(*, user, operations: Iterable[Mapping]) -> list[dict]:
    """Apply ``operations`` (dicts with client_id, kind, taken_at, payload) in order;
    one result dict per operation, in the same order (see docs/offline.md)."""
    operations = list(operations)
    batch = _Batch(user, operations)
    return [batch.apply(op) for op in operations]


# --- one batch -------------------------------------------------------------------------


class _Batch:
    """What a batch resolves once: the ledger rows it refers to, the objects it
    looked up or created (by server uuid), the user's posyandu."""

    def __init__(self, user, operations: list[Mapping]):
        self.user = user
        wanted = {_uuid(op["client_id"]) for op in operations}
        for op in operations:
            payload = op.get("payload") or {}
            for field in REF_FIELDS:
                if (ref := _uuid(payload.get(field))) is not None:
                    wanted.add(ref)
        wanted.discard(None)
        # One query: the ledger rows of this batch's client ids and of every uuid it refers to.
        self.ledger: dict[uuidlib.UUID, dict] = {
            row["client_id"]: row
            for row in SyncOperation.objects.filter(client_id__in=wanted).values(
                "client_id", "user_id", "kind", "payload_hash", "ids", "result")
        }
        self.refused: set[uuidlib.UUID] = set()
        self.day_id: int | None = None
        self._objects: dict[tuple[type, uuidlib.UUID], object] = {}
        self._posyandu: list[Posyandu] | None = None

    # -- one operation --

    def apply(self, op: Mapping) -> dict:
        cid, kind, payload = op["client_id"], op["kind"], op["payload"]
        digest = payload_hash(kind, payload)
        if (known := self.ledger.get(cid)) is not None:
            return self._known(cid, known, kind, digest)
        try:
            handler = HANDLERS[kind]
        except KeyError:
            return self._refuse(cid, Rejected("invalid", f"Jenis data tidak dikenal: {kind}.",
                                              {"kind": [f"Jenis data tidak dikenal: {kind}."]}))
        form = payloads.PAYLOADS[kind](data=payload)
        if not form.is_valid():
            errors = _serializer_errors(form.errors)
            return self._refuse(cid, Rejected("invalid", _summary(errors), errors))
        self.day_id = None
        try:
            for field, key in REF_FIELDS.items():  # a refused dependency: no need to claim
                if form.validated_data.get(field) is not None:
                    self.ref(form.validated_data[field], key, field=field)
        except Rejected as exc:
            return self._refuse(cid, exc)
        try:
            with transaction.atomic():
                try:
                    row = SyncOperation.objects.create(
                        client_id=cid, user=self.user, kind=kind, payload_hash=digest,
                        taken_at=op.get("taken_at"),
                    )
                except IntegrityError:
                    raise _Claimed from None
                ids, result, posyandu_id = handler(self, cid, dict(form.validated_data))
                row.ids, row.result, row.posyandu_id = ids, result, posyandu_id
                row.save(update_fields=["ids", "result", "posyandu"])
        except _Claimed:
            known = SyncOperation.objects.filter(client_id=cid).values(
                "client_id", "user_id", "kind", "payload_hash", "ids", "result").get()
            self.ledger[cid] = known
            return self._known(cid, known, kind, digest)
        except Rejected as exc:
            return self._refuse(cid, exc)
        except DuplicateSuspected as exc:
            return self._refuse(cid, _possible_duplicate(exc))
        except UnusualValues as exc:
            return self._refuse(cid, Rejected("confirm_unusual", UNUSUAL_MESSAGE, _errors(exc)))
        except ValidationError as exc:
            if self._day_closed():
                return self._refuse(cid, Rejected("day_closed", DAY_CLOSED_MESSAGE,
                                                  {"non_field_errors": [DAY_CLOSED_MESSAGE]}))
            errors = _errors(exc)
            return self._refuse(cid, Rejected("invalid", _summary(errors), errors))
        except PermissionDenied as exc:
            message = str(exc) or "Anda tidak berwenang menyimpan data ini."
            return self._refuse(cid, Rejected("forbidden", message,
                                              {"non_field_errors": [message]}))
        except Http404:
            return self._refuse(cid, Rejected("not_found", NOT_FOUND_MESSAGE,
                                              {"non_field_errors": [NOT_FOUND_MESSAGE]}))
        except IntegrityError:  # a unique row of the services, taken meanwhile
            return self._refuse(cid, Rejected("invalid", CLASH_MESSAGE,
                                              {"non_field_errors": [CLASH_MESSAGE]}))
        self.ledger[cid] = {"client_id": cid, "user_id": self.user.pk, "kind": kind,
                            "payload_hash": digest, "ids": ids, "result": result}
        return {"client_id": str(cid), "status": SAVED, "ids": ids, "result": result}

    def _known(self, cid, known: dict, kind: str, digest: str) -> dict:
        if known["user_id"] != self.user.pk or known["kind"] != kind \
                or known["payload_hash"] != digest:
            return {"client_id": str(cid), "status": CONFLICT, "message": CONFLICT_MESSAGE}
        return {"client_id": str(cid), "status": DUPLICATE, "ids": known["ids"],
                "result": known["result"]}

    def _refuse(self, cid, exc: Rejected) -> dict:
        self.refused.add(cid)
        self._objects.clear()  # rolled back: what was cached may be stale now
        return {"client_id": str(cid), "status": REJECTED, "code": exc.code,
                "message": exc.message, "errors": exc.errors, **exc.extra}

    def _day_closed(self) -> bool:
        """The operation's service day is closed (read after the rollback)."""
        return self.day_id is not None and ServiceDay.objects.filter(
            pk=self.day_id, status=ServiceDay.Status.CLOSED).exists()

    # -- references --

    def ref(self, value, key: str, *, field: str) -> uuidlib.UUID:
        """The server uuid a payload reference stands for: the ids of an earlier
        operation of this user with that client id, else the value itself."""
        known = self.ledger.get(value)
        if known is not None and known["user_id"] == self.user.pk:
            if key in known["ids"]:
                return uuidlib.UUID(str(known["ids"][key]))
        if value in self.refused:
            raise Rejected("missing_ref", MISSING_REF_MESSAGE, {field: [MISSING_REF_MESSAGE]})
        return value

    def _get(self, qs, value, key: str, *, field: str):
        server_uuid = self.ref(value, key, field=field)
        cache_key = (qs.model, server_uuid)
        if cache_key not in self._objects:
            found = qs.for_user(self.user, "view").filter(uuid=server_uuid).first()
            if found is None:
                raise Rejected("not_found", NOT_FOUND_MESSAGE, {field: [NOT_FOUND_MESSAGE]})
            self._objects[cache_key] = found
        return self._objects[cache_key]

    def remember(self, obj) -> None:
        self._objects[(type(obj), obj.uuid)] = obj

    def person(self, value, *, field: str = "person") -> Person:
        return self._get(Person.objects.all(), value, "person", field=field)

    def visit(self, value, *, field: str = "visit") -> Visit:
        return self._get(Visit.objects.select_related("service_day", "posyandu", "person"),
                         value, "visit", field=field)

    def day(self, value, *, field: str = "day") -> ServiceDay:
        return self._get(ServiceDay.objects.select_related("posyandu"), value, "day",
                         field=field)

    def household(self, value, *, field: str = "household") -> Household:
        return self._get(Household.objects.all(), value, "household", field=field)

    def task(self, value, *, field: str = "task") -> FollowUpTask:
        return self._get(FollowUpTask.objects.all(), value, "task", field=field)

    def posyandu_for_write(self, key) -> Posyandu:
        """The posyandu named in the payload, or the user's only one."""
        if self._posyandu is None:
            self._posyandu = list(Posyandu.objects.for_user(self.user, "registry.edit"))
        if key:
            for p in self._posyandu:
                if p.uuid == key:
                    return p
            raise Rejected("not_found", NOT_FOUND_MESSAGE, {"posyandu": [NOT_FOUND_MESSAGE]})
        if len(self._posyandu) == 1:
            return self._posyandu[0]
        if not self._posyandu:
            raise PermissionDenied("Anda tidak berwenang mendaftarkan sasaran.")
        raise Rejected("invalid", "Pilih posyandu.", {"posyandu": ["Pilih posyandu."]})


# --- the kinds ---------------------------------------------------------------------------


def _person_register(b: _Batch, cid, v: dict):
    posyandu = b.posyandu_for_write(v.pop("posyandu", None))
    mother_ref, household_ref = v.pop("mother", None), v.pop("household", None)
    mother = b.person(mother_ref, field="mother") if mother_ref else None
    household = b.household(household_ref) if household_ref else None
    confirm_new = v.pop("confirm_new", False)
    person = person_create(user=b.user, posyandu=posyandu, data=v, household=household,
                           mother=mother, not_duplicate=confirm_new)
    b.remember(person)
    return {"person": str(person.uuid)}, {}, posyandu.pk


def _visit_register(b: _Batch, cid, v: dict):
    day = b.day(v["day"])
    b.day_id = day.pk
    person = b.person(v["person"])
    visit, _ = visit_register(user=b.user, day=day, person=person, client_id=cid)
    visit.person, visit.service_day = person, day
    b.remember(visit)
    return ({"visit": str(visit.uuid), "person": str(person.uuid)}, {"step": visit.step},
            day.posyandu_id)


def _measurement_record(b: _Batch, cid, v: dict):
    visit = b.visit(v["visit"])
    b.day_id = visit.service_day_id
    measurement = visit_measure(user=b.user, visit=visit, data=dict(v["values"]),
                                confirm_unusual=v["confirm_unusual"])
    return _measurement_answer(visit, measurement)


def _trend_override(b: _Batch, cid, v: dict):
    visit = b.visit(v["visit"])
    b.day_id = visit.service_day_id
    measurement = Measurement.objects.filter(visit=visit).first()
    if measurement is None:
        message = "Belum ada hasil penimbangan untuk kunjungan ini."
        raise Rejected("invalid", message, {"visit": [message]})
    measurement = measurement_trend_override(user=b.user, measurement=measurement,
                                             trend=v["trend"], reason=v["reason"])
    return _measurement_answer(visit, measurement)


def _counselling_record(b: _Batch, cid, v: dict):
    visit = b.visit(v["visit"])
    b.day_id = visit.service_day_id
    counselling_record(user=b.user, visit=visit, topics=v["topics"], notes=v["notes"])
    visit.step = Step.DONE
    return {"visit": str(visit.uuid)}, {"step": Step.DONE}, visit.posyandu_id


def _home_visit_record(b: _Batch, cid, v: dict):
    person = b.person(v.pop("person"))
    task = b.task(v.pop("task")) if v.get("task") else None
    v.pop("task", None)
    on = v.pop("date")
    data = {**v.pop("values", {}), **v, "client_id": cid}
    home, _ = home_visit_record(user=b.user, person=person, on=on, task=task, data=data)
    visit_uuid = Visit.objects.filter(pk=home.visit_id).values_list("uuid", flat=True).get()
    return ({"visit": str(visit_uuid), "person": str(person.uuid), "home_visit": str(home.uuid)},
            {"date": on.isoformat(), "found": home.found}, person.posyandu_id)


def _measurement_answer(visit: Visit, m: Measurement):
    result = {f: getattr(m, f) for f in STEP3_FIELDS}
    result["flags"] = list(m.flags or [])
    result["measured_on"] = m.measured_on.isoformat()
    return ({"visit": str(visit.uuid), "measurement": str(m.uuid)}, result, visit.posyandu_id)


HANDLERS = {
    "person.register": _person_register,
    "visit.register": _visit_register,
    "measurement.record": _measurement_record,
    "trend.override": _trend_override,
    "counselling.record": _counselling_record,
    "homevisit.record": _home_visit_record,
}
# payload field -> the key of the ids it stands for when it is a client id
REF_FIELDS = {"person": "person", "visit": "visit", "mother": "person",
              "household": "household"}


# --- errors ---------------------------------------------------------------------------


def _uuid(value) -> uuidlib.UUID | None:
    if isinstance(value, uuidlib.UUID):
        return value
    try:
        return uuidlib.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    if not hasattr(exc, "error_dict"):
        return {"non_field_errors": list(exc.messages)}
    return {("non_field_errors" if k == NON_FIELD_ERRORS else k): list(v)
            for k, v in exc.message_dict.items()}


def _serializer_errors(errors, out=None) -> dict[str, list[str]]:
    """DRF errors flattened to the inner field name ({"values": {"weight_kg": [..]}}
    becomes {"weight_kg": [..]})."""
    out = {} if out is None else out
    for key, value in errors.items():
        if isinstance(value, Mapping):
            _serializer_errors(value, out)
        else:
            out.setdefault(key, []).extend(str(m) for m in value)
    return out


def _summary(errors: Mapping[str, list[str]]) -> str:
    messages = [m for ms in errors.values() for m in ms]
    return messages[0] if len(messages) == 1 else INVALID_MESSAGE


def _possible_duplicate(exc: DuplicateSuspected) -> Rejected:
    people = [f"{p.name} (lahir {p.birth_date:%d-%m-%Y})" for p in exc.candidates]
    message = (
        "Kemungkinan sudah terdaftar: " + "; ".join(people) + ". Jika memang orang yang "
        "berbeda, kirim lagi dengan tanda \"bukan orang yang sama\"."
    )
    candidates = [{"uuid": str(p.uuid), "name": p.name, "birth_date": p.birth_date.isoformat()}
                  for p in exc.candidates]
    return Rejected("possible_duplicate", message, {"non_field_errors": [message]},
                    candidates=candidates)
