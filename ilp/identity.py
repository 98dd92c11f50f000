"""Identity numbers and names: pure checks, no ORM.

NIK: 16 digits ``PP KK CC DDMMYY SSSS``; women have DD + 40 (research-notes §7.1).
No. KK: 16 digits. BPJS/JKN card: 13 digits (length and digits only; the
internal structure is unconfirmed, research-notes §7.3).
Every message is in Bahasa Indonesia: it is shown to the kader as is.
"""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from dataclasses import dataclass
from datetime import date

_DIGITS = re.compile(r"\d+")


class IdentityError(ValueError):
    """A number that cannot be right; the message is for the user."""


def clean_digits(value: str | None) -> str:
    """Strip spaces, dots and dashes people type between digit groups."""
    return re.sub(r"[\s.\-]", "", value or "")


@dataclass(frozen=True)
class NikParts:
    area: str  # PPKKCC, where the NIK was issued (not the current domicile)
    day: int
    month: int
    year2: int
    female: bool
    serial: str


def parse_nik(value: str) -> NikParts:
    nik = clean_digits(value)
    if not nik.isdigit():
        raise IdentityError("NIK hanya boleh berisi angka.")
    if len(nik) != 16:
        raise IdentityError(f"NIK harus 16 angka; yang diisi {len(nik)} angka.")
    prov = int(nik[0:2])
    if not 11 <= prov <= 96:
        raise IdentityError("Dua angka pertama NIK (kode provinsi) tidak dikenal.")
    if nik[2:4] == "00" or nik[4:6] == "00":
        raise IdentityError("Kode kabupaten/kecamatan pada NIK tidak boleh 00.")
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    female = day > 40
    if female:
        day -= 40
    if not 1 <= month <= 12:
        raise IdentityError("Bulan lahir pada NIK (angka ke-9 dan 10) tidak mungkin.")
    # Feb 29 is possible in some year of the century, so allow 29 for February.
    max_day = 29 if month == 2 else monthrange(2001, month)[1]
    if not 1 <= day <= max_day:
        raise IdentityError(
            "Tanggal lahir pada NIK (angka ke-7 dan 8) tidak mungkin; "
            "untuk perempuan tanggal ditambah 40."
        )
    if nik[12:16] == "0000":
        raise IdentityError("Nomor urut NIK (4 angka terakhir) tidak boleh 0000.")
    return NikParts(nik[0:6], day, month, year2, female, nik[12:16])


def nik_conflicts(parts: NikParts, *, birth_date: date | None, sex: str | None) -> list[str]:
    """Soft checks of a valid NIK against the person's data, as warnings."""
    problems = []
    if sex and (sex == "P") != parts.female:
        problems.append(
            "Jenis kelamin tidak sesuai NIK (pada NIK perempuan, tanggal lahir ditambah 40)."
        )
    if birth_date and (birth_date.day, birth_date.month, birth_date.year % 100) != (
        parts.day,
        parts.month,
        parts.year2,
    ):
        problems.append("Tanggal lahir tidak sama dengan tanggal lahir pada NIK.")
    return problems


def validate_kk(value: str) -> str:
    kk = clean_digits(value)
    if not kk.isdigit() or len(kk) != 16:
        raise IdentityError(f"Nomor KK harus 16 angka; yang diisi {len(kk)} karakter.")
    if kk[0:2] < "11" or kk[0:2] > "96":
        raise IdentityError("Dua angka pertama nomor KK (kode provinsi) tidak dikenal.")
    return kk


def validate_bpjs(value: str) -> str:
    number = clean_digits(value)
    if not number.isdigit() or len(number) != 13:
        raise IdentityError(
            f"Nomor kartu BPJS/JKN harus 13 angka; yang diisi {len(number)} karakter."
        )
    return number


def validate_phone(value: str) -> str:
    phone = re.sub(r"[\s\-()]", "", value or "")
    if phone.startswith("+62"):
        phone = "0" + phone[3:]
    elif phone.startswith("62"):
        phone = "0" + phone[2:]
    if not phone.isdigit() or not phone.startswith("0") or not 9 <= len(phone) <= 14:
        raise IdentityError("Nomor HP harus diawali 0 atau +62 dan berisi 9–14 angka.")
    return phone


_HONORIFICS = {"an", "by", "bayi", "ny", "nn", "tn", "sdr", "sdri", "bu", "ibu", "bpk", "pak"}


def normalise_name(name: str) -> str:
    """A key for duplicate matching: lower case, no accents or punctuation,
    titles like "By." or "Ny." dropped, repeated letters folded."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z]+", text.lower())
    words = [w for w in words if w not in _HONORIFICS]
    folded = [re.sub(r"(.)\1+", r"\1", w) for w in words]
    # Old and new spellings people mix: "oe" -> "u", "dj" -> "j", "tj" -> "c".
    folded = [w.replace("oe", "u").replace("dj", "j").replace("tj", "c") for w in folded]
    return " ".join(folded)
