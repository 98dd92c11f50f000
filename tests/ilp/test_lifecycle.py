import random
from datetime import date, timedelta

import pytest

from ilp.lifecycle import (
    PregnancySpan,
    birth_date_range,
    completed_months,
    groups_on,
    months_before,
)

BANDS = {
    "groups": [
        {"code": "bayi", "label": "Bayi", "min_months": 0, "max_months": 11},
        {"code": "balita", "label": "Balita", "min_months": 0, "max_months": 59},
        {"code": "apras", "label": "Apras", "min_months": 60, "max_months": 71},
        {"code": "lansia", "label": "Lansia", "min_months": 720, "max_months": None},
    ],
    "pregnancy": {"nifas_days": 42, "labels": {}},
}


@pytest.mark.parametrize(
    "birth,on,months",
    [
        (date(2024, 1, 15), date(2024, 2, 14), 0),
        (date(2024, 1, 15), date(2024, 2, 15), 1),
        (date(2024, 1, 31), date(2024, 2, 28), 0),  # leap year: Feb 29 exists
        (date(2024, 1, 31), date(2024, 2, 29), 1),  # last day of the short month
        (date(2023, 1, 31), date(2023, 2, 28), 1),
        (date(2020, 2, 29), date(2025, 2, 28), 60),
        (date(2020, 3, 1), date(2025, 2, 28), 59),
    ],
)
def test_completed_months(birth, on, months):
    assert completed_months(birth, on) == months


def test_months_before_is_the_inverse_of_completed_months():
    rng = random.Random(7)
    for _ in range(5000):
        on = date(2020, 1, 1) + timedelta(days=rng.randrange(2500))
        birth = on - timedelta(days=rng.randrange(0, 4000))
        m = rng.randrange(0, 140)
        assert (completed_months(birth, on) >= m) == (birth <= months_before(on, m)), (birth, on, m)


def test_birth_date_range_matches_groups_on():
    rng = random.Random(11)
    for _ in range(3000):
        on = date(2022, 1, 1) + timedelta(days=rng.randrange(1500))
        birth = on - timedelta(days=rng.randrange(0, 30000))
        codes = groups_on(birth_date=birth, on=on, bands=BANDS)
        for g in BANDS["groups"]:
            lo, hi = birth_date_range(g, on)
            inside = (lo is None or lo < birth) and birth <= hi
            assert inside == (g["code"] in codes), (g["code"], birth, on)


def test_pregnancy_status_and_nifas_window():
    woman = date(1998, 5, 1)
    span = PregnancySpan(start=date(2025, 1, 10), end=date(2025, 10, 1))
    assert "ibu_hamil" in groups_on(birth_date=woman, on=date(2025, 9, 30), bands=BANDS, pregnancies=[span])
    assert "ibu_nifas" in groups_on(birth_date=woman, on=date(2025, 10, 1), bands=BANDS, pregnancies=[span])
    assert "ibu_nifas" in groups_on(birth_date=woman, on=date(2025, 11, 12), bands=BANDS, pregnancies=[span])
    later = groups_on(birth_date=woman, on=date(2025, 11, 13), bands=BANDS, pregnancies=[span])
    assert "ibu_nifas" not in later and "ibu_hamil" not in later


def test_groups_overlap_and_lansia_is_open_ended():
    on = date(2025, 6, 1)
    assert groups_on(birth_date=date(2025, 1, 1), on=on, bands=BANDS) == ["bayi", "balita"]
    assert groups_on(birth_date=date(1950, 1, 1), on=on, bands=BANDS) == ["lansia"]
    assert groups_on(birth_date=date(2026, 1, 1), on=on, bands=BANDS) == []
