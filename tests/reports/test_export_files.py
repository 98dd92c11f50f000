"""CSV and XLSX files from report tables (pure: no database)."""

import csv
import io

from openpyxl import load_workbook

from reports.exports import HEADER_ROW, sheet_title, tables_to_csv, tables_to_xlsx
from reports.figures.tables import Column, Row, Table


def skdn_table():
    return Table(
        code="skdn", title="SKDN per posyandu", label_header="Posyandu",
        columns=[
            Column("s_l", "L", "S (sasaran)"), Column("s_p", "P", "S (sasaran)"),
            Column("d_l", "L", "D (ditimbang)"), Column("d_p", "P", "D (ditimbang)"),
            Column("ds", "D/S", "", "pct"),
            Column("ket", "Keterangan", "", "text"),
        ],
        rows=[
            Row("Posyandu Melati", [10, 12, 8, 6, 63.6, "baik"], key="1"),
            Row("Posyandu Mawar", [0, 0, 0, 0, None, ""], key="2"),
            Row("Jumlah", [10, 12, 8, 6, 63.6, None], is_total=True),
        ],
        notes=["D/S kosong bila S = 0."],
    )


def plain_table():
    return Table(
        code="followup", title="Anak perlu tindak lanjut: 2T/BGM", label_header="Nama",
        columns=[Column("umur", "Umur (bln)"), Column("alasan", "Alasan", kind="text")],
        rows=[Row("Budi Ñandi", [14, "2T"], key="u1")],
    )


def test_csv_has_bom_title_flat_header_and_blocks():
    body = tables_to_csv([skdn_table(), plain_table()], heading=["Posyandu: Melati", "Bulan: Oktober 2026"])
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["Posyandu: Melati"] and rows[1] == ["Bulan: Oktober 2026"] and rows[2] == []
    assert rows[3] == ["SKDN per posyandu"]
    assert rows[4] == ["Posyandu", "S (sasaran): L", "S (sasaran): P", "D (ditimbang): L",
                       "D (ditimbang): P", "D/S", "Keterangan"]
    assert rows[5] == ["Posyandu Melati", "10", "12", "8", "6", "63.6", "baik"]
    assert rows[6] == ["Posyandu Mawar", "0", "0", "0", "0", "", ""]  # no base: empty, not 0
    assert rows[7][0] == "Jumlah"
    assert rows[8] == ["D/S kosong bila S = 0."]
    assert rows[9] == []
    assert rows[10] == ["Anak perlu tindak lanjut: 2T/BGM"]
    assert rows[11] == ["Nama", "Umur (bln)", "Alasan"]
    assert rows[12] == ["Budi Ñandi", "14", "2T"]


def test_xlsx_one_sheet_per_table_with_merged_groups_bold_totals_percent():
    wb = load_workbook(io.BytesIO(tables_to_xlsx([skdn_table(), plain_table()], heading=["Posyandu: Melati"])))
    assert wb.sheetnames == ["SKDN per posyandu", "Anak perlu tindak lanjut 2T BGM"]
    ws = wb["SKDN per posyandu"]
    assert ws["A1"].value == "SKDN per posyandu" and ws["A2"].value == "Posyandu: Melati"
    top = HEADER_ROW
    merged = {str(r) for r in ws.merged_cells.ranges}
    # "Posyandu" spans both header rows; each group spans its two columns;
    # ungrouped columns (D/S, Keterangan) span both rows.
    assert {f"A{top}:A{top + 1}", f"B{top}:C{top}", f"D{top}:E{top}", f"F{top}:F{top + 1}",
            f"G{top}:G{top + 1}"} <= merged
    assert ws.cell(top, 2).value == "S (sasaran)" and ws.cell(top, 4).value == "D (ditimbang)"
    assert [ws.cell(top + 1, c).value for c in range(2, 6)] == ["L", "P", "L", "P"]
    assert ws.cell(top, 6).value == "D/S"
    first = top + 2
    assert [ws.cell(first, c).value for c in range(1, 8)] == ["Posyandu Melati", 10, 12, 8, 6, 0.636, "baik"]
    assert ws.cell(first, 6).number_format == "0.0%"
    assert ws.cell(first + 1, 6).value is None  # no base
    assert ws.cell(first + 2, 1).value == "Jumlah" and ws.cell(first + 2, 1).font.bold
    assert ws.cell(first + 2, 2).font.bold and not ws.cell(first, 2).font.bold
    assert ws.cell(first + 4, 1).value == "D/S kosong bila S = 0."
    # a table without groups has one header row and its data right below
    ws2 = wb["Anak perlu tindak lanjut 2T BGM"]
    assert [ws2.cell(top, c).value for c in range(1, 4)] == ["Nama", "Umur (bln)", "Alasan"]
    assert [ws2.cell(top + 1, c).value for c in range(1, 4)] == ["Budi Ñandi", 14, "2T"]
    assert not ws2.merged_cells.ranges


def test_sheet_titles_are_valid_and_unique():
    taken = set()
    t = Table("x", "Rekap: bayi/balita [ILP] *apras* sangat panjang sekali", "Bulan", [])
    first, second = sheet_title(t, taken), sheet_title(t, taken)
    assert len(first) <= 31 and len(second) <= 31 and first != second
    assert not set("[]:*?/\\") & set(first + second)


def test_xlsx_without_tables_still_opens():
    wb = load_workbook(io.BytesIO(tables_to_xlsx([])))
    assert wb.sheetnames == ["Laporan"]
