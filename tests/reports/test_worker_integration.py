"""A real Celery worker against Redis and the test PostgreSQL database makes a
report PDF: request it with eager mode off, wait until it is ready, and check
the PDF (it opens, page count, SKDN figures in its text).

Needs CELERY_BROKER_URL (Redis) in the environment, as `make test` and
.ci/run set it; without it the test fails and says so (it is never skipped).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from posyandu.reference import sync_shipped_tables
from reports.models import Status
from reports.services import report_request
from tests.reports.figures_fixture import AUG, build_skdn_fixture

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
WAIT_SECONDS = 180


def _database_url() -> str:
    d = connection.settings_dict
    auth = d["USER"] or ""
    if d.get("PASSWORD"):
        auth += ":" + d["PASSWORD"]
    host = d.get("HOST") or "127.0.0.1"
    port = d.get("PORT") or "5432"
    return f"postgres://{auth}@{host}:{port}/{d['NAME']}"


def _celery() -> list[str]:
    exe = ROOT / ".venv" / "bin" / "celery"
    if exe.exists():
        return [str(exe)]
    return [sys.executable, "-m", "celery"]


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return re.sub(r"[ \t]+", " ", out)


def _pdfinfo_pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


@pytest.fixture
def eager_off():
    from posyandu.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = before


def test_real_worker_produces_the_pdf(world, eager_off):
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        pytest.fail(
            "CELERY_BROKER_URL is not set to a Redis URL: this integration test starts a real "
            "Celery worker and needs Redis (e.g. CELERY_BROKER_URL=redis://127.0.0.1:6379/0, "
            "as `make test` and .ci/run set it)."
        )
    app = eager_off
    assert app.conf.broker_url == broker
    sync_shipped_tables()
    build_skdn_fixture(world)  # committed: transactional test
    app.control.purge()  # leftovers of earlier runs on this Redis db

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "posyandu.settings.base",
        "DATABASE_URL": _database_url(),  # the pytest test database
        "CELERY_BROKER_URL": broker,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),  # where this process reads the file
        "DB_CONN_MAX_AGE": "0",
        "LOG_LEVEL": "INFO",
    }
    log = tempfile.NamedTemporaryFile("w+", prefix="celery-worker-", suffix=".log", delete=False)
    worker = subprocess.Popen(
        [*_celery(), "-A", "posyandu", "worker", "-P", "solo", "-c", "1", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "-l", "INFO",
         "-n", f"pdftest-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        report = report_request(user=world.kader_a1, level="posyandu", area_id=world.a1.pk,
                                month=AUG, kind="skdn")
        assert report.status == Status.QUEUED  # nothing ran in this process
        deadline = time.monotonic() + WAIT_SECONDS
        seen = set()
        while time.monotonic() < deadline:
            report.refresh_from_db()
            seen.add(report.status)
            if report.status in (Status.READY, Status.FAILED) or worker.poll() is not None:
                break
            time.sleep(0.5)
        log.seek(0)
        worker_log = log.read()[-4000:]
        assert report.status == Status.READY, (
            f"report is {report.status} ({report.error!r}); worker exit {worker.poll()}; "
            f"worker log:\n{worker_log}"
        )
        assert Status.QUEUED in seen or Status.RUNNING in seen or report.attempts == 1
        assert report.attempts == 1 and report.finished_at >= report.started_at
    finally:
        worker.terminate()
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(10)
        log.close()
        os.unlink(log.name)

    pdf = Path(settings.MEDIA_ROOT) / report.file.name
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size == report.size
    pages = _pdfinfo_pages(pdf)
    assert pages == report.pages
    text = _text(pdf)
    # Header as on the paper form.
    for expected in ("Posyandu : Melati", "Desa/Kelurahan : Kencong", "Puskesmas : Kencong",
                     "Bulan : Agustus 2026"):
        assert expected in text, expected
    # SKDN of August 2026 (hand-computed in tests/reports/test_figures_skdn.py):
    # S L2 P4, K L2 P3, D L2 P3, N L1 P2, T L1 P1, O 0, B 0, 2T 0, BGM P1.
    for row in ("Balita yang ada (sasaran) 2 4 6", "Punya KMS/buku KIA 2 3 5",
                "Ditimbang bulan ini 2 3 5", "Naik berat badannya 1 2 3", "Tidak naik 1 1 2",
                "Di bawah garis merah 0 1 1"):
        assert row in text, row
    # D/S = 5/6 = 83.3 %, N/D = 3/5 = 60 % (L, P, total).
    assert "D/S Partisipasi masyarakat 100,0 75,0 83,3" in text
    assert "N/D Hasil penimbangan 50,0 66,7 60,0" in text
    assert f"Halaman 1 dari {pages}" in text and f"Halaman {pages} dari {pages}" in text
    assert "Koordinator Kader Posyandu" in text and "Bidan" in text
