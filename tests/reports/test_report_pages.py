# ruff: noqa: F811 - pytest fixtures imported from tests.reports.pdf_support
"""The report pages: list with the request form, progress, retry, download."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import Report, Status
from reports.services import schedule_monthly_reports
from tests.reports.pdf_support import FAKE_PDF, fast_pdf, jobs, ready_report  # noqa: F401

pytestmark = pytest.mark.django_db
LIST = reverse("reports:report-list")


def test_list_offers_only_the_users_areas_and_requests_a_report(
    world, client_as, jobs, django_capture_on_commit_callbacks
):
    client = client_as(world.bidan_a)
    page = client.get(LIST).content.decode()
    assert "Minta laporan" in page
    assert f'value="puskesmas:{world.pkm_a.pk}"' in page  # she covers all of Puskesmas A
    assert f'value="posyandu:{world.a1.pk}"' in page and f'value="posyandu:{world.a2.pk}"' in page
    assert f'value="posyandu:{world.b1.pk}"' not in page and "kabupaten:" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST, {"area": f"posyandu:{world.a2.pk}", "month": "2026-09",
                                      "kind": "sip"})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert (report.posyandu, report.month, report.kind) == (world.a2, date(2026, 9, 1), "sip")
    assert jobs == [report.pk]
    # A forged area outside her scope is not a choice.
    response = client.post(LIST, {"area": f"posyandu:{world.b1.pk}", "month": "2026-09",
                                  "kind": "sip"})
    assert response.status_code == 200 and Report.objects.count() == 1


def test_future_month_is_refused_with_a_message(world, client_as, jobs):
    client = client_as(world.kader_a1)
    future = (timezone.localdate().replace(day=1) + timedelta(days=40)).strftime("%Y-%m")
    response = client.post(LIST, {"area": f"posyandu:{world.a1.pk}", "month": future,
                                  "kind": "skdn"})
    assert "bulan ini atau bulan yang lalu" in response.content.decode()
    assert Report.objects.count() == 0


def test_users_without_an_area_get_no_form(world, client_as):
    page = client_as(world.outsider).get(LIST).content.decode()
    assert "Minta laporan" not in page and "belum punya wilayah" in page


def test_staff_see_the_scheduled_reports_waiting(world, client_as, jobs,
                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        schedule_monthly_reports(today=date(2026, 11, 1))
    page = client_as(world.staff_a).get(LIST).content.decode()
    assert "Oktober 2026" in page
    assert page.count("Jadwal otomatis") == 3 and page.count('class="chip queued"') == 3
    assert "Puskesmas Cakru" not in page  # Puskesmas B's reports are not hers


def test_detail_refreshes_while_in_progress(world, client_as, jobs):
    report = Report.objects.create(level="posyandu", posyandu=world.a1, month=date(2026, 9, 1),
                                   kind="skdn", requested_at=timezone.now())
    client = client_as(world.kader_a1)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh" content="3"' in page and "Menunggu" in page
    Report.objects.filter(pk=report.pk).update(status=Status.RUNNING, started_at=timezone.now())
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' in page and "Sedang dibuat" in page
    assert "Unduh PDF" not in page


def test_failed_report_shows_why_and_coba_lagi_requeues(
    world, client_as, jobs, django_capture_on_commit_callbacks
):
    report = Report.objects.create(
        level="posyandu", posyandu=world.a1, month=date(2026, 9, 1), kind="skdn",
        requested_at=timezone.now(), status=Status.FAILED, attempts=1,
        error="Laporan gagal dibuat karena kesalahan sistem.",
    )
    client = client_as(world.kader_a1)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Laporan gagal dibuat karena kesalahan sistem." in page and "Coba lagi" in page
    assert 'http-equiv="refresh"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report-retry", args=[report.uuid]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.QUEUED and jobs == [report.pk]


def test_a_dead_worker_shows_as_failed_with_coba_lagi(world, client_as, settings):
    started = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    report = Report.objects.create(
        level="posyandu", posyandu=world.a1, month=date(2026, 9, 1), kind="skdn",
        requested_at=started, started_at=started, status=Status.RUNNING, attempts=1,
    )
    page = client_as(world.kader_a1).get(report.get_absolute_url()).content.decode()
    assert "terhenti sebelum selesai" in page and "Coba lagi" in page
    assert 'http-equiv="refresh"' not in page


def test_ready_report_downloads_with_a_readable_name_and_stale_notice(
    world, client_as, django_capture_on_commit_callbacks
):
    report = ready_report(world.a1, month=date(2026, 9, 1),
                          as_of=timezone.now() - timedelta(hours=1))
    client = client_as(world.kader_a1)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Unduh PDF" in page and "Data berubah" not in page
    response = client.get(reverse("reports:report-download", args=[report.uuid]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == FAKE_PDF
    assert ('attachment; filename="laporan-skdn-posyandu-melati-2026-09.pdf"'
            == response["Content-Disposition"])
    # A late entry for September makes it out of date.
    from reports.signals import write_changes

    write_changes({(world.a1.pk, date(2026, 9, 1), date(2026, 9, 1))})
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Data berubah sejak laporan dibuat — buat ulang" in page and "Buat ulang" in page


def test_other_users_get_404_everywhere(world, client_as):
    report = ready_report(world.a1)
    for user in (world.kader_a2, world.staff_b, world.outsider):
        client = client_as(user)
        for name in ("report-detail", "report-download"):
            assert client.get(reverse(f"reports:{name}", args=[report.uuid])).status_code == 404
        assert client.post(reverse("reports:report-retry", args=[report.uuid])).status_code == 404
        assert str(report.uuid) not in client.get(LIST).content.decode()
