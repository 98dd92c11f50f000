"""Follow-up task services: the rule run (``followup_sync``), and what a kader
does with a task by hand (done, cancelled with a reason).

``followup_sync`` is idempotent and safe to run concurrently: a task is
created with an INSERT that ignores conflicts on the two unique constraints
(rule + person + period; one open task per rule + person), and tasks are
closed or refreshed only under a row lock while still open, so a kader's
"Selesai"/"Batalkan" is never overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from ilp.lifecycle import completed_months
from ilp.models import Person
from kader.models.tasks import FollowUpTask
from kader.rules import Context, Rule, load_rules
from kader.selectors.area import AreaMap
from posyandu.models import Posyandu
from posyandu.scoping import has_perm

OPEN = FollowUpTask.Status.OPEN


@dataclass
class SyncResult:
    created: int = 0
    closed: int = 0
    updated: int = 0

    def __iadd__(self, other: SyncResult) -> SyncResult:
        self.created += other.created
        self.closed += other.closed
        self.updated += other.updated
        return self


def local_today(tz_name: str | None) -> date:
    return timezone.localtime(timezone.now(), ZoneInfo(tz_name or "Asia/Jakarta")).date()


def _assignee(area: AreaMap, posyandu_id: int, rw: str, rt: str) -> int | None:
    rw = rw.zfill(3) if rw else ""
    rt = rt.zfill(3) if rt else ""
    return area.kader_for(posyandu_id, rw, rt)


def followup_sync(
    posyandu_ids: Iterable[int], on: date, *, person_ids: Iterable[int] | None = None,
    rules: Iterable[str] | None = None, close_only: bool = False,
) -> SyncResult:
    """Run the follow-up rules valid on ``on`` over the people living in
    ``posyandu_ids`` (or only ``person_ids``): create the tasks that are
    missing, refresh the reason of open ones, and close (done, automatically)
    the open tasks whose condition no longer holds. ``rules`` limits the run
    to some rule codes; ``close_only`` only closes (for saves that can only
    resolve a condition, e.g. a visit or a vaccine given)."""
    posyandu_ids = tuple(sorted({int(i) for i in posyandu_ids}))
    persons = None if person_ids is None else tuple(sorted({int(i) for i in person_ids}))
    active = load_rules(on, rules)
    if not active or (not posyandu_ids and not persons):
        return SyncResult()
    ctx = Context(posyandu_ids=posyandu_ids, on=on, person_ids=persons)

    open_qs = FollowUpTask.objects.filter(status=OPEN, rule__in=[r.code for r in active])
    open_qs = open_qs.filter(person_id__in=persons) if persons is not None else open_qs.filter(
        posyandu_id__in=posyandu_ids)
    open_tasks = list(open_qs.only("pk", "rule", "person_id", "posyandu_id", "period",
                                   "anchor_on", "details", "reason", "assigned_to_id"))
    if close_only and not open_tasks:
        return SyncResult()
    by_rule: dict[str, list[FollowUpTask]] = {}
    for t in open_tasks:
        by_rule.setdefault(t.rule, []).append(t)

    result = SyncResult()
    area: AreaMap | None = None
    to_close: dict[int, Rule] = {}
    to_refresh: dict[int, object] = {}
    new: list[FollowUpTask] = []
    for rule in active:
        tasks = by_rule.get(rule.code, [])
        holding = rule.holding(ctx, tasks)
        candidates = {} if close_only else rule.candidates(ctx)
        for t in tasks:
            if t.pk not in holding:
                to_close[t.pk] = rule
            elif (c := candidates.get(t.person_id)) is not None and (
                    c.reason != t.reason or c.details != t.details):
                to_refresh[t.pk] = c
        has_open = {t.person_id for t in tasks if t.pk not in to_close}
        for person_id, c in candidates.items():
            if person_id in has_open:
                continue
            if area is None:
                area = AreaMap(sorted({c.posyandu_id for c in candidates.values()}
                                      | set(posyandu_ids)))
            new.append(FollowUpTask(
                posyandu_id=c.posyandu_id, person_id=person_id, rule=rule.code, period=c.period,
                action=rule.action, reason=c.reason, details=c.details, anchor_on=c.anchor_on,
                due_on=c.due_on, assigned_to_id=_assignee(area, c.posyandu_id, c.rw, c.rt),
            ))

    if not (to_close or to_refresh or new):
        return result
    with transaction.atomic():
        if to_close:
            result.closed = _close_automatically(to_close)
        if to_refresh:
            result.updated = _refresh(to_refresh)
        if new:
            result.created = _create(new)
    return result


def _create(tasks: list[FollowUpTask]) -> int:
    """INSERT ... ON CONFLICT DO NOTHING; history rows for the rows inserted."""
    FollowUpTask.objects.bulk_create(tasks, ignore_conflicts=True, batch_size=500)
    inserted = list(FollowUpTask.objects.filter(uuid__in=[t.uuid for t in tasks]))
    if inserted:
        FollowUpTask.history.bulk_history_create(
            inserted, default_change_reason="Dibuat oleh aturan tindak lanjut")
    return len(inserted)


def _close_automatically(rules_by_task: dict[int, Rule]) -> int:
    locked = list(FollowUpTask.objects.select_for_update()
                  .filter(pk__in=list(rules_by_task), status=OPEN).order_by("pk"))
    now = timezone.now()
    for t in locked:
        rule = rules_by_task[t.pk]
        t.status = FollowUpTask.Status.DONE
        t.done_at, t.done_by = now, None
        t.closed_automatically = True
        t.close_note = (f"Ditutup otomatis: {rule.closes_when}" if rule.closes_when
                        else "Ditutup otomatis: kondisi tidak berlaku lagi")[:300]
    if locked:
        bulk_update_with_history(
            locked, FollowUpTask,
            ["status", "done_at", "done_by", "closed_automatically", "close_note", "updated_at"],
            default_change_reason="Ditutup otomatis oleh aturan",
        )
    return len(locked)


def _refresh(candidates_by_task: dict[int, object]) -> int:
    locked = list(FollowUpTask.objects.select_for_update()
                  .filter(pk__in=list(candidates_by_task), status=OPEN).order_by("pk"))
    for t in locked:
        c = candidates_by_task[t.pk]
        t.reason, t.details = c.reason, c.details
    if locked:
        bulk_update_with_history(locked, FollowUpTask, ["reason", "details", "updated_at"],
                                 default_change_reason="Rincian diperbarui oleh aturan")
    return len(locked)


def followup_sync_all(*, posyandu_ids: Iterable[int] | None = None, batch: int = 200) -> SyncResult:
    """The nightly run: every active posyandu (or the ones given), each on its
    own local date, in batches."""
    qs = Posyandu.objects.filter(is_active=True)
    if posyandu_ids is not None:
        qs = qs.filter(pk__in=list(posyandu_ids))
    by_zone: dict[str, list[int]] = {}
    for pk, tz in qs.order_by("pk").values_list("pk", "timezone"):
        by_zone.setdefault(tz, []).append(pk)
    result = SyncResult()
    for tz, ids in by_zone.items():
        on = local_today(tz)
        for i in range(0, len(ids), batch):
            result += followup_sync(ids[i:i + batch], on)
    return result


def followup_sync_person(
    person_id: int, *, rules: Iterable[str] | None = None, close_only: bool = False
) -> SyncResult:
    """The rules for one person after a save. Rules that cannot apply to the
    person's age and sex are skipped unless they have an open task to check."""
    person = (Person.objects.filter(pk=person_id).select_related("posyandu")
              .only("pk", "sex", "birth_date", "posyandu_id", "posyandu__timezone").first())
    if person is None:
        return SyncResult()
    on = local_today(person.posyandu.timezone)
    codes = None if rules is None else set(rules)
    if close_only:
        return followup_sync([person.posyandu_id], on, person_ids=[person_id], rules=codes,
                             close_only=True)
    age = completed_months(person.birth_date, on) if person.birth_date <= on else -1
    with_open = set(FollowUpTask.objects.filter(person_id=person_id, status=OPEN)
                    .values_list("rule", flat=True))
    wanted = [
        r.code for r in load_rules(on, codes)
        if r.code in with_open or (age >= 0 and r.applies_to(age_months=age, sex=person.sex))
    ]
    if not wanted:
        return SyncResult()
    return followup_sync([person.posyandu_id], on, person_ids=[person_id], rules=wanted)


