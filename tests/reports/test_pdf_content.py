"""The PDF itself: paper-form header, SKDN figures, charts, tables, signature
blocks, page numbers and orientation (pdftotext / pdfinfo), rendered in-process
(eager Celery) from the hand-computed fixture of tests/reports/figures_fixture.py."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from posyandu.reference import sync_shipped_tables
from reports.models import Status
from reports.services import report_request
from tests.reports.figures_fixture import AUG, build_skdn_fixture

pytestmark = pytest.mark.django_db

# August 2026 of posyandu a1 (see test_figures_skdn.py): (L, P, total)
AUGUST_ROWS = (
    "Balita yang ada (sasaran) 2 4 6",
    "Punya KMS/buku KIA 2 3 5",
    "Ditimbang bulan ini 2 3 5",
    "Naik berat badannya 1 2 3",
    "Tidak naik 1 1 2",
    "Tidak ditimbang bulan lalu 0 0 0",
    "Baru pertama ditimbang 0 0 0",
    "Tidak naik 2 kali berturut 0 0 0",
    "Di bawah garis merah 0 1 1",
)


@pytest.fixture
def august(world):
    sync_shipped_tables()
    return build_skdn_fixture(world)


def _generate(user, level, area, kind, capture):
    with capture(execute=True):
        report = report_request(user=user, level=level, area_id=area.pk, month=AUG, kind=kind)
    report.refresh_from_db()
    assert report.status == Status.READY, report.error
    return report, Path(settings.MEDIA_ROOT) / report.file.name


def _text(pdf: Path, *pages: int) -> str:
    cmd = ["pdftotext", "-layout"]
    if pages:
        cmd += ["-f", str(pages[0]), "-l", str(pages[-1])]
    out = subprocess.run([*cmd, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"[ \t]+", " ", out)


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                         text=True, check=True).stdout
    return [(float(w), float(h)) for w, h in
            re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


def test_posyandu_skdn_pdf_has_the_paper_form_content(
    world, august, django_capture_on_commit_callbacks
):
    report, pdf = _generate(world.kader_a1, "posyandu", world.a1, "skdn",
                            django_capture_on_commit_callbacks)
    sizes = _page_sizes(pdf)
    assert len(sizes) == report.pages >= 1
    assert sizes[0] == pytest.approx((595.3, 841.9), abs=1)  # A4 portrait first page
    first = _text(pdf, 1)
    assert "LAPORAN BULANAN PENIMBANGAN BALITA (SKDN)" in first
    for line in ("Posyandu : Melati", "Desa/Kelurahan : Kencong", "Kecamatan : Kencong",
                 "Puskesmas : Kencong", "Kabupaten/Kota : Jember", "Bulan : Agustus 2026"):
        assert line in first, line
    for row in AUGUST_ROWS:
        assert row in first, row
    # Indicators by sex (L, P, total): K/S 2/2 3/4 5/6, D/S the same, N/D 1/2 2/3 3/5,
    # BGM/D 0/2 1/3 1/5.
    for row in ("K/S Liputan program 100,0 75,0 83,3", "D/S Partisipasi masyarakat 100,0 75,0 83,3",
                "N/D Hasil penimbangan 50,0 66,7 60,0", "BGM/D Balita BGM 0,0 33,3 20,0"):
        assert row in first, row
    # The SVG charts are drawn as text and shapes: bar labels and the trend legend.
    assert "Sasaran" in first and "Ditimbang" in first and "D/S (%)" in first
    text = _text(pdf)
    assert f"Halaman 1 dari {report.pages}" in text
    assert f"Halaman {report.pages} dari {report.pages}" in text
    assert "Koordinator Kader Posyandu" in text and "Bidan Desa/Kelurahan" in text
    assert "Kencong, " in text  # place/date line of the signature block


def test_svg_colours_of_the_skdn_bars(world, august):
    from reports.models import Report
    from reports.pdf import render_report_html

    report = Report(level="posyandu", posyandu=world.a1, month=AUG, kind="skdn")
    html = render_report_html(report, [world.a1.pk])
    bars = dict(re.findall(r'<rect data-key="([SKDN])" data-value="\d+"[^>]*fill="(#[0-9a-f]+)"',
                           html))
    assert bars == {"S": "#d93025", "K": "#f2b705", "D": "#1e8e3e", "N": "#1a5fd0"}
    assert re.search(r'data-key="D" data-value="5"', html)
    assert html.count('data-series="D/S"') >= 1 and "<polyline" in html


def test_puskesmas_ilp_pdf_has_its_signatures_and_landscape_tables(
    world, august, django_capture_on_commit_callbacks
):
    report, pdf = _generate(world.staff_a, "puskesmas", world.pkm_a, "ilp",
                            django_capture_on_commit_callbacks)
    text = _text(pdf)
    assert "Puskesmas : Kencong" in text and "Bulan : Agustus 2026" in text
    for row in AUGUST_ROWS[:3]:  # a2 is empty: the Puskesmas totals are a1's
        assert row in text, row
    assert "Kepala Puskesmas" in text and "Petugas Gizi/Pengelola ILP" in text
    assert "Melati" in text and "Mawar" in text  # one row per posyandu
    sizes = _page_sizes(pdf)
    assert sizes[0] == pytest.approx((595.3, 841.9), abs=1)
    assert any(s == pytest.approx((841.9, 595.3), abs=1) for s in sizes), sizes


def test_kabupaten_sip_pdf(world, august, django_capture_on_commit_callbacks):
    report, pdf = _generate(world.dinkes_1, "kabupaten", world.kab1, "sip",
                            django_capture_on_commit_callbacks)
    text = _text(pdf)
    assert "Kabupaten/Kota : Jember" in text and "Kepala Dinas Kesehatan" in text
    assert "Balita yang ada (sasaran) 2 4 6" in text
    assert report.pages == len(_page_sizes(pdf))
