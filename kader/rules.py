"""Follow-up rules: who needs a kader's visit, and why.

Each rule of the ``followup_rules`` reference table (code, label, action, due
days, parameters, reason text, source) is evaluated here by the class of the
same code. A rule finds its candidates with set queries over a whole set of
posyandu at once (no query per person); it answers:

* ``candidates(ctx)``: person id -> ``Candidate`` (period key, date of the
  finding, due date, reason in Bahasa Indonesia, details) for the people the
  condition holds for now;
* ``holding(ctx, tasks)``: which of the given open tasks still hold (the
  others are closed automatically by ``kader.services.tasks.followup_sync``).
  By default a task holds while its person is still a candidate, looked at
  without the rule's "recent" window (``ctx.holding``).

Thresholds come from the tables the ilp services use (adult_thresholds,
immunisation_schedule, lifecycle_groups), so a correction there applies here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from ilp.lifecycle import completed_months, months_before
from ilp.models import (
    Examination,
    Immunisation,
    Measurement,
    Person,
    Pregnancy,
    Referral,
    Screening,
    ServiceDay,
    Supplement,
    Visit,
)
from ilp.screenings import add_months
from ilp.selectors.day import expected_sasaran
from posyandu.months import month_end, month_key, month_start
from posyandu.reference import table

TABLE = "followup_rules"
UNION_CHUNK = 100  # sub-selects per UNION (SQLite allows 500)

BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember"]


def ddmmyyyy(d: date) -> str:
    return f"{d:%d-%m-%Y}"


def decimal_id(value) -> str:
    """12.50 -> "12,5" (numbers as a kader writes them)."""
    if value is None:
        return ""
    text = format(Decimal(str(value)).normalize(), "f")
    return text.replace(".", ",")


@dataclass(frozen=True)
class Candidate:
    person_id: int
    posyandu_id: int
    rt: str
    rw: str
    period: str
    anchor_on: date
    due_on: date
    reason: str
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    """What a rule run covers: people living in ``posyandu_ids`` (or only
    ``person_ids``) on the local date ``on``. ``holding`` is set while
    checking whether open tasks still hold (no "recent" windows then)."""

    posyandu_ids: tuple[int, ...]
    on: date
    person_ids: tuple[int, ...] | None = None
    holding: bool = False

    def narrowed(self, person_ids: Iterable[int]) -> Context:
        return replace(self, person_ids=tuple(sorted(set(person_ids))), holding=True)

    def persons(self) -> QuerySet[Person]:
        """The people the rules look at: living in the area on ``on``."""
        qs = Person.objects.living_in_area_on(self.on)
        if self.person_ids is not None:
            return qs.filter(pk__in=self.person_ids)
        return qs.filter(posyandu_id__in=self.posyandu_ids)


PERSON_COLUMNS = ("pk", "posyandu_id", "rt", "rw")


class Rule:
    """One row of the followup_rules table with its evaluation."""

    code = ""

    def __init__(self, spec: dict):
        self.spec = spec
        self.params: dict = spec.get("params", {})
        self.label: str = spec["label"]
        self.action: str = spec.get("action", "kunjungan")
        self.due_days: int = int(spec.get("due_days", 7))
        self.reason_text: str = spec.get("reason", spec["label"])
        self.closes_when: str = spec.get("closes_when", "")

    def reason(self, **values) -> str:
        return self.reason_text.format(**values)[:300]

    def due(self, ctx: Context, anchor: date) -> date:
        return max(anchor + timedelta(days=self.due_days), ctx.on)

    def applies_to(self, *, age_months: int, sex: str) -> bool:
        """A cheap pre-check for the per-person run (no query)."""
        return True

    def candidates(self, ctx: Context) -> dict[int, Candidate]:
        raise NotImplementedError

    def holding(self, ctx: Context, tasks: list) -> set[int]:
        if not tasks:
            return set()
        found = self.candidates(ctx.narrowed(t.person_id for t in tasks))
        return {t.pk for t in tasks if t.person_id in found}


def _union_rows(querysets: list[QuerySet]) -> list[tuple]:
    """Rows of several value querysets with the same columns, by UNION ALL in
    chunks (one round trip per chunk)."""
    rows: list[tuple] = []
    for i in range(0, len(querysets), UNION_CHUNK):
        chunk = [qs.order_by() for qs in querysets[i:i + UNION_CHUNK]]
        if not chunk:
            continue
        qs = chunk[0].union(*chunk[1:], all=True) if len(chunk) > 1 else chunk[0]
        rows += list(qs)
    return rows


def held_days(posyandu_ids: Iterable[int], since: date, until: date) -> dict[int, ServiceDay]:
    """The latest service day per posyandu that has taken place between
    ``since`` and ``until``: opened and closed, or opened on an earlier date.
    A day planned and never opened did not happen."""
    days = (
        ServiceDay.objects.filter(posyandu_id__in=list(posyandu_ids), date__gte=since,
                                  date__lte=until)
        .filter(Q(status=ServiceDay.Status.CLOSED)
                | Q(status=ServiceDay.Status.OPEN, date__lt=until))
        .order_by("posyandu_id", "-date")
    )
    latest: dict[int, ServiceDay] = {}
    for day in days:
        latest.setdefault(day.posyandu_id, day)
    return latest


def _posyandu_of_persons(ctx: Context) -> list[int]:
    """The posyandu whose service days matter for this run."""
    if ctx.posyandu_ids:
        return list(ctx.posyandu_ids)
    return list(Person.objects.filter(pk__in=ctx.person_ids or ()).order_by()
                .values_list("posyandu_id", flat=True).distinct())


# --------------------------------------------------------------------------
# tidak_datang: expected at the last service day, no visit that month


class TidakDatang(Rule):
    code = "tidak_datang"

    def candidates(self, ctx: Context) -> dict[int, Candidate]:
        lookback = int(self.params.get("lookback_days", 31))
        days = held_days(_posyandu_of_persons(ctx), ctx.on - timedelta(days=lookback), ctx.on)
        parts = []
        for day in days.values():
            came = Visit.objects.filter(
                person=OuterRef("pk"), date__gte=month_start(day.date),
                date__lte=month_end(day.date),
            )
            qs = expected_sasaran(day=day).filter(~Exists(came))
            if ctx.person_ids is not None:
                qs = qs.filter(pk__in=ctx.person_ids)
            parts.append(qs.annotate(day_id=Value(day.pk)).values_list(*PERSON_COLUMNS, "day_id"))
        by_id = {d.pk: d for d in days.values()}
        out = {}
        for pk, posyandu_id, rt, rw, day_id in _union_rows(parts):
            day = by_id[day_id]
            out[pk] = Candidate(
                person_id=pk, posyandu_id=posyandu_id, rt=rt, rw=rw,
                period=month_key(day.date), anchor_on=day.date, due_on=self.due(ctx, day.date),
                reason=self.reason(day=ddmmyyyy(day.date)),
                details={"day": day.date.isoformat()},
            )
        return out

    def holding(self, ctx: Context, tasks: list) -> set[int]:
        """Still not seen (no visit of any kind) since the month of the day,
        and still living in the area."""
        if not tasks:
            return set()
        persons = {t.person_id for t in tasks}
        living = set(ctx.narrowed(persons).persons().values_list("pk", flat=True))
        since = min(month_start(t.anchor_on) for t in tasks)
        seen: dict[int, date] = {}
        for person_id, on in (Visit.objects.filter(person_id__in=persons, date__gte=since)
                              .values_list("person_id", "date")):
            seen[person_id] = max(on, seen.get(person_id, on))
        return {
            t.pk for t in tasks
            if t.person_id in living
            and not (t.person_id in seen and seen[t.person_id] >= month_start(t.anchor_on))
        }


# --------------------------------------------------------------------------
# gizi: the latest measurement of a balita shows 2T, BGM, wasting or stunting

GROWTH_LABELS = {
    "2T": "2T (berat badan 2 bulan berturut-turut tidak naik)",
    "BGM": "BGM (di bawah garis merah)",
    "gizi_buruk": "gizi buruk",
    "gizi_kurang": "gizi kurang",
    "pendek": "pendek (stunting)",
    "sangat_pendek": "sangat pendek (stunting berat)",
}


class Gizi(Rule):
    code = "gizi"

    def applies_to(self, *, age_months: int, sex: str) -> bool:
        return age_months <= int(self.params.get("max_age_months", 59))

    def _problem(self) -> Q:
        p = self.params
        q = Q(pk__in=[])
        if p.get("is_2t"):
            q |= Q(is_2t=True)
        if p.get("is_bgm"):
            q |= Q(is_bgm=True)
        if cats := p.get("nutrition_categories"):
            q |= Q(bbtb_cat__in=cats) | Q(bbtb_cat="", imtu_cat__in=cats)
        if cats := p.get("height_categories"):
            q |= Q(tbu_cat__in=cats)
        return q

    def findings(self, row: dict) -> list[str]:
        p = self.params
        codes = []
        if p.get("is_2t") and row["is_2t"]:
            codes.append("2T")
        if p.get("is_bgm") and row["is_bgm"]:
            codes.append("BGM")
        nutrition = row["bbtb_cat"] or row["imtu_cat"]
        if nutrition in p.get("nutrition_categories", []):
            codes.append(nutrition)
        if row["tbu_cat"] in p.get("height_categories", []):
            codes.append(row["tbu_cat"])
        return codes

    def candidates(self, ctx: Context) -> dict[int, Candidate]:
        later = Measurement.objects.filter(person=OuterRef("person"),
                                           measured_on__gt=OuterRef("measured_on"))
        qs = Measurement.objects.filter(
            person__in=ctx.persons(), measured_on__lte=ctx.on,
            age_months__lte=int(self.params.get("max_age_months", 59)),
        ).filter(~Exists(later)).filter(self._problem())
        if not ctx.holding:
            qs = qs.filter(measured_on__gte=ctx.on - timedelta(
                days=int(self.params.get("lookback_days", 62))))
        out = {}
        for row in qs.values("person_id", "person__posyandu_id", "person__rt", "person__rw",
                             "measured_on", "is_2t", "is_bgm", "bbtb_cat", "imtu_cat",
                             "tbu_cat", "weight_kg"):
            codes = self.findings(row)
            words = ", ".join(GROWTH_LABELS.get(c, c) for c in codes)
            on = row["measured_on"]
            out[row["person_id"]] = Candidate(
                person_id=row["person_id"], posyandu_id=row["person__posyandu_id"],
                rt=row["person__rt"], rw=row["person__rw"], period=month_key(on), anchor_on=on,
                due_on=self.due(ctx, on), reason=self.reason(findings=words[:1].upper() + words[1:]),
                details={"findings": codes, "measured_on": on.isoformat(),
                         "weight_kg": decimal_id(row["weight_kg"])},
            )
        return out


# --------------------------------------------------------------------------
# imunisasi: doses late (completed months past the dose age), for baduta


class Imunisasi(Rule):
    code = "imunisasi"

    def applies_to(self, *, age_months: int, sex: str) -> bool:
        return age_months <= int(self.params.get("max_age_months", 23))

    def doses(self, on: date) -> list[dict]:
        endemic = bool(self.params.get("endemic_je", False))
        max_age = int(self.params.get("max_age_months", 23))
        return [
            d for d in table("immunisation_schedule", on)["doses"]
            if (endemic or not d.get("endemic_only", False)) and d["age_months"] < max_age
        ]

    def candidates(self, ctx: Context) -> dict[int, Candidate]:
        on = ctx.on
        max_age = int(self.params.get("max_age_months", 23))
        children = ctx.persons().filter(birth_date__gt=months_before(on, max_age + 1),
                                        birth_date__lte=on)
        doses = self.doses(on)
        order = {d["code"]: i for i, d in enumerate(
            sorted(doses, key=lambda d: (d["age_months"], d["code"])))}
        labels = {d["code"]: d["label"] for d in doses}
        ages = {d["code"]: d["age_months"] for d in doses}
        parts = []
        for d in doses:
            given = Immunisation.objects.filter(person=OuterRef("pk"), vaccine=d["code"])
            # late: completed months > the dose age, i.e. born on or before the
            # day that completes age + 1 months
            qs = children.filter(birth_date__lte=months_before(on, d["age_months"] + 1))
            parts.append(qs.filter(~Exists(given)).annotate(dose=Value(d["code"]))
                         .values_list(*PERSON_COLUMNS, "birth_date", "dose"))
        late: dict[int, list[str]] = defaultdict(list)
        info: dict[int, tuple] = {}
        for pk, posyandu_id, rt, rw, birth, code in _union_rows(parts):
            late[pk].append(code)
            info[pk] = (posyandu_id, rt, rw, birth)
        out = {}
        for pk, codes in late.items():
            codes.sort(key=order.__getitem__)
            posyandu_id, rt, rw, birth = info[pk]
            first = codes[0]
            anchor = add_months(birth, ages[first])
            out[pk] = Candidate(
                person_id=pk, posyandu_id=posyandu_id, rt=rt, rw=rw, period=first,
                anchor_on=anchor, due_on=ctx.on + timedelta(days=self.due_days),
                reason=self.reason(doses=", ".join(labels[c] for c in codes)),
                details={"doses": codes},
            )
        return out


# --------------------------------------------------------------------------
# vitamin_a: a child in a capsule's age band missed the February/August round


class VitaminA(Rule):
    code = "vitamin_a"

    def applies_to(self, *, age_months: int, sex: str) -> bool:
        return 5 <= age_months <= 60

    def round_month(self, on: date, spec: dict) -> date | None:
        """The first day of the distribution month whose sweeping window
        (that month and ``months_after`` more) contains ``on``."""
        after = int(self.params.get("months_after", 1))
        for back in range(after + 1):
            first = add_months(month_start(on), -back) if back else month_start(on)
            if first.month in spec["months"]:
                return first
        return None

    def candidates(self, ctx: Context) -> dict[int, Candidate]:
        spec = table("immunisation_schedule", ctx.on)["vitamin_a"]
        first = self.round_month(ctx.on, spec)
        if first is None:
            return {}
        posyandu_ids = _posyandu_of_persons(ctx)
        days = held_days(posyandu_ids, first, min(month_end(first), ctx.on))
        # The round counts from the posyandu's service day of the month, or
        # from the first of the next month when it held none.
        next_month = add_months(first, 1)
        anchors: dict[date, list[int]] = defaultdict(list)
        for posyandu_id in posyandu_ids:
            day = days.get(posyandu_id)
            anchor = day.date if day else next_month
            if anchor <= ctx.on:
                anchors[anchor].append(posyandu_id)
        bands = spec["doses"]
        parts = []
        given = Supplement.objects.filter(person=OuterRef("pk"), kind__startswith="vitamin_a",
                                          given_on__gte=first)
        blue_before = Supplement.objects.filter(person=OuterRef("pk"), kind="vitamin_a_biru")
        for anchor, ids in anchors.items():
            band_q = Q(pk__in=[])
            for band in bands:
                earliest = months_before(anchor, band["max_months"] + 1)
                latest = months_before(anchor, band["min_months"])
                q = Q(birth_date__gt=earliest, birth_date__lte=latest)
                if band.get("once"):
                    q &= ~Exists(blue_before)
                band_q |= q
            qs = ctx.persons().filter(posyandu_id__in=ids).filter(band_q).filter(~Exists(given))
            parts.append(qs.annotate(anchor=Value(anchor)).values_list(
                *PERSON_COLUMNS, "birth_date", "anchor"))
        round_label = f"{BULAN[first.month - 1]} {first.year}"
        out = {}
        for pk, posyandu_id, rt, rw, birth, anchor in _union_rows(parts):
            if isinstance(anchor, str):  # SQLite returns the literal as text
                anchor = date.fromisoformat(anchor)
            months = completed_months(birth, anchor)
            band = next((b for b in bands if b["min_months"] <= months <= b["max_months"]), None)
            capsule = band["label"] if band else "vitamin A"
            out[pk] = Candidate(
                person_id=pk, posyandu_id=posyandu_id, rt=rt, rw=rw, period=month_key(first),
                anchor_on=anchor, due_on=min(self.due(ctx, anchor), max(month_end(
                    add_months(first, int(self.params.get("months_after", 1)))), ctx.on)),
                reason=self.reason(capsule=capsule, month=round_label),
                details={"round": first.isoformat(), "capsule": band["code"] if band else ""},
            )
        return out

    def holding(self, ctx: Context, tasks: list) -> set[int]:
        """No vitamin A given since the round's month began; still living here."""
        if not tasks:
            return set()
        persons = {t.person_id for t in tasks}
        living = set(ctx.narrowed(persons).persons().values_list("pk", flat=True))

        def round_of(task) -> date:
            return date.fromisoformat(task.details.get("round") or f"{task.period}-01")

        since = min(round_of(t) for t in tasks)
        last: dict[int, date] = {}
        for person_id, on in (Supplement.objects.filter(
                person_id__in=persons, kind__startswith="vitamin_a", given_on__gte=since)
                .values_list("person_id", "given_on")):
            last[person_id] = max(on, last.get(person_id, on))
        return {t.pk for t in tasks
                if t.person_id in living and not last.get(t.person_id, date.min) >= round_of(t)}


