"""Demo data for the follow-up feature: run the rules over the demo area (so
"Tugas saya" is filled), and answer one home-visit task per posyandu with a
weighing at home, so the page, the task history and the month's D show it.

Run after ``seed_demo_team`` (kader profiles and their RT/RW areas), so the
tasks are assigned to the kader of each address. Idempotent: the rules never
create a task twice, and the home visit is only recorded where none exists."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from ilp.models import Measurement, ServiceDay
from kader.models.tasks import FollowUpTask, HomeVisit
from kader.services.home_visit import home_visit_record
from kader.services.tasks import SyncResult, followup_sync, followup_sync_all, local_today
from posyandu.models import Membership, Role

log = logging.getLogger(__name__)


def seed_demo_tasks(posyandu_ids) -> SyncResult:
    """The follow-up rules over ``posyandu_ids``, and one home visit each.
    Returns what the rules did.

    The demo history was not lived through by the nightly run, so the night
    after each posyandu's last service day is replayed first (that run makes
    the "did not come" tasks); then the rules run for today."""
    ids = [int(i) for i in posyandu_ids]
    result = SyncResult()
    for posyandu_id, last in _last_held_days(ids).items():
        result += followup_sync([posyandu_id], last + timedelta(days=1), rules=["tidak_datang"])
    result += followup_sync_all(posyandu_ids=ids)
    for posyandu_id in ids:
        _one_home_visit(posyandu_id)
    return result


def _last_held_days(ids: list[int]) -> dict[int, date]:
    last: dict[int, date] = {}
    for posyandu_id, on in (ServiceDay.objects.filter(
            posyandu_id__in=ids, status=ServiceDay.Status.CLOSED)
            .order_by("posyandu_id", "-date").values_list("posyandu_id", "date")):
        last.setdefault(posyandu_id, on)
    return last


def _one_home_visit(posyandu_id: int) -> None:
    if HomeVisit.objects.filter(posyandu_id=posyandu_id).exists():
        return
    task = (FollowUpTask.objects.filter(posyandu_id=posyandu_id, rule="tidak_datang",
                                        status=FollowUpTask.Status.OPEN)
            .select_related("person", "posyandu").order_by("due_on", "pk").first())
    if task is None:
        return
    user = task.assigned_to or next(
        (m.user for m in Membership.objects.filter(
            posyandu_id=posyandu_id, role=Role.KADER, is_active=True)
         .select_related("user").order_by("user_id")), None)
    if user is None:
        return
    last = (Measurement.objects.filter(person=task.person, weight_kg__isnull=False)
            .order_by("-measured_on").first())
    data = {"notes": "Anak sehat, ibu lupa jadwal posyandu.", "topics": ["phbs"]}
    if last is not None and last.age_months is not None and last.age_months < 60:
        data["weight_kg"] = str(last.weight_kg + Decimal("0.2"))
        data["confirm_unusual"] = True
    try:
        home_visit_record(user=user, person=task.person, task=task, data=data,
                          on=local_today(task.posyandu.timezone))
    except (ValidationError, PermissionDenied) as exc:  # demo only: leave the task open
        log.info("demo home visit skipped for %s: %s", task.person, exc)
