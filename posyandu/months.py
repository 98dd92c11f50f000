"""Calendar months, the unit of every monthly figure, task period and report.
Pure functions on dates; a month is represented by its first day."""

from __future__ import annotations

from calendar import monthrange
from datetime import date


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def add_months(month: date, n: int) -> date:
    """The first day of the month ``n`` months after (before, if negative) ``month``."""
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_range(first: date, last: date) -> list[date]:
    """The first days of every month from ``first`` to ``last``, both included."""
    out, month = [], month_start(first)
    while month <= last:
        out.append(month)
        month = add_months(month, 1)
    return out


def month_key(day: date) -> str:
    return f"{day:%Y-%m}"
