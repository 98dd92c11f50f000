"""Import the kader's own wide monthly recap: one row per child (NIK, nama,
tanggal lahir, JK, nama ibu) and, per month, TGL UKUR / BERAT / TINGGI /
CARA UKUR (UMUR is ignored: the age comes from the dates).

Two layouts are read:
- one header row with the month in each heading ("JANUARI_TANGGALUKUR",
  "JAN BERAT", "BERAT FEBRUARI" ...), as sitracks-stunting's template;
- two header rows: the month names above (merged cells are fine), the field
  names below.

Each (child, month) becomes one row for the day importer
(``ilp.services.importer``: the same services as the form), on the service
day of its TGL UKUR: an existing open day is used; a missing or planned day is
opened for the import and closed after it. A closed day is not reopened: a
month already saved there is reported unchanged, anything else is refused
with the reason. Every cell is checked; errors are listed by row and month; a
failing month of a child is refused alone. Re-importing the same file saves
nothing twice. A dry run checks everything and saves nothing.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ilp.models import Measurement, Person, ServiceDay, Visit
from interop.deps import (
    day_importer,
    measurement_unchanged,
    normalise_name,
    service_day_close,
    service_day_open,
    service_day_schedule,
)
from posyandu.scoping import has_perm

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 120
MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agus": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "nop": 11, "desember": 12, "des": 12,
}
MONTH_NAMES = ["", "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
               "September", "Oktober", "November", "Desember"]
# Field words (after the month word is taken out) -> our field.
FIELDS = {
    "tgl_ukur": "tgl", "tanggal_ukur": "tgl", "tanggalukur": "tgl", "tglukur": "tgl",
    "tgl": "tgl", "tanggal": "tgl", "tgl_timbang": "tgl", "tanggal_timbang": "tgl",
    "berat": "berat", "bb": "berat", "berat_badan": "berat", "berat_kg": "berat",
    "bb_kg": "berat",
    "tinggi": "tinggi", "tb": "tinggi", "pb": "tinggi", "panjang": "tinggi",
    "tinggi_badan": "tinggi", "pb_tb": "tinggi", "tb_pb": "tinggi", "tinggi_cm": "tinggi",
    "cara_ukur": "cara", "caraukur": "cara", "cara": "cara",
    "umur": "umur", "usia": "umur", "umur_bulan": "umur",
    "lila": "lila", "lk": "lk", "lingkar_kepala": "lk",
}
FIELD_LABELS = {"tgl": "TGL UKUR", "berat": "BERAT", "tinggi": "TINGGI", "cara": "CARA UKUR",
                "lila": "LILA", "lk": "LINGKAR KEPALA"}
NARROW = {"berat": "berat_kg", "tinggi": "panjang_tinggi_cm", "cara": "cara_ukur",
          "lila": "lila_cm", "lk": "lingkar_kepala_cm"}
# The day importer's columns -> our field, for the messages.
BACK = {v: k for k, v in NARROW.items()}
IDENTITY = {
    "nik": "nik", "nik_anak": "nik", "nama": "nama", "nama_anak": "nama",
    "nama_lengkap": "nama", "tanggal_lahir": "tanggal_lahir", "tgl_lahir": "tanggal_lahir",
    "jk": "jenis_kelamin", "jenis_kelamin": "jenis_kelamin", "l_p": "jenis_kelamin",
    "nama_ibu": "nama_ibu", "ibu": "nama_ibu", "nama_orang_tua": "nama_ibu",
}
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d")


class Status:
    SAVED = "saved"
    READY = "ready"
    UNCHANGED = "unchanged"
    ERROR = "error"


STATUS_LABELS = {
    Status.SAVED: "Tersimpan",
    Status.READY: "Siap disimpan",
    Status.UNCHANGED: "Sudah tersimpan, tidak berubah",
    Status.ERROR: "Ditolak",
}


@dataclass
class MonthResult:
    row: int
    month: int
    person_label: str
    on: date | None = None
    status: str = Status.ERROR
    errors: list[str] = field(default_factory=list)  # "BERAT Januari: ..." style
    notes: list[str] = field(default_factory=list)

    @property
    def month_name(self) -> str:
        return MONTH_NAMES[self.month]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class WideReport:
    dry_run: bool
    results: list[MonthResult] = field(default_factory=list)
    row_errors: dict[int, list[str]] = field(default_factory=dict)  # identity problems
    ignored_columns: list[str] = field(default_factory=list)
    months: list[int] = field(default_factory=list)

    def count(self, *statuses) -> int:
        return sum(1 for r in self.results if r.status in statuses)

    @property
    def saved_count(self) -> int:
        return self.count(Status.SAVED, Status.READY)

    @property
    def unchanged_count(self) -> int:
        return self.count(Status.UNCHANGED)

    @property
    def error_count(self) -> int:
        return self.count(Status.ERROR) + len(self.row_errors)

    def errors_by_row(self) -> list[tuple[int, str, list[str]]]:
        """(row, child, messages) for every row with an error, in file order."""
        out: dict[int, tuple[str, list[str]]] = {}
        for row, messages in self.row_errors.items():
            out.setdefault(row, ("", []))[1].extend(messages)
        for r in self.results:
            if r.status == Status.ERROR:
                label, messages = out.setdefault(r.row, (r.person_label, []))
                messages.extend(f"{r.month_name}: {m}" for m in r.errors)
                if not label:
                    out[r.row] = (r.person_label, messages)
        return [(row, out[row][0], out[row][1]) for row in sorted(out)]


# --- reading -----------------------------------------------------------------------------------

def _key(value) -> str:
    text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _table(data: bytes) -> list[list]:
    if data[:4] == b"PK\x03\x04":
        import zipfile

        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
            raise ValidationError("Berkas XLSX tidak bisa dibaca; simpan ulang di Excel.") from exc
        try:
            ws = wb.worksheets[0]
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()
            rows = [list(r) for r in ws.iter_rows(max_col=MAX_COLUMNS, values_only=True)]
        finally:
            wb.close()
        return rows
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ValidationError("Berkas .xls (Excel lama) tidak bisa dibaca. Simpan sebagai .xlsx.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", "replace")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    return [row[:MAX_COLUMNS] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _month_and_field(key: str) -> tuple[int | None, str | None]:
    words = key.split("_")
    month = None
    for i, w in enumerate(words):
        if w in MONTHS:
            month = MONTHS[w]
            words = words[:i] + words[i + 1:]
            break
    rest = "_".join(words)
    return month, FIELDS.get(rest)


@dataclass
class Layout:
    header_rows: int
    identity: dict[int, str]  # column -> identity field
    months: dict[int, tuple[int, str]]  # column -> (month, field)
    ignored: list[str]


def read_layout(rows: list[list]) -> Layout:
    body = [r for r in rows if not all(_blank(c) for c in r)]
    if not body:
        raise ValidationError("Berkas kosong.")
    top = [_key(c) for c in body[0]]
    if any(IDENTITY.get(k) == "nama" or k == "nik" for k in top):
        one = _layout_from([top], 1)
        if one.months:
            return one
    if len(body) > 1:
        second = [_key(c) for c in body[1]]
        carried, current = [], ""
        for k in top:  # merged month cells: the name stands in the first column only
            if k and k.split("_")[0] in MONTHS:
                current = k
            elif k:
                current = ""
            carried.append(current)
        combined = [f"{m}_{s}" if m and s else (s or m) for m, s in zip(carried, second,
                                                                        strict=False)]
        # identity headings may stand in the first row of a two-row header
        combined = [c if c else t for c, t in zip(combined, top, strict=False)]
        two = _layout_from([combined], 2)
        if two.months:
            return two
    raise ValidationError(
        "Judul kolom tidak dikenali. Baris judul harus berisi NIK, NAMA, TGL LAHIR, JK, "
        "NAMA IBU lalu untuk setiap bulan TGL UKUR, BERAT, TINGGI, CARA UKUR (misalnya "
        "JANUARI_TGL UKUR, JANUARI_BERAT), atau nama bulan di baris pertama dan nama kolom "
        "di baris kedua."
    )


def _layout_from(header: list[list[str]], n: int) -> Layout:
    identity, months, ignored = {}, {}, []
    for col, key in enumerate(header[0]):
        if not key or key in ("no", "nomor", "no_urut"):
            continue
        if key in IDENTITY:
            identity[col] = IDENTITY[key]
            continue
        month, fld = _month_and_field(key)
        if month and fld:
            if fld != "umur":
                months[col] = (month, fld)
        else:
            ignored.append(key)
    return Layout(n, identity, months, ignored)


def parse_upload(file) -> tuple[Layout, list[tuple[int, list]]]:
    """(layout, [(row number, cells)]) of an uploaded CSV/XLSX."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError("Berkas lebih dari 2 MB; bagi menjadi beberapa berkas.")
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_BYTES + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise ValidationError("Berkas lebih dari 2 MB; bagi menjadi beberapa berkas.")
    if not data.strip():
        raise ValidationError("Berkas kosong.")
    rows = _table(data)
    layout = read_layout(rows)
    numbered = [(i, r) for i, r in enumerate(rows, start=1) if not all(_blank(c) for c in r)]
    body = numbered[layout.header_rows:]
    if len(body) > MAX_ROWS:
        raise ValidationError(f"Berkas berisi lebih dari {MAX_ROWS} baris anak.")
    return layout, body


