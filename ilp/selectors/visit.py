"""Everything the visit page shows about one person at one visit, as plain
data: age and groups, what to measure, what is due, the growth results with
their Indonesian labels and the KMS chart, suggested counselling topics."""

from __future__ import annotations

from ilp.due import due_items, measurement_fields
from ilp.growth import assess
from ilp.growth.chart import kms_chart_svg
from ilp.lifecycle import completed_months, labels
from ilp.models import Visit
from ilp.screenings import immunisation_status, vitamin_a_due
from posyandu.reference import table

INDEX_NAMES = {"bbu": "BB/U", "tbu": "PB-TB/U", "bbtb": "BB/PB-TB", "imtu": "IMT/U", "lku": "LK/U",
               "lilau": "LiLA/U"}


def _growth(person, m) -> list[dict]:
    """Re-derive labels from the stored values (the stored codes are what
    reports count; this only adds the words)."""
    if m is None or m.age_days is None or not m.weight_kg and not m.length_cm:
        return []
    result = assess(
        sex=person.sex, birth_date=person.birth_date, measured_on=m.measured_on,
        weight_kg=m.weight_kg, length_cm=m.length_cm,
        method=m.length_method or ("standing" if m.length_cm else None),
        head_cm=m.head_cm, muac_cm=m.muac_cm,
    )
    return [
        {"name": INDEX_NAMES.get(code, code), "z": r.z, "label": r.label or "–",
         "implausible": r.implausible, "category": r.category}
        for code, r in result.indices.items()
    ]


def growth_chart(person, until=None) -> str:
    """The KMS-style BB/U chart of a child's weighings up to ``until`` (SVG),
    or "" when there is nothing under five years to draw."""
    rows = person.measurements.filter(weight_kg__isnull=False)
    if until is not None:
        rows = rows.filter(measured_on__lte=until)
    points = [
        ((m.measured_on - person.birth_date).days / 30.4375, float(m.weight_kg))
        for m in rows.order_by("measured_on").only("measured_on", "weight_kg")
        if (m.measured_on - person.birth_date).days < 1857
    ]
    if not points:
        return ""
    return kms_chart_svg(sex=person.sex, index="bbu", points=points,
                         title=f"Berat badan menurut umur – {person.name}")


def _suggested_topics(topics, *, flags, groups, age_months) -> list[str]:
    chosen = []
    for t in topics:
        lo_hi = t.get("when_age_months")
        if (set(t.get("when_flags", [])) & set(flags)) or (set(t.get("when_groups", [])) & set(groups)) \
                or (lo_hi and lo_hi[0] <= age_months <= lo_hi[1]):
            chosen.append(t["code"])
    return chosen or ["phbs"]


def step2_fields(visit: Visit, groups: list[str] | None = None) -> list[str]:
    """The step-2 fields for this person on this visit (cheap: no history)."""
    person = visit.person
    return measurement_fields(
        age_months=completed_months(person.birth_date, visit.date), sex=person.sex,
        groups=person.lifecycle_groups(visit.date) if groups is None else groups,
        measures_bp=visit.posyandu.measures_blood_pressure,
    )


def due_today(
    *, person, on, age_months: int, groups: list[str], given: dict, vitamin_a_dates: list
) -> tuple[list, list]:
    """(immunisation doses with their status, what is due today) for a person:
    ``given`` maps vaccine code -> date given, ``vitamin_a_dates`` the dates a
    vitamin A capsule was given. No queries: the visit page and the day kept on
    the phone (``ilp.selectors.offline``) load the history their own way."""
    schedule = table("immunisation_schedule", on)
    doses = immunisation_status(
        birth_date=person.birth_date, on=on, given=given, schedule_payload=schedule,
    ) if age_months < 24 else []
    vit_a = vitamin_a_due(
        birth_date=person.birth_date, on=on, given_dates=vitamin_a_dates, payload=schedule,
    ) if age_months < 60 else None
    due = due_items(on=on, age_months=age_months, sex=person.sex, groups=groups,
                    immunisations=doses, vitamin_a=vit_a)
    return doses, due


def counselling_topics(visit: Visit) -> list[dict]:
    return table("counselling_topics", visit.date)["topics"]


def visit_context(visit: Visit) -> dict:
    person = visit.person
    on = visit.date
    age_days = (on - person.birth_date).days
    age_months = completed_months(person.birth_date, on)
    groups = person.lifecycle_groups(on)
    m = getattr(visit, "measurement", None) if hasattr(visit, "measurement") else None
    flags = list(m.flags) if m else []
    child = age_months < 60
    doses, due = due_today(
        person=person, on=on, age_months=age_months, groups=groups,
        given={i.vaccine: i.given_on for i in person.immunisations.all()} if child else {},
        vitamin_a_dates=list(person.supplements.filter(kind__startswith="vitamin_a")
                             .values_list("given_on", flat=True)) if child else [],
    )
    topics = counselling_topics(visit)
    return {
        "person": person,
        "age_days": age_days,
        "age_months": age_months,
        "age_years": age_months // 12,
        "groups": labels(groups, table("lifecycle_groups", on)),
        "fields": step2_fields(visit, groups),
        "due": due,
        "doses": doses,
        "measurement": m,
        "growth": _growth(person, m),
        "flags": flags,
        "chart": growth_chart(person, until=visit.date) if age_months < 61 else "",
        "topics": topics,
        "suggested_topics": _suggested_topics(topics, flags=flags, groups=groups,
                                              age_months=age_months),
    }
