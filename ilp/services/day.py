"""The service day: schedule, open, close, reopen; the visit's way through the
five steps. A visit moves between steps only here (``visit_move``).

A closed day is read-only; only a bidan may reopen it, with a reason that is
kept in the day's history.
"""

from __future__ import annotations

import uuid as uuidlib
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ilp.models import Counselling, Person, ServiceDay, Step, Visit
from posyandu.scoping import has_perm

STEP_PERM = {
    Step.MEASURE: "service.kader",
    Step.RECORD: "service.kader",
    Step.EXAMINE: "service.bidan",
    Step.COUNSEL: "service.kader",
}


def _require(user, perm: str, posyandu_id: int) -> None:
    if not has_perm(user, perm, posyandu_id):
        raise PermissionDenied("Anda tidak berwenang untuk posyandu ini.")


def require_open(day: ServiceDay | None) -> None:
    """Writes to a visit need its day open (home visits have no day)."""
    if day is not None and day.status != ServiceDay.Status.OPEN:
        if day.status == ServiceDay.Status.CLOSED:
            raise ValidationError(
                "Hari buka ini sudah ditutup. Bidan dapat membukanya kembali dengan alasan."
            )
        raise ValidationError("Hari buka ini belum dibuka.")


@transaction.atomic
def service_day_schedule(*, user, posyandu, on: date, place: str = "") -> ServiceDay:
    _require(user, "service.kader", posyandu.pk)
    if ServiceDay.objects.filter(posyandu=posyandu, date=on).exists():
        raise ValidationError({"date": "Sudah ada hari buka pada tanggal ini."})
    day = ServiceDay(posyandu=posyandu, date=on, place=place.strip())
    day.full_clean()
    day._history_user = user
    day.save()
    return day


@transaction.atomic
def service_day_open(*, user, day: ServiceDay) -> ServiceDay:
    _require(user, "service.kader", day.posyandu_id)
    day = ServiceDay.objects.select_for_update().get(pk=day.pk)
    if day.status == ServiceDay.Status.OPEN:
        return day
    if day.status == ServiceDay.Status.CLOSED:
        raise ValidationError("Hari buka ini sudah ditutup. Bidan dapat membukanya kembali.")
    if day.date > timezone.localdate():
        raise ValidationError("Hari buka belum bisa dibuka sebelum tanggalnya.")
    day.status, day.opened_at = ServiceDay.Status.OPEN, timezone.now()
    day._history_user = user
    day.save(update_fields=["status", "opened_at", "updated_at"])
    return day


@transaction.atomic
def service_day_close(*, user, day: ServiceDay) -> ServiceDay:
    _require(user, "service.kader", day.posyandu_id)
    day = ServiceDay.objects.select_for_update().get(pk=day.pk)
    require_open(day)
    day.status, day.closed_at = ServiceDay.Status.CLOSED, timezone.now()
    day._history_user = user
    day.save(update_fields=["status", "closed_at", "updated_at"])
    return day


@transaction.atomic
def service_day_reopen(*, user, day: ServiceDay, reason: str) -> ServiceDay:
    """Only a bidan reopens a closed day (late entries, corrections)."""
    _require(user, "service.bidan", day.posyandu_id)
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        raise ValidationError({"reason": "Tuliskan alasan membuka kembali hari buka ini."})
    day = ServiceDay.objects.select_for_update().get(pk=day.pk)
    if day.status != ServiceDay.Status.CLOSED:
        raise ValidationError("Hari buka ini tidak sedang ditutup.")
    day.status = ServiceDay.Status.OPEN
    day._change_reason = reason[:100]  # kept in the day's history (simple_history)
    day._history_user = user
    day.save(update_fields=["status", "updated_at"])
    return day


def visit_register(
    *, user, day: ServiceDay, person: Person, client_id: uuidlib.UUID | None = None
) -> tuple[Visit, bool]:
    """Step 1: the person joins the day's queue. Idempotent: a repeated
    client_id, or the same person again on the same day, returns the first
    visit. Returns (visit, created)."""
    _require(user, "service.kader", day.posyandu_id)
    if not has_perm(user, "view", person.posyandu_id):
        raise PermissionDenied("Sasaran ini di luar wilayah Anda.")
    if client_id and (found := Visit.objects.filter(client_id=client_id).first()):
        if found.person_id != person.pk or found.service_day_id != day.pk:
            raise ValidationError("Kode kiriman ini sudah dipakai untuk data lain.")
        return found, False
    if existing := Visit.objects.filter(person=person, date=day.date).first():
        return existing, False
    if person.merged_into_id:
        raise ValidationError("Data ini sudah digabung ke data lain; cari data yang dipakai.")
    if person.birth_date > day.date:
        raise ValidationError("Tanggal lahir sasaran sesudah tanggal hari buka.")
    if not person.is_present_on(day.date):
        raise ValidationError("Sasaran tercatat sudah pindah atau meninggal pada tanggal ini.")
    try:
        with transaction.atomic():
            require_open(ServiceDay.objects.select_for_update().get(pk=day.pk))
            visit = Visit.objects.create(
                posyandu_id=day.posyandu_id, person=person, service_day=day, date=day.date,
                kind=Visit.Kind.POSYANDU, client_id=client_id, registered_by=user,
                step=Step.MEASURE, step_changed_at=timezone.now(),
            )
    except IntegrityError:  # a concurrent double tap won the race: return its row
        visit = Visit.objects.filter(person=person, date=day.date).first()
        if visit is None:
            raise
        return visit, False
    return visit, True


@transaction.atomic
def visit_move(*, user, visit: Visit, to: int) -> Visit:
    """Move a visit to another step (forward, back for a correction, or to
    'left early'). Step 4 needs a bidan; the others a kader."""
    to = Step(to)
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    require_open(visit.service_day)
    perm = STEP_PERM.get(Step(visit.step), "service.kader")
    if not (has_perm(user, perm, visit.posyandu_id) or has_perm(user, "service.bidan", visit.posyandu_id)):
        raise PermissionDenied("Langkah ini bukan tugas Anda.")
    if to == Step.REGISTER:
        raise ValidationError("Pendaftaran sudah dilakukan.")
    visit.step, visit.step_changed_at = to, timezone.now()
    visit._history_user = user
    visit.save(update_fields=["step", "step_changed_at", "updated_at"])
    return visit


@transaction.atomic
def counselling_record(*, user, visit: Visit, topics: list[str], notes: str = "") -> Counselling:
    """Step 5. Topics come from the counselling_topics table; the visit is done."""
    from posyandu.reference import table

    _require(user, "service.kader", visit.posyandu_id)
    require_open(visit.service_day)
    known = {t["code"] for t in table("counselling_topics", visit.date)["topics"]}
    unknown = [t for t in topics if t not in known]
    if unknown or not topics:
        raise ValidationError({"topics": "Pilih paling sedikit satu topik penyuluhan dari daftar."})
    counselling, _ = Counselling.objects.update_or_create(
        visit=visit,
        defaults={"posyandu_id": visit.posyandu_id, "person_id": visit.person_id,
                  "topics": sorted(set(topics)), "notes": notes.strip(), "counselled_by": user},
    )
    visit_move(user=user, visit=visit, to=Step.DONE)
    return counselling
