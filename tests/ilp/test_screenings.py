"""Pure step-4 rules: screening scores, examination classes, immunisation
status and vitamin A. No database."""

import json
from datetime import date
from pathlib import Path

import pytest

from ilp import screenings as sc

REFERENCE = Path(__file__).resolve().parents[2] / "posyandu" / "reference"
PAYLOAD = json.loads((REFERENCE / "screenings.json").read_text())["payload"]
THRESHOLDS = json.loads((REFERENCE / "adult_thresholds.json").read_text())["payload"]


# --------------------------------------------------------------------------
# the shipped table


def test_shipped_table_has_the_instruments_in_the_shape_of_the_other_tables():
    raw = json.loads((REFERENCE / "screenings.json").read_text())
    assert set(raw) == {"code", "valid_from", "source", "payload"}
    assert raw["code"] == "screenings"
    date.fromisoformat(raw["valid_from"])
    assert [i["no"] for i in PAYLOAD["srq20"]["items"]] == list(range(1, 21))
    assert len(PAYLOAD["puma"]["items"]) == 7
    assert [d["code"] for d in PAYLOAD["skilas"]["domains"]] == [
        "kognitif", "mobilisasi", "malnutrisi", "penglihatan", "pendengaran", "depresi",
    ]
    adl = PAYLOAD["adl"]["items"]
    assert len(adl) == 10
    assert sum(max(o["score"] for o in i["options"]) for i in adl) == 20
    assert PAYLOAD["puma"]["scoring"]["refer_at_least"] == 6
    assert "> 7" in PAYLOAD["puma"]["scoring"]["cutoff_note"]


# --------------------------------------------------------------------------
# SRQ-20


def srq(yes: set[int]) -> dict:
    return {f"q{n}": ("ya" if n in yes else "tidak") for n in range(1, 21)}


def test_srq20_five_ya_is_normal():
    r = sc.score("srq20", srq({1, 2, 3, 4, 5}), PAYLOAD)
    assert (r.score, r.outcome, r.refer) == (5, "normal", False)


def test_srq20_six_ya_refers():
    r = sc.score("srq20", srq({1, 2, 3, 4, 5, 6}), PAYLOAD)
    assert (r.score, r.outcome, r.refer) == (6, "perlu_rujuk", True)


def test_srq20_item_17_alone_refers_as_suicide_risk():
    r = sc.score("srq20", srq({17}), PAYLOAD)
    assert (r.score, r.outcome, r.refer) == (1, "risiko_bunuh_diri", True)
    assert "17" in r.label


def test_srq20_item_17_wins_over_the_score():
    r = sc.score("srq20", srq({1, 2, 3, 4, 5, 6, 17}), PAYLOAD)
    assert r.outcome == "risiko_bunuh_diri"


def test_srq20_booleans_are_normalised():
    answers = {f"q{n}": n <= 6 for n in range(1, 21)}
    r = sc.score("srq20", answers, PAYLOAD)
    assert r.score == 6
    assert r.answers["q1"] == "ya" and r.answers["q20"] == "tidak"


def test_srq20_every_item_must_be_answered():
    answers = srq(set())
    del answers["q4"]
    answers["q5"] = "mungkin"
    with pytest.raises(sc.AnswerError) as exc:
        sc.score("srq20", answers, PAYLOAD)
    assert set(exc.value.errors) == {"q4", "q5"}


def test_unknown_items_are_refused():
    answers = srq(set()) | {"q21": "ya"}
    with pytest.raises(sc.AnswerError) as exc:
        sc.score("srq20", answers, PAYLOAD)
    assert "q21" in exc.value.errors["answers"]


# --------------------------------------------------------------------------
# PUMA, against the item table written out here (research-notes §1.4)

PUMA_TABLE = {
    "jenis_kelamin": {"P": 0, "L": 1},
    "usia": [(49, 0), (59, 1), (None, 2)],  # 40-49, 50-59, >= 60
    "pack_years": [(20, 0), (30, 1)],  # < 20 -> 0; 20-30 -> 1; > 30 -> 2
    "yes_no": 1,
}


def puma(**over) -> dict:
    base = {
        "jenis_kelamin": "P", "usia": 45, "lama_merokok_tahun": 0, "batang_per_hari": 0,
        "napas_pendek": "tidak", "dahak": "tidak", "batuk": "tidak", "spirometri": "tidak",
    }
    return base | over


