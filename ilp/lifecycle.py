"""Life-cycle groups (sasaran) of a person at a date. Derived, never stored.

Pure: the band table (reference table ``lifecycle_groups``) is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


def completed_months(birth_date: date, on: date) -> int:
    """Completed calendar months between birth and ``on`` (the KMS age)."""
    if on < birth_date:
        raise ValueError("tanggal sebelum tanggal lahir")
    months = (on.year - birth_date.year) * 12 + (on.month - birth_date.month)
    if on.day < birth_date.day:
        # born on the 31st: the month is complete on the last day of a short month
        next_day = on + timedelta(days=1)
        if next_day.month == on.month:
            months -= 1
    return months


def completed_years(birth_date: date, on: date) -> int:
    return completed_months(birth_date, on) // 12


@dataclass(frozen=True)
class PregnancySpan:
    start: date  # HPHT
    end: date | None  # outcome date, None while ongoing


def groups_on(
    *,
    birth_date: date,
    on: date,
    bands: dict,
    pregnancies: Iterable[PregnancySpan] = (),
) -> list[str]:
    """Codes of the groups a person belongs to on ``on`` (age bands overlap,
    e.g. bayi + baduta + balita), followed by ibu_hamil / ibu_nifas."""
    if on < birth_date:
        return []
    months = completed_months(birth_date, on)
    codes = [
        g["code"]
        for g in bands["groups"]
        if g["min_months"] <= months and (g["max_months"] is None or months <= g["max_months"])
    ]
    nifas_days = bands["pregnancy"]["nifas_days"]
    for p in pregnancies:
        if p.start <= on and (p.end is None or on < p.end):
            codes.append("ibu_hamil")
        elif p.end is not None and p.end <= on <= p.end + timedelta(days=nifas_days):
            codes.append("ibu_nifas")
    return codes


def labels(codes: Iterable[str], bands: dict) -> list[str]:
    names = {g["code"]: g["label"] for g in bands["groups"]}
    names.update(bands["pregnancy"]["labels"])
    return [names.get(c, c) for c in codes]


def months_before(on: date, months: int) -> date:
    """The latest birth date that has completed ``months`` months on ``on``
    (the inverse of ``completed_months``, with the same end-of-month rule)."""
    from calendar import monthrange

    total = on.year * 12 + (on.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    last = monthrange(year, month)[1]
    if on.day == monthrange(on.year, on.month)[1]:  # last day of a month
        return date(year, month, last)
    return date(year, month, min(on.day, last))


def birth_date_range(group: dict, on: date) -> tuple[date | None, date]:
    """(earliest exclusive, latest inclusive) birth dates of an age band on ``on``:
    a person is in the band iff earliest < birth_date <= latest."""
    latest = months_before(on, group["min_months"])
    if group["max_months"] is None:
        return None, latest
    return months_before(on, group["max_months"] + 1), latest