# --------------------------------------------------------------------------
# by hand


def _require(user, task: FollowUpTask) -> None:
    if not has_perm(user, "service.kader", task.posyandu_id):
        raise PermissionDenied("Anda tidak berwenang mengubah tugas posyandu ini.")


def _lock_open(task: FollowUpTask) -> FollowUpTask:
    locked = FollowUpTask.objects.select_for_update().get(pk=task.pk)
    if locked.status != OPEN:
        raise ValidationError(
            f"Tugas ini sudah berstatus \"{locked.get_status_display().lower()}\"."
        )
    return locked


@transaction.atomic
def task_complete(*, user, task: FollowUpTask, note: str = "") -> FollowUpTask:
    """A kader (or the bidan) of the posyandu marks the task done."""
    _require(user, task)
    task = _lock_open(task)
    task.status = FollowUpTask.Status.DONE
    task.done_at, task.done_by = timezone.now(), user
    task.closed_automatically = False
    task.close_note = " ".join((note or "").split())[:300]
    task._history_user = user
    task.save(update_fields=["status", "done_at", "done_by", "closed_automatically",
                             "close_note", "updated_at"])
    return task


@transaction.atomic
def task_cancel(*, user, task: FollowUpTask, reason: str) -> FollowUpTask:
    """Cancel an open task; the reason is required (e.g. "pindah ke luar desa")."""
    _require(user, task)
    reason = " ".join((reason or "").split())
    if len(reason) < 3:
        raise ValidationError({"reason": "Tulis alasan pembatalan tugas."})
    if len(reason) > 300:
        raise ValidationError({"reason": "Alasan paling banyak 300 huruf."})
    task = _lock_open(task)
    task.status = FollowUpTask.Status.CANCELLED
    task.cancelled_at, task.cancelled_by, task.cancel_reason = timezone.now(), user, reason
    task._history_user = user
    task._change_reason = reason[:100]
    task.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason",
                             "updated_at"])
    return task


def task_mark_done_by_visit(*, user, task: FollowUpTask, note: str) -> FollowUpTask | None:
    """Inside a home-visit save: close the task it answers (if still open)."""
    locked = FollowUpTask.objects.select_for_update().get(pk=task.pk)
    if locked.status != OPEN:
        return None
    locked.status = FollowUpTask.Status.DONE
    locked.done_at, locked.done_by = timezone.now(), user
    locked.closed_automatically = False
    locked.close_note = note[:300]
    locked._history_user = user
    locked.save(update_fields=["status", "done_at", "done_by", "closed_automatically",
                               "close_note", "updated_at"])
    return locked

