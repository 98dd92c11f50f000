"""Completed calendar months (KMS / KBM age)."""

from __future__ import annotations

from datetime import date

import pytest

from ilp.growth import age_in_months, assess


@pytest.mark.parametrize(
    ("birth", "on", "months"),
    [
        (date(2024, 1, 15), date(2024, 1, 15), 0),
        (date(2024, 1, 15), date(2024, 2, 14), 0),
        (date(2024, 1, 15), date(2024, 2, 15), 1),
        (date(2024, 1, 15), date(2025, 1, 14), 11),
        (date(2024, 1, 15), date(2025, 1, 15), 12),
        # born on the 31st: the anniversary in a shorter month is its last day
        (date(2024, 1, 31), date(2024, 2, 28), 0),
        (date(2024, 1, 31), date(2024, 2, 29), 1),
        (date(2024, 1, 31), date(2024, 3, 30), 1),
        (date(2024, 1, 31), date(2024, 3, 31), 2),
        (date(2024, 1, 31), date(2024, 4, 30), 3),
        (date(2024, 1, 31), date(2024, 5, 1), 3),
        (date(2024, 2, 29), date(2025, 2, 28), 12),
        (date(2023, 12, 31), date(2024, 2, 29), 2),
        (date(2005, 6, 1), date(2024, 6, 1), 228),
        (date(2005, 6, 1), date(2024, 5, 31), 227),
    ],
)
def test_age_in_months(birth, on, months):
    assert age_in_months(birth, on) == months


def test_age_in_months_before_birth():
    with pytest.raises(ValueError, match="before birth"):
        age_in_months(date(2024, 1, 15), date(2024, 1, 14))


def test_growth_result_carries_both_ages():
    r = assess(sex="P", birth_date=date(2024, 1, 31), measured_on=date(2024, 2, 29))
    assert (r.age_days, r.age_months) == (29, 1)
