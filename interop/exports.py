"""e-PPGBM-shaped and ASIK-shaped exports of one posyandu and month (CSV/XLSX).

The columns (headings, order, which sheet) come from the versioned reference
table ``export_columns``: each column names a ``field`` this module fills in.
When the official template is obtained, a Dinas Kesehatan adds it as a new
version without a release. A field this system does not record (anak ke,
berat/panjang lahir, ASI eksklusif) stays empty and is said so on the page;
it is never filled with a guess.

Every text cell written from user data is neutralised against spreadsheet
formula injection: a value starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ilp.models import Immunisation, Measurement, Person, Supplement
from posyandu.months import month_end
from posyandu.reference import table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NOT_RECORDED = {"anak_ke", "berat_lahir", "panjang_lahir", "asi_eksklusif", "nik_ayah"}
METHOD = {"lying": "Telentang", "standing": "Berdiri"}
SEX = {"L": "L", "P": "P"}
KINDS = {
    # kind -> (table section, sheet key or None for all sheets)
    "eppgbm": ("eppgbm", None),
    "eppgbm-data-dasar": ("eppgbm", "data_dasar"),
    "eppgbm-pemantauan": ("eppgbm", "pemantauan"),
    "asik-imunisasi": ("asik", "imunisasi"),
}


def safe_cell(value):
    """A cell value that no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[list]
    empty_fields: list[str]  # mapped fields this system does not record


def _fmt_date(value: date | None, fmt: str) -> str:
    return value.strftime(fmt) if value else ""


def _num(value):
    if value is None:
        return ""
    return float(value)


def _person_fields(p: Person, fmt: str) -> dict:
    household = p.household
    posyandu = p.posyandu
    return {
        "no_kk": household.no_kk if household and household.no_kk else "",
        "nik": p.nik or "",
        "nama": p.name,
        "tanggal_lahir": _fmt_date(p.birth_date, fmt),
        "jenis_kelamin": SEX.get(p.sex, p.sex),
        "nik_ibu": p.mother_nik or (p.mother.nik if p.mother_id and p.mother.nik else ""),
        "nama_ibu": p.mother_name or (p.mother.name if p.mother_id else ""),
        "alamat": p.address or (household.alamat if household else ""),
        "rt": p.rt or (household.rt if household else ""),
        "rw": p.rw or (household.rw if household else ""),
        "kode_desa": posyandu.desa.kode,
        "posyandu": posyandu.nama,
        "puskesmas": posyandu.desa.puskesmas.nama,
    }


def _people(user, posyandu):
    return (Person.objects.for_user(user, "reports").filter(posyandu=posyandu)
            .select_related("household", "mother", "posyandu__desa__puskesmas"))


def field_rows(user, posyandu, month: date, section: str, sheet_key: str) -> list[dict]:
    """The records of one sheet as dicts of field -> value."""
    fmt = table("export_columns", month_end(month))["date_format"]
    first, last = month.replace(day=1), month_end(month)
    if section == "eppgbm" and sheet_key == "data_dasar":
        lower = date(last.year - 5, last.month, 1)  # born in the last 60 months
        people = (_people(user, posyandu).living_in_area_on(last)
                  .filter(birth_date__gt=lower, birth_date__lte=last).order_by("name"))
        return [_person_fields(p, fmt) for p in people]
    if section == "eppgbm" and sheet_key == "pemantauan":
        rows = (Measurement.objects.for_user(user, "reports")
                .filter(posyandu=posyandu, measured_on__gte=first, measured_on__lte=last,
                        age_months__lt=60)
                .select_related("person__household", "person__mother",
                                "person__posyandu__desa__puskesmas")
                .order_by("person__name", "measured_on"))
        vitamin_a = set(
            Supplement.objects.for_user(user, "reports")
            .filter(posyandu=posyandu, given_on__gte=first, given_on__lte=last,
                    kind__startswith="vitamin_a").values_list("person_id", flat=True)
        )
        out = []
        for m in rows:
            fields = _person_fields(m.person, fmt)
            fields.update({
                "tanggal_ukur": _fmt_date(m.measured_on, fmt),
                "umur_bulan": m.age_months if m.age_months is not None else "",
                "berat": _num(m.weight_kg),
                "tinggi": _num(m.length_cm),
                "cara_ukur": METHOD.get(m.length_method, "") if m.length_cm is not None else "",
                "lingkar_kepala": _num(m.head_cm),
                "lila": _num(m.muac_cm),
                "vitamin_a": "Ya" if m.person_id in vitamin_a else "",
                "bbu_z": round(m.bbu_z, 2) if m.bbu_z is not None else "",
                "tbu_z": round(m.tbu_z, 2) if m.tbu_z is not None else "",
                "bbtb_z": round(m.bbtb_z, 2) if m.bbtb_z is not None else "",
            })
            out.append(fields)
        return out
    if section == "asik" and sheet_key == "imunisasi":
        vaccines = table("vaccine_codes", last)["vaccines"]
        doses = (Immunisation.objects.for_user(user, "reports")
                 .filter(posyandu=posyandu, given_on__gte=first, given_on__lte=last)
                 .select_related("person__household", "person__mother",
                                 "person__posyandu__desa__puskesmas")
                 .order_by("given_on", "person__name"))
        out = []
        for dose in doses:
            spec = vaccines.get(dose.vaccine, {})
            fields = _person_fields(dose.person, fmt)
            fields.update({
                "vaksin": spec.get("label", dose.vaccine),
                "kode_kfa": spec.get("kfa") or "",
                "tanggal_imunisasi": _fmt_date(dose.given_on, fmt),
                "no_batch": dose.batch_no,
                "posyandu": posyandu.nama,
            })
            out.append(fields)
        return out
    raise ValueError(f"unknown sheet {section}/{sheet_key}")


def build(user, posyandu, month: date, kind: str) -> tuple[str, list[Sheet]]:
    """(file base name, sheets) of an export kind (see KINDS)."""
    section, only = KINDS[kind]
    spec = table("export_columns", month_end(month))[section]
    sheets = []
    for sheet in spec["sheets"]:
        if only and sheet["key"] != only:
            continue
        records = field_rows(user, posyandu, month, section, sheet["key"])
        columns = sheet["columns"]
        rows = [[safe_cell(r.get(c["field"], "")) for c in columns] for r in records]
        empty = [c["header"] for c in columns
                 if c["field"] in NOT_RECORDED or (records and c["field"] not in records[0])]
        sheets.append(Sheet(sheet["title"], [safe_cell(c["header"]) for c in columns], rows,
                            empty))
    name = f"{spec['filename']}-{posyandu.nama}-{month:%Y-%m}".replace(" ", "_")
    if only:
        name += f"-{only.replace('_', '-')}"
    return name, sheets


def to_csv(sheet: Sheet) -> bytes:
    """UTF-8 with BOM, semicolon separated (Excel set to Indonesian)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(sheet.headers)
    writer.writerows(sheet.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(sheets: list[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title[:31])
        ws.append(sheet.headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append(row)
        for col in ws.iter_cols(min_row=2):
            for cell in col:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula (openpyxl reads '=' as one)
                    cell.number_format = "@"
        for i, header in enumerate(sheet.headers, start=1):
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(
                12, len(str(header)) + 2)
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def empty_note(sheets: list[Sheet]) -> dict[str, list[str]]:
    return {s.title: s.empty_fields for s in sheets if s.empty_fields}


def count_by_sheet(sheets: list[Sheet]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for s in sheets:
        counts[s.title] = len(s.rows)
    return dict(counts)
