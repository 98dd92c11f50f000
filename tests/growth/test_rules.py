"""Age/length rules, the 0.7 cm correction, the restricted rule, ranges and errors.

Expected z-scores are computed here from WHO LMS rows typed into the test (the
same rows as in ilp/growth/data), not taken from the code under test.
"""

from __future__ import annotations

import math
from datetime import timedelta
from decimal import Decimal

import pytest

from ilp.growth import assess

from .helpers import BIRTH, lms_z, on_day, sd

# WHO 2006 rows used below: (L, M, S)
GIRL_LHFA_730 = (1, 86.4008, 0.03733)
GIRL_LHFA_731 = (1, 85.7299, 0.03764)
GIRL_WFL_86_3 = (-0.3833, 11.5437, 0.08895)
GIRL_WFH_85_6 = (-0.3833, 11.5437, 0.08895)
GIRL_LHFA_1000 = (1, 92.8178, 0.03949)
BOY_WFA_365 = (0.0645, 9.646, 0.10925)
BOY_LHFA_365 = (1, 75.7391, 0.03137)
BOY_HCFA_365 = (1, 46.0637, 0.02789)
BOY_WFL_75_7 = (-0.3521, 9.644, 0.08303)
BOY_WFL_75_8 = (-0.3521, 9.6639, 0.08305)
BOY_ACFA_200 = (0.2579, 14.3179, 0.07618)


def _assess(days: int, sex: str = "L", **kwargs):
    return assess(sex=sex, birth_date=BIRTH, measured_on=on_day(days), **kwargs)


def _restricted(x: float, l: float, m: float, s: float) -> float:  # noqa: E741
    """WHO restricted z written out independently of the code."""
    z = lms_z(x, l, m, s)
    if z > 3:
        return 3 + (x - sd(l, m, s, 3)) / (sd(l, m, s, 3) - sd(l, m, s, 2))
    if z < -3:
        return -3 + (x - sd(l, m, s, -3)) / (sd(l, m, s, -2) - sd(l, m, s, -3))
    return z


# --- length (PB) / height (TB) at 730/731 days and the 0.7 cm correction -------------


def test_day_730_standing_is_length_plus_0_7():
    r = _assess(730, "P", weight_kg=11.3, length_cm=85.6, method="standing")
    assert r.length_basis == "PB"
    assert r.length_used_cm == 86.3
    assert r.indices["tbu"].z == round(lms_z(86.3, *GIRL_LHFA_730), 2)
    # BB/PB: weight-for-length table at 86.3 cm
    assert r.indices["bbtb"].z == round(lms_z(11.3, *GIRL_WFL_86_3), 2)


def test_day_730_lying_is_uncorrected_length():
    r = _assess(730, "P", weight_kg=11.3, length_cm=85.6, method="lying")
    assert (r.length_basis, r.length_used_cm) == ("PB", 85.6)
    assert r.indices["tbu"].z == round(lms_z(85.6, *GIRL_LHFA_730), 2)


def test_day_731_standing_is_uncorrected_height():
    r = _assess(731, "P", weight_kg=11.3, length_cm=85.6, method="standing")
    assert (r.length_basis, r.length_used_cm) == ("TB", 85.6)
    assert r.indices["tbu"].z == round(lms_z(85.6, *GIRL_LHFA_731), 2)
    # BB/TB: weight-for-height table at 85.6 cm
    assert r.indices["bbtb"].z == round(lms_z(11.3, *GIRL_WFH_85_6), 2)


def test_day_731_lying_is_height_minus_0_7():
    r = _assess(731, "P", weight_kg=11.3, length_cm=86.3, method="lying")
    assert (r.length_basis, r.length_used_cm) == ("TB", 85.6)
    assert r.indices["tbu"].z == round(lms_z(85.6, *GIRL_LHFA_731), 2)
    assert r.indices["bbtb"].z == round(lms_z(11.3, *GIRL_WFH_85_6), 2)


