"""Step 4 (pemeriksaan) rules: screening scores, examination classes,
immunisation status and vitamin A. Pure: no ORM, no clock.

Every threshold, item list and cut-off comes from a reference table payload
passed in by the caller (``screenings``, ``adult_thresholds``,
``immunisation_schedule``). Answers are plain dicts; an answer to a yes/no item
is ``"ya"`` or ``"tidak"`` (``True``/``False`` are accepted and normalised).
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from ilp.lifecycle import completed_months

YA, TIDAK = "ya", "tidak"
INSTRUMENTS = ("srq20", "puma", "skilas", "adl")


class AnswerError(ValueError):
    """Answers that do not fit the item list. ``errors`` maps an item code (or
    ``"answers"`` for the whole set) to an Indonesian message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


@dataclass(frozen=True)
class ScreeningResult:
    instrument: str
    score: int
    outcome: str  # code, e.g. "normal", "perlu_rujuk", "risiko_bunuh_diri", "ringan"
    label: str  # Indonesian text for the screen and the print-out
    refer: bool
    answers: dict  # the normalised answers (what is stored)
    details: dict = field(default_factory=dict)


# --------------------------------------------------------------------------
# answers


def _yes_no(value) -> str | None:
    if value is True:
        return YA
    if value is False:
        return TIDAK
    if isinstance(value, str) and value.strip().lower() in (YA, TIDAK):
        return value.strip().lower()
    return None


def _number(value) -> Decimal | None:
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _unknown(answers: dict, known: set[str], errors: dict[str, str]) -> None:
    extra = sorted(set(answers) - known)
    if extra:
        errors["answers"] = "Pertanyaan tidak dikenal: " + ", ".join(map(str, extra)) + "."


def _check_yes_no_items(items: list[dict], answers: dict, out: dict, errors: dict) -> None:
    for item in items:
        code = item["code"]
        value = _yes_no(answers.get(code))
        if value is None:
            skip = item.get("required_unless") or {}
            if answers.get(code) in (None, "") and any(
                _yes_no(answers.get(k)) == v for k, v in skip.items()
            ):
                continue
            errors[code] = (
                "Jawab pertanyaan ini dengan ya atau tidak."
                if answers.get(code) in (None, "")
                else "Jawaban harus ya atau tidak."
            )
        else:
            out[code] = value


def _not_a_dict(answers) -> AnswerError | None:
    if not isinstance(answers, dict):
        return AnswerError({"answers": "Jawaban skrining tidak terbaca."})
    return None


def _band_score(value, bands: list[dict]) -> dict:
    """The first band the value falls in: ``below`` is exclusive, ``at_most``
    inclusive, ``at_most: null`` open-ended."""
    for band in bands:
        if "below" in band and value < band["below"]:
            return band
        if "at_most" in band and (band["at_most"] is None or value <= band["at_most"]):
            return band
    raise ValueError(f"no band for {value}")


# --------------------------------------------------------------------------
# SRQ-20


def score_srq20(answers: dict, spec: dict) -> ScreeningResult:
    """Score = number of "ya". Refer at ``refer_at_least``; an urgent item
    (17, thoughts of ending one's life) refers whatever the total."""
    if err := _not_a_dict(answers):
        raise err
    errors: dict[str, str] = {}
    out: dict[str, str] = {}
    _unknown(answers, {i["code"] for i in spec["items"]}, errors)
    _check_yes_no_items(spec["items"], answers, out, errors)
    if errors:
        raise AnswerError(errors)
    rules = spec["scoring"]
    score = sum(1 for v in out.values() if v == YA)
    urgent = [c for c in rules.get("urgent_items", []) if out.get(c) == YA]
    if urgent:
        outcome = "risiko_bunuh_diri"
    elif score >= rules["refer_at_least"]:
        outcome = "perlu_rujuk"
    else:
        outcome = "normal"
    return ScreeningResult(
        instrument="srq20", score=score, outcome=outcome, label=spec["outcomes"][outcome],
        refer=outcome != "normal", answers=out,
        details={"urgent_items": urgent, "refer_at_least": rules["refer_at_least"]},
    )


# --------------------------------------------------------------------------
# PUMA


def pack_years(years, cigarettes_per_day, divisor=20) -> float:
    """Bungkus-tahun: years smoked × cigarettes a day ÷ cigarettes in a pack."""
    return float(Decimal(str(years)) * Decimal(str(cigarettes_per_day)) / Decimal(str(divisor)))


