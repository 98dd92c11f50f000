"""Permenkes 2/2020 categories at the exact cut-offs, and implausible flags."""

from __future__ import annotations

import json

import pytest

from ilp.growth import assess
from ilp.growth.categories import CATEGORIES_FILE, load_categories

from .helpers import BIRTH, lms_z, on_day

BBTB_CODES = {
    -3.01: "gizi_buruk",
    -3.0: "gizi_kurang",
    -2.01: "gizi_kurang",
    -2.0: "gizi_baik",
    1.0: "gizi_baik",
    1.01: "berisiko_gizi_lebih",
    2.0: "berisiko_gizi_lebih",
    2.01: "gizi_lebih",
    3.0: "gizi_lebih",
    3.01: "obesitas",
}

EXPECTED = {
    "bbu": {
        -3.01: "sangat_kurang",
        -3.0: "kurang",
        -2.01: "kurang",
        -2.0: "normal",
        1.0: "normal",
        1.01: "risiko_lebih",
        2.0: "risiko_lebih",
        3.01: "risiko_lebih",
    },
    "tbu": {
        -3.01: "sangat_pendek",
        -3.0: "pendek",
        -2.01: "pendek",
        -2.0: "normal",
        1.01: "normal",
        2.01: "normal",
        3.0: "normal",
        3.01: "tinggi",
    },
    "bbtb": BBTB_CODES,
    "imtu_0_5": BBTB_CODES,
    "imtu_5_18": {
        -3.01: "gizi_buruk",
        -3.0: "gizi_kurang",
        -2.01: "gizi_kurang",
        -2.0: "gizi_baik",
        1.0: "gizi_baik",
        1.01: "gizi_lebih",
        2.0: "gizi_lebih",
        2.01: "obesitas",
        3.01: "obesitas",
    },
    "lku": {
        -2.01: "mikrosefali",
        -2.0: "normal",
        2.0: "normal",
        2.01: "makrosefali",
    },
}

LABELS = {
    ("bbu", "sangat_kurang"): "Berat badan sangat kurang",
    ("bbu", "kurang"): "Berat badan kurang",
    ("bbu", "normal"): "Berat badan normal",
    ("bbu", "risiko_lebih"): "Risiko berat badan lebih",
    ("tbu", "sangat_pendek"): "Sangat pendek",
    ("tbu", "pendek"): "Pendek",
    ("tbu", "tinggi"): "Tinggi",
    ("bbtb", "berisiko_gizi_lebih"): "Berisiko gizi lebih",
    ("imtu_5_18", "obesitas"): "Obesitas",
    ("lku", "mikrosefali"): "Mikrosefali",
    ("lku", "makrosefali"): "Makrosefali",
}


@pytest.mark.parametrize(
    ("scale", "z", "code"),
    [(scale, z, code) for scale, cases in EXPECTED.items() for z, code in cases.items()],
)
def test_category_at_cut_offs(scale, z, code):
    assert load_categories().classify(scale, z).code == code


@pytest.mark.parametrize(("scale", "code"), list(LABELS))
def test_indonesian_labels(scale, code):
    bands = {band.code: band.label for band in load_categories().scales[scale]}
    assert bands[code] == LABELS[(scale, code)]


def test_file_carries_source_and_valid_from():
    table = load_categories()
    assert table.source == "Permenkes No. 2 Tahun 2020 tentang Standar Antropometri Anak"
    assert table.valid_from == "2020-01-01"


def test_lilau_has_no_category():
    r = assess(sex="P", birth_date=BIRTH, measured_on=on_day(400), muac_cm=14.5)
    result = r.indices["lilau"]
    assert result.z is not None
    assert (result.category, result.label, result.implausible) == (None, None, False)


@pytest.mark.parametrize(
    ("code", "z", "flag"),
    [
        ("bbu", -6.0, False),
        ("bbu", -6.01, True),
        ("bbu", 5.0, False),
        ("bbu", 5.01, True),
        ("tbu", -6.0, False),
        ("tbu", -6.01, True),
        ("tbu", 6.0, False),
        ("tbu", 6.01, True),
        ("bbtb", -5.0, False),
        ("bbtb", -5.01, True),
        ("bbtb", 5.01, True),
        ("imtu", -5.01, True),
        ("imtu", 5.0, False),
        ("imtu", 5.01, True),
    ],
)
def test_implausible_limits(code, z, flag):
    assert load_categories().is_implausible(code, z) is flag


def test_implausible_value_is_flagged_and_not_categorised():
    # 18 kg at 1 year is far above +5 SD weight-for-age and weight-for-length
    r = assess(
        sex="L",
        birth_date=BIRTH,
        measured_on=on_day(365),
        weight_kg=18.0,
        length_cm=75.0,
        method="lying",
    )
    bbu = r.indices["bbu"]
    assert bbu.z > 5 and bbu.implausible
    assert bbu.category is None and bbu.label is None
    assert r.implausible == ["bbu", "bbtb", "imtu"]
    assert not r.indices["tbu"].implausible


def test_implausible_length():
    r = assess(sex="L", birth_date=BIRTH, measured_on=on_day(365), length_cm=55.0, method="lying")
    assert r.indices["tbu"].z < -6
    assert r.implausible == ["tbu"]


def test_imtu_scale_switches_after_five_years():
    # about +1.5 SD BMI-for-age on both sides of 1856/1857 days
    kwargs = {"sex": "L", "birth_date": BIRTH, "length_cm": 110.0, "method": "standing"}
    young = assess(measured_on=on_day(1856), weight_kg=21.5, **kwargs).indices["imtu"]
    older = assess(measured_on=on_day(1857), weight_kg=21.5, **kwargs).indices["imtu"]
    assert 1 < young.z <= 2 and 1 < older.z <= 2
    assert (young.category, young.label) == ("berisiko_gizi_lebih", "Berisiko gizi lebih")
    assert (older.category, older.label) == ("gizi_lebih", "Gizi lebih")


def test_categorised_on_the_rounded_z():
    # boy, 61.8 cm lying, 5.51 kg: unrounded z -2.0016 (WHO wfl row 61.8 cm below),
    # shown as -2.00, so the kader sees -2.00 and "Gizi baik", not "Gizi kurang"
    boy_wfl_61_8 = (-0.3521, 6.4735, 0.08284)
    assert -2.005 < lms_z(5.51, *boy_wfl_61_8) < -2.0
    r = assess(
        sex="L",
        birth_date=BIRTH,
        measured_on=on_day(120),
        weight_kg=5.51,
        length_cm=61.8,
        method="lying",
    )
    bbtb = r.indices["bbtb"]
    assert bbtb.z == -2.0
    assert bbtb.category == "gizi_baik"


def test_bad_category_file_is_rejected(tmp_path):
    raw = json.loads(CATEGORIES_FILE.read_text(encoding="utf-8"))
    raw["scales"]["bbu"][1]["lower_inclusive"] = False  # -3 would belong to no band
    bad = tmp_path / "categories.json"
    bad.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ValueError, match="edge -3.0"):
        load_categories(bad)
