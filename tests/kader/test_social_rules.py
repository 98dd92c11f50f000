"""The social screen's rule table and the Puskesos referral state machine,
checked against hand-written cases (pure: the shipped JSON, no database)."""

import json
from pathlib import Path

import pytest

from kader import social_rules as rules

SHIPPED = Path(__file__).resolve().parents[2] / "posyandu" / "reference" / "social_screen.json"
TABLE = json.loads(SHIPPED.read_text())
PAYLOAD = TABLE["payload"]

PROTECTED = {"dtsen": "ya", "pkh": "ya", "bpnt": "ya", "jkn": "pbi"}


def codes(answers):
    return [code for code, _ in rules.evaluate({**PROTECTED, **answers}, PAYLOAD).unmet]


def test_table_is_versioned_data_from_the_brin_paper():
    assert TABLE["code"] == "social_screen"
    assert "SEED-BRIN" in TABLE["source"]
    assert [q["code"] for q in PAYLOAD["questions"]] == list(rules.ANSWER_FIELDS)


@pytest.mark.parametrize(("answers", "expected"), [
    # fully protected family: registered, both bansos, JKN PBI -> no referral
    ({}, []),
    # not in DT-SEN -> refer even when the rest is in place
    ({"dtsen": "tidak"}, ["dtsen_belum"]),
    # the family does not know: the Puskesos checks SIKS-NG
    ({"dtsen": "tidak_tahu"}, ["dtsen_tidak_tahu"]),
    # one of the two bansos is enough protection
    ({"pkh": "tidak"}, []),
    ({"bpnt": "tidak"}, []),
    ({"pkh": "tidak", "bpnt": "tidak"}, ["tanpa_bansos"]),
    ({"pkh": "tidak_tahu", "bpnt": "tidak"}, ["tanpa_bansos"]),
    # registered in DT-SEN but receiving nothing -> refer
    ({"dtsen": "ya", "pkh": "tidak", "bpnt": "tidak_tahu"}, ["tanpa_bansos"]),
    # JKN: any JKN counts as covered; none (or unknown) refers
    ({"jkn": "mandiri"}, []),
    ({"jkn": "ya_tidak_tahu"}, []),
    ({"jkn": "tidak"}, ["tanpa_jkn"]),
    ({"jkn": "tidak_tahu"}, ["tanpa_jkn"]),
    # nothing at all: three reasons, in table order
    ({"dtsen": "tidak", "pkh": "tidak", "bpnt": "tidak", "jkn": "tidak"},
     ["dtsen_belum", "tanpa_bansos", "tanpa_jkn"]),
])
def test_refer_rules(answers, expected):
    assert codes(answers) == expected
    assert rules.evaluate({**PROTECTED, **answers}, PAYLOAD).refer is bool(expected)


def test_unmet_carries_words_for_the_kader():
    ev = rules.evaluate({**PROTECTED, "jkn": "tidak"}, PAYLOAD)
    assert ev.unmet == [("tanpa_jkn", "Tidak punya JKN (bisa diusulkan PBI)")]


@pytest.mark.parametrize(("flags", "expected"), [
    (["pendek"], ["stunting"]),
    (["sangat_pendek", "BGM"], ["stunting", "bgm"]),
    (["gizi_buruk"], ["wasting"]),
    (["lila_merah", "T"], ["wasting"]),
    (["KEK"], ["lainnya"]),
    (["hipertensi", "T", "obesitas"], []),
    ([], []),
])
def test_reasons_suggested_by_measurement_flags(flags, expected):
    assert rules.reasons_for_flags(flags, PAYLOAD) == expected


def test_answer_errors():
    assert rules.answer_errors(PROTECTED, PAYLOAD) == {}
    errors = rules.answer_errors({"dtsen": "ya", "pkh": "mungkin", "jkn": "pbi"}, PAYLOAD)
    assert errors == {"pkh": "Jawaban tidak dikenal.", "bpnt": "Pilih salah satu jawaban."}
    # "pbi" is a JKN answer, not a DT-SEN one
    assert "dtsen" in rules.answer_errors({**PROTECTED, "dtsen": "pbi"}, PAYLOAD)


def test_state_machine_allows_only_the_flow():
    ok = rules.transition_errors
    assert ok("diajukan", "diproses") == {}
    assert ok("diproses", "disetujui", aid=["pbi_jkn"]) == {}
    assert ok("diproses", "ditolak", note="Sudah menerima bantuan daerah") == {}
    # skipping Diproses is refused with the next allowed step named
    assert ok("diajukan", "disetujui", aid=["pkh"]) == {
        "status": 'Status "Diajukan" tidak bisa diubah menjadi "Disetujui"; '
                  'pilihan berikutnya: "Diproses".'
    }
    assert "status" in ok("diajukan", "ditolak", note="x")
    # going back, repeating, and changing a closed referral are refused
    assert "status" in ok("diproses", "diajukan")
    assert ok("diproses", "diproses") == {"status": 'Rujukan ini sudah berstatus "Diproses".'}
    for closed in ("disetujui", "ditolak"):
        for target in ("diajukan", "diproses", "disetujui", "ditolak"):
            if target != closed:
                assert "sudah selesai" in ok(closed, target, note="x", aid=["pkh"])["status"]
    assert ok("diajukan", "selesai") == {"status": "Status rujukan tidak dikenal."}


def test_decisions_need_their_details():
    ok = rules.transition_errors
    assert ok("diproses", "ditolak") == {"note": "Tulis alasan rujukan ditolak."}
    assert ok("diproses", "ditolak", note="   ") == {"note": "Tulis alasan rujukan ditolak."}
    assert set(ok("diproses", "disetujui")) == {"aid"}
    assert set(ok("diproses", "disetujui", aid=["sepeda"])) == {"aid"}
    assert ok("diproses", "disetujui", aid=["lainnya"]) == {
        "aid_other": "Tulis bantuan lain yang disetujui."
    }
    assert ok("diproses", "disetujui", aid=["lainnya"], aid_other="Bedah rumah") == {}