def score_puma(answers: dict, spec: dict) -> ScreeningResult:
    if err := _not_a_dict(answers):
        raise err
    errors: dict[str, str] = {}
    out: dict = {}
    item_scores: dict[str, int] = {}
    known: set[str] = set()
    details: dict = {}
    for item in spec["items"]:
        code, kind = item["code"], item["kind"]
        if kind == "pack_years":
            known.update(item["fields"])
            values = {}
            for f, label in item["fields"].items():
                n = _number(answers.get(f))
                if n is None or n < 0:
                    errors[f] = f"Isi {label.lower()} dengan angka (0 bila tidak merokok)."
                else:
                    values[f] = n
                    out[f] = int(n) if n == n.to_integral_value() else float(n)
            if len(values) == len(item["fields"]):
                years, per_day = values.values()
                py = pack_years(years, per_day, item.get("divisor", 20))
                details["pack_years"] = round(py, 2)
                item_scores[code] = _band_score(py, item["bands"])["score"]
            continue
        known.add(code)
        raw = answers.get(code)
        if kind == "choice":
            options = {o["value"]: o for o in item["options"]}
            value = str(raw).strip().upper() if raw not in (None, "") else None
            if value not in options:
                errors[code] = "Pilih salah satu: " + ", ".join(
                    o["label"].lower() for o in item["options"]
                ) + "."
            else:
                out[code] = value
                item_scores[code] = options[value]["score"]
        elif kind == "number_band":
            n = _number(raw)
            if n is None or n < 0 or n != n.to_integral_value():
                errors[code] = f"Isi {item['text'].lower()} dengan bilangan bulat."
            else:
                out[code] = int(n)
                item_scores[code] = _band_score(int(n), item["bands"])["score"]
        elif kind == "yes_no":
            value = _yes_no(raw)
            if value is None:
                errors[code] = "Jawab pertanyaan ini dengan ya atau tidak."
            else:
                out[code] = value
                item_scores[code] = item["score_ya"] if value == YA else 0
        else:  # pragma: no cover - a table error, not a user error
            raise ValueError(f"unknown PUMA item kind {kind!r}")
    _unknown(answers, known, errors)
    if errors:
        raise AnswerError(errors)
    rules = spec["scoring"]
    score = sum(item_scores.values())
    outcome = "perlu_rujuk" if score >= rules["refer_at_least"] else "normal"
    details |= {"item_scores": item_scores, "refer_at_least": rules["refer_at_least"]}
    return ScreeningResult(
        instrument="puma", score=score, outcome=outcome, label=spec["outcomes"][outcome],
        refer=outcome == "perlu_rujuk", answers=out, details=details,
    )


# --------------------------------------------------------------------------
# SKILAS


def score_skilas(answers: dict, spec: dict) -> ScreeningResult:
    """A domain is positive when any of its findings is "ya"; any positive
    domain refers. Score = number of positive domains."""
    if err := _not_a_dict(answers):
        raise err
    errors: dict[str, str] = {}
    out: dict[str, str] = {}
    items = [i for d in spec["domains"] for i in d["items"]]
    _unknown(answers, {i["code"] for i in items}, errors)
    _check_yes_no_items(items, answers, out, errors)
    if errors:
        raise AnswerError(errors)
    positive = [
        d for d in spec["domains"] if any(out.get(i["code"]) == YA for i in d["items"])
    ]
    if positive:
        outcome = "perlu_rujuk"
        label = spec["outcomes"]["perlu_rujuk"] + ": " + ", ".join(
            d["label"].lower() for d in positive
        )
    else:
        outcome, label = "normal", spec["outcomes"]["normal"]
    return ScreeningResult(
        instrument="skilas", score=len(positive), outcome=outcome, label=label,
        refer=bool(positive) and spec["scoring"].get("refer_if_any", True), answers=out,
        details={"positive_domains": [d["code"] for d in positive]},
    )


# --------------------------------------------------------------------------
# ADL (Barthel modified, 0-20)


def adl_level(total: int, spec: dict) -> dict:
    for level in spec["levels"]:
        if level["min"] <= total <= level["max"]:
            return level
    raise ValueError(f"ADL total {total} outside every level")


def score_adl(answers: dict, spec: dict) -> ScreeningResult:
    """Each answer is the chosen option's score."""
    if err := _not_a_dict(answers):
        raise err
    errors: dict[str, str] = {}
    out: dict[str, int] = {}
    _unknown(answers, {i["code"] for i in spec["items"]}, errors)
    for item in spec["items"]:
        code = item["code"]
        allowed = sorted(o["score"] for o in item["options"])
        n = _number(answers.get(code))
        if n is None or n != n.to_integral_value() or int(n) not in allowed:
            errors[code] = (
                "Pilih salah satu jawaban."
                if answers.get(code) in (None, "")
                else f"Nilai harus salah satu dari {', '.join(map(str, allowed))}."
            )
        else:
            out[code] = int(n)
    if errors:
        raise AnswerError(errors)
    total = sum(out.values())
    level = adl_level(total, spec)
    category = level["category"]
    return ScreeningResult(
        instrument="adl", score=total, outcome=level["code"],
        label=f"{level['label']} (kategori {category})",
        refer=category in spec["scoring"].get("refer_categories", []), answers=out,
        details={"category": category},
    )


