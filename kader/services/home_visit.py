"""Home visits (kunjungan rumah): one service records the whole visit.

``home_visit_record`` creates (or reuses) the person's ilp ``Visit`` of kind
"rumah" for the day, records what was measured there through
``ilp.services.measurements.measurement_record`` (so a weight taken at home
is a Measurement of that month and counts for D), the bidan's examination
through ``ilp.services.exam.examination_record``, a referral to the
Puskesmas through ``ilp.services.exam.referral_create`` (bidan only), the
findings and the education given, and closes the task it answers. All in one
transaction: a refused value saves nothing. A repeated ``client_id`` (a double
tap on a weak connection) returns the first save.
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Mapping
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ilp.measure_input import NUMERIC_FIELDS
from ilp.models import Person, Step, Visit
from ilp.services.exam import examination_record, referral_create
from ilp.services.measurements import measurement_record
from kader.models.tasks import FollowUpTask, HomeVisit
from kader.services.tasks import local_today, task_mark_done_by_visit
from posyandu.reference import table
from posyandu.scoping import has_perm

MEASURE_KEYS = ("weight_kg", "length_cm", "length_method", "head_cm", "muac_cm", "waist_cm")
EXAM_KEYS = ("systolic", "diastolic", "glucose_mg_dl", "glucose_kind", "hb_g_dl")
# the form's field names for the bidan's readings (the kader's step-2 systolic
# is not taken at home: the bidan's examination is the reading)
EXAM_FORM_KEYS = {f"exam_{k}": k for k in EXAM_KEYS}


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _lock_person(person_id: int) -> Person:
    return Person.objects.select_for_update().get(pk=person_id)


@transaction.atomic
def home_visit_record(
    *, user, person: Person, on: date, task: FollowUpTask | None = None, data: Mapping,
) -> tuple[HomeVisit, bool]:
    """Record a home visit of ``person`` on ``on``. ``data``: found (bool),
    notes, topics (counselling_topics codes), weight_kg, length_cm,
    length_method, head_cm, muac_cm, waist_cm (as typed, "10,5" accepted),
    confirm_unusual, exam_systolic, exam_diastolic, exam_glucose_mg_dl,
    exam_glucose_kind, exam_hb_g_dl (bidan only), refer_to ("", "bidan",
    "puskesmas"), refer_note, client_id. Returns (home_visit, created)."""
    if not has_perm(user, "service.kader", person.posyandu_id):
        raise PermissionDenied("Anda tidak berwenang mencatat kunjungan rumah di posyandu ini.")
    client_id = data.get("client_id") or None
    if client_id:
        try:
            client_id = uuidlib.UUID(str(client_id))
        except ValueError as exc:
            raise ValidationError("Kode kiriman tidak sah.") from exc
    # Serialise saves for this person: a double tap waits here, then finds the first.
    person = _lock_person(person.pk)
    if client_id and (found := HomeVisit.objects.filter(client_id=client_id).first()):
        if found.person_id != person.pk:
            raise ValidationError("Kode kiriman ini sudah dipakai untuk data lain.")
        return found, False
    if not has_perm(user, "service.kader", person.posyandu_id):
        raise PermissionDenied("Anda tidak berwenang mencatat kunjungan rumah di posyandu ini.")

    errors: dict[str, list[str]] = {}
    today = local_today(_timezone_of(person))
    if on > today:
        errors.setdefault("date", []).append("Tanggal kunjungan tidak boleh di masa depan.")
    elif on < person.birth_date:
        errors.setdefault("date", []).append("Tanggal kunjungan sebelum tanggal lahir.")
    elif person.merged_into_id:
        errors.setdefault("date", []).append(
            "Data ini sudah digabung ke data lain; cari data yang dipakai.")
    elif not person.is_present_on(on):
        errors.setdefault("date", []).append(
            "Sasaran tercatat sudah pindah atau meninggal pada tanggal ini.")
    if task is not None and task.person_id != person.pk:
        errors.setdefault("task", []).append("Tugas ini untuk sasaran lain.")

    found_home = bool(data.get("found", True))
    topics = [str(t) for t in (data.get("topics") or [])]
    known = {t["code"] for t in table("counselling_topics", on)["topics"]}
    if unknown := [t for t in topics if t not in known]:
        errors.setdefault("topics", []).append(
            f"Topik tidak dikenal: {', '.join(unknown)}. Pilih dari daftar.")
    measures = {k: data.get(k) for k in MEASURE_KEYS}
    has_measure = any(not _blank(measures[k]) for k in NUMERIC_FIELDS if k in measures)
    exam = {k: data.get(form_key) for form_key, k in EXAM_FORM_KEYS.items()}
    has_exam = any(not _blank(v) for v in exam.values())
    if not found_home and (has_measure or has_exam or topics):
        errors.setdefault("found", []).append(
            "Sasaran tidak ditemui: jangan isi pengukuran, pemeriksaan atau penyuluhan.")
    is_bidan = has_perm(user, "service.bidan", person.posyandu_id)
    if has_exam and not is_bidan:
        errors.setdefault("exam_systolic", []).append(
            "Pemeriksaan tekanan darah, gula darah dan Hb dicatat oleh bidan.")
    refer_to = (data.get("refer_to") or "").strip()
    refer_note = " ".join(str(data.get("refer_note") or "").split())
    if refer_to not in HomeVisit.ReferTo.values:
        errors.setdefault("refer_to", []).append("Pilihan rujukan tidak dikenal.")
    elif refer_to == HomeVisit.ReferTo.PUSKESMAS and not is_bidan:
        errors.setdefault("refer_to", []).append(
            "Rujukan ke Puskesmas dibuat oleh bidan; pilih \"Rujuk ke bidan desa\".")
    if refer_to and len(refer_note) < 3:
        errors.setdefault("refer_note", []).append("Tulis alasan rujukan.")
    notes = (data.get("notes") or "").strip()
    if errors:
        raise ValidationError(errors)

    visit = Visit.objects.select_for_update().filter(person=person, date=on).first()
    if visit is not None and visit.kind != Visit.Kind.HOME:
        raise ValidationError({"date": (
            "Sasaran sudah tercatat datang ke hari buka posyandu pada tanggal ini; "
            "catat pengukurannya di halaman kunjungan hari buka.")})
    if visit is None:
        visit = Visit(
            posyandu_id=person.posyandu_id, person=person, service_day=None,
            kind=Visit.Kind.HOME, date=on, registered_by=user, step=Step.DONE,
            step_changed_at=timezone.now(),
        )
        visit._history_user = user
        visit.save()

    if has_measure:
        # Raises ValidationError / UnusualValues keyed by field: the whole visit rolls back.
        measurement_record(user=user, visit=visit, data=measures,
                           confirm_unusual=bool(data.get("confirm_unusual")))
    if has_exam:
        examination_record(user=user, visit=visit, data=exam)

    home = HomeVisit.objects.filter(visit=visit).first()
    created = home is None
    if created:
        home = HomeVisit(visit=visit, posyandu_id=person.posyandu_id, person=person, date=on,
                         client_id=client_id)
    if client_id:
        home.client_id = client_id  # a repeat of this save returns it
    home.found = found_home
    home.notes = notes
    home.topics = sorted(set(topics))
    home.made_by = user
    if task is not None:
        home.task = task
    if refer_to == HomeVisit.ReferTo.PUSKESMAS and home.referral_id is None:
        home.referral = referral_create(
            user=user, visit_or_person=visit, reason=refer_note,
            flags=_task_flags(task), notes="Dari kunjungan rumah.",
        )
    home.refer_to, home.refer_note = refer_to, refer_note if refer_to else ""
    home._history_user = user
    home.save()

    if task is not None and found_home and task.status == FollowUpTask.Status.OPEN:
        task_mark_done_by_visit(
            user=user, task=task,
            note=f"Kunjungan rumah {on:%d-%m-%Y}",
        )
    return home, created


def _timezone_of(person: Person) -> str:
    from posyandu.models import Posyandu

    return Posyandu.objects.filter(pk=person.posyandu_id).values_list(
        "timezone", flat=True).first() or "Asia/Jakarta"


def _task_flags(task: FollowUpTask | None) -> list[str]:
    if task is None:
        return []
    return [str(f) for f in (task.details or {}).get("findings", [])]
