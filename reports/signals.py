"""Mark report months out of date when the data behind them changes.

Receivers on the ILP models note which months of which posyandu a save or
delete touches; the notes of a transaction are written once, after it commits,
as ``DataChange`` upserts (one row per posyandu and month range, its
``changed_at`` bumped). Writing after the commit keeps the service-day saves
free of an extra row lock that every kader of a posyandu would queue on.

What a change touches:
- a measurement in month m: m, m+1 (next month's N/T/O/B) and m+2 (its 2T);
- a visit, examination, immunisation, supplement, ANC check, screening,
  counselling or referral: its month;
- a pregnancy: from its HPHT month on (ibu hamil/nifas sasaran);
- a person (registered, birth date, sex, KIA book, moved, died, merged, moved
  to another posyandu): from the first affected month on, in the old and the
  new posyandu.

``ilp.services.measurements.measurements_recompute`` writes derived fields
with a raw UPDATE (no signals). Every caller saves a row that does send a
signal first: ``measurement_record`` and ``measurement_trend_override`` save
the measurement of that month (and the recompute changes only that month and
later ones, which m..m+2 and the person's later saves cover: a weight change
in month m changes N/T in m+1 and 2T in m+2 only), and ``person_merge`` saves
the removed person (handled below: both posyandu, every month from birth).
The demo generator writes with ``bulk_create`` (no signals) on purpose.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from posyandu.months import add_months

logger = logging.getLogger(__name__)

# Visit saves that only move the person through the five steps change no figure.
_STEP_ONLY = frozenset({"step", "step_changed_at", "updated_at"})
# Person fields that any report figure reads.
PERSON_FIELDS = ("posyandu_id", "sex", "birth_date", "has_buku_kia", "moved_on", "died_on",
                 "merged_into_id")


def first_of_month(day: date | datetime | str) -> date:
    if isinstance(day, str):  # a model saved with an ISO string before a refresh
        day = date.fromisoformat(day[:10])
    if isinstance(day, datetime):
        day = timezone.localdate(day) if timezone.is_aware(day) else day.date()
    return day.replace(day=1)


class _Flush:
    """The after-commit callback of one transaction, holding its notes. Kept
    in the connection's on-commit list, so a rolled-back transaction (or
    savepoint) drops it together with its notes."""

    def __init__(self):
        self.keys: set[tuple[int, date, date]] = set()

    def __call__(self):
        write_changes(self.keys)


def note_change(posyandu_id: int | None, month_from: date, month_to: date | None = None) -> None:
    """Record that months ``month_from``..``month_to`` (None: every later month)
    of a posyandu changed. Written once, after the current transaction commits."""
    from reports.models import OPEN_END

    if posyandu_id is None or month_from is None:
        return
    key = (int(posyandu_id), first_of_month(month_from),
           OPEN_END if month_to is None else first_of_month(month_to))
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        write_changes({key})
        return
    # Reuse this savepoint level's callback: a savepoint rolled back drops the
    # callbacks registered inside it, and with them exactly its own notes.
    level = set(conn.savepoint_ids)
    for sids, func, _robust in conn.run_on_commit:
        if isinstance(func, _Flush) and sids == level:
            func.keys.add(key)
            return
    flush = _Flush()
    flush.keys.add(key)
    transaction.on_commit(flush, robust=True)


def write_changes(keys) -> int:
    """Upsert DataChange rows for ``keys`` (posyandu id, month from, month to)."""
    from reports.models import DataChange

    if not keys:
        return 0
    now = timezone.now()
    rows = [DataChange(posyandu_id=p, month_from=f, month_to=t, changed_at=now)
            for p, f, t in sorted(keys)]  # one lock order for concurrent upserts
    try:
        DataChange.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["posyandu", "month_from", "month_to"],
            update_fields=["changed_at"],
        )
    except Exception:  # never fail an edit that was already committed
        logger.exception("reports: could not record %d data changes", len(rows))
        return 0
    return len(rows)


# --------------------------------------------------------------------------- receivers

def _measurement(sender, instance, **kwargs):
    month = first_of_month(instance.measured_on)
    note_change(instance.posyandu_id, month, add_months(month, 2))


def _visit_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= _STEP_ONLY:
        return
    note_change(instance.posyandu_id, instance.date, instance.date)


def _visit_deleted(sender, instance, **kwargs):
    note_change(instance.posyandu_id, instance.date, instance.date)


def _visit_date(instance) -> date | None:
    from ilp.models import Visit

    if instance.visit_id is None:
        return None
    cached = instance._state.fields_cache.get("visit")
    if cached is not None:
        return cached.date
    return Visit.objects.filter(pk=instance.visit_id).values_list("date", flat=True).first()


def _visit_row(sender, instance, **kwargs):
    """Examination, ANC check, screening, counselling: the month of their visit."""
    day = _visit_date(instance)
    if day is not None:
        note_change(instance.posyandu_id, day, day)


def _given_on(sender, instance, **kwargs):
    """Immunisation, supplement."""
    note_change(instance.posyandu_id, instance.given_on, instance.given_on)


def _referral(sender, instance, **kwargs):
    day = _visit_date(instance) or timezone.localdate(instance.created_at or timezone.now())
    note_change(instance.posyandu_id, day, day)


def _pregnancy(sender, instance, **kwargs):
    from ilp.models import Person

    posyandu_id = Person.objects.filter(pk=instance.person_id).values_list(
        "posyandu_id", flat=True
    ).first()
    note_change(posyandu_id, instance.hpht, None)


def _person_pre_save(sender, instance, **kwargs):
    from ilp.models import Person

    old = None
    if instance.pk is not None:
        old = Person.objects.filter(pk=instance.pk).values(*PERSON_FIELDS).first()
    instance._report_old = old


def _person_saved(sender, instance, created=False, **kwargs):
    old = instance.__dict__.pop("_report_old", None)
    new = {f: _as_date(getattr(instance, f)) if f in _DATE_FIELDS else getattr(instance, f)
           for f in PERSON_FIELDS}
    if old is not None and not created:
        changed = {f for f in PERSON_FIELDS if old[f] != new[f]}
        if not changed:
            return
    else:
        old, changed = None, set(PERSON_FIELDS)
    if changed <= {"moved_on", "died_on"}:
        dates = [d for f in changed for d in (old[f], new[f]) if d is not None]
        start = min(dates)
    else:
        start = min(d for d in (new["birth_date"], old and old["birth_date"]) if d is not None)
    posyandu_ids = {new["posyandu_id"]}
    if old is not None:
        posyandu_ids.add(old["posyandu_id"])
    if new["merged_into_id"] and "merged_into_id" in changed:
        posyandu_ids |= _merge_posyandu(new["merged_into_id"])
    for pk in posyandu_ids:
        note_change(pk, start, None)


_DATE_FIELDS = ("birth_date", "moved_on", "died_on")


def _as_date(value):
    """A model field set to an ISO string (not yet refreshed from the database)."""
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _merge_posyandu(keep_id: int) -> set[int]:
    """A merge moves visits and measurements to the kept person with a raw
    UPDATE and recomputes their N/T: every posyandu of the kept person's rows."""
    from ilp.models import Person, Visit

    ids = set(Visit.objects.filter(person_id=keep_id).values_list("posyandu_id", flat=True)
              .distinct())
    ids |= set(Person.objects.filter(pk=keep_id).values_list("posyandu_id", flat=True))
    return ids


