"""Report tables as CSV and XLSX files (pure: a list of ``Table`` in, bytes out).

* CSV: UTF-8 with a BOM (Excel then reads the accents right), comma separated.
  One block per table: its title, the flat header ("group: column"), the rows,
  the notes, then an empty line. Percentages are numbers with a dot and one
  decimal ("66.7"), empty when there is nothing to divide by.
* XLSX (openpyxl): one sheet per table. Rows 1-2 hold the title and the
  heading lines; the header starts on row 4 (``HEADER_ROW``): two rows, group
  cells merged across their columns and ungrouped headers merged down (one row
  when the table has no groups). Total rows are bold; percentages are stored
  as fractions with the "0.0%" format, so Excel computes with them.
"""

from __future__ import annotations

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from reports.figures.tables import Table

HEADER_ROW = 4
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="E6F3EE")
_THIN = Side(style="thin", color="9AA1A7")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _csv_value(column_kind: str, value):
    if value is None:
        return ""
    if column_kind == "pct":
        return f"{float(value):.1f}"
    return value


def tables_to_csv(tables: list[Table], *, heading: list[str] = ()) -> bytes:
    """The tables as one CSV file (bytes, UTF-8 with BOM)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for line in heading:
        writer.writerow([line])
    if heading:
        writer.writerow([])
    for table in tables:
        writer.writerow([table.title])
        writer.writerow(table.flat_header())
        kinds = [c.kind for c in table.columns]
        for row in table.rows:
            writer.writerow(
                [row.label] + [_csv_value(k, v) for k, v in zip(kinds, row.values, strict=True)]
            )
        for note in table.notes:
            writer.writerow([note])
        writer.writerow([])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def sheet_title(table: Table, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (max 31 characters, no []:*?/\\)."""
    clean = re.sub(r"\s+", " ", re.sub(r"[\[\]:*?/\\]", " ", table.title)).strip()
    base = clean[:31].strip() or table.code[:31] or "Tabel"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def tables_to_xlsx(tables: list[Table], *, heading: list[str] = ()) -> bytes:
    """The tables as an XLSX workbook (bytes), one sheet per table."""
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for table in tables:
        _write_sheet(wb.create_sheet(sheet_title(table, taken)), table, heading)
    if not tables:
        ws = wb.create_sheet("Laporan")
        ws["A1"] = "Tidak ada tabel."
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write_sheet(ws, table: Table, heading) -> None:
    ws["A1"] = table.title
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = " · ".join(heading)
    grouped = any(c.group for c in table.columns)
    head_rows = 2 if grouped else 1
    top = HEADER_ROW
    last_col = len(table.columns) + 1

    # Header: first column, then groups (merged across) or ungrouped (merged down).
    ws.cell(top, 1, table.label_header)
    if grouped:
        ws.merge_cells(start_row=top, start_column=1, end_row=top + 1, end_column=1)
        col = 2
        for group, span in table.header_groups():
            if group:
                ws.cell(top, col, group)
                if span > 1:
                    ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + span - 1)
                for i in range(span):
                    ws.cell(top + 1, col + i, table.columns[col - 2 + i].label)
            else:
                for i in range(span):
                    ws.cell(top, col + i, table.columns[col - 2 + i].label)
                    ws.merge_cells(start_row=top, start_column=col + i, end_row=top + 1, end_column=col + i)
            col += span
    else:
        for i, c in enumerate(table.columns, start=2):
            ws.cell(top, i, c.label)
    for r in range(top, top + head_rows):
        for c in range(1, last_col + 1):
            cell = ws.cell(r, c)
            cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _HEAD_FILL, _CENTER, _BOX

    # Rows.
    r = top + head_rows
    for row in table.rows:
        ws.cell(r, 1, row.label).border = _BOX
        for i, (column, value) in enumerate(zip(table.columns, row.values, strict=True), start=2):
            cell = ws.cell(r, i)
            if column.kind == "pct":
                cell.value = None if value is None else float(value) / 100
                cell.number_format = "0.0%"
            elif column.kind == "text":
                cell.value = "" if value is None else str(value)
            else:
                cell.value = value
            cell.border = _BOX
        if row.is_total:
            for c in range(1, last_col + 1):
                ws.cell(r, c).font = _BOLD
        r += 1
    for note in table.notes:
        r += 1
        ws.cell(r, 1, note).font = Font(italic=True)

    ws.freeze_panes = ws.cell(top + head_rows, 2)
    ws.column_dimensions["A"].width = min(
        40, max([len(table.label_header), 12] + [len(str(row.label)) for row in table.rows]) + 2
    )
    for i, c in enumerate(table.columns, start=2):
        ws.column_dimensions[get_column_letter(i)].width = max(7, min(18, len(c.label) + 3))
