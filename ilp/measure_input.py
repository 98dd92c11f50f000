"""Checks on what the kader types at step 2 (penimbangan & pengukuran). Pure: no ORM.

``parse_decimal`` reads a number as typed on an Indonesian phone ("10,5" or
"10.5"). ``check_values`` returns the problems of one measurement set:

* hard problems refuse the save (a date before birth or in the future, a weight
  typed in grams, a value impossible for the age, a missing length method...);
* soft problems ask the kader to re-measure, or to confirm that the value is
  right (a WHO z-score in the implausible range, an adult IMT far out).

The absolute bounds come from the versioned ``measurement_bounds`` table; the
caller passes its payload in (``table("measurement_bounds", measured_on)``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from ilp.growth import assess
from ilp.growth.age import age_in_days, age_in_months
from ilp.growth.assessment import ADULT_FROM_MONTHS

NUMERIC_FIELDS = (
    "weight_kg", "length_cm", "head_cm", "muac_cm", "waist_cm", "systolic", "diastolic",
)
METHODS = ("lying", "standing")
# Decimal places the database keeps (Measurement's DecimalFields); 0 = whole number.
PLACES = {
    "weight_kg": 2, "length_cm": 1, "head_cm": 1, "muac_cm": 1, "waist_cm": 1,
    "systolic": 0, "diastolic": 0,
}
UNITS = {
    "weight_kg": "kg", "length_cm": "cm", "head_cm": "cm", "muac_cm": "cm", "waist_cm": "cm",
    "systolic": "mmHg", "diastolic": "mmHg",
}
NAMES = {
    "weight_kg": "Berat badan", "length_cm": "Panjang/tinggi badan",
    "head_cm": "Lingkar kepala", "muac_cm": "LiLA", "waist_cm": "Lingkar perut",
    "systolic": "Tekanan sistolik", "diastolic": "Tekanan diastolik",
}
# z-score index -> the field the kader re-measures
INDEX_FIELD = {
    "bbu": "weight_kg", "tbu": "length_cm", "bbtb": "weight_kg", "imtu": "weight_kg",
    "lku": "head_cm", "lilau": "muac_cm",
}

NUMBER_HINT = "Isi angka, misalnya 10,5."
THOUSANDS_HINT = "Jangan pakai titik ribuan. Isi angka dengan satu koma, misalnya 10,5."
CONFIRM_HINT = "Ukur ulang; jika sudah benar, centang konfirmasi."

_PLAIN = re.compile(r"[0-9]+(?:[.,][0-9]+)?")
_GROUPED = re.compile(r"[0-9]{1,3}(?:[.,][0-9]{3})+(?:[.,][0-9]*)?")


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    hard: bool  # True: refuse the save; False: re-measure or confirm


def parse_decimal(text) -> Decimal | None:
    """A number as typed: "10,5" or "10.5" -> Decimal("10.5"); blank -> None.

    Numbers (int, float, Decimal) are accepted as they are. Thousands
    separators ("1.234,5") and anything else raise ValueError with an
    Indonesian message."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(NUMBER_HINT)
    if isinstance(text, int | float | Decimal):
        try:
            value = text if isinstance(text, Decimal) else Decimal(str(text))
        except InvalidOperation:
            raise ValueError(NUMBER_HINT) from None
        if not value.is_finite():
            raise ValueError(NUMBER_HINT)
        return value
    if not isinstance(text, str):
        raise ValueError(NUMBER_HINT)
    cleaned = text.strip()
    if not cleaned:
        return None
    if _PLAIN.fullmatch(cleaned):
        return Decimal(cleaned.replace(",", "."))
    if _GROUPED.fullmatch(cleaned) and len(re.findall(r"[.,]", cleaned)) > 1:
        raise ValueError(THOUSANDS_HINT)
    raise ValueError(NUMBER_HINT)


def check_values(
    *,
    sex: str,
    birth_date: date,
    measured_on: date,
    values: Mapping,
    today: date,
    bounds: Mapping,
) -> list[Problem]:
    """The problems of one measurement set.

    ``values``: the parsed numbers (Decimal or None) under NUMERIC_FIELDS and
    ``length_method`` ("lying", "standing" or blank). ``bounds``: the payload of
    the ``measurement_bounds`` reference table valid on ``measured_on``.
    Lying under 731 days and standing from 731 days is expected; the other
    method is accepted (assess applies the 0.7 cm correction), no problem."""
    problems: list[Problem] = []

    def hard(field: str, message: str) -> None:
        problems.append(Problem(field, message, True))

    if measured_on > today:
        hard("measured_on", "Tanggal ukur tidak boleh di masa depan.")
    if measured_on < birth_date:
        hard(
            "measured_on",
            f"Tanggal ukur sebelum tanggal lahir ({birth_date:%d-%m-%Y}). Periksa tanggalnya.",
        )
        return problems  # no age: nothing else can be checked

    days = age_in_days(birth_date, measured_on)
    months = age_in_months(birth_date, measured_on)
    band = _band(bounds, months)
    age_text = _age_text(days, months)
    accepted: dict[str, Decimal] = {}
    for field in NUMERIC_FIELDS:
        value = values.get(field)
        if value is None:
            continue
        message = _range_problem(field, value, band, age_text) or _places_problem(field, value)
        if message:
            hard(field, message)
        else:
            accepted[field] = value

    systolic, diastolic = accepted.get("systolic"), accepted.get("diastolic")
    if systolic is not None and diastolic is not None and systolic <= diastolic:
        hard("systolic", "Sistolik harus lebih besar dari diastolik (misalnya 120/80).")

    method = (values.get("length_method") or "").strip()
    child = months < ADULT_FROM_MONTHS
    if method and method not in METHODS:
        hard("length_method", "Pilih cara ukur: telentang (PB) atau berdiri (TB).")
        method = ""
    if child and values.get("length_cm") is not None and not method:
        hard(
            "length_method",
            "Pilih cara ukur panjang/tinggi badan: telentang (PB) atau berdiri (TB).",
        )

    if child:
        problems += _implausible_z(sex, birth_date, measured_on, accepted, method)
    else:
        problems += _implausible_imt(accepted, band)
    return problems


