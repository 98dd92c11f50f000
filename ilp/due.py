"""What a person is due for at today's posyandu: pure, from their age,
groups and history (DEFAULTS.md §2, §5, §6). The schedules come in as data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DueItem:
    code: str
    label: str
    urgent: bool = False  # overdue, or a check the bidan must not miss


def measurement_fields(*, age_months: int, sex: str, groups: list[str], measures_bp: bool) -> list[str]:
    """The step-2 fields for this person, in the order a kader measures."""
    fields = ["weight_kg", "length_cm", "length_method"]
    if age_months < 24:
        fields.append("head_cm")
    if 6 <= age_months < 60 or (sex == "P" and age_months >= 180) or "ibu_hamil" in groups:
        fields.append("muac_cm")
    if age_months >= 180:
        fields.append("waist_cm")
        if measures_bp:
            fields += ["systolic", "diastolic"]
    if age_months >= 60:  # a length is lying only for small children
        fields.remove("length_method")
    return fields


def due_items(
    *,
    on: date,
    age_months: int,
    sex: str,
    groups: list[str],
    immunisations: list | None = None,
    vitamin_a: str | None = None,
    last_screening: dict[str, date] | None = None,
) -> list[DueItem]:
    """``immunisations``: DoseStatus rows (code, label, status); ``vitamin_a``:
    the dose label due this month or None; ``last_screening``: instrument →
    last date."""
    items = [DueItem("timbang", "Penimbangan berat badan")]
    if age_months < 60:
        items.append(DueItem("ukur_panjang", "Ukur panjang/tinggi badan"))
    if 6 <= age_months < 60:
        items.append(DueItem("lila", "Ukur LiLA (pita LiLA balita)"))
    if age_months >= 180:
        items.append(DueItem("lingkar_perut", "Ukur lingkar perut"))
    for dose in immunisations or []:
        if dose.status in ("jadwal", "terlambat"):
            late = dose.status == "terlambat"
            items.append(DueItem(f"imunisasi_{dose.code}",
                                 f"Imunisasi {dose.label}" + (" (terlambat, kejar)" if late else ""),
                                 urgent=late))
    if vitamin_a:
        items.append(DueItem("vitamin_a", vitamin_a, urgent=True))
    if "ibu_hamil" in groups:
        items += [DueItem("anc", "Pemeriksaan ibu hamil (TD, LiLA, TTD)", urgent=True)]
    if "lansia" in groups:
        last = (last_screening or {}).get("skilas")
        if last is None or (on - last).days > 365:
            items.append(DueItem("skilas", "Skrining lansia (SKILAS dan ADL), setahun sekali"))
    if age_months >= 180 and sex and "ibu_hamil" not in groups:
        items.append(DueItem("td", "Tekanan darah"))
    return items
