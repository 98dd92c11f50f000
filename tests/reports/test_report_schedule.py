# ruff: noqa: F811 - pytest fixtures imported from tests.reports.pdf_support
"""The monthly beat task: last month's Puskesmas reports, once."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings

from reports.models import Report, Status
from reports.services import schedule_monthly_reports
from tests.reports.pdf_support import fast_pdf, jobs  # noqa: F401

pytestmark = pytest.mark.django_db


def test_beat_schedule_names_the_registered_task():
    from posyandu.celery import app

    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["monthly-reports"]
    assert entry["task"] == "reports.schedule_monthly_reports"
    assert entry["task"] in app.tasks
    assert "reports.generate_report" in app.tasks
    assert app.tasks["reports.generate_report"].acks_late is True
    schedule = entry["schedule"]  # the first morning of the month
    assert schedule.day_of_month == {1} and schedule.hour == {5}


def test_schedule_requests_last_months_reports_of_every_active_puskesmas_once(
    world, jobs, django_capture_on_commit_callbacks
):
    world.b1.is_active = False  # Puskesmas B has no active posyandu left
    world.b1.save()
    with django_capture_on_commit_callbacks(execute=True):
        rows = schedule_monthly_reports(today=date(2026, 11, 1))
    got = {(r.puskesmas_id, r.kind) for r in rows}
    assert got == {(p.pk, k) for p in (world.pkm_a, world.pkm_c) for k in ("skdn", "sip", "ilp")}
    assert all(r.month == date(2026, 10, 1) and r.level == "puskesmas" for r in rows)
    assert all(r.requested_by is None and r.status == Status.QUEUED for r in rows)
    assert sorted(jobs) == sorted(r.pk for r in rows)
    # Beat may fire twice (a restart on the 1st): nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        again = schedule_monthly_reports(today=date(2026, 11, 1))
    assert {r.pk for r in again} == {r.pk for r in rows}
    assert Report.objects.count() == 6 and len(jobs) == 6
    # January takes December of the year before.
    with django_capture_on_commit_callbacks(execute=True):
        january = schedule_monthly_reports(today=date(2027, 1, 1))
    assert {r.month for r in january} == {date(2026, 12, 1)}


def test_the_task_runs_the_reports_in_process_when_eager(
    world, fast_pdf, django_capture_on_commit_callbacks
):
    """The embedded default (no broker): the beat task's jobs run at once, and
    the Puskesmas staff see the reports on their page."""
    from reports.tasks import schedule_monthly_reports as task

    with django_capture_on_commit_callbacks(execute=True):
        count = task()
    assert count == 9  # 3 Puskesmas x 3 kinds
    assert set(Report.objects.values_list("status", flat=True)) == {Status.READY}
    assert len(fast_pdf) == 9