SCORERS = {"srq20": score_srq20, "puma": score_puma, "skilas": score_skilas, "adl": score_adl}


def score(instrument: str, answers: dict, payload: dict) -> ScreeningResult:
    """Score ``answers`` with the instrument's spec from the ``screenings`` payload."""
    if instrument not in SCORERS or instrument not in payload:
        raise AnswerError({"instrument": "Jenis skrining tidak dikenal."})
    return SCORERS[instrument](answers, payload[instrument])


# --------------------------------------------------------------------------
# Examination classes (adult_thresholds payload)


def bp_class(systolic: int | None, diastolic: int | None, thresholds: dict) -> str:
    """"tinggi" at or above either high limit (≥ 140 or ≥ 90), "rendah" below
    either low limit (< 90 or < 60), else "normal"; "" without a reading.
    High wins when a reading is both (e.g. 150/55)."""
    if systolic is None or diastolic is None:
        return ""
    high, low = thresholds["bp_high"], thresholds["bp_low"]
    if systolic >= high["systolic"] or diastolic >= high["diastolic"]:
        return "tinggi"
    if systolic < low["systolic"] or diastolic < low["diastolic"]:
        return "rendah"
    return "normal"


GLUCOSE_TABLE_KEYS = {"sewaktu": "glucose_random_mg_dl", "puasa": "glucose_fasting_mg_dl"}


def glucose_class(value, kind: str, thresholds: dict) -> str:
    """"rendah" / "normal" / "tinggi" from the table's limits for the kind of
    test; "" when there is no value or the table has no limits for that kind
    (fasting limits are not in the shipped table yet)."""
    if value is None:
        return ""
    limits = thresholds.get(GLUCOSE_TABLE_KEYS.get(kind, ""))
    if not limits:
        return ""
    if value < limits["low_below"]:
        return "rendah"
    if value >= limits["high_from"]:
        return "tinggi"
    return "normal"


# Trimester boundaries in completed weeks since HPHT: TM I 0–12, TM II 13–27,
# TM III from 28. Used when the thresholds table has no "trimester_from_weeks".
DEFAULT_TRIMESTER_FROM_WEEKS = {"2": 13, "3": 28}
# Youngest age (years) the remaja putri / WUS Hb limit applies to, when the
# table does not say (WHO: adolescence starts at 10).
DEFAULT_WUS_MIN_AGE_YEARS = 10


def gestational_weeks(hpht: date, on: date) -> int:
    return (on - hpht).days // 7


def trimester(weeks: int, thresholds: dict | None = None) -> int:
    bounds = (thresholds or {}).get("trimester_from_weeks") or DEFAULT_TRIMESTER_FROM_WEEKS
    if weeks >= bounds["3"]:
        return 3
    if weeks >= bounds["2"]:
        return 2
    return 1


def anaemia_threshold(
    *, sex: str, age_years: int, pregnancy_weeks: int | None, thresholds: dict
) -> float | None:
    """The Hb limit (g/dL) below which the person is anaemic: ibu hamil by
    trimester, remaja putri / WUS otherwise. None when the table has no limit
    for the person (men, girls under the remaja age)."""
    hb = thresholds["hb_anaemia_g_dl"]
    if sex != "P":
        return None
    if pregnancy_weeks is not None:
        tm = trimester(pregnancy_weeks, thresholds)
        return hb["hamil_tm2"] if tm == 2 else hb["hamil_tm1_tm3"]
    if age_years >= hb.get("wus_min_age_years", DEFAULT_WUS_MIN_AGE_YEARS):
        return hb["wus"]
    return None


def is_anaemic(hb_g_dl, threshold: float | None) -> bool | None:
    if hb_g_dl is None or threshold is None:
        return None
    return Decimal(str(hb_g_dl)) < Decimal(str(threshold))


# --------------------------------------------------------------------------
# Immunisation (immunisation_schedule payload)

SUDAH, JADWAL, TERLAMBAT, BELUM = "sudah", "jadwal", "terlambat", "belum_waktunya"
STATUS_LABELS = {
    SUDAH: "Sudah",
    JADWAL: "Jadwal bulan ini",
    TERLAMBAT: "Terlambat",
    BELUM: "Belum waktunya",
}
# Minimum days between two doses of one series (OPV1 -> OPV2 ...), when the
# schedule table does not say: 4 weeks.
DEFAULT_MIN_INTERVAL_DAYS = 28


