"""Certification level from verified skills against hand-written expectations
(the shipped kader_skills table: 4 pengelolaan, 8 bayi-balita, 5 ibu hamil,
3 remaja, 5 dewasa-lansia; Purwa = P + B + 1 other group complete, Madya +2,
Utama all five)."""

import json
from pathlib import Path

import pytest

from kader.certification import certification_level, held_groups, skill_summary

TABLE = json.loads(
    (Path(__file__).resolve().parents[2] / "posyandu/reference/kader_skills.json").read_text()
)["payload"]

P = ["P1", "P2", "P3", "P4"]
B = [f"B{i}" for i in range(1, 9)]
H = [f"H{i}" for i in range(1, 6)]
R = ["R1", "R2", "R3"]
D = [f"D{i}" for i in range(1, 6)]


def test_table_has_25_skills_in_five_groups():
    assert len(TABLE["skills"]) == 25
    assert len({s["code"] for s in TABLE["skills"]}) == 25
    counts = {}
    for s in TABLE["skills"]:
        counts[s["group"]] = counts.get(s["group"], 0) + 1
    assert counts == {"pengelolaan": 4, "bayi_balita": 8, "ibu_hamil": 5, "remaja": 3,
                      "dewasa_lansia": 5}


@pytest.mark.parametrize("codes, level, verified", [
    ([], None, 0),
    (P + B, None, 12),                     # the two required groups alone are not Purwa
    (P + B + H, "purwa", 17),              # 17 tanda kecakapan
    (P + B + R, "purwa", 15),              # any third group
    (P + B + H + R, "madya", 20),
    (P + B + D + R, "madya", 20),
    (P + B + H + R + D, "utama", 25),
    (P[1:] + B + H + R + D, None, 24),     # one pengelolaan skill missing: no level at all
    (P + B[:-1] + H + R + D, None, 24),    # one bayi-balita skill missing
    (P + B + H + R + D[:-1], "madya", 24),  # dewasa-lansia incomplete
    (P + B + H[:2] + R[:1], None, 15),     # partial extra groups do not count
    (P + B + H + ["X9", "Z1"], "purwa", 17),  # unknown codes are ignored
])
def test_level_from_skills(codes, level, verified):
    summary = skill_summary(codes, TABLE)
    assert summary.verified == verified
    assert summary.total == 25
    assert (summary.level["code"] if summary.level else None) == level


def test_level_label_and_group_progress():
    summary = skill_summary(P + B[:3], TABLE)
    assert summary.level_label == "Belum Purwa"
    groups = {g.code: (g.verified, g.total, g.complete) for g in summary.groups}
    assert groups["pengelolaan"] == (4, 4, True)
    assert groups["bayi_balita"] == (3, 8, False)
    assert groups["remaja"] == (0, 3, False)


def test_certification_level_is_the_highest_met():
    assert certification_level({"pengelolaan", "bayi_balita", "ibu_hamil", "remaja"}, TABLE)["code"] == "madya"
    assert certification_level({"ibu_hamil", "remaja", "dewasa_lansia"}, TABLE) is None


def test_held_groups_all_or_any():
    assert held_groups(B + ["H1"], TABLE) == {"bayi_balita"}
    assert held_groups(B + ["H1"], TABLE, rule="any") == {"bayi_balita", "ibu_hamil"}
