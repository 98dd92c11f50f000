"""e-PPGBM- and ASIK-shaped exports driven by the export_columns table."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from ilp.models import Supplement
from interop.exports import build, safe_cell, to_csv, to_xlsx
from posyandu.models import ReferenceTable
from posyandu.reference import clear_cache, table
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def read_csv(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.mark.parametrize("value", ["=1+1", "+62812", "-2+3", "@SUM(A1)", "\tx", "\rx",
                                   "=HYPERLINK(\"http://x\")"])
def test_formula_starts_are_neutralised(value):
    assert safe_cell(value) == "'" + value
    assert safe_cell("Budi") == "Budi" and safe_cell(-1.5) == -1.5


def test_eppgbm_data_dasar_and_pemantauan(world, full):
    Supplement.objects.create(person=full.child, visit=full.visit, posyandu=world.a1,
                              kind="vitamin_a_biru", given_on=full.visit.date)
    name, sheets = build(world.kader_a1, world.a1, full.visit.date, "eppgbm")
    assert [s.title for s in sheets] == ["Data Dasar", "Pemantauan"]
    dasar, pantau = sheets
    assert dasar.headers[:5] == ["No KK", "NIK Anak", "Nama Anak", "Tanggal Lahir", "Jenis Kelamin"]
    [row] = [r for r in dasar.rows if r[1] == full.child.nik]
    record = dict(zip(dasar.headers, row, strict=True))
    assert record["No KK"] == "3509010101010002"
    assert record["Tanggal Lahir"] == f"{full.child.birth_date:%d/%m/%Y}"
    assert record["NIK Ibu"] == full.mother.nik and record["Nama Ibu"] == "Siti Aminah"
    assert record["Posyandu"] == "Melati" and record["Puskesmas"] == "Kencong"
    assert record["Anak Ke"] == "" and "Anak Ke" in dasar.empty_fields
    assert not [r for r in dasar.rows if r[2] == "Siti Aminah"]  # adults are not balita
    [m] = pantau.rows
    rec = dict(zip(pantau.headers, m, strict=True))
    assert rec["Berat (kg)"] == 9.4 and rec["Tinggi/Panjang (cm)"] == 74.5
    assert rec["Cara Ukur"] == "Telentang" and rec["Vitamin A"] == "Ya"
    assert rec["ZS BB/U"] == round(full.measurement.bbu_z, 2)
    assert "ASI Eksklusif" in pantau.empty_fields
    assert name.startswith("e-ppgbm-Melati-")


def test_asik_immunisation_export(world, full):
    _, [sheet] = build(world.kader_a1, world.a1, full.visit.date, "asik-imunisasi")
    records = [dict(zip(sheet.headers, r, strict=True)) for r in sheet.rows]
    assert {r["Jenis Imunisasi"] for r in records} == {"Campak-Rubela 1", "Rotavirus 1"}
    mr = next(r for r in records if r["Jenis Imunisasi"] == "Campak-Rubela 1")
    assert mr["Kode KFA"] == "93005779" and mr["No Batch"] == "B123"


def test_a_new_column_mapping_version_changes_the_export_without_a_release(world, full):
    payload = table("export_columns", full.visit.date)
    payload["eppgbm"]["sheets"][1]["columns"] = [
        {"header": "BB", "field": "berat"}, {"header": "NIK", "field": "nik"}]
    ReferenceTable.objects.create(code="export_columns", valid_from=date(2025, 1, 1),
                                  source="uji: template resmi", payload=payload)
    clear_cache()
    _, [sheet] = build(world.kader_a1, world.a1, full.visit.date, "eppgbm-pemantauan")
    assert sheet.headers == ["BB", "NIK"] and sheet.rows == [[9.4, full.child.nik]]


def test_user_text_cannot_become_a_formula_in_csv_or_xlsx(world, full):
    evil = make_person(world.a1, name="=HYPERLINK(\"http://jahat\",\"klik\")", sex="P",
                       birth_date=full.child.birth_date, address="+62 @alamat",
                       mother_name="-ibu")
    _, [sheet] = build(world.kader_a1, world.a1, full.visit.date, "eppgbm-data-dasar")
    rows = read_csv(to_csv(sheet))
    [row] = [r for r in rows if "HYPERLINK" in r[2]]
    assert row[2] == "'=HYPERLINK(\"http://jahat\",\"klik\")"
    assert "'+62 @alamat" in row and "'-ibu" in row
    wb = load_workbook(io.BytesIO(to_xlsx([sheet])))
    ws = wb["Data Dasar"]
    cells = [c for r in ws.iter_rows(min_row=2) for c in r if c.value and "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" and c.value.startswith("'") for c in cells)
    assert evil.name.startswith("=")


def test_other_posyandu_data_is_not_exported(world, full):
    _, sheets = build(world.kader_a2, world.a1, full.visit.date, "eppgbm")
    assert all(s.rows == [] for s in sheets)  # scoped: a2's kader reads nothing of a1
