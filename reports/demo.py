"""Demo data hook: last month's reports of the demo Puskesmas.

With no broker (the embedded default) Celery runs the tasks in-process, so the
PDFs exist when this returns."""

from __future__ import annotations

from reports.models import Report
from reports.services import schedule_monthly_reports


def seed_demo_reports() -> list[Report]:
    """Request last month's reports (every kind) of every Puskesmas with an
    active posyandu; idempotent. Returns the rows, re-read after the jobs."""
    rows = schedule_monthly_reports()
    return list(Report.objects.filter(pk__in=[r.pk for r in rows]))