def test_puma_worked_example():
    # Man, 55, smoked 25 years x 20 a day = 25 pack-years, short of breath, coughs.
    answers = puma(
        jenis_kelamin="L", usia=55, lama_merokok_tahun=25, batang_per_hari=20,
        napas_pendek="ya", batuk="ya",
    )
    by_hand = (
        PUMA_TABLE["jenis_kelamin"]["L"]  # 1
        + 1  # 50-59
        + 1  # 25 pack-years: 20-30
        + PUMA_TABLE["yes_no"]  # napas pendek
        + 0  # dahak
        + PUMA_TABLE["yes_no"]  # batuk
        + 0  # spirometri
    )
    assert by_hand == 5
    r = sc.score("puma", answers, PAYLOAD)
    assert r.details["pack_years"] == 25.0
    assert r.details["item_scores"] == {
        "jenis_kelamin": 1, "usia": 1, "merokok": 1, "napas_pendek": 1, "dahak": 0,
        "batuk": 1, "spirometri": 0,
    }
    assert (r.score, r.outcome, r.refer) == (5, "normal", False)
    # one more point (phlegm) reaches the cut-off of 6
    r = sc.score("puma", answers | {"dahak": "ya"}, PAYLOAD)
    assert (r.score, r.outcome, r.refer) == (6, "perlu_rujuk", True)


@pytest.mark.parametrize(
    "years,per_day,pack_years,points",
    [
        (19, 20, 19.0, 0),
        (10, 39, 19.5, 0),
        (20, 20, 20.0, 1),  # lower boundary: 20 is in 20-30
        (30, 20, 30.0, 1),  # upper boundary: 30 is still in 20-30
        (61, 10, 30.5, 2),
        (40, 20, 40.0, 2),
    ],
)
def test_puma_pack_year_boundaries(years, per_day, pack_years, points):
    assert sc.pack_years(years, per_day) == pack_years
    r = sc.score("puma", puma(lama_merokok_tahun=years, batang_per_hari=per_day), PAYLOAD)
    assert r.details["pack_years"] == pack_years
    assert r.details["item_scores"]["merokok"] == points


@pytest.mark.parametrize("age,points", [(40, 0), (49, 0), (50, 1), (59, 1), (60, 2), (85, 2)])
def test_puma_age_bands(age, points):
    r = sc.score("puma", puma(usia=age), PAYLOAD)
    assert r.details["item_scores"]["usia"] == points


def test_puma_maximum_is_nine():
    r = sc.score(
        "puma",
        puma(jenis_kelamin="L", usia=70, lama_merokok_tahun=40, batang_per_hari=20,
             napas_pendek="ya", dahak="ya", batuk="ya", spirometri="ya"),
        PAYLOAD,
    )
    assert r.score == 9 == PAYLOAD["puma"]["scoring"]["max_score"]


def test_puma_cut_off_is_data():
    strict = json.loads(json.dumps(PAYLOAD))
    strict["puma"]["scoring"]["refer_at_least"] = 8  # the form's "> 7"
    answers = puma(jenis_kelamin="L", usia=55, lama_merokok_tahun=25, batang_per_hari=20,
                   napas_pendek="ya", batuk="ya", dahak="ya")
    assert sc.score("puma", answers, PAYLOAD).refer is True
    assert sc.score("puma", answers, strict).refer is False


def test_puma_smoking_must_be_numbers():
    with pytest.raises(sc.AnswerError) as exc:
        sc.score("puma", puma(lama_merokok_tahun="", batang_per_hari=-1), PAYLOAD)
    assert set(exc.value.errors) == {"lama_merokok_tahun", "batang_per_hari"}


# --------------------------------------------------------------------------
# SKILAS

SKILAS_ITEMS = [i["code"] for d in PAYLOAD["skilas"]["domains"] for i in d["items"]]


def skilas(*positive: str) -> dict:
    return {c: ("ya" if c in positive else "tidak") for c in SKILAS_ITEMS}


def test_skilas_nothing_found_is_normal():
    r = sc.score("skilas", skilas(), PAYLOAD)
    assert (r.score, r.outcome, r.refer) == (0, "normal", False)
    assert r.details["positive_domains"] == []


