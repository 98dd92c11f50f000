"""Report writes: request a report (one row, one job), generate it (the Celery
task calls ``report_generate``), and the monthly schedule.

States: queued -> running -> ready | failed. A request for a report that is
queued or running returns the row and starts nothing; a ready report is
regenerated only when out of date; a failed one, or one "running" for longer
than the task time limit (its worker died), is queued again.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from posyandu.models import Puskesmas
from reports.areas import area_for_user, area_posyandu_ids
from reports.models import Kind, Level, Report, Status
from reports.selectors import is_stale, is_stuck
from reports.signals import add_months

logger = logging.getLogger(__name__)

# A queued job whose message was lost (broker flushed) is sent again after this.
QUEUED_RESEND = timedelta(hours=1)
EARLIEST_MONTH = date(2000, 1, 1)

ERROR_SYSTEM = (
    "Laporan gagal dibuat karena kesalahan sistem. Tekan \u201cCoba lagi\u201d; bila tetap "
    "gagal, hubungi admin dan sebutkan kode laporan {code}."
)
ERROR_TIMEOUT = (
    "Pembuatan laporan melewati batas waktu dan dihentikan. Tekan \u201cCoba lagi\u201d; bila "
    "tetap gagal, hubungi admin dan sebutkan kode laporan {code}."
)
ERROR_NO_POSYANDU = "Wilayah ini tidak punya posyandu aktif, jadi tidak ada data untuk dilaporkan."
ERROR_WORKER_LOST = (
    "Proses pembuatan laporan terhenti sebelum selesai. Tekan \u201cCoba lagi\u201d."
)


class ReportError(Exception):
    """An expected failure with a message for the page."""


def local_month(today: date | None = None) -> date:
    return (today or timezone.localdate()).replace(day=1)


def clean_month(month: date, *, today: date | None = None) -> date:
    if not isinstance(month, date):
        raise ValidationError({"month": "Pilih bulan laporan."})
    month = month.replace(day=1)
    if month > local_month(today):
        raise ValidationError({"month": "Laporan hanya untuk bulan ini atau bulan yang lalu."})
    if month < EARLIEST_MONTH:
        raise ValidationError({"month": "Bulan laporan terlalu lama."})
    return month


def report_request(*, user, level: str, area_id, month: date, kind: str) -> Report:
    """Ask for a report of an area the user may report on (else Http404).

    Returns the one row for (area, month, kind): as it is when queued, running
    or ready and up to date; queued again (a new job after the commit) when it
    is new, failed, out of date or its worker died."""
    area = area_for_user(user, level, area_id)
    if kind not in Kind.values:
        raise ValidationError({"kind": "Pilih jenis laporan."})
    month = clean_month(month)
    return _request(level=area.level, area_id=area.obj.pk, month=month, kind=kind, user=user)


def _request(*, level: str, area_id: int, month: date, kind: str, user) -> Report:
    now = timezone.now()
    lookup = {"level": level, f"{level}_id": area_id, "month": month, "kind": kind}
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(**lookup).first()
        if report is None:
            try:
                with transaction.atomic():
                    report = Report.objects.create(
                        **lookup, requested_by=user, requested_at=now, status=Status.QUEUED
                    )
            except IntegrityError:  # a concurrent request created it first
                report = Report.objects.select_for_update().get(**lookup)
            else:
                _enqueue_on_commit(report.pk)
                return report
        if not _needs_job(report, now):
            return report
        report.status = Status.QUEUED
        report.requested_by = user
        report.requested_at = now
        report.error = ""
        report.save(update_fields=["status", "requested_by", "requested_at", "error", "updated_at"])
        _enqueue_on_commit(report.pk)
        return report


def _needs_job(report: Report, now) -> bool:
    if report.status == Status.QUEUED:
        return now - report.requested_at > QUEUED_RESEND  # the message was lost
    if report.status == Status.RUNNING:
        return is_stuck(report, now)
    if report.status == Status.READY:
        return is_stale(report)
    return True  # failed


def _enqueue_on_commit(report_id: int) -> None:
    from reports.tasks import generate_report

    transaction.on_commit(lambda: generate_report.delay(report_id))


# --------------------------------------------------------------------------- generation

def report_generate(report_id: int) -> Report | None:
    """Produce the PDF of a queued report (what the Celery task runs).

    Safe to run twice for one request (a redelivered message): only a queued
    report, or one whose worker died while running, is taken; anything else
    is left as it is. Failures end as status "failed" with a message for the
    page; the traceback goes to the log only."""
    started = _start(report_id)
    if started is None:
        return None
    report = started
    try:
        pdf, pages = _produce(report)
    except SoftTimeLimitExceeded:
        logger.warning("report %s: soft time limit exceeded", report_id)
        return _fail(report, ERROR_TIMEOUT.format(code=report.pk))
    except ReportError as exc:
        logger.info("report %s: %s", report_id, exc)
        return _fail(report, str(exc))
    except Exception:
        logger.exception("report %s: generation failed", report_id)
        return _fail(report, ERROR_SYSTEM.format(code=report.pk))
    return _finish(report, pdf, pages)


def _start(report_id: int) -> Report | None:
    now = timezone.now()
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            return None
        if report.status != Status.QUEUED and not is_stuck(report, now):
            logger.info("report %s: %s, nothing to do", report_id, report.status)
            return None
        report.status = Status.RUNNING
        report.started_at = now
        report.finished_at = None
        report.attempts += 1
        report.error = ""
        report.data_as_of = now  # read before any figure, so later edits make it stale
        report.save(update_fields=[
            "status", "started_at", "finished_at", "attempts", "error", "data_as_of",
            "updated_at",
        ])
    return report


def _produce(report: Report) -> tuple[bytes, int]:
    from reports.pdf import render_report_pdf

    ids = area_posyandu_ids(report.level, report.area_id)
    if not ids:
        raise ReportError(ERROR_NO_POSYANDU)
    return render_report_pdf(report, ids)


def _owned(report: Report) -> Report | None:
    """The locked row if it is still this run's (not taken over meanwhile)."""
    row = Report.objects.select_for_update().filter(pk=report.pk).first()
    if row is None or row.status != Status.RUNNING or row.started_at != report.started_at:
        return None
    return row


