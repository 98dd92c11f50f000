"""KMS weight trend (N / T / O / B), KBM table, 2T and BGM."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from ilp.growth import assess
from ilp.growth.kms import KBM_FILE, is_2t, is_bgm, kbm_for_age, load_default_kbm, weight_trend

from .helpers import BIRTH, on_day

KBM = load_default_kbm()


def _trend(age, weight, previous=None, earlier=True, kbm=KBM):
    return weight_trend(
        age_months=age,
        weight_kg=weight,
        previous_month_weight_kg=previous,
        has_earlier_weight=earlier,
        kbm=kbm,
    )


def test_default_kbm_table():
    expected = {1: 800, 2: 900, 3: 800, 4: 600, 5: 500, 6: 400, 7: 400, 8: 300, 11: 300}
    assert {month: KBM[month] for month in expected} == expected
    assert KBM[12] == KBM[36] == KBM[60] == 200
    assert sorted(KBM) == list(range(1, 61))


def test_kbm_file_has_source_and_valid_from():
    raw = json.loads(KBM_FILE.read_text(encoding="utf-8"))
    assert "KMS" in raw["source"]
    assert raw["valid_from"] == "2010-01-01"


def test_first_weighing_is_b():
    assert _trend(3, 6.0, earlier=False) == "B"


def test_missed_last_month_is_o():
    assert _trend(9, 8.2, previous=None, earlier=True) == "O"


@pytest.mark.parametrize(
    ("age", "previous", "weight", "trend"),
    [
        (2, 4.1, 5.0, "N"),  # gain 900 g = KBM at 2 months
        (2, 4.1, 4.99, "T"),  # 890 g
        (3, 5.0, 5.8, "N"),  # 800 g
        (7, 7.0, 7.4, "N"),  # 400 g
        (8, 7.0, 7.29, "T"),  # 290 g < 300
        (12, 4.4, 4.6, "N"),  # 200 g exactly (4.6 - 4.4 is 0.19999... in binary floats)
        (12, 9.0, 9.19, "T"),
        (20, 10.0, 9.8, "T"),  # weight loss
        (20, 10.0, 10.0, "T"),  # flat
    ],
)
def test_gain_against_kbm(age, previous, weight, trend):
    assert _trend(age, weight, previous) == trend


def test_decimal_weights():
    assert _trend(12, Decimal("9.2"), Decimal("9.0")) == "N"


def test_age_beyond_table_uses_last_row():
    assert kbm_for_age(72, KBM) == 200
    assert _trend(72, 20.2, 20.0) == "N"
    assert kbm_for_age(30, {1: 800, 2: 900}) == 900


def test_month_zero_uses_month_one():
    assert kbm_for_age(0, KBM) == 800
    assert _trend(0, 4.1, 3.3) == "N"
    assert _trend(0, 4.09, 3.3) == "T"


def test_sparse_table_uses_the_row_at_or_below():
    assert kbm_for_age(9, {1: 800, 6: 400, 8: 300, 12: 200}) == 300


def test_inconsistent_or_bad_input():
    with pytest.raises(ValueError, match="has_earlier_weight"):
        _trend(5, 7.0, previous=6.5, earlier=False)
    with pytest.raises(ValueError, match="empty"):
        kbm_for_age(5, {})
    with pytest.raises(ValueError, match="negative"):
        kbm_for_age(-1, KBM)


@pytest.mark.parametrize(
    ("this", "last", "expected"),
    [("T", "T", True), ("T", "N", False), ("N", "T", False), ("T", "O", False), ("T", None, False)],
)
def test_is_2t(this, last, expected):
    assert is_2t(this, last) is expected


@pytest.mark.parametrize(
    ("z", "expected"), [(-3.01, True), (-3.0, False), (-2.5, False), (None, False)]
)
def test_is_bgm(z, expected):
    assert is_bgm(z) is expected


def test_bgm_from_assessment():
    # boy 365 days, 6.5 kg: below the -3 SD weight-for-age line (6.93 kg)
    z = assess(sex="L", birth_date=BIRTH, measured_on=on_day(365), weight_kg=6.5).indices["bbu"].z
    assert is_bgm(z)
