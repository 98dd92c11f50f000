"""Counting people per posyandu and sex with conditional aggregates.

A report column is a ``Metric``: a key, a *source* and a condition. Every
metric of one source is counted in **one** grouped query (``COUNT(DISTINCT
person) FILTER (WHERE ...)`` grouped by posyandu and sex), so a table with
thirty columns costs three queries whatever the size of the area.

Sources (``month`` is a first-of-month date; months are local service dates):

* ``person``: people registered to the posyandu (``Person.posyandu``, where
  they live), not merged. Conditions usually add ``living_q`` (in the area
  at month end) and an age band at month end.
* ``absent``: the same people, only those with no visit anywhere in the month
  (one anti-join for every "tidak datang" column).
* ``visit``: visits in the month at the posyandu (``Visit.posyandu``: where the
  service was given, at the posyandu or at home); counts distinct persons.
  What was done at a visit is reached through its one-to-one rows
  (``measurement``, ``examination``, ``anc_check``, ``counselling``) or with
  ``Exists`` on its supplements, immunisations, screenings and referrals.
* ``measure``: the **latest** measurement of each person in the month (date,
  then id) at the posyandu, so classes (BB/U, IMT...) partition the measured.

Conditions are functions of a ``Ctx`` so the same rule works from each source
(field prefix for person fields, the outer reference to the person's id).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth

from ilp.lifecycle import months_before
from ilp.models import Measurement, Person, Pregnancy, Visit
from posyandu.reference import table
from reports.figures.db import figures_transaction
from reports.figures.skdn import SexCounts, month_end

# Longest pregnancy still counted as ongoing without an outcome (weeks since
# HPHT); older open records are stale data, not ibu hamil.
MAX_PREGNANCY_WEEKS = 44
PERSON_SOURCES = ("person", "absent")
SOURCES = ("person", "absent", "visit", "measure")


@dataclass(frozen=True)
class Ctx:
    source: str
    start: date
    end: date

    @property
    def on_person(self) -> bool:
        return self.source in PERSON_SOURCES

    @property
    def p(self) -> str:
        """Prefix of person fields."""
        return "" if self.on_person else "person__"

    @property
    def person_ref(self) -> str:
        return "pk" if self.on_person else "person_id"

    def f(self, name: str) -> str:
        return self.p + name


@dataclass(frozen=True)
class Metric:
    key: str
    source: str  # one of SOURCES
    cond: Callable[[Ctx], Q]


# --------------------------------------------------------------------------- conditions


def living_q(ctx: Ctx) -> Q:
    """Living in the area at month end (not moved away, not dead)."""
    on = ctx.end
    return (Q(**{ctx.f("moved_on__isnull"): True}) | Q(**{ctx.f("moved_on__gt"): on})) & (
        Q(**{ctx.f("died_on__isnull"): True}) | Q(**{ctx.f("died_on__gt"): on})
    )


def age_q(ctx: Ctx, min_months: int, max_months: int | None) -> Q:
    """Age in completed months at month end within [min, max] (max None = open)."""
    q = Q(**{ctx.f("birth_date__lte"): months_before(ctx.end, min_months)})
    if max_months is not None:
        q &= Q(**{ctx.f("birth_date__gt"): months_before(ctx.end, max_months + 1)})
    return q


def band(code: str, on: date) -> tuple[int, int | None]:
    g = next(g for g in table("lifecycle_groups", on)["groups"] if g["code"] == code)
    return g["min_months"], g["max_months"]


def band_q(ctx: Ctx, code: str) -> Q:
    return age_q(ctx, *band(code, ctx.end))


def sex_q(ctx: Ctx, sex: str) -> Q:
    return Q(**{ctx.f("sex"): sex})


def pregnant_q(ctx: Ctx) -> Q:
    """Ibu hamil on some day of the month: a pregnancy that started by month
    end and had not ended before the month (open records older than
    ``MAX_PREGNANCY_WEEKS`` are ignored)."""
    stale = ctx.start - timedelta(weeks=MAX_PREGNANCY_WEEKS)
    return Q(Exists(Pregnancy.objects.filter(
        Q(outcome_date__isnull=True, hpht__gt=stale) | Q(outcome_date__gte=ctx.start),
        person_id=OuterRef(ctx.person_ref), hpht__lte=ctx.end,
    )))


def nifas_q(ctx: Ctx) -> Q:
    """Ibu nifas on some day of the month: a pregnancy ended on or before month
    end and at most ``nifas_days`` before the month started."""
    days = table("lifecycle_groups", ctx.end)["pregnancy"]["nifas_days"]
    return Q(Exists(Pregnancy.objects.filter(
        person_id=OuterRef(ctx.person_ref), outcome_date__lte=ctx.end,
        outcome_date__gte=ctx.start - timedelta(days=days),
    )))


# --------------------------------------------------------------------------- counting


def _bases(source: str, ids: list[int], start: date, end: date):
    if source in PERSON_SOURCES:
        qs = Person.objects.filter(posyandu_id__in=ids, merged_into__isnull=True)
        if source == "absent":
            qs = qs.filter(~Exists(Visit.objects.filter(
                person_id=OuterRef("pk"), date__gte=start, date__lte=end)))
        return qs, "sex", "pk"
    if source == "visit":
        return (
            Visit.objects.filter(posyandu_id__in=ids, date__gte=start, date__lte=end),
            "person__sex", "person_id",
        )
    if source == "measure":
        return latest_measurements(ids, start, end), "person__sex", "person_id"
    raise ValueError(f"unknown source {source!r}")


def latest_measurements(ids, start: date, end: date):
    """One measurement per person and month: the latest (date, then id)."""
    later = Measurement.objects.annotate(month=TruncMonth("measured_on")).filter(
        Q(measured_on__gt=OuterRef("measured_on"))
        | Q(measured_on=OuterRef("measured_on"), pk__gt=OuterRef("pk")),
        person_id=OuterRef("person_id"), month=OuterRef("month"),
    )
    return (
        Measurement.objects.filter(posyandu_id__in=ids, measured_on__gte=start, measured_on__lte=end)
        .annotate(month=TruncMonth("measured_on"))
        .filter(~Exists(later))
    )


def count_metrics(
    posyandu_ids: Iterable[int], month: date, metrics: Iterable[Metric]
) -> dict[int, dict[str, SexCounts]]:
    """{posyandu id: {metric key: SexCounts}} for every id and metric (zeros
    included); one query per source used."""
    ids = sorted({int(i) for i in posyandu_ids})
    metrics = list(metrics)
    start, end = month.replace(day=1), month_end(month)
    raw: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    with figures_transaction():
        for source in SOURCES:
            group = [m for m in metrics if m.source == source]
            if not group or not ids:
                continue
            ctx = Ctx(source, start, end)
            qs, sex_field, person_field = _bases(source, ids, start, end)
            # person and measure rows are one per person: no DISTINCT (it sorts)
            distinct = source == "visit"
            aggregates = {
                m.key: Count(person_field, distinct=distinct, filter=m.cond(ctx)) for m in group
            }
            for row in qs.order_by().values("posyandu_id", sex_field).annotate(**aggregates):
                counts = raw[(row["posyandu_id"], row[sex_field])]
                for m in group:
                    counts[m.key] = row[m.key]
    return {
        pid: {
            m.key: SexCounts(raw[(pid, "L")].get(m.key, 0), raw[(pid, "P")].get(m.key, 0))
            for m in metrics
        }
        for pid in ids
    }