def _band(bounds: Mapping, months: int) -> Mapping:
    for band in bounds["bands"]:
        top = band["max_months"]
        if band["min_months"] <= months and (top is None or months <= top):
            return band
    raise LookupError(f"measurement_bounds: no band for age {months} months")


def _places_problem(field: str, value: Decimal) -> str | None:
    places = PLACES[field]
    if value == value.quantize(Decimal(1).scaleb(-places)):
        return None
    if places == 0:
        return "Isi bilangan bulat, misalnya 120."
    return f"Isi paling banyak {places} angka di belakang koma."


def _range_problem(field: str, value: Decimal, band: Mapping, age_text: str) -> str | None:
    low, high = (Decimal(str(x)) for x in band[field])
    if low <= value <= high:
        return None
    if field == "weight_kg" and value > high and low <= value / 1000 <= high:
        return (
            "Sepertinya diisi dalam gram. "
            f"Isi dalam kg, misalnya {fmt_number(value / 1000)}."
        )
    if field == "length_cm" and value > high and low <= value / 10 <= high:
        return (
            "Sepertinya diisi dalam milimeter. "
            f"Isi dalam cm, misalnya {fmt_number(value / 10)}."
        )
    if field == "length_cm" and value < low and low <= value * 100 <= high:
        return f"Sepertinya diisi dalam meter. Isi dalam cm, misalnya {fmt_number(value * 100)}."
    unit = UNITS[field]
    limits = f"{fmt_number(low)}–{fmt_number(high)} {unit}"
    if field in ("systolic", "diastolic"):
        return (
            f"{NAMES[field]} {fmt_number(value)} {unit} tidak mungkin "
            f"(batas {limits}). Periksa lagi."
        )
    return (
        f"{fmt_number(value)} {unit} tidak mungkin untuk {band['noun']} umur {age_text} "
        f"(batas {limits}). Periksa lagi."
    )


def _implausible_z(
    sex: str, birth_date: date, measured_on: date, accepted: Mapping, method: str
) -> list[Problem]:
    length = accepted.get("length_cm") if method else None
    result = assess(
        sex=sex, birth_date=birth_date, measured_on=measured_on,
        weight_kg=accepted.get("weight_kg"), length_cm=length, method=method or None,
        head_cm=accepted.get("head_cm"), muac_cm=accepted.get("muac_cm"),
    )
    problems = []
    for code in result.implausible:
        label = _index_label(code, result.length_basis)
        z = result.indices[code].z
        problems.append(Problem(
            INDEX_FIELD[code],
            f"Hasil di luar batas wajar ({label} z = {fmt_z(z)}). {CONFIRM_HINT}",
            False,
        ))
    return problems


def _implausible_imt(accepted: Mapping, band: Mapping) -> list[Problem]:
    weight, height = accepted.get("weight_kg"), accepted.get("length_cm")
    if weight is None or height is None or "imt_soft" not in band:
        return []
    imt = adult_imt(weight, height)
    low, high = (Decimal(str(x)) for x in band["imt_soft"])
    if low <= imt <= high:
        return []
    return [Problem(
        "weight_kg", f"Hasil di luar batas wajar (IMT = {fmt_number(imt)}). {CONFIRM_HINT}", False
    )]


def adult_imt(weight_kg: Decimal, height_cm: Decimal) -> Decimal:
    """IMT (kg/m²) rounded to 2 decimals (half up), as shown and classified."""
    metres = Decimal(height_cm) / 100
    return (Decimal(weight_kg) / (metres * metres)).quantize(Decimal("0.01"), "ROUND_HALF_UP")


def _index_label(code: str, basis: str | None) -> str:
    length = basis or "PB"
    return {
        "bbu": "BB/U", "tbu": f"{length}/U", "bbtb": f"BB/{length}", "imtu": "IMT/U",
        "lku": "LK/U", "lilau": "LiLA/U",
    }[code]


def _age_text(days: int, months: int) -> str:
    if months == 0:
        return f"{days} hari"
    if months < 24:
        return f"{months} bulan"
    return f"{months // 12} tahun"


def fmt_number(value) -> str:
    """Indonesian style, no trailing zeros: Decimal("8.50") -> "8,5", 105 -> "105"."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text.replace(".", ",")


def fmt_z(z: float) -> str:
    """A z-score as shown to the kader: "−6,4" (true minus sign, decimal comma)."""
    text = f"{abs(z):.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"−{text}" if z < 0 else text
