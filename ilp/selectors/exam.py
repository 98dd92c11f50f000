"""What the bidan's step-4 section of the visit page shows, as plain data
plus the unbound forms it renders: the immunisation schedule with the doses
to give today, vitamin A due, the examination with its derived classes, the
ANC check of an ibu hamil, the screenings that apply to the person's age and
the referral form prefilled with the visit's findings.

The visit was fetched through scoping by the caller; nothing here checks
permissions (the services do, on save)."""

from __future__ import annotations

from django.db.models import Q

from ilp import forms_exam as fx
from ilp.lifecycle import completed_months
from ilp.models import AncCheck, Examination, Pregnancy, Referral, Screening, Supplement, Visit
from ilp.screenings import (
    INSTRUMENTS,
    JADWAL,
    SUDAH,
    TERLAMBAT,
    gestational_weeks,
    trimester,
    vitamin_a_due,
)
from ilp.services.exam import TRANSITIONS, VITAMIN_A_KINDS, immunisation_status_for
from posyandu.reference import table

# Immunisation status is shown (and catch-up offered) for balita.
IMMUNISATION_MAX_MONTHS = 60
# From this age the examination form (TD, gula darah, Hb) is open by default.
EXAM_OPEN_FROM_MONTHS = 180

# Finding codes (measurement flags from step 3, examination classes,
# screening outcomes) in words, for the referral reason.
FLAG_LABELS = {
    "2T": "Berat badan 2 kali berturut-turut tidak naik (2T)",
    "T": "Berat badan tidak naik (T)",
    "BGM": "Berat badan di bawah garis merah (BGM)",
    "gizi_buruk": "Gizi buruk",
    "gizi_kurang": "Gizi kurang",
    "obesitas": "Gizi lebih/obesitas",
    "pendek": "Pendek (stunting)",
    "sangat_pendek": "Sangat pendek (stunting berat)",
    "lila_merah": "LiLA pada pita merah",
    "lila_kuning": "LiLA pada pita kuning",
    "KEK": "Kurang energi kronis (KEK)",
    "hipertensi": "Tekanan darah tinggi (hasil ukur langkah 2)",
    "obesitas_sentral": "Obesitas sentral (lingkar perut)",
    "imt_sangat_kurus": "IMT sangat kurus",
    "imt_obesitas": "IMT obesitas",
}


def _pregnancy_on(person, on):
    if person.sex != "P":
        return None
    return (
        Pregnancy.objects.filter(person=person, hpht__lte=on)
        .filter(Q(outcome_date__isnull=True) | Q(outcome_date__gt=on))
        .order_by("-hpht")
        .first()
    )


def doses_for(visit: Visit) -> list:
    """The immunisation status list of the visit's person (balita only)."""
    person = visit.person
    if completed_months(person.birth_date, visit.date) >= IMMUNISATION_MAX_MONTHS:
        return []
    return immunisation_status_for(person=person, on=visit.date)


def open_doses(doses) -> list:
    """Doses due this month or late, not given yet."""
    return [d for d in doses if d.status in (JADWAL, TERLAMBAT)]


def supplement_kinds_given(visit: Visit) -> list[str]:
    return list(Supplement.objects.filter(visit=visit).values_list("kind", flat=True))


def exam_results(exam: Examination | None) -> list[dict]:
    """The examination values with their derived classes, for display."""
    if exam is None:
        return []
    rows = []
    if exam.systolic is not None:
        rows.append({"name": "Tekanan darah", "value": f"{exam.systolic}/{exam.diastolic} mmHg",
                     "tag": exam.get_bp_class_display(), "bad": exam.bp_class == "tinggi",
                     "warn": exam.bp_class == "rendah"})
    if exam.glucose_mg_dl is not None:
        kind = "GDP" if exam.glucose_kind == "puasa" else "GDS"
        rows.append({"name": "Gula darah", "value": f"{exam.glucose_mg_dl} mg/dL ({kind})",
                     "tag": exam.get_glucose_class_display(),
                     "bad": exam.glucose_class == "tinggi", "warn": exam.glucose_class == "rendah"})
    if exam.hb_g_dl is not None:
        if exam.anaemia is None:
            tag = ""
        elif exam.anaemia:
            tag = f"Anemia (< {fx.typed(exam.hb_threshold)})"
        else:
            tag = "Tidak anemia"
        rows.append({"name": "Hb", "value": f"{fx.typed(exam.hb_g_dl)} g/dL", "tag": tag,
                     "bad": bool(exam.anaemia), "warn": False})
    return rows


def visit_findings(visit: Visit) -> list[tuple[str, str]]:
    """(code, words) of what may be a reason to refer: the step-3 flags, the
    examination classes out of range, anaemia, and screenings that refer."""
    found: dict[str, str] = {}
    measurement = getattr(visit, "measurement", None)
    exam = Examination.objects.filter(visit=visit).first()
    for code in (measurement.flags if measurement else []):
        if code == "hipertensi" and exam and exam.bp_class:
            continue  # the bidan's own reading below replaces the kader's
        found[code] = FLAG_LABELS.get(code, code.replace("_", " "))
    if exam:
        if exam.bp_class in ("tinggi", "rendah"):
            found[f"bp_{exam.bp_class}"] = (
                f"Tekanan darah {exam.bp_class} ({exam.systolic}/{exam.diastolic} mmHg)"
            )
        if exam.glucose_class in ("tinggi", "rendah"):
            found[f"gula_{exam.glucose_class}"] = (
                f"Gula darah {exam.glucose_class} ({exam.glucose_mg_dl} mg/dL)"
            )
        if exam.anaemia:
            found["anemia"] = f"Anemia (Hb {fx.typed(exam.hb_g_dl)} g/dL)"
    for s in Screening.objects.filter(visit=visit, refer=True).order_by("instrument"):
        found[f"{s.instrument}_{s.outcome}"] = (
            f"{s.get_instrument_display().split(' (')[0]}: {s.outcome_label}"
        )
    return list(found.items())


