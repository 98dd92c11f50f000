"""Shared pieces of the report-PDF tests (H2): a job recorder instead of Celery,
a fast stand-in for the PDF rendering, and a ready report with a file."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from reports.models import Report, Status

FAKE_PDF = b"%PDF-1.4\n% fake report for tests\n"


class Jobs(list):
    """The report ids sent to generate_report.delay, in order."""


@pytest.fixture
def jobs(monkeypatch):
    sent = Jobs()
    from reports import tasks

    monkeypatch.setattr(tasks.generate_report, "delay", lambda pk: sent.append(pk))
    return sent


@pytest.fixture
def fast_pdf(monkeypatch):
    """Skip figures and WeasyPrint: every generation yields FAKE_PDF, 1 page."""
    from reports import services

    calls = []

    def produce(report):
        calls.append(report.pk)
        return FAKE_PDF, 1

    monkeypatch.setattr(services, "_produce", produce)
    return calls


def ready_report(posyandu, *, month=date(2026, 8, 1), kind="skdn", user=None, as_of=None) -> Report:
    report = Report.objects.create(
        level="posyandu", posyandu=posyandu, month=month, kind=kind, status=Status.READY,
        requested_by=user, requested_at=timezone.now(), started_at=timezone.now(),
        finished_at=timezone.now(), attempts=1, data_as_of=as_of or timezone.now(), pages=1,
        size=len(FAKE_PDF),
    )
    report.file.save(f"uji-{report.pk}.pdf", ContentFile(FAKE_PDF), save=True)
    return report
