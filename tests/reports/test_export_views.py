"""CSV/XLSX downloads: scoped by area, readable file names, the figures of
the hand-computed data (tests/reports/dashboard_data.py) in the cells."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from posyandu.reference import sync_shipped_tables
from reports.exports import HEADER_ROW
from tests.reports.dashboard_data import MONTH, build_area_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference_tables(db):
    sync_shipped_tables()


@pytest.fixture
def data(world):
    return build_area_data(world)


def url(kind="skdn", level="puskesmas", area=None, month=MONTH, fmt="xlsx"):
    return reverse("reports:export", kwargs={"kind": kind, "level": level, "area": area,
                                             "month": month, "fmt": fmt})


def _row(ws, label):
    for row in ws.iter_rows(min_row=HEADER_ROW):
        if row[0].value == label:
            return row
    raise AssertionError(f"no row {label!r} in {ws.title}")


def test_puskesmas_xlsx_for_its_staff(world, data, client_as):
    response = client_as(world.staff_a).get(url(area=world.pkm_a.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        'attachment; filename="laporan-skdn-puskesmas-kencong-2026-08.xlsx"'
    )
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[:2] == ["SKDN", "Indikator SKDN (%)"]
    ws = wb["SKDN"]
    assert ws["A1"].value == "SKDN"
    assert "Puskesmas: Puskesmas Kencong" in ws["A2"].value and "Bulan: Agustus 2026" in ws["A2"].value
    top = HEADER_ROW
    # two header rows: "Posyandu" merged down, each letter merged over L / P / J
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {f"A{top}:A{top + 1}", f"B{top}:D{top}", f"E{top}:G{top}"} <= merged
    assert [ws.cell(top, c).value for c in (1, 2, 5, 8)] == ["Posyandu", "S", "K", "D"]
    assert [ws.cell(top + 1, c).value for c in (2, 3, 4)] == ["L", "P", "J"]
    # rows by posyandu name, then the bold total; a1 in August: S 2/4/6, K 2/3/5, D 2/3/5
    assert [ws.cell(r, 1).value for r in range(top + 2, top + 5)] == ["Mawar", "Melati", "Jumlah Puskesmas"]
    melati = [c.value for c in _row(ws, "Melati")]
    assert melati[1:10] == [2, 4, 6, 2, 3, 5, 2, 3, 5]
    total = _row(ws, "Jumlah Puskesmas")
    assert [c.value for c in total][1:4] == [2, 5, 7] and total[0].font.bold and total[1].font.bold
    assert not _row(ws, "Melati")[1].font.bold
    # indicators as fractions with a percent format: a1 D/S 5/6, N/D 3/5; a2 N/D 0/1
    ind = wb["Indikator SKDN (%)"]
    heads = {ind.cell(top + 1, c).value: c for c in range(2, ind.max_column + 1)}
    row = _row(ind, "Melati")
    assert row[heads["D/S"] - 1].value == pytest.approx(5 / 6, abs=0.001)
    assert row[heads["N/D"] - 1].value == pytest.approx(3 / 5, abs=0.001)
    assert row[heads["D/S"] - 1].number_format == "0.0%"
    assert _row(ind, "Mawar")[heads["N/D"] - 1].value == 0
    assert _row(ind, "Jumlah Puskesmas")[heads["D/S"] - 1].value == pytest.approx(6 / 7, abs=0.001)


def test_csv_has_bom_and_the_heading(world, data, client_as):
    response = client_as(world.kader_a1).get(url(level="posyandu", area=world.a1.pk, fmt="csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('filename="laporan-skdn-posyandu-melati-2026-08.csv"')
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Laporan SKDN"]
    assert rows[1] == ["Posyandu: Posyandu Melati"] and rows[2] == ["Bulan: Agustus 2026"]


@pytest.mark.parametrize("kind", ["skdn", "sip", "ilp"])
def test_every_kind_downloads_in_both_formats(world, data, client_as, kind):
    client = client_as(world.dinkes_1)
    for fmt in ("csv", "xlsx"):
        response = client.get(url(kind=kind, level="kabupaten", area=world.kab1.pk, fmt=fmt))
        assert response.status_code == 200, (kind, fmt)


def test_other_areas_and_bad_parameters_are_404(world, data, client_as):
    staff_a = client_as(world.staff_a)
    assert staff_a.get(url(area=world.pkm_b.pk)).status_code == 404
    assert staff_a.get(url(level="posyandu", area=world.b1.pk)).status_code == 404
    assert staff_a.get(url(level="kabupaten", area=world.kab1.pk)).status_code == 404
    assert staff_a.get(url(area=world.pkm_a.pk, month="2026-13")).status_code == 404
    assert staff_a.get(url(area=world.pkm_a.pk, kind="rahasia")).status_code == 404
    assert staff_a.get(url(area=world.pkm_a.pk, fmt="pdf")).status_code == 404
    assert staff_a.get(url(level="desa", area=world.pkm_a.pk)).status_code == 404
    kader = client_as(world.kader_a1)
    assert kader.get(url(area=world.pkm_a.pk)).status_code == 404  # a kader: own posyandu only
    assert kader.get(url(level="posyandu", area=world.a2.pk)).status_code == 404
    dinkes = client_as(world.dinkes_1)
    assert dinkes.get(url(level="kabupaten", area=world.kab2.pk)).status_code == 404
    assert dinkes.get(url(area=world.pkm_b.pk)).status_code == 200