def test_skilas_one_domain_positive_refers_and_names_it():
    r = sc.score("skilas", skilas("pendengaran_tes_bisik"), PAYLOAD)
    assert (r.score, r.outcome, r.refer) == (1, "perlu_rujuk", True)
    assert r.details["positive_domains"] == ["pendengaran"]
    assert "gangguan pendengaran" in r.label


def test_skilas_two_items_of_one_domain_count_once():
    r = sc.score("skilas", skilas("malnutrisi_bb_turun", "malnutrisi_lila", "depresi_minat"),
                 PAYLOAD)
    assert r.score == 2
    assert r.details["positive_domains"] == ["malnutrisi", "depresi"]


def test_skilas_vision_test_may_be_skipped_when_an_eye_problem_is_reported():
    answers = skilas("penglihatan_masalah")
    del answers["penglihatan_tes"]
    r = sc.score("skilas", answers, PAYLOAD)
    assert r.details["positive_domains"] == ["penglihatan"]
    answers = skilas()
    del answers["penglihatan_tes"]
    with pytest.raises(sc.AnswerError) as exc:
        sc.score("skilas", answers, PAYLOAD)
    assert set(exc.value.errors) == {"penglihatan_tes"}


# --------------------------------------------------------------------------
# ADL Barthel (0-20)

ADL_ITEMS = PAYLOAD["adl"]["items"]


def adl_answers(total: int) -> dict:
    """Answers adding up to ``total``: fill items to their maximum in order."""
    out, left = {}, total
    for item in ADL_ITEMS:
        top = max(o["score"] for o in item["options"])
        out[item["code"]] = min(top, left)
        left -= out[item["code"]]
    assert left == 0
    return out


@pytest.mark.parametrize(
    "total,level,category",
    [
        (20, "mandiri", "A"),
        (19, "ringan", "B"),
        (12, "ringan", "B"),
        (11, "sedang", "B"),
        (9, "sedang", "B"),
        (8, "berat", "C"),
        (5, "berat", "C"),
        (4, "total", "C"),
        (0, "total", "C"),
    ],
)
def test_adl_category_boundaries(total, level, category):
    r = sc.score("adl", adl_answers(total), PAYLOAD)
    assert (r.score, r.outcome, r.details["category"]) == (total, level, category)
    assert f"kategori {category}" in r.label


def test_adl_answer_must_be_one_of_the_item_scores():
    answers = adl_answers(20) | {"mandi": 2, "makan": None}
    with pytest.raises(sc.AnswerError) as exc:
        sc.score("adl", answers, PAYLOAD)
    assert set(exc.value.errors) == {"mandi", "makan"}


# --------------------------------------------------------------------------
# examination classes (adult_thresholds)


@pytest.mark.parametrize(
    "sys_,dia,cls",
    [
        (140, 90, "tinggi"),
        (140, 80, "tinggi"),
        (130, 90, "tinggi"),
        (139, 89, "normal"),
        (90, 60, "normal"),
        (89, 60, "rendah"),
        (90, 59, "rendah"),
        (150, 55, "tinggi"),
        (None, None, ""),
    ],
)
def test_bp_class(sys_, dia, cls):
    assert sc.bp_class(sys_, dia, THRESHOLDS) == cls


@pytest.mark.parametrize("value,cls", [(69, "rendah"), (70, "normal"), (199, "normal"),
                                       (200, "tinggi"), (None, "")])
def test_glucose_random_class(value, cls):
    assert sc.glucose_class(value, "sewaktu", THRESHOLDS) == cls


def test_glucose_fasting_needs_limits_in_the_table():
    assert sc.glucose_class(150, "puasa", THRESHOLDS) == ""
    with_fasting = THRESHOLDS | {"glucose_fasting_mg_dl": {"low_below": 70, "high_from": 126}}
    assert sc.glucose_class(126, "puasa", with_fasting) == "tinggi"
    assert sc.glucose_class(125, "puasa", with_fasting) == "normal"


@pytest.mark.parametrize(
    "weeks,tm,limit",
    [(0, 1, 11.0), (12, 1, 11.0), (13, 2, 10.5), (27, 2, 10.5), (28, 3, 11.0), (40, 3, 11.0)],
)
def test_anaemia_limit_by_trimester(weeks, tm, limit):
    assert sc.trimester(weeks) == tm
    assert sc.anaemia_threshold(
        sex="P", age_years=25, pregnancy_weeks=weeks, thresholds=THRESHOLDS
    ) == limit