@dataclass(frozen=True)
class DoseStatus:
    code: str
    label: str
    age_months: int
    due_on: date  # the day the child completes ``age_months`` months
    status: str  # sudah / jadwal / terlambat / belum_waktunya
    given_on: date | None = None
    offer: bool = False  # give it at this visit
    timing: str = ""  # "ideal" (on schedule) or "kejar" (catch-up) when offered
    note: str = ""  # why an open dose is not offered today

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def add_months(d: date, months: int) -> date:
    """The day a child born on ``d`` completes ``months`` months (the same
    end-of-month rule as ``completed_months``)."""
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(d.day, monthrange(year, month)[1]))


def series_of(dose: dict) -> str:
    """"OPV2" -> "OPV", "DPT-HB-Hib1" -> "DPT-HB-Hib", "BCG" -> "BCG"."""
    return dose.get("series") or re.sub(r"\d+$", "", dose["code"])


def immunisation_status(
    *,
    birth_date: date,
    on: date,
    given: dict[str, date],
    schedule_payload: dict,
    endemic_je: bool = False,
) -> list[DoseStatus]:
    """Every scheduled dose with its status on ``on``.

    sudah: given. jadwal: due this month (the child is ``age_months`` old in
    completed months). terlambat: a full month past its age or more (completed
    months > ``age_months``). belum_waktunya: not yet due. Open doses that are
    due or late are offered ("ideal" / "kejar"), except while an earlier dose
    of the same series is still missing or was given less than the minimum
    interval ago, or when the child is past a dose's ``max_age_months`` or the
    table's ``catch_up_max_months``."""
    age = completed_months(birth_date, on)
    min_interval = schedule_payload.get("min_interval_days", DEFAULT_MIN_INTERVAL_DAYS)
    catch_up_max = schedule_payload.get("catch_up_max_months")
    doses = [
        d for d in schedule_payload["doses"] if endemic_je or not d.get("endemic_only", False)
    ]
    by_series: dict[str, list[dict]] = {}
    for d in sorted(doses, key=lambda d: (d["age_months"], d["code"])):
        by_series.setdefault(series_of(d), []).append(d)
    previous: dict[str, dict | None] = {}
    for members in by_series.values():
        for before, d in zip([None, *members], members, strict=False):
            previous[d["code"]] = before

    result = []
    for d in doses:
        code, at = d["code"], d["age_months"]
        due_on = add_months(birth_date, at)
        base = {"code": code, "label": d["label"], "age_months": at, "due_on": due_on}
        if code in given:
            result.append(DoseStatus(**base, status=SUDAH, given_on=given[code]))
            continue
        if age < at:
            result.append(DoseStatus(**base, status=BELUM))
            continue
        status = JADWAL if age == at else TERLAMBAT
        timing = "ideal" if status == JADWAL else "kejar"
        note = ""
        max_age = d.get("max_age_months")
        before = previous[code]
        if max_age is not None and age > max_age:
            note = f"Lewat batas usia {max_age} bulan; konsultasikan ke Puskesmas."
        elif status == TERLAMBAT and catch_up_max is not None and age > catch_up_max:
            note = f"Imunisasi kejar hanya sampai usia {catch_up_max} bulan."
        elif before is not None and before["code"] not in given:
            note = f"Berikan {before['label']} lebih dulu."
        elif before is not None and (on - given[before["code"]]).days < min_interval:
            next_day = date.fromordinal(given[before["code"]].toordinal() + min_interval)
            note = (
                f"Jarak dari {before['label']} minimal {min_interval} hari "
                f"(bisa mulai {next_day:%d-%m-%Y})."
            )
        result.append(
            DoseStatus(
                **base, status=status, offer=not note, timing="" if note else timing, note=note
            )
        )
    return result


def vitamin_a_due(
    *, birth_date: date, on: date, given_dates, payload: dict
) -> str | None:
    """The vitamin A capsule due on ``on`` (e.g. "VITA_BIRU"), or None.

    Only in the distribution months (February and August), for the age band of
    the capsule, and not when vitamin A was already given in that month. A dose
    marked ``once`` (blue: once in the 6–11 month band) is not repeated when
    one was given while the child was in its band. ``payload`` is the
    ``immunisation_schedule`` payload (or its ``vitamin_a`` part)."""
    spec = payload.get("vitamin_a", payload)
    if on.month not in spec["months"] or on < birth_date:
        return None
    given_dates = list(given_dates)
    if any((g.year, g.month) == (on.year, on.month) for g in given_dates):
        return None
    age = completed_months(birth_date, on)
    for dose in spec["doses"]:
        if not dose["min_months"] <= age <= dose["max_months"]:
            continue
        if dose.get("once") and any(
            g >= birth_date
            and dose["min_months"] <= completed_months(birth_date, g) <= dose["max_months"]
            for g in given_dates
        ):
            return None
        return dose["code"]
    return None