# --- cell checks -------------------------------------------------------------------------------

def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return " ".join(str(v).split())


def _date(v) -> date | None:
    if _blank(v):
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    text = _text(v)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar date)
        except ValueError:
            continue
    raise ValueError(f"tanggal {text!r} tidak terbaca; tulis seperti 15-01-2024")


@dataclass
class Cell:
    row: int
    month: int
    label: str
    on: date | None
    narrow: dict
    errors: list[str]


def _cells(layout: Layout, number: int, cells: list, today: date) -> tuple[dict, list[Cell]]:
    ident = {fld: cells[col] if col < len(cells) else None
             for col, fld in layout.identity.items()}
    person = {k: (_text(v) if k != "tanggal_lahir" else v) for k, v in ident.items()}
    if isinstance(person.get("nik"), str):
        person["nik"] = person["nik"].lstrip("'")
    if isinstance(ident.get("nik"), int | float) and not isinstance(ident.get("nik"), bool):
        person["nik"] = ident["nik"]  # the day importer explains numbers stored as NIK
    label = _text(ident.get("nama")) or _text(ident.get("nik"))
    by_month: dict[int, dict[str, object]] = {}
    for col, (month, fld) in layout.months.items():
        value = cells[col] if col < len(cells) else None
        if not _blank(value):
            by_month.setdefault(month, {})[fld] = value
    out = []
    for month in sorted(by_month):
        values = by_month[month]
        errors = []
        on = None
        measured = {k: v for k, v in values.items() if k != "tgl"}
        try:
            on = _date(values.get("tgl"))
        except ValueError as exc:
            errors.append(f"TGL UKUR: {exc}.")
        if on is None and not errors:
            errors.append("TGL UKUR kosong: isi tanggal penimbangan bulan ini.")
        if on is not None:
            if on.month != month:
                errors.append(f"TGL UKUR {on:%d-%m-%Y} bukan bulan {MONTH_NAMES[month]}.")
            if on > today:
                errors.append(f"TGL UKUR {on:%d-%m-%Y} belum terjadi.")
        if not measured:
            errors.append("Tidak ada BERAT atau TINGGI yang diisi.")
        narrow = {day_importer.ROW_KEY: number, **person, "daftar_baru": "tidak"}
        for fld, value in measured.items():
            narrow[NARROW[fld]] = value.strip() if isinstance(value, str) else value
        out.append(Cell(number, month, label, on, narrow, errors))
    return person, out


