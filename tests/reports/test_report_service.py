# ruff: noqa: F811 - pytest fixtures imported from tests.reports.pdf_support
"""report_request / report_generate: one row and one job per report, retries,
a dead worker, and scoping of the report list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from reports.models import Report, Status
from reports.selectors import display_status, reports_for_user
from reports.services import report_generate, report_request
from tests.reports.pdf_support import FAKE_PDF, fast_pdf, jobs, ready_report  # noqa: F401

pytestmark = pytest.mark.django_db

SEP = date(2026, 9, 1)


def _ask(user, posyandu, month=SEP, kind="skdn", level="posyandu"):
    return report_request(user=user, level=level, area_id=posyandu.pk, month=month, kind=kind)


def test_repeated_request_returns_the_same_row_and_starts_one_job(
    world, jobs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _ask(world.kader_a1, world.a1)
    with django_capture_on_commit_callbacks(execute=True):
        again = _ask(world.kader_a1, world.a1)
        third = _ask(world.bidan_a, world.a1)
    assert first.pk == again.pk == third.pk
    assert Report.objects.count() == 1
    assert jobs == [first.pk]
    assert first.status == Status.QUEUED and first.requested_by == world.kader_a1
    # A different kind or month is a different report.
    with django_capture_on_commit_callbacks(execute=True):
        other = _ask(world.kader_a1, world.a1, kind="ilp")
    assert other.pk != first.pk and jobs == [first.pk, other.pk]


def test_month_and_day_are_normalised_and_future_months_refused(world, jobs):
    report = _ask(world.kader_a1, world.a1, month=date(2026, 9, 17))
    assert report.month == SEP
    future = timezone.localdate().replace(day=1) + timedelta(days=40)
    with pytest.raises(ValidationError) as exc:
        _ask(world.kader_a1, world.a1, month=future)
    assert "bulan ini atau bulan yang lalu" in str(exc.value)
    with pytest.raises(ValidationError):
        _ask(world.kader_a1, world.a1, kind="rahasia")


def test_areas_outside_the_users_scope_are_404(world, jobs):
    with pytest.raises(Http404):
        _ask(world.kader_a2, world.a1)
    with pytest.raises(Http404):  # a kader cannot ask for the whole Puskesmas
        report_request(user=world.kader_a1, level="puskesmas", area_id=world.pkm_a.pk,
                       month=SEP, kind="skdn")
    with pytest.raises(Http404):
        report_request(user=world.staff_b, level="puskesmas", area_id=world.pkm_a.pk,
                       month=SEP, kind="skdn")
    assert Report.objects.count() == 0
    ok = report_request(user=world.staff_a, level="puskesmas", area_id=world.pkm_a.pk,
                        month=SEP, kind="sip")
    assert ok.level == "puskesmas" and ok.puskesmas == world.pkm_a and ok.posyandu is None


def test_generate_makes_the_file_and_a_redelivery_does_nothing(
    world, jobs, fast_pdf, django_capture_on_commit_callbacks
):
    report = _ask(world.kader_a1, world.a1)
    done = report_generate(report.pk)
    assert done.status == Status.READY and done.attempts == 1
    assert done.pages == 1 and done.size == len(FAKE_PDF)
    assert done.file.read() == FAKE_PDF
    assert done.data_as_of >= done.started_at and done.finished_at >= done.started_at
    # The same message delivered again (acks_late): nothing is redone.
    assert report_generate(report.pk) is None
    report.refresh_from_db()
    assert report.attempts == 1 and fast_pdf == [report.pk]
    # Asking for a ready, up-to-date report starts nothing either.
    with django_capture_on_commit_callbacks(execute=True):
        again = _ask(world.bidan_a, world.a1)
    assert again.pk == report.pk and again.status == Status.READY and jobs == []


def test_failure_is_shown_in_indonesian_and_can_be_retried(
    world, jobs, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    from reports import services

    def broken(report):
        raise RuntimeError("kolom xyz tidak ada (detail teknis)")

    monkeypatch.setattr(services, "_produce", broken)
    report = _ask(world.kader_a1, world.a1)
    failed = report_generate(report.pk)
    assert failed.status == Status.FAILED
    assert "gagal dibuat" in failed.error and "Coba lagi" in failed.error
    assert "xyz" not in failed.error and "Traceback" not in failed.error
    assert "kolom xyz" in caplog.text  # the technical detail goes to the log only

    with django_capture_on_commit_callbacks(execute=True):
        retried = _ask(world.kader_a1, world.a1)
    assert retried.pk == report.pk and retried.status == Status.QUEUED and retried.error == ""
    assert jobs == [report.pk]
    monkeypatch.setattr(services, "_produce", lambda r: (FAKE_PDF, 1))
    done = report_generate(report.pk)
    assert done.status == Status.READY and done.attempts == 2


def test_running_too_long_means_the_worker_died_and_is_retryable(
    world, jobs, fast_pdf, settings, django_capture_on_commit_callbacks
):
    report = _ask(world.kader_a1, world.a1)
    limit = settings.CELERY_TASK_TIME_LIMIT
    # Running for a minute: another worker is on it; no second job, a redelivery skips.
    Report.objects.filter(pk=report.pk).update(
        status=Status.RUNNING, started_at=timezone.now() - timedelta(seconds=60)
    )
    with django_capture_on_commit_callbacks(execute=True):
        same = _ask(world.kader_a1, world.a1)
    assert same.status == Status.RUNNING and jobs == []
    assert report_generate(report.pk) is None
    # Running for longer than the task time limit: the worker was killed.
    Report.objects.filter(pk=report.pk).update(
        started_at=timezone.now() - timedelta(seconds=limit + 60)
    )
    report.refresh_from_db()
    assert display_status(report) == Status.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        requeued = _ask(world.kader_a1, world.a1)
    assert requeued.status == Status.QUEUED and jobs == [report.pk]
    # A redelivered message of the killed run may also take it over directly.
    Report.objects.filter(pk=report.pk).update(
        status=Status.RUNNING, started_at=timezone.now() - timedelta(seconds=limit + 60)
    )
    done = report_generate(report.pk)
    assert done.status == Status.READY


def test_a_queued_report_whose_message_was_lost_is_sent_again(
    world, jobs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = _ask(world.kader_a1, world.a1)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(world.kader_a1, world.a1)
    assert jobs == [report.pk]
    Report.objects.filter(pk=report.pk).update(requested_at=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        _ask(world.kader_a1, world.a1)
    assert jobs == [report.pk, report.pk]


def test_reports_for_user_is_scoped_by_area(world):
    a1 = ready_report(world.a1)
    b1 = ready_report(world.b1)
    pkm_a = Report.objects.create(
        level="puskesmas", puskesmas=world.pkm_a, month=SEP, kind="skdn",
        requested_at=timezone.now(),
    )
    kab = Report.objects.create(
        level="kabupaten", kabupaten=world.kab1, month=SEP, kind="skdn",
        requested_at=timezone.now(),
    )

    def seen(user):
        return set(reports_for_user(user).values_list("pk", flat=True))

    assert seen(world.kader_a1) == {a1.pk}
    assert seen(world.kader_a2) == set()
    assert seen(world.bidan_a) == {a1.pk, pkm_a.pk}  # she covers every posyandu of A
    assert seen(world.staff_a) == {a1.pk, pkm_a.pk}
    assert seen(world.staff_b) == {b1.pk}
    assert seen(world.dinkes_1) == {a1.pk, b1.pk, pkm_a.pk, kab.pk}
    assert seen(world.outsider) == set()


def test_concurrent_creation_falls_back_to_the_existing_row(world, jobs, monkeypatch):
    """Two requests that both found no row: the second insert hits the unique
    constraint and returns the first one's row."""
    from reports import services

    first = _ask(world.kader_a1, world.a1)
    real = Report.objects.select_for_update

    class Blind:
        """select_for_update().filter(...).first() misses once, as if the other
        request had not committed yet."""

        def __init__(self):
            self.calls = 0

        def __call__(self, *a, **k):
            qs = real(*a, **k)
            self.calls += 1
            if self.calls == 1:
                return qs.none()
            return qs

    monkeypatch.setattr(services.Report.objects, "select_for_update", Blind())
    second = _ask(world.kader_a1, world.a1)
    assert second.pk == first.pk and Report.objects.count() == 1


def test_deleting_a_report_removes_its_file(world, django_capture_on_commit_callbacks):
    report = ready_report(world.a1)
    storage, name = report.file.storage, report.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        report.delete()
    assert not storage.exists(name)
