"""Reference values published with / computed by WHO Anthro (DEFAULTS.md section 3)."""

from __future__ import annotations

import pytest

from ilp.growth import assess

from .helpers import on_day

CASES = [
    # sex, days, weight, length, method, expected z: bbu, tbu, bbtb
    ("L", 365, 9.6, 75.7, "lying", {"bbu": -0.04, "tbu": -0.02, "bbtb": -0.06}),
    ("P", 731, 10.2, 82.0, "standing", {"bbu": -0.97, "tbu": -1.16, "bbtb": -0.51}),
    ("L", 365, 9.5, 75.2, "lying", {"bbu": -0.14, "tbu": -0.23, "bbtb": -0.06}),
]


@pytest.mark.parametrize(("sex", "days", "weight", "length", "method", "expected"), CASES)
def test_who_anthro_reference_values(sex, days, weight, length, method, expected):
    result = assess(
        sex=sex,
        birth_date=on_day(0),
        measured_on=on_day(days),
        weight_kg=weight,
        length_cm=length,
        method=method,
    )
    assert result.age_days == days
    for code, z in expected.items():
        assert result.indices[code].z == pytest.approx(z, abs=0.01), code
