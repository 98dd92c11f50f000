"""5-19 years: WHO 2007 reference, by month, interpolated at days / 30.4375.

Expected values are checked two independent ways: by hand from the WHO 2007 LMS
rows typed in below, and against pygrowup2 1.0.0 (``Observation.bmifa`` /
``lhfa(auto_adjust=False)`` / ``wfa``), run once outside this suite. The ages are
whole WHO months (1948 days = 64.0 months, 4383 days = 144.0 months), where
pygrowup2's rounding to the nearest month and our interpolation coincide.
"""

from __future__ import annotations

import pytest

from ilp.growth import assess

from .helpers import BIRTH, lms_z, on_day, sd

BOY_BFA_64 = (-0.8089, 15.2605, 0.08464)
BOY_BFA_65 = (-0.8322, 15.2619, 0.0849)
BOY_HFA_64 = (1, 111.8636, 0.04187)
BOY_WFA_64 = (-0.2338, 19.034, 0.13105)
GIRL_BFA_144 = (-1.4006, 17.9966, 0.13129)
GIRL_HFA_144 = (1, 151.2327, 0.04523)


def _assess(sex, days, weight, height):
    return assess(
        sex=sex,
        birth_date=BIRTH,
        measured_on=on_day(days),
        weight_kg=weight,
        length_cm=height,
        method="standing",
    )


def test_boy_64_months():
    r = _assess("L", 1948, 17.0, 108.0)
    bmi = 17.0 / 1.08**2
    # by hand from the WHO 2007 rows
    assert r.indices["imtu"].z == pytest.approx(lms_z(bmi, *BOY_BFA_64), abs=0.005)
    assert r.indices["tbu"].z == pytest.approx(lms_z(108.0, *BOY_HFA_64), abs=0.005)
    assert r.indices["bbu"].z == pytest.approx(lms_z(17.0, *BOY_WFA_64), abs=0.005)
    # pygrowup2 1.0.0: bmifa -0.55, lhfa -0.82, wfa -0.87
    assert (r.indices["imtu"].z, r.indices["tbu"].z, r.indices["bbu"].z) == (-0.55, -0.82, -0.87)
    assert r.indices["imtu"].category == "gizi_baik"
    assert "bbtb" not in r.indices  # no weight-for-height after 5 years


@pytest.mark.parametrize(
    ("weight", "z", "category"),
    [(30.0, -2.09, "gizi_kurang"), (48.0, 1.54, "gizi_lebih")],
)
def test_girl_144_months(weight, z, category):
    r = _assess("P", 4383, weight, 145.0)
    bmi = weight / 1.45**2
    assert r.indices["imtu"].z == pytest.approx(lms_z(bmi, *GIRL_BFA_144), abs=0.005)
    assert r.indices["imtu"].z == z  # pygrowup2 1.0.0 gives the same
    assert r.indices["imtu"].category == category
    assert r.indices["tbu"].z == -0.91 == round(lms_z(145.0, *GIRL_HFA_144), 2)
    assert "bbu" not in r.indices  # WHO 2007 weight-for-age stops at 120 months


def test_girl_144_months_restricted_and_implausible():
    r = _assess("P", 4383, 22.0, 145.0)
    bmi = 22.0 / 1.45**2
    assert lms_z(bmi, *GIRL_BFA_144) < -3
    z = -3 + (bmi - sd(*GIRL_BFA_144, -3)) / (sd(*GIRL_BFA_144, -2) - sd(*GIRL_BFA_144, -3))
    assert r.indices["imtu"].z == round(z, 2) == -5.17  # pygrowup2: -5.17
    assert r.indices["imtu"].implausible
    assert r.implausible == ["imtu"]


def test_interpolates_between_months():
    # 1963 days = 64.4928 WHO months: LMS interpolated between the 64 and 65 month rows
    frac = 1963 / 30.4375 - 64
    lms = tuple(a + frac * (b - a) for a, b in zip(BOY_BFA_64, BOY_BFA_65, strict=True))
    r = _assess("L", 1963, 17.0, 108.0)
    assert r.indices["imtu"].z == round(lms_z(17.0 / 1.08**2, *lms), 2)


def test_first_day_after_who_2006():
    # 1857 days = 61.01 WHO months: WHO 2007 tables, between the 61 and 62 month rows
    r = _assess("L", 1857, 18.0, 110.0)
    assert {"bbu", "tbu", "imtu"} == set(r.indices)