# --------------------------------------------------------------------------
# ibu hamil


def _pregnant(ctx: Context) -> QuerySet[Pregnancy]:
    return Pregnancy.objects.filter(
        person__in=ctx.persons().filter(sex="P"), outcome=Pregnancy.Outcome.ONGOING,
        hpht__lte=ctx.on,
    )


class BumilRisiko(Rule):
    code = "bumil_risiko"

    def applies_to(self, *, age_months: int, sex: str) -> bool:
        return sex == "P" and age_months >= 120

    def candidates(self, ctx: Context) -> dict[int, Candidate]:
        pregnancies = _pregnant(ctx)
        hpht = {p: h for p, h in pregnancies.values_list("person_id", "hpht")}
        if not hpht:
            return {}
        persons = list(hpht)
        thresholds = table("adult_thresholds", ctx.on)
        found: dict[int, list[tuple[date, str, str]]] = defaultdict(list)
        ongoing = Exists(Pregnancy.objects.filter(
            person=OuterRef("person"), outcome=Pregnancy.Outcome.ONGOING,
            hpht__lte=OuterRef("measured_on")))
        if self.params.get("kek", True):
            later = Measurement.objects.filter(person=OuterRef("person"), muac_cm__isnull=False,
                                               measured_on__gt=OuterRef("measured_on"))
            rows = (Measurement.objects.filter(person_id__in=persons, muac_cm__isnull=False,
                                               measured_on__lte=ctx.on)
                    .filter(ongoing).filter(~Exists(later))
                    .filter(muac_cm__lt=Decimal(str(thresholds["kek_lila_cm"])))
                    .values_list("person_id", "measured_on", "muac_cm"))
            for pk, on, muac in rows:
                found[pk].append((on, "KEK", f"KEK (LiLA {decimal_id(muac)} cm)"))
        exams = Examination.objects.filter(person_id__in=persons, visit__date__lte=ctx.on)
        exams = exams.annotate(measured_on=F("visit__date")).filter(ongoing)
        if self.params.get("anaemia", True):
            later = Examination.objects.filter(person=OuterRef("person"), hb_g_dl__isnull=False,
                                               visit__date__gt=OuterRef("measured_on"))
            for pk, on, hb in (exams.filter(hb_g_dl__isnull=False).filter(~Exists(later))
                               .filter(anaemia=True)
                               .values_list("person_id", "measured_on", "hb_g_dl")):
                found[pk].append((on, "anemia", f"anemia (Hb {decimal_id(hb)} g/dL)"))
        if self.params.get("bp_high", True):
            later = Examination.objects.filter(person=OuterRef("person"), systolic__isnull=False,
                                               visit__date__gt=OuterRef("measured_on"))
            for pk, on, sys_, dia in (exams.filter(systolic__isnull=False).filter(~Exists(later))
                                      .filter(bp_class="tinggi")
                                      .values_list("person_id", "measured_on", "systolic",
                                                   "diastolic")):
                found[pk].append((on, "bp_tinggi", f"tekanan darah tinggi ({sys_}/{dia} mmHg)"))
        info = dict((pk, (pos, rt, rw)) for pk, pos, rt, rw in
                    Person.objects.filter(pk__in=list(found)).values_list(*PERSON_COLUMNS))
        out = {}
        for pk, items in found.items():
            items.sort()
            anchor = items[-1][0]
            pos, rt, rw = info[pk]
            out[pk] = Candidate(
                person_id=pk, posyandu_id=pos, rt=rt, rw=rw, period=month_key(anchor),
                anchor_on=anchor, due_on=self.due(ctx, anchor),
                reason=self.reason(findings=", ".join(i[2] for i in items)),
                details={"findings": [i[1] for i in items]},
            )
        return out