def test_lying_at_1000_days_subtracts_0_7():
    r = _assess(1000, "P", length_cm=Decimal("93.5"), method="lying")
    assert r.length_used_cm == 92.8
    assert r.indices["tbu"].z == round(lms_z(92.8, *GIRL_LHFA_1000), 2)


def test_correction_is_exact_decimal_arithmetic():
    r = _assess(365, length_cm=75.7, method="standing")
    assert r.length_used_cm == 76.4  # not 76.39999999999999


def test_imtu_uses_corrected_length():
    r = _assess(731, "P", weight_kg=11.3, length_cm=86.3, method="lying")
    bmi = 11.3 / 0.856**2
    girl_bfa_731 = (-0.5684, 15.6881, 0.08454)
    assert r.indices["imtu"].z == round(lms_z(bmi, *girl_bfa_731), 2)


# --- restricted rule beyond +-3 SD (weight-based only) ---------------------------------


@pytest.mark.parametrize("weight", [14.0, 16.5, 6.0, 5.2])
def test_bbu_restricted_beyond_3sd(weight):
    expected = _restricted(weight, *BOY_WFA_365)
    plain = lms_z(weight, *BOY_WFA_365)
    assert abs(plain) > 3
    assert round(expected, 2) != round(plain, 2)  # the rule matters for these weights
    assert _assess(365, weight_kg=weight).indices["bbu"].z == round(expected, 2)


def test_bbu_restricted_value_by_hand():
    # boy, 365 days, WHO wfa row L 0.0645, M 9.646, S 0.10925:
    # SD3 = 9.646 (1 + 0.0645*0.10925*3)^(1/0.0645) = 13.3415 (WHO chart, 12 mo: 13.3)
    # SD2 = 11.9833 (WHO chart: 12.0); z = 3 + (14.0 - 13.3415) / (13.3415 - 11.9833) = 3.485
    sd3 = 9.646 * (1 + 0.0645 * 0.10925 * 3) ** (1 / 0.0645)
    sd2 = 9.646 * (1 + 0.0645 * 0.10925 * 2) ** (1 / 0.0645)
    assert sd3 == pytest.approx(13.3415, abs=1e-4)
    assert sd2 == pytest.approx(11.9833, abs=1e-4)
    z = 3 + (14.0 - sd3) / (sd3 - sd2)
    assert z == pytest.approx(3.4849, abs=1e-4)
    assert _assess(365, weight_kg=14.0).indices["bbu"].z == 3.48
    # the unrestricted LMS value would be 3.45
    assert round(lms_z(14.0, *BOY_WFA_365), 2) == 3.45


@pytest.mark.parametrize("weight", [13.5, 6.3])
def test_bbpb_restricted_beyond_3sd(weight):
    r = _assess(365, weight_kg=weight, length_cm=75.7, method="lying")
    assert abs(lms_z(weight, *BOY_WFL_75_7)) > 3
    assert r.indices["bbtb"].z == round(_restricted(weight, *BOY_WFL_75_7), 2)


def test_lilau_restricted_beyond_3sd():
    r = _assess(200, muac_cm=19.5)
    assert lms_z(19.5, *BOY_ACFA_200) > 3
    assert r.indices["lilau"].z == round(_restricted(19.5, *BOY_ACFA_200), 2)


def test_length_and_head_are_not_restricted():
    r = _assess(365, length_cm=66.0, method="lying", head_cm=41.0)
    assert r.indices["tbu"].z == round(lms_z(66.0, *BOY_LHFA_365), 2) == -4.1
    assert r.indices["lku"].z == round(lms_z(41.0, *BOY_HCFA_365), 2)
    assert r.indices["lku"].z < -3


# --- weight-for-length interpolation between 0.1 cm rows -------------------------------


def test_wfl_interpolates_between_rows():
    lms = tuple((a + b) / 2 for a, b in zip(BOY_WFL_75_7, BOY_WFL_75_8, strict=True))
    r = _assess(365, weight_kg=9.6, length_cm=75.75, method="lying")
    assert r.indices["bbtb"].z == round(lms_z(9.6, *lms), 2)


# --- which indices exist at which ages / lengths ----------------------------------------