def referral_reason(findings) -> str:
    return "; ".join(label for _, label in findings)


def referral_actions(referral: Referral) -> list[tuple[str, str]]:
    """The next statuses a referral may move to, without cancelling (that one
    needs a reason and is offered apart)."""
    return [
        (s, Referral.Status(s).label)
        for s in TRANSITIONS[Referral.Status(referral.status)]
        if s != Referral.Status.BATAL
    ]


def referral_rows(referrals) -> list[dict]:
    return [
        {"referral": r, "actions": referral_actions(r),
         "can_cancel": Referral.Status.BATAL in TRANSITIONS[Referral.Status(r.status)]}
        for r in referrals
    ]


def screenings_for(visit: Visit, age_years: int) -> list[dict]:
    """The instruments that apply to the person's age, with this visit's
    result and the date of the last one before it."""
    payload = table("screenings", visit.date)
    here = {s.instrument: s for s in Screening.objects.filter(visit=visit)}
    before = {}
    for s in (Screening.objects.filter(person_id=visit.person_id, visit__date__lt=visit.date)
              .select_related("visit").order_by("visit__date")):
        before[s.instrument] = s.visit.date
    rows = []
    for code in INSTRUMENTS:
        spec = payload.get(code)
        if not spec or age_years < (spec.get("min_age_years") or 0):
            continue
        rows.append({"code": code, "label": spec["label"], "result": here.get(code),
                     "last_on": before.get(code)})
    return rows


def _initial(obj, fields) -> dict:
    return {f: fx.typed(getattr(obj, f)) if f not in ("glucose_kind", "kelas_ibu", "notes")
            else getattr(obj, f) for f in fields}


def exam_initial(visit: Visit) -> dict:
    exam = Examination.objects.filter(visit=visit).first()
    fields = ("systolic", "diastolic", "glucose_mg_dl", "glucose_kind", "hb_g_dl", "notes")
    if exam:
        return _initial(exam, fields)
    m = getattr(visit, "measurement", None)
    if m and m.systolic is not None:  # the kader's step-2 reading as a start
        return {"systolic": m.systolic, "diastolic": m.diastolic}
    return {}


def anc_initial(visit: Visit) -> dict:
    check = AncCheck.objects.filter(visit=visit).first()
    if check is None:
        return {"ttd_tablets": ""}
    return _initial(check, ("tfu_cm", "djj", "ttd_tablets", "kelas_ibu", "notes"))


def step4_context(visit: Visit) -> dict:
    person = visit.person
    on = visit.date
    age_months = completed_months(person.birth_date, on)

    doses = doses_for(visit)
    due_doses = open_doses(doses)
    vit_a_code = vitamin_a_due(
        birth_date=person.birth_date, on=on,
        given_dates=list(person.supplements.filter(kind__startswith="vitamin_a")
                         .values_list("given_on", flat=True)),
        payload=table("immunisation_schedule", on),
    ) if age_months < IMMUNISATION_MAX_MONTHS else None
    vit_a = None
    if vit_a_code:
        spec = table("immunisation_schedule", on)["vitamin_a"]
        label = next((d["label"] for d in spec["doses"] if d["code"] == vit_a_code), vit_a_code)
        vit_a = {"kind": VITAMIN_A_KINDS[vit_a_code], "label": label}

    given_kinds = supplement_kinds_given(visit)
    exam = Examination.objects.filter(visit=visit).first()
    pregnancy = _pregnancy_on(person, on)
    weeks = gestational_weeks(pregnancy.hpht, on) if pregnancy else None
    findings = visit_findings(visit)
    referrals = (
        Referral.objects.filter(person=person)
        .filter(Q(visit=visit) | Q(status__in=Referral.OPEN_STATUSES))
        .select_related("visit")
        .order_by("-created_at")
    )
    referral_list = referral_rows(referrals)
    return {
        "imm_doses": doses,
        "imm_due": due_doses,
        "imm_given": [d for d in doses if d.status == SUDAH],
        "imm_form": fx.ImmunisationForm(doses=due_doses) if due_doses else None,
        "vitamin_a_due": vit_a,
        "supplements_given": Supplement.objects.filter(visit=visit).order_by("created_at"),
        "supplement_form": fx.SupplementForm(exclude=given_kinds),
        "exam": exam,
        "exam_results": exam_results(exam),
        "exam_open": age_months >= EXAM_OPEN_FROM_MONTHS or pregnancy is not None,
        "exam_form": fx.ExaminationForm(initial=exam_initial(visit)),
        "pregnancy": pregnancy,
        "pregnancy_weeks": weeks,
        "pregnancy_trimester": trimester(weeks) if weeks is not None else None,
        "anc": AncCheck.objects.filter(visit=visit).first() if pregnancy else None,
        "anc_form": fx.AncForm(initial=anc_initial(visit)) if pregnancy else None,
        "screening_rows": screenings_for(visit, age_months // 12),
        "findings": findings,
        "referrals": referral_list,
        "referral_open": bool(findings) and not any(
            r["referral"].visit_id == visit.pk for r in referral_list
        ),
        "referral_form": fx.ReferralForm(
            flags=findings,
            initial={"reason": referral_reason(findings), "flags": [c for c, _ in findings]},
        ),
    }