def _finish(report: Report, pdf: bytes, pages: int) -> Report:
    with transaction.atomic():
        row = _owned(report)
        if row is None:
            return report
        old = row.file.name if row.file else ""
        row.file.save(file_name(row), ContentFile(pdf), save=False)
        row.status = Status.READY
        row.pages = pages
        row.size = len(pdf)
        row.finished_at = timezone.now()
        row.save(update_fields=["file", "status", "pages", "size", "finished_at", "updated_at"])
        new = row.file.name
        if old and old != new:
            storage = row.file.storage
            transaction.on_commit(lambda: storage.delete(old))
    return row


def _fail(report: Report, message: str) -> Report:
    with transaction.atomic():
        row = _owned(report)
        if row is None:
            return report
        row.status = Status.FAILED
        row.error = message
        row.finished_at = timezone.now()
        row.save(update_fields=["status", "error", "finished_at", "updated_at"])
    return row


def file_name(report: Report) -> str:
    """Storage name (unique per run; the readable name is given on download)."""
    return f"{report.level}-{report.area_id}-{report.kind}-{report.month:%Y-%m}-{uuid.uuid4().hex[:8]}.pdf"


def download_name(report: Report) -> str:
    """e.g. "laporan-skdn-posyandu-melati-2026-09.pdf"."""
    from django.utils.text import slugify

    return f"laporan-{report.kind}-{slugify(str(report.area))}-{report.month:%Y-%m}.pdf"


# --------------------------------------------------------------------------- schedule

def previous_month(today: date | None = None) -> date:
    return add_months(local_month(today), -1)


def schedule_monthly_reports(*, today: date | None = None) -> list[Report]:
    """Last month's reports of every kind for every Puskesmas with an active
    posyandu (requested by nobody: "jadwal otomatis"). Idempotent: a report
    already queued, running or ready and up to date is left alone."""
    month = previous_month(today)
    out = []
    puskesmas_ids = (
        Puskesmas.objects.filter(desa__posyandu__is_active=True)
        .distinct().order_by("pk").values_list("pk", flat=True)
    )
    for pk in puskesmas_ids:
        for kind in Kind.values:
            out.append(_request(level=Level.PUSKESMAS, area_id=pk, month=month, kind=kind,
                                user=None))
    return out