@pytest.mark.parametrize(
    ("days", "length", "method", "present"),
    [
        (365, 45.0, "lying", True),
        (365, 44.9, "lying", False),
        (365, 110.0, "lying", True),
        (730, 109.4, "standing", False),  # 109.4 + 0.7 = 110.1 > 110
        (731, 65.0, "standing", True),
        (731, 65.6, "lying", False),  # 65.6 - 0.7 = 64.9 < 65
        (1000, 120.0, "standing", True),
        (1000, 120.1, "standing", False),
        (1856, 110.0, "standing", True),
        (1857, 110.0, "standing", False),  # BB/TB only under 5 years
    ],
)
def test_bbtb_only_inside_table_and_under_five(days, length, method, present):
    r = _assess(days, weight_kg=15.0, length_cm=length, method=method)
    assert ("bbtb" in r.indices) is present
    assert "tbu" in r.indices and "bbu" in r.indices and "imtu" in r.indices


@pytest.mark.parametrize(
    ("days", "present"), [(0, False), (90, False), (91, True), (1856, True), (1857, False)]
)
def test_lilau_age_range(days, present):
    assert ("lilau" in _assess(days, muac_cm=14.0).indices) is present


@pytest.mark.parametrize(("days", "present"), [(0, True), (1856, True), (1857, False)])
def test_lku_age_range(days, present):
    assert ("lku" in _assess(days, head_cm=45.0).indices) is present


def test_bbu_up_to_120_months():
    # 3652 days = 119.98 WHO months, 3653 days = 120.02 (past the last WHO 2007 row)
    assert "bbu" in _assess(3652, weight_kg=30.0).indices
    assert "bbu" not in _assess(3653, weight_kg=30.0).indices


def test_tbu_imtu_up_to_19_years():
    girl = {"sex": "P", "weight_kg": 55.0, "length_cm": 160.0, "method": "standing"}
    nineteenth = BIRTH.replace(year=BIRTH.year + 19)
    before = assess(birth_date=BIRTH, measured_on=nineteenth - timedelta(days=1), **girl)
    assert before.age_months == 227
    assert {"tbu", "imtu"} <= set(before.indices)
    at_19 = assess(birth_date=BIRTH, measured_on=nineteenth, **girl)
    assert at_19.age_months == 228
    assert at_19.indices == {}
    assert at_19.length_basis == "TB"


def test_only_computable_indices_are_returned():
    r = _assess(400, weight_kg=9.0)
    assert set(r.indices) == {"bbu"}
    assert r.length_used_cm is None and r.length_basis is None
    assert _assess(400).indices == {}


def test_accepts_decimal_and_int_inputs():
    a = _assess(365, weight_kg=Decimal("9.6"), length_cm=Decimal("75.7"), method="lying")
    b = _assess(365, weight_kg=9.6, length_cm=75.7, method="lying")
    assert a == b
    assert _assess(365, weight_kg=10).indices["bbu"].z == round(lms_z(10, *BOY_WFA_365), 2)


def test_no_negative_zero():
    # weight exactly at the median gives z = 0.0, never -0.0
    r = _assess(365, weight_kg=9.646)
    assert r.indices["bbu"].z == 0.0
    assert math.copysign(1, r.indices["bbu"].z) == 1


# --- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sex": "M"}, "unknown sex"),
        ({"sex": "l"}, "unknown sex"),
        ({"measured_on": on_day(-1)}, "before birth"),
        ({"length_cm": 75.0}, "method"),
        ({"length_cm": 75.0, "method": "sitting"}, "unknown method"),
        ({"weight_kg": 0}, "weight_kg must be a positive"),
        ({"weight_kg": -3.0}, "weight_kg must be a positive"),
        ({"length_cm": float("nan"), "method": "lying"}, "length_cm must be a positive"),
        ({"head_cm": 0.0}, "head_cm must be a positive"),
    ],
)
def test_invalid_input_raises(kwargs, message):
    args = {"sex": "L", "birth_date": BIRTH, "measured_on": on_day(100)} | kwargs
    with pytest.raises(ValueError, match=message):
        assess(**args)
