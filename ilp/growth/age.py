"""Age helpers: days (WHO tables), completed calendar months (KMS / KBM), WHO months.

``age_in_months`` counts completed calendar months: the largest n such that
the birth date moved forward n calendar months is on or before the day. When
the target month is shorter than the birth day, the month "anniversary" is the
last day of that month (born 31 Jan: 1 month on 29 Feb 2024, 3 months on
30 Apr). So a child's month count never skips or stalls because of month
length, and the 19th birthday is exactly 228 months. This is the age used for
the KMS/KBM row. WHO tables use age in days; for the month-indexed WHO 2007
tables the fractional age is days / 30.4375 (WHO AnthroPlus).
"""

from __future__ import annotations

import calendar
from datetime import date

DAYS_PER_MONTH = 365.25 / 12  # 30.4375, WHO


def age_in_days(birth_date: date, on_date: date) -> int:
    """Whole days from birth; ValueError if ``on_date`` is before ``birth_date``."""
    if on_date < birth_date:
        raise ValueError(f"measurement date {on_date} is before birth date {birth_date}")
    return (on_date - birth_date).days


def age_in_months(birth_date: date, on_date: date) -> int:
    """Completed calendar months from ``birth_date`` to ``on_date`` (see module docstring)."""
    if on_date < birth_date:
        raise ValueError(f"date {on_date} is before birth date {birth_date}")
    months = (on_date.year - birth_date.year) * 12 + on_date.month - birth_date.month
    if add_months(birth_date, months) > on_date:
        months -= 1
    return months


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def who_months(age_days: int) -> float:
    """Fractional age in months as WHO computes it (days / 30.4375)."""
    return age_days / DAYS_PER_MONTH
