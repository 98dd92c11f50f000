"""The open service day as the phone keeps it (docs/offline.md,
``GET /api/v1/service-days/{uuid}/offline/``).

``day_bundle`` reads a bounded number of queries whatever the number of
people: the people (with their household and mother, whether they were ever
weighed before the day, last calendar month's weight, and the id of their
latest measurement as annotations), their pregnancies, those latest
measurements, the children's immunisations and vitamin A, who is expected,
and the day's visits. Everything else is computed in Python with the same
functions as the pages: life-cycle groups, step-2 fields, what is due, the WHO
weight-for-age LMS at the age in days and the KBM valid on the day.

NIK never leaves the server in clear: only its SHA-256 hex digest.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from ilp.growth.age import age_in_days, age_in_months
from ilp.growth.categories import load_categories
from ilp.growth.kms import kbm_for_age
from ilp.growth.tables import WFA_DAY, get_table
from ilp.models import (
    Immunisation,
    Measurement,
    Person,
    Pregnancy,
    ServiceDay,
    Supplement,
    Visit,
)
from ilp.selectors.day import expected_sasaran
from ilp.selectors.visit import due_today, step2_fields
from ilp.services.measurements import kbm_table
from posyandu.reference import table

VERSION = 1
PERSON_FIELDS = (
    "uuid", "name", "sex", "birth_date", "nik", "mother_nik", "mother_name", "rt", "rw",
    "posyandu_id", "mother__uuid", "mother__name", "mother__nik", "household__uuid",
    "household__kepala_keluarga", "household__no_kk",
)
GROWTH_GROUP = "balita"  # BB/U and N/T on the phone: the KMS age band (0-59 months)


def nik_hash(nik: str | None) -> str | None:
    """SHA-256 hex of the 16 NIK digits (what the phone computes from what is typed)."""
    return hashlib.sha256(nik.encode("ascii")).hexdigest() if nik else None


def _number(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format(value.normalize(), "f")


def _month_start(day: date, back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def day_bundle(*, user, day: ServiceDay) -> dict:
    """The bundle of an open ``day`` the caller already holds in scope (service.kader)."""
    on = day.date
    posyandu = day.posyandu
    weighings = Measurement.objects.filter(
        person=OuterRef("pk"), weight_kg__isnull=False, measured_on__lt=on
    )
    last_month = weighings.filter(
        measured_on__gte=_month_start(on, 1), measured_on__lt=_month_start(on)
    ).order_by("-measured_on", "-pk").values("weight_kg")[:1]
    latest = Measurement.objects.filter(person=OuterRef("pk"), measured_on__lt=on).order_by(
        "-measured_on", "-pk").values("pk")[:1]
    people = list(
        Person.objects.for_user(user, "service.kader")
        .filter(posyandu_id=day.posyandu_id)
        .living_in_area_on(on)
        .filter(birth_date__lte=on)
        .select_related("household", "mother")
        .only(*PERSON_FIELDS)
        .annotate(
            has_earlier_weight=Exists(weighings),
            last_month_weight=Subquery(last_month),
            latest_measurement=Subquery(latest),
        )
        .order_by("name", "pk")
    )
    latest_ids = [p.latest_measurement for p in people if p.latest_measurement]
    last = {m.person_id: m for m in Measurement.objects.filter(pk__in=latest_ids).only(
        "person_id", "measured_on", "weight_kg", "length_cm", "head_cm", "muac_cm", "bbu_cat",
        "trend", "trend_override")}

    ages = {p.pk: age_in_months(p.birth_date, on) for p in people}
    children = [pk for pk, months in ages.items() if months < 60]
    given: dict[int, dict] = {}
    for person_id, vaccine, given_on in Immunisation.objects.filter(
            person_id__in=children).values_list("person_id", "vaccine", "given_on"):
        given.setdefault(person_id, {})[vaccine] = given_on
    vitamin_a: dict[int, list] = {}
    for person_id, given_on in Supplement.objects.filter(
            person_id__in=children, kind__startswith="vitamin_a").values_list(
            "person_id", "given_on"):
        vitamin_a.setdefault(person_id, []).append(given_on)
    pregnancies: dict[int, list] = {}
    for pregnancy in Pregnancy.objects.filter(
            person_id__in=[p.pk for p in people if p.sex == "P"]).only(
            "person_id", "hpht", "outcome_date"):
        pregnancies.setdefault(pregnancy.person_id, []).append(pregnancy)
    expected = set(expected_sasaran(day=day).values_list("pk", flat=True))
    kbm = kbm_table(on)

    rows = []
    for p in people:
        months = ages[p.pk]
        groups = p.lifecycle_groups(on, pregnancies=pregnancies.get(p.pk, ()))
        _, due = due_today(person=p, on=on, age_months=months, groups=groups,
                           given=given.get(p.pk, {}), vitamin_a_dates=vitamin_a.get(p.pk, []))
        rows.append(_person(p, on, months, groups, due, last.get(p.pk), p.pk in expected,
                            step2_fields(SimpleNamespace(person=p, date=on, posyandu=posyandu),
                                         groups),
                            kbm))

    visits = (
        Visit.objects.for_user(user, "service.kader")
        .filter(service_day=day)
        .select_related("person", "measurement")
        .order_by("created_at")
    )
    categories = load_categories()
    return {
        "version": VERSION,
        "generated_at": timezone.now().isoformat(),
        "user": {"id": user.pk, "username": user.get_username()},
        "day": {
            "uuid": str(day.uuid), "date": on.isoformat(), "status": day.status,
            "place": day.place,
            "posyandu": {"uuid": str(posyandu.uuid), "nama": posyandu.nama,
                         "timezone": posyandu.timezone},
        },
        "people": rows,
        "visits": [_visit(v) for v in visits],
        "tables": {
            "bbu_categories": [
                {"code": b.code, "label": b.label, "lower": b.lower,
                 "lower_inclusive": b.lower_inclusive, "upper": b.upper,
                 "upper_inclusive": b.upper_inclusive}
                for b in categories.scales["bbu"]
            ],
            "bbu_implausible": list(categories.limits["bbu"]),
            "counselling_topics": table("counselling_topics", on)["topics"],
            "growth_source": (
                "WHO 2006 Child Growth Standards, weight-for-age by day; categories: "
                f"{categories.source}; KBM: reference table kbm valid on {on.isoformat()}"
            ),
        },
    }


def _person(p: Person, on: date, months: int, groups: list[str], due, m: Measurement | None,
            expected: bool, fields: list[str], kbm: dict[int, int]) -> dict:
    mother, household = p.mother, p.household
    growth = None
    if GROWTH_GROUP in groups:
        days = age_in_days(p.birth_date, on)
        lms = get_table(WFA_DAY, p.sex).at(days)
        growth = {
            "age_days": days, "age_months": months,
            "wfa_lms": [lms.l, lms.m, lms.s] if lms else None,
            "kbm_g": kbm_for_age(months, kbm),
            "last_month_weight_kg": _number(p.last_month_weight),
            "has_earlier_weight": p.has_earlier_weight,
        }
    return {
        "uuid": str(p.uuid), "name": p.name, "sex": p.sex, "birth_date": p.birth_date.isoformat(),
        "nik_hash": nik_hash(p.nik),
        "mother_nik_hash": nik_hash(p.mother_nik or (mother.nik if mother else None)),
        "mother_name": p.mother_name or (mother.name if mother else ""),
        "mother": str(mother.uuid) if mother else None,
        "household": {
            "uuid": str(household.uuid), "kepala_keluarga": household.kepala_keluarga,
            "no_kk_last4": household.no_kk[-4:] if household.no_kk else None,
        } if household else None,
        "rt": p.rt, "rw": p.rw,
        "groups": groups,
        "expected": expected,
        "last": {
            "date": m.measured_on.isoformat(), "weight_kg": _number(m.weight_kg),
            "length_cm": _number(m.length_cm), "head_cm": _number(m.head_cm),
            "muac_cm": _number(m.muac_cm), "bbu_cat": m.bbu_cat, "trend": m.final_trend,
        } if m else None,
        "due": [d.label for d in due],
        "step2_fields": fields,
        "growth": growth,
    }


def _visit(v: Visit) -> dict:
    m = getattr(v, "measurement", None) if hasattr(v, "measurement") else None
    return {
        "uuid": str(v.uuid), "person": str(v.person.uuid), "step": v.step,
        "measurement": {
            "weight_kg": _number(m.weight_kg), "length_cm": _number(m.length_cm),
            "bbu_z": m.bbu_z, "bbu_cat": m.bbu_cat, "trend": m.final_trend,
            "flags": list(m.flags or []),
        } if m else None,
    }
