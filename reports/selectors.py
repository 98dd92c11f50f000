"""Reads over generated reports, scoped through ``reports.areas``."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from reports.areas import areas_for_user
from reports.models import Report, Status


def reports_for_user(user):
    """The reports of every area the user may report on (fail-closed: a user
    with no area gets none). Annotated with ``is_stale_db``."""
    areas = areas_for_user(user)
    if not areas:
        return Report.objects.none()
    by_level: dict[str, list[int]] = {"posyandu": [], "puskesmas": [], "kabupaten": []}
    for area in areas:
        by_level[area.level].append(area.obj.pk)
    q = Q()
    for level, ids in by_level.items():
        if ids:
            q |= Q(level=level, **{f"{level}_id__in": ids})
    return (
        Report.objects.filter(q).with_stale()
        .select_related("posyandu__desa", "puskesmas", "kabupaten", "requested_by")
    )


def report_for_user_or_404(user, uuid) -> Report:
    try:
        return reports_for_user(user).get(uuid=uuid)
    except (Report.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None


def running_limit() -> timedelta:
    """After this long "running" means the worker died (the task time limit
    has killed it by then at the latest)."""
    return timedelta(seconds=int(getattr(settings, "CELERY_TASK_TIME_LIMIT", 300) or 300) + 30)


def is_stuck(report: Report, now=None) -> bool:
    now = now or timezone.now()
    return (
        report.status == Status.RUNNING
        and report.started_at is not None
        and now - report.started_at > running_limit()
    )


def is_stale(report: Report) -> bool:
    """A ready report whose month changed in one of its posyandu since its data
    was read. Uses the ``is_stale_db`` annotation when present."""
    if report.status != Status.READY or report.data_as_of is None:
        return False
    flag = getattr(report, "is_stale_db", None)
    if flag is None:
        flag = Report.objects.filter(pk=report.pk).with_stale().values_list(
            "is_stale_db", flat=True
        ).first()
    return bool(flag)


def display_status(report: Report) -> str:
    """queued/running/ready/failed, with a dead "running" shown as failed."""
    return Status.FAILED if is_stuck(report) else report.status