# --- importing ---------------------------------------------------------------------------------

def import_wide(*, user, posyandu, layout: Layout, rows, dry_run: bool,
                register_new: bool = False) -> WideReport:
    """Import the parsed rows into ``posyandu``. Raises PermissionDenied for a
    user who may not run the posyandu's service day."""
    if not has_perm(user, "service.kader", posyandu.pk):
        raise PermissionDenied("Anda tidak berwenang mengimpor data ke posyandu ini.")
    report = WideReport(dry_run=dry_run, ignored_columns=layout.ignored,
                        months=sorted({m for m, _ in layout.months.values()}))
    today = timezone.localdate()
    by_date: dict[date, list[Cell]] = {}
    for number, cells in rows:
        _, month_cells = _cells(layout, number, cells, today)
        for cell in month_cells:
            if register_new:
                cell.narrow["daftar_baru"] = "ya"
            if cell.errors:
                report.results.append(MonthResult(cell.row, cell.month, cell.label, cell.on,
                                                  errors=cell.errors))
            else:
                by_date.setdefault(cell.on, []).append(cell)
    with transaction.atomic():
        for on in sorted(by_date):
            report.results.extend(_import_date(user, posyandu, on, by_date[on], dry_run))
        if dry_run:
            transaction.set_rollback(True)
    report.results.sort(key=lambda r: (r.row, r.month))
    return report