class BumilHpl(Rule):
    code = "bumil_hpl"

    def applies_to(self, *, age_months: int, sex: str) -> bool:
        return sex == "P" and age_months >= 120

    def candidates(self, ctx: Context) -> dict[int, Candidate]:
        before = int(self.params.get("days_before_due", 14))
        visit_before = int(self.params.get("visit_days_before_due", 7))
        rows = (_pregnant(ctx).filter(due_date__lte=ctx.on + timedelta(days=before))
                .order_by("person_id", "hpht")
                .values_list("pk", "person_id", "person__posyandu_id", "person__rt",
                             "person__rw", "due_date"))
        out = {}
        for preg, pk, pos, rt, rw, due in rows:
            out[pk] = Candidate(
                person_id=pk, posyandu_id=pos, rt=rt, rw=rw, period=f"hamil-{preg}",
                anchor_on=due, due_on=max(due - timedelta(days=visit_before), ctx.on),
                reason=self.reason(due=ddmmyyyy(due)), details={"hpl": due.isoformat()},
            )
        return out


# --------------------------------------------------------------------------
# lansia_skilas: a positive SKILAS not yet followed up


class LansiaSkilas(Rule):
    code = "lansia_skilas"

    def applies_to(self, *, age_months: int, sex: str) -> bool:
        return age_months >= 12 * int(self.params.get("min_age_years", 60))

    def candidates(self, ctx: Context) -> dict[int, Candidate]:
        old = ctx.persons().filter(
            birth_date__lte=months_before(ctx.on, 12 * int(self.params.get("min_age_years", 60))))
        later = Screening.objects.filter(person=OuterRef("person"), instrument="skilas",
                                         visit__date__gt=OuterRef("visit__date"))
        followed = Referral.objects.filter(
            person=OuterRef("person"), status=Referral.Status.DITINDAKLANJUTI,
            created_at__date__gte=OuterRef("visit__date"))
        qs = (Screening.objects.filter(person__in=old, instrument="skilas",
                                       visit__date__lte=ctx.on)
              .filter(~Exists(later)).filter(refer=True).filter(~Exists(followed)))
        if not ctx.holding:
            qs = qs.filter(visit__date__gte=ctx.on - timedelta(
                days=int(self.params.get("lookback_days", 365))))
        out = {}
        for pk, pos, rt, rw, on, label, details in qs.values_list(
                "person_id", "person__posyandu_id", "person__rt", "person__rw", "visit__date",
                "outcome_label", "details"):
            domains = label.split(": ", 1)[1] if ": " in label else label
            out[pk] = Candidate(
                person_id=pk, posyandu_id=pos, rt=rt, rw=rw, period=month_key(on), anchor_on=on,
                due_on=self.due(ctx, on), reason=self.reason(domains=domains),
                details={"domains": (details or {}).get("positive_domains", []),
                         "screened_on": on.isoformat()},
            )
        return out


