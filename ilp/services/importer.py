"""Import visits and measurements of one service day from a CSV or XLSX file.

For kader who wrote on paper during an outage, and for posyandu moving from
spreadsheets. Each row names a person (NIK, or name + birth date [+ mother's
name], matched inside the day's posyandu; ``daftar_baru`` = "ya" registers a
person not found) and carries the measurement set. A row goes through the same
services as the pages (``visit_register``, ``measurement_record``,
``visit_move``), inside its own savepoint: a failing row saves nothing at all
(not even its visit) and is reported with its row number and the messages keyed
by column; the other rows are saved.

Re-importing the same file saves nothing twice: the visit's client_id is a
uuid5 of the day and the row's identity, and a visit that already holds the
same measurement set is reported as unchanged. An import never overwrites a
measurement set with different values (that is a correction, made on the
visit page, where the old values stay in the history).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import uuid as uuidlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ilp.growth.age import age_in_days
from ilp.identity import IdentityError, clean_digits, normalise_name, parse_nik
from ilp.measure_input import CONFIRM_HINT, NUMERIC_FIELDS, parse_decimal
from ilp.models import Measurement, Person, ServiceDay, Step
from ilp.services.day import require_open, visit_move, visit_register
from ilp.services.measurements import UnusualValues, measurement_record
from ilp.services.registry import DuplicateSuspected, person_create
from posyandu.scoping import has_perm

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 60
ROW_KEY = "_baris"  # the row's number in the file (the header is row 1)
ROW = ""  # error key for the row as a whole
EXAMPLE_PREFIX = "contoh"  # the template's example rows; skipped if left in the file
LYING_UNTIL_DAYS = 731  # as the visit page: telentang (PB) under 731 days, berdiri (TB) from then

# The template's columns, in order, with what to write in them.
COLUMNS: list[tuple[str, str]] = [
    ("nik", "NIK 16 angka. Boleh kosong jika nama dan tanggal_lahir diisi."),
    ("nama", "Nama lengkap sasaran."),
    ("tanggal_lahir", "Tanggal lahir, misalnya 15-01-2024."),
    ("nama_ibu", "Nama ibu kandung; membantu mencari anak yang belum punya NIK."),
    ("daftar_baru",
     "Isi ya jika sasaran belum terdaftar; isi juga jenis_kelamin dan tanggal_lahir."),
    ("jenis_kelamin", "L (laki-laki) atau P (perempuan); wajib untuk daftar_baru."),
    ("berat_kg", "Berat badan dalam kg, misalnya 10,5 (bukan gram)."),
    ("panjang_tinggi_cm", "Panjang/tinggi badan dalam cm, misalnya 78,5."),
    ("cara_ukur",
     "telentang atau berdiri. Kosong: telentang di bawah 2 tahun, berdiri sesudahnya."),
    ("lingkar_kepala_cm", "Lingkar kepala dalam cm."),
    ("lila_cm", "Lingkar lengan atas (LiLA) dalam cm."),
    ("lingkar_perut_cm", "Lingkar perut dalam cm."),
    ("sistolik", "Tekanan darah sistolik (mmHg), misalnya 120."),
    ("diastolik", "Tekanan darah diastolik (mmHg), misalnya 80."),
    ("konfirmasi_tidak_biasa", "Isi ya jika nilai yang tidak biasa sudah diukur ulang dan benar."),
]
COLUMN_NAMES = [name for name, _ in COLUMNS]
MEASURE_COLUMNS = {
    "berat_kg": "weight_kg", "panjang_tinggi_cm": "length_cm", "lingkar_kepala_cm": "head_cm",
    "lila_cm": "muac_cm", "lingkar_perut_cm": "waist_cm", "sistolik": "systolic",
    "diastolik": "diastolic",
}
# Service field -> the column its message belongs to.
FIELD_COLUMN = {v: k for k, v in MEASURE_COLUMNS.items()} | {
    "length_method": "cara_ukur", "name": "nama", "birth_date": "tanggal_lahir", "nik": "nik",
    "sex": "jenis_kelamin", "mother_name": "nama_ibu", "confirm_unusual": "konfirmasi_tidak_biasa",
}
HEADER_ALIASES = {
    "tgl_lahir": "tanggal_lahir", "jk": "jenis_kelamin", "nama_lengkap": "nama",
    "nama_sasaran": "nama", "berat_badan_kg": "berat_kg", "bb_kg": "berat_kg",
    "lila": "lila_cm", "lingkar_lengan_atas_cm": "lila_cm", "konfirmasi": "konfirmasi_tidak_biasa",
}
METHODS = {
    "telentang": "lying", "terlentang": "lying", "berbaring": "lying", "pb": "lying",
    "lying": "lying", "berdiri": "standing", "tb": "standing", "standing": "standing",
}
YES = {"ya", "y", "yes", "1", "true", "benar"}
NO = {"tidak", "t", "no", "n", "0", "false", "", "bukan"}
SEXES = {
    "l": "L", "lk": "L", "laki": "L", "laki_laki": "L", "p": "P", "pr": "P", "perempuan": "P",
    "wanita": "P",
}
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d")
_NAMESPACE = uuidlib.uuid5(uuidlib.NAMESPACE_URL, "posyandu-ilp:impor-hari-buka")

HEADER_HINT = (
    "Baris pertama berkas harus berisi judul kolom seperti pada template "
    "(nik, nama, tanggal_lahir, berat_kg, ...). Unduh template lalu salin datanya ke sana."
)


class Status:
    SAVED = "saved"
    READY = "ready"  # dry run: would be saved
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    ERROR = "error"


STATUS_LABELS = {
    Status.SAVED: "Tersimpan",
    Status.READY: "Siap disimpan",
    Status.UNCHANGED: "Sudah tersimpan sebelumnya, tidak berubah",
    Status.SKIPPED: "Dilewati",
    Status.ERROR: "Perlu diperbaiki; baris ini tidak disimpan",
}


@dataclass
class RowResult:
    number: int
    person_label: str = ""
    status: str = Status.ERROR
    errors: dict[str, list[str]] = field(default_factory=dict)  # column ("" = the row) -> messages
    notes: list[str] = field(default_factory=list)
    person: Person | None = None
    visit_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.status != Status.ERROR

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def error_list(self) -> list[tuple[str, str]]:
        return [(column, m) for column, messages in self.errors.items() for m in messages]


@dataclass
class ImportReport:
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def _count(self, *statuses: str) -> int:
        return sum(1 for r in self.rows if r.status in statuses)

    @property
    def saved_count(self) -> int:
        return self._count(Status.SAVED, Status.READY)

    @property
    def unchanged_count(self) -> int:
        return self._count(Status.UNCHANGED)

    @property
    def skipped_count(self) -> int:
        return self._count(Status.SKIPPED)

    @property
    def error_count(self) -> int:
        return self._count(Status.ERROR)


# --- the template -------------------------------------------------------------------------

def template_rows() -> list[list[str]]:
    """The header and two example rows (names start with "Contoh": skipped on import)."""
    example_known = {
        "nik": "3509014401240001", "nama": "Contoh Anak Terdaftar", "tanggal_lahir": "04-01-2024",
        "daftar_baru": "tidak", "jenis_kelamin": "P", "berat_kg": "10,5",
        "panjang_tinggi_cm": "80,5", "cara_ukur": "berdiri", "lingkar_kepala_cm": "46",
        "lila_cm": "14,5", "konfirmasi_tidak_biasa": "tidak",
    }
    example_new = {
        "nama": "Contoh Bayi Baru", "tanggal_lahir": "01-06-2025", "nama_ibu": "Contoh Ibu",
        "daftar_baru": "ya", "jenis_kelamin": "L", "berat_kg": "7,2",
        "panjang_tinggi_cm": "66", "cara_ukur": "telentang", "lingkar_kepala_cm": "43",
    }
    examples = [[row.get(c, "") for c in COLUMN_NAMES] for row in (example_known, example_new)]
    return [list(COLUMN_NAMES), *examples]


def template_csv() -> bytes:
    """Semicolon separated with a BOM: opens in columns in Excel set to Indonesian."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(template_rows())
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    for row in template_rows():
        ws.append(row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    # NIK as text: Excel keeps only 15 digits of a number.
    nik_col = COLUMN_NAMES.index("nik") + 1
    for r in range(2, MAX_ROWS + 2):
        ws.cell(row=r, column=nik_col).number_format = "@"
    for i, name in enumerate(COLUMN_NAMES, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(12, len(name) + 2)
    ws.column_dimensions["A"].width = 20
    ws.freeze_panes = "A2"
    help_sheet = wb.create_sheet("Petunjuk")
    help_sheet.append(["kolom", "isi"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for name, text in COLUMNS:
        help_sheet.append([name, text])
    help_sheet.append([])
    help_sheet.append(["", "Hanya lembar pertama (Data) yang dibaca. Baris contoh boleh dihapus; "
                           "baris yang namanya diawali \"Contoh\" dilewati."])
    help_sheet.column_dimensions["A"].width = 24
    help_sheet.column_dimensions["B"].width = 90
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading a file -------------------------------------------------------------------------

def normalise_header(value) -> str:
    """ "Berat (kg)" -> "berat_kg"; "Panjang/Tinggi cm" -> "panjang_tinggi_cm"."""
    text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return HEADER_ALIASES.get(key, key)


def parse_upload(file) -> list[dict]:
    """Rows of an uploaded CSV (UTF-8 with or without BOM, comma or semicolon
    separated) or XLSX (first sheet) file, as dicts keyed by normalised header,
    each with its row number under ``ROW_KEY``. Empty rows are left out.
    Raises ValidationError (Indonesian) for a file that is too big, has too many
    rows, or cannot be read."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(_too_big())
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_BYTES + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise ValidationError(_too_big())
    if not data.strip():
        raise ValidationError("Berkas kosong.")
    name = (getattr(file, "name", "") or "").lower()
    if data[:4] == b"PK\x03\x04":
        return _to_rows(_xlsx_table(data))
    if name.endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ValidationError(
            "Berkas .xls (Excel lama) tidak bisa dibaca. Simpan sebagai .xlsx atau CSV."
        )
    return _to_rows(_csv_table(data))


def _too_big() -> str:
    return (
        f"Berkas lebih dari {MAX_BYTES // (1024 * 1024)} MB. "
        f"Bagi menjadi beberapa berkas (paling banyak {MAX_ROWS} baris)."
    )


def _too_many() -> str:
    return f"Berkas berisi lebih dari {MAX_ROWS} baris data. Bagi menjadi beberapa berkas."


def _csv_table(data: bytes) -> Iterator[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:  # "CSV (dipisahkan koma)" from Excel on Windows
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ValidationError(
                "Berkas tidak bisa dibaca. Simpan sebagai \"CSV UTF-8\" atau .xlsx."
            ) from None
    text = text.lstrip("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        delimiter = ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise ValidationError(f"Berkas CSV rusak: {exc}.") from None


def _xlsx_table(data: bytes) -> Iterator[list]:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ValidationError(
            "Berkas XLSX tidak bisa dibaca. Buka di Excel, simpan ulang sebagai .xlsx, "
            "lalu coba lagi."
        ) from exc
    try:
        if not wb.worksheets:
            raise ValidationError("Berkas XLSX tidak berisi lembar data.")
        ws = wb.worksheets[0]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # the stored size is not always right
        try:
            for row in ws.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                yield list(row)
        except (KeyError, ValueError, TypeError) as exc:
            raise ValidationError(
                "Berkas XLSX rusak; simpan ulang di Excel lalu coba lagi."
            ) from exc
    finally:
        wb.close()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _to_rows(table: Iterable[list]) -> list[dict]:
    rows: list[dict] = []
    header: list[str] | None = None
    for number, cells in enumerate(table, start=1):
        cells = list(cells)[:MAX_COLUMNS]
        if header is None:
            if all(_blank(c) for c in cells):
                continue  # blank lines above the header
            header = [normalise_header(c) for c in cells]
            named = [h for h in header if h]
            if duplicated := sorted({h for h in named if named.count(h) > 1}):
                raise ValidationError(f"Kolom {', '.join(duplicated)} muncul lebih dari sekali.")
            if not {"nik", "nama"} & set(named):
                raise ValidationError(HEADER_HINT)
            continue
        if all(_blank(c) for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationError(_too_many())
        row = {ROW_KEY: number}
        for key, value in zip(header, cells, strict=False):
            if key:
                row[key] = value.strip() if isinstance(value, str) else value
        rows.append(row)
    if header is None:
        raise ValidationError("Berkas kosong.")
    return rows


# --- importing rows -------------------------------------------------------------------------

def import_rows(
    *, user, day: ServiceDay, rows: list[Mapping], dry_run: bool = False
) -> ImportReport:
    """Import ``rows`` (as from ``parse_upload``) into ``day``. Each row is saved
    or refused as a whole; ``dry_run`` checks every row and saves nothing.
    Raises PermissionDenied (not a kader of the day's posyandu) or
    ValidationError (the day is not open; too many rows)."""
    if not has_perm(user, "service.kader", day.posyandu_id):
        raise PermissionDenied("Anda tidak berwenang mengimpor data ke posyandu ini.")
    if len(rows) > MAX_ROWS:
        raise ValidationError(_too_many())
    day = ServiceDay.objects.select_related("posyandu").get(pk=day.pk)
    require_open(day)
    known = set(COLUMN_NAMES) | {ROW_KEY}
    ignored = sorted({k for row in rows for k in row if k and k not in known})
    report = ImportReport(dry_run=dry_run, ignored_columns=ignored)
    seen: dict[int, int] = {}  # person pk -> the row that saved it
    if dry_run:
        with transaction.atomic():
            for index, row in enumerate(rows):
                report.rows.append(_import_row(user, day, row, index, seen, dry_run=True))
            transaction.set_rollback(True)
    else:
        for index, row in enumerate(rows):
            report.rows.append(_import_row(user, day, row, index, seen, dry_run=False))
    return report


def _import_row(user, day: ServiceDay, row: Mapping, index: int, seen: dict, *, dry_run: bool):
    number = row.get(ROW_KEY) or index + 2
    result = RowResult(number=number, person_label=_text(row.get("nama")) or _text(row.get("nik")))
    if _text(row.get("nama")).lower().startswith(EXAMPLE_PREFIX + " "):
        result.status = Status.SKIPPED
        result.notes.append("Baris contoh dari template; hapus baris ini dari berkas.")
        return result
    try:
        with transaction.atomic():
            _save_row(user, day, row, result, seen, dry_run=dry_run)
    except UnusualValues as exc:
        result.errors = _errors(exc)
        result.errors.setdefault("konfirmasi_tidak_biasa", []).append(
            "Ukur ulang. Jika nilainya sudah benar, isi konfirmasi_tidak_biasa dengan ya."
        )
    except ValidationError as exc:
        result.errors = _errors(exc)
    except PermissionDenied as exc:
        result.errors = {ROW: [str(exc) or "Anda tidak berwenang."]}
    if result.errors:
        result.status = Status.ERROR
        result.visit_id = None
        result.notes = []
    return result


def _save_row(user, day: ServiceDay, row: Mapping, result: RowResult, seen: dict, *, dry_run):
    person, identity, created = _resolve_person(user, day, row)
    result.person, result.person_label = person, f"{person.name} ({person.birth_date:%d-%m-%Y})"
    if created:
        result.notes.append(
            "Sasaran baru akan didaftarkan." if dry_run else "Sasaran baru didaftarkan."
        )
    if person.pk in seen:
        raise ValidationError(f"Sasaran ini sudah ada di baris {seen[person.pk]}.")
    data, confirm = _measurement_data(row, person, day)
    visit, _ = visit_register(
        user=user, day=day, person=person, client_id=_client_id(day, identity)
    )
    result.visit_id = visit.pk
    existing = Measurement.objects.filter(visit=visit).first()
    if existing is not None:
        same = _same_values(existing, data)
        if same:
            result.status = Status.UNCHANGED
            seen[person.pk] = result.number
            return
        if same is False:
            raise ValidationError(
                "Kunjungan sasaran ini pada hari buka ini sudah punya hasil ukur dengan "
                "nilai lain. Impor tidak menimpa hasil yang sudah ada; ubah lewat halaman "
                "kunjungan jika perlu."
            )
        # same is None: a value cannot be read; measurement_record says which.
    measurement_record(user=user, visit=visit, data=data, confirm_unusual=confirm)
    if visit.step == Step.MEASURE:  # as the visit page: measured -> step 3
        visit_move(user=user, visit=visit, to=Step.RECORD)
    result.status = Status.READY if dry_run else Status.SAVED
    seen[person.pk] = result.number


def _client_id(day: ServiceDay, identity: str) -> uuidlib.UUID:
    """The same row of the same file for the same day gives the same visit."""
    return uuidlib.uuid5(_NAMESPACE, f"{day.uuid}|{identity}")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _yes(value, column: str, errors: dict) -> bool:
    text = _text(value).lower()
    if text in YES:
        return True
    if text not in NO:
        errors.setdefault(column, []).append(f"Isi {column} dengan ya atau tidak.")
    return False


def _parse_date(value) -> date | None:
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            # a calendar date: no time, so no time zone
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError("Tulis tanggal_lahir seperti 15-01-2024 (tanggal-bulan-tahun).")


def _read_nik(value, errors: dict) -> str:
    if _blank(value):
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        errors.setdefault("nik", []).append(
            "NIK tersimpan sebagai angka, sehingga angka terakhirnya bisa berubah. "
            "Format kolom nik sebagai Teks lalu ketik ulang NIK-nya."
        )
        return ""
    text = _text(value).lstrip("'")
    if "e+" in text.lower():
        errors.setdefault("nik", []).append(
            "NIK terbaca sebagai angka pendek (misalnya 3,5E+15). "
            "Format kolom nik sebagai Teks lalu ketik ulang NIK-nya."
        )
        return ""
    try:
        parse_nik(text)
    except IdentityError as exc:
        errors.setdefault("nik", []).append(str(exc))
        return ""
    return clean_digits(text)


def _name_agrees(given: str, person: Person) -> bool:
    """The row's name and the registered one share their words (one may be shorter)."""
    a, b = set(normalise_name(given).split()), set(person.name_key.split())
    return bool(a and b) and (a <= b or b <= a)


def _resolve_person(user, day: ServiceDay, row: Mapping) -> tuple[Person, str, bool]:
    """The person the row names, in the day's posyandu: (person, identity, created)."""
    errors: dict[str, list[str]] = {}
    nik = _read_nik(row.get("nik"), errors)
    name = _text(row.get("nama"))
    mother_name = _text(row.get("nama_ibu"))
    try:
        birth = _parse_date(row.get("tanggal_lahir"))
    except ValueError as exc:
        errors.setdefault("tanggal_lahir", []).append(str(exc))
        birth = None
    register = _yes(row.get("daftar_baru"), "daftar_baru", errors)
    if errors:
        raise ValidationError(errors)
    if not nik and not (name and birth):
        raise ValidationError({ROW: ["Isi nik, atau nama dan tanggal_lahir sasaran."]})

    scoped = (
        Person.objects.for_user(user).active().filter(posyandu_id=day.posyandu_id)
        .select_related("mother")
    )
    where = f"di Posyandu {day.posyandu}"
    if nik:
        identity = f"nik:{nik}"
        found = list(scoped.filter(nik=nik)[:2])
        if found:
            person = found[0]
            if name and not _name_agrees(name, person):
                raise ValidationError({"nik": [
                    f"NIK ini terdaftar atas nama {person.name}, bukan {name}. Periksa NIK-nya."
                ]})
            if birth and birth != person.birth_date:
                raise ValidationError({"tanggal_lahir": [
                    f"Tanggal lahir berbeda dengan data sasaran ({person.birth_date:%d-%m-%Y})."
                ]})
            return person, identity, False
        missing = f"Sasaran dengan NIK ini tidak ditemukan {where}."
    else:
        key, mother_key = normalise_name(name), normalise_name(mother_name)
        identity = f"nama:{key}|{birth.isoformat()}|{mother_key}"
        found = list(scoped.filter(name_key=key, birth_date=birth))
        if mother_key:
            found = [p for p in found if _mother_agrees(p, mother_key)]
        if len(found) == 1:
            return found[0], identity, False
        if len(found) > 1:
            raise ValidationError({ROW: [
                f"Ada {len(found)} sasaran bernama {name} lahir {birth:%d-%m-%Y} {where}. "
                "Isi nik atau nama_ibu agar jelas siapa yang dimaksud."
            ]})
        missing = f"Sasaran {name} lahir {birth:%d-%m-%Y} tidak ditemukan {where}."
    if not register:
        raise ValidationError({ROW: [
            f"{missing} Periksa penulisannya, atau isi daftar_baru dengan ya untuk mendaftarkannya."
        ]})
    person = _register(user, day, row, nik=nik, name=name, birth=birth, mother_name=mother_name)
    return person, identity, True


def _mother_agrees(person: Person, mother_key: str) -> bool:
    known = []
    if person.mother_name:
        known.append(normalise_name(person.mother_name))
    if person.mother_id:
        known.append(person.mother.name_key)
    return not known or mother_key in known


def _register(user, day, row, *, nik, name, birth, mother_name) -> Person:
    sex = _text(row.get("jenis_kelamin"))
    data = {
        "name": name, "sex": SEXES.get(normalise_header(sex), sex), "birth_date": birth,
        "nik": nik, "mother_name": mother_name,
    }
    try:
        return person_create(user=user, posyandu=day.posyandu, data=data)
    except DuplicateSuspected as exc:
        who = "; ".join(
            f"{p.name} lahir {p.birth_date:%d-%m-%Y} (Posyandu {p.posyandu})"
            for p in exc.candidates
        )
        raise ValidationError({ROW: [
            f"Kemungkinan sudah terdaftar: {who}. Tulis nama, tanggal lahir dan nama ibu "
            "seperti di daftar sasaran (atau NIK-nya), dan kosongkan daftar_baru."
        ]}) from None


def _measurement_data(row: Mapping, person: Person, day: ServiceDay) -> tuple[dict, bool]:
    errors: dict[str, list[str]] = {}
    data: dict[str, object] = {}
    for column, name in MEASURE_COLUMNS.items():
        value = row.get(column)
        data[name] = value.strip() if isinstance(value, str) else value
    method = _text(row.get("cara_ukur")).lower()
    if method:
        if method not in METHODS:
            errors.setdefault("cara_ukur", []).append(
                "Isi cara_ukur dengan telentang atau berdiri."
            )
        data["length_method"] = METHODS.get(method, "")
    elif not _blank(data["length_cm"]) and person.birth_date <= day.date:
        young = age_in_days(person.birth_date, day.date) < LYING_UNTIL_DAYS
        data["length_method"] = "lying" if young else "standing"
    else:
        data["length_method"] = ""
    confirm = _yes(row.get("konfirmasi_tidak_biasa"), "konfirmasi_tidak_biasa", errors)
    if errors:
        raise ValidationError(errors)
    return data, confirm


def _same_values(m: Measurement, data: Mapping) -> bool | None:
    """Whether the row holds exactly the stored set; None if a value cannot be read."""
    for name in NUMERIC_FIELDS:
        try:
            value = parse_decimal(data.get(name) if not _blank(data.get(name)) else None)
        except ValueError:
            return None
        stored = getattr(m, name)
        if (value is None) != (stored is None):
            return False
        if value is not None and Decimal(value) != Decimal(stored):
            return False
    method = (data.get("length_method") or "") if m.length_cm is not None else ""
    return method == (m.length_method or "")


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    """The service's messages keyed by the file's column ("" = the row)."""
    out: dict[str, list[str]] = {}
    if hasattr(exc, "error_dict"):
        items = exc.message_dict.items()
    else:
        items = [(ROW, exc.messages)]
    for key, messages in items:
        column = key if key in COLUMN_NAMES else FIELD_COLUMN.get(key, ROW)
        for message in messages:
            message = message.replace(CONFIRM_HINT, "").strip()
            out.setdefault(column, []).append(message)
    return out
