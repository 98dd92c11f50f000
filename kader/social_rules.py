"""Pure rules of the social screen and the Puskesos referral (no ORM, no clock).

- Which measurement flags suggest a social screen, and the answers that mean
  "without social protection, refer to the Puskesos", come from the rule
  table ``social_screen`` (posyandu/reference/social_screen.json, source
  SEED-BRIN); the functions here take its payload.
- The referral's state machine: Diajukan -> Diproses -> Disetujui / Ditolak.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ANSWER_FIELDS = ("dtsen", "pkh", "bpnt", "jkn")

# Referral states (the model's TextChoices use the same codes).
DIAJUKAN, DIPROSES, DISETUJUI, DITOLAK = "diajukan", "diproses", "disetujui", "ditolak"
STATUS_LABELS = {
    DIAJUKAN: "Diajukan", DIPROSES: "Diproses", DISETUJUI: "Disetujui", DITOLAK: "Ditolak",
}
OPEN_STATUSES = (DIAJUKAN, DIPROSES)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    DIAJUKAN: (DIPROSES,),
    DIPROSES: (DISETUJUI, DITOLAK),
    DISETUJUI: (),
    DITOLAK: (),
}

# The aid a Puskesos records when it approves.
AID_CHOICES = (
    ("pkh", "PKH"),
    ("bpnt", "BPNT / sembako"),
    ("pbi_jkn", "PBI-JKN"),
    ("lainnya", "Bantuan lain"),
)
AID_LABELS = dict(AID_CHOICES)


@dataclass(frozen=True)
class Evaluation:
    """The outcome of a screen: refer or not, and why (code, words)."""

    refer: bool
    unmet: list[tuple[str, str]] = field(default_factory=list)


def question_choices(payload: Mapping) -> dict[str, list[tuple[str, str]]]:
    return {q["code"]: [tuple(c) for c in q["choices"]] for q in payload["questions"]}


def reason_choices(payload: Mapping) -> list[tuple[str, str]]:
    return [(r["code"], r["label"]) for r in payload["reasons"]]


def reasons_for_flags(flags: Iterable[str], payload: Mapping) -> list[str]:
    """The screen reasons (stunting, wasting, bgm, lainnya) that the
    measurement flags of a person point to, in table order."""
    flags = set(flags or ())
    return [r["code"] for r in payload["reasons"] if flags & set(r["flags"])]


def answer_errors(answers: Mapping[str, str], payload: Mapping) -> dict[str, str]:
    """Field -> message for every missing or unknown answer."""
    errors = {}
    for code, choices in question_choices(payload).items():
        value = answers.get(code)
        if not value:
            errors[code] = "Pilih salah satu jawaban."
        elif value not in {c for c, _ in choices}:
            errors[code] = "Jawaban tidak dikenal."
    return errors


def evaluate(answers: Mapping[str, str], payload: Mapping) -> Evaluation:
    """Apply the table's ``refer_when`` rules: a rule matches when every field
    it names has one of its listed answers; any matching rule means the family
    lacks protection and is referred."""
    unmet = []
    for rule in payload["refer_when"]:
        if all(answers.get(f) in values for f, values in rule["when"].items()):
            unmet.append((rule["code"], rule["label"]))
    return Evaluation(refer=bool(unmet), unmet=unmet)


def transition_errors(
    current: str, target: str, *, note: str = "", aid: Iterable[str] = (), aid_other: str = ""
) -> dict[str, str]:
    """Why a status change is refused (field -> message in Bahasa
    Indonesia), or an empty dict when it is allowed."""
    if target not in STATUS_LABELS:
        return {"status": "Status rujukan tidak dikenal."}
    if target not in TRANSITIONS[current]:
        cur, tgt = STATUS_LABELS[current], STATUS_LABELS[target]
        if current == target:
            return {"status": f"Rujukan ini sudah berstatus \"{cur}\"."}
        if not TRANSITIONS[current]:
            return {"status": f"Rujukan berstatus \"{cur}\" sudah selesai dan tidak bisa diubah."}
        allowed = " atau ".join(f"\"{STATUS_LABELS[s]}\"" for s in TRANSITIONS[current])
        return {"status": f"Status \"{cur}\" tidak bisa diubah menjadi \"{tgt}\"; "
                          f"pilihan berikutnya: {allowed}."}
    errors = {}
    aid = list(aid or ())
    if target == DITOLAK and not (note or "").strip():
        errors["note"] = "Tulis alasan rujukan ditolak."
    if target == DISETUJUI:
        unknown = [a for a in aid if a not in AID_LABELS]
        if unknown:
            errors["aid"] = "Jenis bantuan tidak dikenal."
        elif not aid:
            errors["aid"] = "Pilih bantuan yang disetujui (PKH, BPNT, PBI-JKN atau lainnya)."
        elif "lainnya" in aid and not (aid_other or "").strip():
            errors["aid_other"] = "Tulis bantuan lain yang disetujui."
    return errors