# --------------------------------------------------------------------------
# rujukan_ptm: an adult referred for high blood pressure or glucose, still open

PTM_LABELS = {"bp_tinggi": "tekanan darah tinggi", "hipertensi": "tekanan darah tinggi",
              "gula_tinggi": "gula darah tinggi"}


class RujukanPtm(Rule):
    code = "rujukan_ptm"

    def applies_to(self, *, age_months: int, sex: str) -> bool:
        return age_months >= 12 * int(self.params.get("min_age_years", 15))

    def candidates(self, ctx: Context) -> dict[int, Candidate]:
        adults = ctx.persons().filter(
            birth_date__lte=months_before(ctx.on, 12 * int(self.params.get("min_age_years", 15))))
        flag_q = Q(pk__in=[])
        for code in self.params.get("flags", ["bp_tinggi", "gula_tinggi", "hipertensi"]):
            flag_q |= Q(flags__icontains=f'"{code}"')
        high_exam = Examination.objects.filter(visit=OuterRef("visit")).filter(
            Q(bp_class="tinggi") | Q(glucose_class="tinggi"))
        qs = (Referral.objects.filter(person__in=adults, status__in=Referral.OPEN_STATUSES)
              .filter(flag_q | Exists(high_exam))
              .annotate(referred_on=Coalesce("visit__date", "created_at__date"))
              .order_by("person_id", "created_at"))
        out = {}
        for ref, pk, pos, rt, rw, on, flags, bp, glucose in qs.values_list(
                "pk", "person_id", "person__posyandu_id", "person__rt", "person__rw",
                "referred_on", "flags", "visit__examination__bp_class",
                "visit__examination__glucose_class"):
            if pk in out:
                continue  # the earliest open referral
            codes = [c for c in (flags or []) if c in PTM_LABELS]
            if bp == "tinggi":
                codes.append("bp_tinggi")
            if glucose == "tinggi":
                codes.append("gula_tinggi")
            words = list(dict.fromkeys(PTM_LABELS[c] for c in codes)) or ["hasil pemeriksaan"]
            out[pk] = Candidate(
                person_id=pk, posyandu_id=pos, rt=rt, rw=rw, period=f"rujukan-{ref}",
                anchor_on=on, due_on=self.due(ctx, on),
                reason=self.reason(referred_on=ddmmyyyy(on), findings=" dan ".join(words)),
                details={"referral_id": ref},
            )
        return out


RULE_CLASSES: dict[str, type[Rule]] = {
    cls.code: cls
    for cls in (TidakDatang, Gizi, Imunisasi, VitaminA, BumilRisiko, BumilHpl, LansiaSkilas,
                RujukanPtm)
}


def load_rules(on: date, codes: Iterable[str] | None = None) -> list[Rule]:
    """The active rules of the table version valid on ``on`` (optionally only
    ``codes``). A table row without an evaluation class is ignored."""
    wanted = set(codes) if codes is not None else None
    rules = []
    for spec in table(TABLE, on)["rules"]:
        if not spec.get("active", True) or spec["code"] not in RULE_CLASSES:
            continue
        if wanted is not None and spec["code"] not in wanted:
            continue
        rules.append(RULE_CLASSES[spec["code"]](spec))
    return rules


def rule_labels(on: date | None = None) -> dict[str, str]:
    return {spec["code"]: spec["label"] for spec in table(TABLE, on)["rules"]}