def test_anaemia_limit_outside_pregnancy():
    def limit(sex, age):
        return sc.anaemia_threshold(
            sex=sex, age_years=age, pregnancy_weeks=None, thresholds=THRESHOLDS
        )

    assert limit("P", 16) == 12.0
    assert limit("P", 30) == 12.0
    assert limit("P", 6) is None
    assert limit("L", 30) is None
    assert sc.is_anaemic(11.9, 12.0) is True
    assert sc.is_anaemic(12.0, 12.0) is False
    assert sc.is_anaemic(None, 12.0) is None
    assert sc.is_anaemic(9.0, None) is None


# --------------------------------------------------------------------------
# immunisation, against DEFAULTS §6 written out here

SCHEDULE_DEFAULTS_6 = [
    (0, ["HB0"]),
    (1, ["BCG", "OPV1"]),
    (2, ["DPT-HB-Hib1", "OPV2", "PCV1", "RV1"]),
    (3, ["DPT-HB-Hib2", "OPV3", "PCV2", "RV2"]),
    (4, ["DPT-HB-Hib3", "OPV4", "IPV1", "RV3"]),
    (9, ["MR1", "IPV2"]),
    (10, ["JE"]),
    (12, ["PCV3"]),
    (18, ["DPT-HB-Hib4", "MR2"]),
]
SCHEDULE = {
    "doses": [
        {"code": c, "label": c, "age_months": m, **({"endemic_only": True} if c == "JE" else {})}
        for m, codes in SCHEDULE_DEFAULTS_6 for c in codes
    ],
    "vitamin_a": {
        "months": [2, 8],
        "doses": [
            {"code": "VITA_BIRU", "label": "Biru", "min_months": 6, "max_months": 11,
             "once": True},
            {"code": "VITA_MERAH", "label": "Merah", "min_months": 12, "max_months": 59},
        ],
    },
}
BORN = date(2024, 1, 15)


def status(on, given, **kw):
    rows = sc.immunisation_status(
        birth_date=BORN, on=on, given=given, schedule_payload=SCHEDULE, **kw
    )
    return {r.code: r for r in rows}


def test_shipped_schedule_matches_defaults_6():
    shipped = json.loads((REFERENCE / "immunisation_schedule.json").read_text())["payload"]
    assert [(d["code"], d["age_months"]) for d in shipped["doses"]] == [
        (d["code"], d["age_months"]) for d in SCHEDULE["doses"]
    ]


def test_newborn():
    s = status(BORN, {})
    assert s["HB0"].status == "jadwal" and s["HB0"].offer and s["HB0"].timing == "ideal"
    assert all(r.status == "belum_waktunya" for c, r in s.items() if c != "HB0")
    assert "JE" not in s


def test_two_months_on_schedule():
    given = {"HB0": BORN, "BCG": date(2024, 2, 16), "OPV1": date(2024, 2, 16)}
    s = status(date(2024, 3, 20), given)
    assert {c for c, r in s.items() if r.status == "sudah"} == {"HB0", "BCG", "OPV1"}
    assert s["BCG"].given_on == date(2024, 2, 16)
    due = {c for c, r in s.items() if r.status == "jadwal"}
    assert due == {"DPT-HB-Hib1", "OPV2", "PCV1", "RV1"}
    assert all(s[c].offer and s[c].timing == "ideal" for c in due)
    assert s["DPT-HB-Hib2"].status == "belum_waktunya"
    assert s["DPT-HB-Hib1"].due_on == date(2024, 3, 15)


def test_overdue_is_offered_as_catch_up():
    given = {"HB0": BORN}
    s = status(date(2024, 5, 20), given)  # 4 months old
    assert s["BCG"].status == "terlambat" and s["BCG"].offer and s["BCG"].timing == "kejar"
    assert s["OPV1"].offer and s["OPV1"].timing == "kejar"
    # a later dose of a series waits for the earlier one
    assert s["OPV2"].status == "terlambat" and not s["OPV2"].offer
    assert "OPV1" in s["OPV2"].note
    assert s["OPV4"].status == "jadwal" and not s["OPV4"].offer
    # first doses of each series are offered
    assert s["DPT-HB-Hib1"].offer and s["PCV1"].offer and s["RV1"].offer and s["IPV1"].offer
    assert s["IPV1"].timing == "ideal"


