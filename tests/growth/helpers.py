"""Shared helpers for the growth tests (pure: no Django, no database)."""

from __future__ import annotations

from datetime import date, timedelta

BIRTH = date(2021, 3, 10)


def on_day(days: int, birth: date = BIRTH) -> date:
    """The measurement date ``days`` after ``birth``."""
    return birth + timedelta(days=days)


def lms_z(x: float, l: float, m: float, s: float) -> float:  # noqa: E741
    """The WHO LMS formula, written out again here so the tests do not reuse the code."""
    return ((x / m) ** l - 1) / (l * s)


def sd(l: float, m: float, s: float, n: float) -> float:  # noqa: E741
    """SD(n) = M (1 + L S n)^(1/L)."""
    return m * (1 + l * s * n) ** (1 / l)