def _person_deleted(sender, instance, **kwargs):
    note_change(instance.posyandu_id, instance.birth_date, None)


def _report_deleted(sender, instance, **kwargs):
    """A deleted report takes its PDF with it (after the commit)."""
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))


def connect() -> None:
    from ilp import models as m
    from reports.models import Report

    uid = "reports.signals"
    post_save.connect(_measurement, sender=m.Measurement, dispatch_uid=f"{uid}.measurement.s")
    post_delete.connect(_measurement, sender=m.Measurement, dispatch_uid=f"{uid}.measurement.d")
    post_save.connect(_visit_saved, sender=m.Visit, dispatch_uid=f"{uid}.visit.s")
    post_delete.connect(_visit_deleted, sender=m.Visit, dispatch_uid=f"{uid}.visit.d")
    for model in (m.Examination, m.AncCheck, m.Screening, m.Counselling):
        name = model.__name__.lower()
        post_save.connect(_visit_row, sender=model, dispatch_uid=f"{uid}.{name}.s")
        post_delete.connect(_visit_row, sender=model, dispatch_uid=f"{uid}.{name}.d")
    for model in (m.Immunisation, m.Supplement):
        name = model.__name__.lower()
        post_save.connect(_given_on, sender=model, dispatch_uid=f"{uid}.{name}.s")
        post_delete.connect(_given_on, sender=model, dispatch_uid=f"{uid}.{name}.d")
    post_save.connect(_referral, sender=m.Referral, dispatch_uid=f"{uid}.referral.s")
    post_delete.connect(_referral, sender=m.Referral, dispatch_uid=f"{uid}.referral.d")
    post_save.connect(_pregnancy, sender=m.Pregnancy, dispatch_uid=f"{uid}.pregnancy.s")
    post_delete.connect(_pregnancy, sender=m.Pregnancy, dispatch_uid=f"{uid}.pregnancy.d")
    pre_save.connect(_person_pre_save, sender=m.Person, dispatch_uid=f"{uid}.person.pre")
    post_save.connect(_person_saved, sender=m.Person, dispatch_uid=f"{uid}.person.s")
    post_delete.connect(_person_deleted, sender=m.Person, dispatch_uid=f"{uid}.person.d")
    post_delete.connect(_report_deleted, sender=Report, dispatch_uid=f"{uid}.report.d")