def test_late_means_a_full_month_past_the_age():
    given = {"HB0": BORN, "BCG": date(2024, 2, 15), "OPV1": date(2024, 2, 15)}
    assert status(date(2024, 4, 14), given)["OPV2"].status == "jadwal"  # 2 mo 30 d
    assert status(date(2024, 4, 15), given)["OPV2"].status == "terlambat"  # 3 mo


def test_minimum_interval_within_a_series():
    given = {"HB0": BORN, "BCG": date(2024, 3, 10), "OPV1": date(2024, 3, 10)}
    s = status(date(2024, 3, 20), given)  # OPV1 given 10 days ago
    assert s["OPV2"].status == "jadwal" and not s["OPV2"].offer
    assert "28 hari" in s["OPV2"].note
    assert s["DPT-HB-Hib1"].offer


def test_je_only_in_endemic_areas():
    on = date(2024, 11, 20)  # 10 months
    assert "JE" not in status(on, {})
    s = status(on, {}, endemic_je=True)
    assert s["JE"].status == "jadwal" and s["JE"].offer


def test_eighteen_months_fully_immunised_up_to_twelve():
    given = {
        c: date(2024, 1, 15) for m, codes in SCHEDULE_DEFAULTS_6 if m <= 12 for c in codes
    }
    s = status(date(2025, 7, 20), given)  # 18 months
    assert {c for c, r in s.items() if r.status != "sudah"} == {"DPT-HB-Hib4", "MR2"}
    assert s["MR2"].status == "jadwal" and s["MR2"].offer
    assert s["DPT-HB-Hib4"].offer


def test_max_age_and_catch_up_limit_are_data():
    payload = json.loads(json.dumps(SCHEDULE, default=str))
    for d in payload["doses"]:
        if d["code"] == "RV1":
            d["max_age_months"] = 6
    payload["catch_up_max_months"] = 23
    rows = {
        r.code: r for r in sc.immunisation_status(
            birth_date=BORN, on=date(2024, 9, 20), given={}, schedule_payload=payload
        )
    }
    assert rows["RV1"].status == "terlambat" and not rows["RV1"].offer
    rows = {
        r.code: r for r in sc.immunisation_status(
            birth_date=BORN, on=date(2026, 3, 20), given={}, schedule_payload=payload
        )
    }
    assert not rows["BCG"].offer and "23 bulan" in rows["BCG"].note


# --------------------------------------------------------------------------
# vitamin A


def vit(on, born=BORN, given=()):
    return sc.vitamin_a_due(birth_date=born, on=on, given_dates=given, payload=SCHEDULE)


def test_vitamin_a_only_in_february_and_august():
    born = date(2024, 1, 10)
    assert vit(date(2024, 8, 12), born) == "VITA_BIRU"  # 7 months
    assert vit(date(2024, 9, 12), born) is None
    assert vit(date(2025, 2, 12), born) == "VITA_MERAH"  # 13 months
    assert vit(date(2025, 3, 12), born) is None
    assert vit(date(2025, 1, 31), born) is None


def test_vitamin_a_blue_vs_red_by_age():
    assert vit(date(2024, 8, 20), date(2024, 2, 20)) == "VITA_BIRU"  # 6 months
    assert vit(date(2024, 8, 20), date(2024, 2, 21)) is None  # 5 months
    assert vit(date(2024, 8, 20), date(2023, 9, 20)) == "VITA_BIRU"  # 11 months
    assert vit(date(2024, 8, 20), date(2023, 8, 20)) == "VITA_MERAH"  # 12 months
    assert vit(date(2024, 8, 20), date(2019, 9, 20)) == "VITA_MERAH"  # 59 months
    assert vit(date(2024, 8, 20), date(2019, 8, 20)) is None  # 60 months


def test_vitamin_a_not_twice_in_the_month():
    born = date(2023, 1, 10)
    assert vit(date(2024, 2, 20), born, [date(2024, 2, 3)]) is None
    assert vit(date(2024, 2, 20), born, [date(2023, 8, 3)]) == "VITA_MERAH"


def test_vitamin_a_blue_only_once():
    born = date(2023, 8, 28)
    first = date(2024, 2, 28)  # 6 months: blue
    assert vit(first, born) == "VITA_BIRU"
    assert vit(date(2024, 8, 1), born) == "VITA_BIRU"  # 11 months, none given yet
    assert vit(date(2024, 8, 1), born, [first]) is None  # already had the blue one
