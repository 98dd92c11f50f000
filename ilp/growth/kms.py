"""KMS monthly weight trend for SKDN: N (naik), T (tidak naik), O, B; 2T; BGM.

Decision order per child per month (research-notes section 2.3):
no earlier weight at all -> B; earlier weights but none last month -> O;
gain since last month >= KBM for the age in completed months -> N; else T.
Software applies only the KBM branch of the KMS rule; the kader or bidan may
override N/T on the curve, which is recorded by the caller, not here.

The default KBM table (``data/kbm_kms.json``) is the printed KMS row
(Buku KIA 2023; Permenkes 155/Menkes/Per/I/2010).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

KBM_FILE = Path(__file__).resolve().parent / "data" / "kbm_kms.json"

Number = float | int | Decimal


def load_default_kbm(path: Path = KBM_FILE) -> dict[int, int]:
    """The printed-KMS KBM table as {age in months: minimum gain in grams}."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    kbm: dict[int, int] = {}
    for row in raw["rows"]:
        for month in range(int(row["from_month"]), int(row["to_month"]) + 1):
            if month in kbm:
                raise ValueError(f"kbm_kms.json: month {month} appears twice")
            kbm[month] = int(row["min_gain_g"])
    return kbm


def kbm_for_age(age_months: int, kbm: Mapping[int, int]) -> int:
    """KBM (g) for an age: the row of the greatest month <= age; month 0 uses the first
    row (month 1), ages beyond the table use the last row."""
    if not kbm:
        raise ValueError("KBM table is empty")
    if age_months < 0:
        raise ValueError(f"age_months must not be negative, got {age_months}")
    eligible = [month for month in kbm if month <= age_months]
    return kbm[max(eligible)] if eligible else kbm[min(kbm)]


def weight_trend(
    *,
    age_months: int,
    weight_kg: Number,
    previous_month_weight_kg: Number | None = None,
    has_earlier_weight: bool,
    kbm: Mapping[int, int],
) -> str:
    """SKDN letter for this month's weighing: "N", "T", "O" or "B"."""
    if previous_month_weight_kg is not None and not has_earlier_weight:
        raise ValueError("previous_month_weight_kg given but has_earlier_weight is False")
    if not has_earlier_weight:
        return "B"
    if previous_month_weight_kg is None:
        return "O"
    gain_g = (_decimal(weight_kg) - _decimal(previous_month_weight_kg)) * 1000
    return "N" if gain_g >= kbm_for_age(age_months, kbm) else "T"


def is_2t(this_trend: str | None, last_trend: str | None) -> bool:
    """Tidak naik two weighings running (this month and last month): refer to Puskesmas."""
    return this_trend == "T" and last_trend == "T"


def is_bgm(bbu_z: float | None) -> bool:
    """Bawah Garis Merah: BB/U z-score below -3 (the KMS red line)."""
    return bbu_z is not None and bbu_z < -3


def _decimal(value: Number) -> Decimal:
    # str() first, so 9.1 means 9.1 and not its binary approximation
    return value if isinstance(value, Decimal) else Decimal(str(value))