def _import_date(user, posyandu, on: date, cells: list[Cell], dry_run: bool):
    day = ServiceDay.objects.filter(posyandu=posyandu, date=on).first()
    if day is not None and day.status == ServiceDay.Status.CLOSED:
        return [_closed_day(user, posyandu, day, c) for c in cells]
    opened_here = False
    try:
        with transaction.atomic():
            if day is None:
                day = service_day_schedule(user=user, posyandu=posyandu, on=on)
            if day.status == ServiceDay.Status.PLANNED:
                day = service_day_open(user=user, day=day)
                opened_here = True
    except (ValidationError, PermissionDenied) as exc:
        message = "; ".join(getattr(exc, "messages", [str(exc)]))
        return [MonthResult(c.row, c.month, c.label, on, errors=[
            f"Hari buka {on:%d-%m-%Y} tidak bisa dipakai: {message}"]) for c in cells]
    narrow = [c.narrow for c in cells]
    result = day_importer.import_rows(user=user, day=day, rows=narrow, dry_run=False)
    if opened_here:
        service_day_close(user=user, day=day)
    out = []
    for cell, r in zip(cells, result.rows, strict=True):
        m = MonthResult(cell.row, cell.month, r.person_label or cell.label, on)
        if r.status == day_importer.Status.ERROR:
            for column, message in r.error_list:
                label = FIELD_LABELS.get(BACK.get(column, ""), column.upper() if column else "")
                m.errors.append(f"{label}: {message}" if label else message)
        elif r.status == day_importer.Status.UNCHANGED:
            m.status = Status.UNCHANGED
        else:
            m.status = Status.READY if dry_run else Status.SAVED
            m.notes = list(r.notes)
        if opened_here and m.status in (Status.SAVED, Status.READY):
            m.notes.append(f"Hari buka {on:%d-%m-%Y} dicatat dari impor lalu ditutup.")
        out.append(m)
    return out


def _closed_day(user, posyandu, day: ServiceDay, cell: Cell) -> MonthResult:
    """A closed day is read-only: the month is unchanged if it is already saved
    with the same values, else refused."""
    result = MonthResult(cell.row, cell.month, cell.label, day.date)
    person = _find(user, posyandu, cell.narrow)
    if person is not None:
        m = Measurement.objects.filter(
            visit__in=Visit.objects.filter(person=person, date=day.date)).first()
        data = {"weight_kg": cell.narrow.get("berat_kg"),
                "length_cm": cell.narrow.get("panjang_tinggi_cm"),
                "head_cm": cell.narrow.get("lingkar_kepala_cm"),
                "muac_cm": cell.narrow.get("lila_cm"),
                "length_method": _method(cell.narrow, person.birth_date, day.date)}
        try:
            same = m is not None and measurement_unchanged(m, data)
        except (ValueError, TypeError):
            same = False
        if same:
            result.status = Status.UNCHANGED
            result.person_label = person.name
            return result
    result.errors.append(
        f"Hari buka {day.date:%d-%m-%Y} sudah ditutup. Bidan dapat membukanya kembali "
        "(dengan alasan), lalu impor ulang berkas ini."
    )
    return result


def _method(narrow: dict, birth: date, on: date) -> str:
    text = _text(narrow.get("cara_ukur")).lower()
    if text:
        return day_importer.METHODS.get(text, "")
    if _blank(narrow.get("panjang_tinggi_cm")):
        return ""
    return "lying" if (on - birth).days < day_importer.LYING_UNTIL_DAYS else "standing"


def _find(user, posyandu, narrow: dict) -> Person | None:
    scoped = Person.objects.for_user(user).active().filter(posyandu=posyandu)
    nik = _text(narrow.get("nik"))
    if nik:
        return scoped.filter(nik=nik).first()
    try:
        birth = _date(narrow.get("tanggal_lahir"))
    except ValueError:
        return None
    name = _text(narrow.get("nama"))
    if not (name and birth):
        return None
    found = list(scoped.filter(name_key=normalise_name(name), birth_date=birth)[:2])
    return found[0] if len(found) == 1 else None


def template_xlsx(year: int) -> bytes:
    """A blank recap in the two-row layout (months above, fields below)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = f"Rekap {year}"
    ident = ["NIK", "NAMA", "TGL LAHIR", "JK", "NAMA IBU"]
    fields = ["TGL UKUR", "BERAT", "TINGGI", "CARA UKUR"]
    ws.append(ident + [MONTH_NAMES[m].upper() if i == 0 else None
                       for m in range(1, 13) for i in range(len(fields))])
    ws.append([None] * len(ident) + fields * 12)
    for m in range(12):
        start = len(ident) + 1 + m * len(fields)
        ws.merge_cells(start_row=1, start_column=start, end_row=1,
                       end_column=start + len(fields) - 1)
        ws.cell(row=1, column=start).alignment = Alignment(horizontal="center")
    for row in ws.iter_rows(min_row=1, max_row=2):
        for cell in row:
            cell.font = Font(bold=True)
    for r in range(3, 503):
        ws.cell(row=r, column=1).number_format = "@"
    ws.freeze_panes = "F3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
