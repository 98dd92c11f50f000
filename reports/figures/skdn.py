"""SKDN per posyandu per month, by sex, computed in the database.

Definitions (shared/domain/DEFAULTS.md §4), with the edge rules this module
decides:

* **S**: balita 0–59 months (the ``balita`` band of the ``lifecycle_groups``
  table valid at month end, completed months) at the **last day of the
  month**, registered to the posyandu (``Person.posyandu``, where they live)
  and living in the area that day: not merged, not moved away, not dead on
  or before month end (``Person.objects.living_in_area_on``). The date of
  registration is not used: paper records are often entered late, and the
  registry says where the child lived.
* **K**: of S, those with ``has_buku_kia``.
* **D**: distinct balita weighed in the month, at the posyandu or on a home
  visit (every ``Measurement`` belongs to a visit of either kind) with a
  weight. "Balita" here is the **age at the weighing** (0–59 months), the same
  age the KMS trend is computed with, so every weighed child has a letter and
  D = B + O + N + T holds by construction. A child weighed at 59 months who
  turns 60 before month end is in D but not in S.
* **Where D counts**: the posyandu where the child was weighed
  (``Measurement.posyandu``), not where the child is registered, so a child
  from outside weighed here counts here. A child who **moved away** after
  being weighed still counts in that month's D (the weighing happened) but
  not in S (not living in the area at month end); D/S can therefore exceed
  100 %.
* **Weighed more than once in a month**: the child counts once, with the
  **latest** weighing of the month (date, then id) — the one the next month's
  N/T is compared with — and at that weighing's posyandu. Its letter is B if
  the month holds the child's first weighing ever (a second weighing in the
  same month is stored as "O" by the KMS rule, but the child is new this
  month), otherwise the final trend of the latest weighing. 2T and BGM are
  taken from that latest weighing too.
* **B / O / N / T**: from the stored final trend (``trend_override`` wins over
  ``trend``), which ``ilp.services.measurements`` recomputes on every edit, so
  a late correction changes this month's and the next month's figures the
  next time they are computed (nothing here is cached).
* **D′** = N + T; **2T** = ``is_2t``; **BGM** = ``is_bgm`` (BB/U z < −3).

Queries: ``skdn`` and ``skdn_trend`` run one grouped query for S/K and one for
the weighings, whatever the number of posyandu or months.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import TruncMonth

from ilp.lifecycle import birth_date_range
from ilp.models import Measurement, Person
from posyandu.months import add_months, month_end, month_range, month_start  # noqa: F401
from posyandu.reference import table
from reports.figures.db import figures_transaction

SEXES = ("L", "P")
LETTERS = ("B", "O", "N", "T")


@dataclass(frozen=True)
class SexCounts:
    L: int = 0
    P: int = 0

    @property
    def total(self) -> int:
        return self.L + self.P

    def __add__(self, other: SexCounts) -> SexCounts:
        return SexCounts(self.L + other.L, self.P + other.P)

    def get(self, sex: str | None) -> int:
        """Count for "L", "P", or the total for None/""."""
        return getattr(self, sex) if sex else self.total


ZERO = SexCounts()

# (key, label, numerator, denominator) in the order the paper forms print them.
INDICATORS = (
    ("K/S", "Liputan program (K/S)", "K", "S"),
    ("D/S", "Partisipasi masyarakat (D/S)", "D", "S"),
    ("D/K", "Kelangsungan penimbangan (D/K)", "D", "K"),
    ("N/D", "Hasil penimbangan (N/D)", "N", "D"),
    ("N/D′", "Keberhasilan program (N/D′)", "N", "D_prime"),
    ("N/S", "Hasil capaian program (N/S)", "N", "S"),
    ("BGM/D", "Balita BGM (BGM/D)", "BGM", "D"),
    ("2T/D", "Balita 2T (2T/D)", "T2", "D"),
)


def percent(numerator: int, denominator: int) -> float | None:
    """numerator/denominator in percent, one decimal; None when the base is 0."""
    return round(100.0 * numerator / denominator, 1) if denominator else None


@dataclass(frozen=True)
class Skdn:
    S: SexCounts = ZERO
    K: SexCounts = ZERO
    D: SexCounts = ZERO
    B: SexCounts = ZERO
    O: SexCounts = ZERO  # noqa: E741 - the SKDN letter
    N: SexCounts = ZERO
    T: SexCounts = ZERO
    D_prime: SexCounts = ZERO  # D′ = N + T
    T2: SexCounts = ZERO  # 2T
    BGM: SexCounts = ZERO

    def __add__(self, other: Skdn) -> Skdn:
        return Skdn(**{
            f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)
        })

    def indicators(self, sex: str | None = None) -> dict[str, float | None]:
        """K/S, D/S, D/K, N/D, N/D′, N/S, BGM/D, 2T/D in percent (one decimal),
        None when the base is 0; for both sexes, or for "L" or "P"."""
        return {
            key: percent(getattr(self, num).get(sex), getattr(self, den).get(sex))
            for key, _label, num, den in INDICATORS
        }


def add_all(items: Iterable[Skdn]) -> Skdn:
    total = Skdn()
    for item in items:
        total = total + item
    return total


# --------------------------------------------------------------------------- months


def balita_range(on: date) -> tuple[date, date]:
    """(earliest exclusive, latest inclusive) birth dates of balita on ``on``."""
    band = next(g for g in table("lifecycle_groups", on)["groups"] if g["code"] == "balita")
    earliest, latest = birth_date_range(band, on)
    return earliest, latest


# --------------------------------------------------------------------------- queries


def balita_on_q(on: date, prefix: str = "") -> Q:
    """Q for persons who are balita living in the area on ``on`` (merged rows
    are excluded by the caller)."""
    earliest, latest = balita_range(on)
    p = prefix
    return (
        Q(**{f"{p}birth_date__gt": earliest, f"{p}birth_date__lte": latest})
        & (Q(**{f"{p}moved_on__isnull": True}) | Q(**{f"{p}moved_on__gt": on}))
        & (Q(**{f"{p}died_on__isnull": True}) | Q(**{f"{p}died_on__gt": on}))
    )


def _sasaran_counts(posyandu_ids, months: list[date]) -> dict[tuple, tuple[int, int]]:
    """{(month, posyandu id, sex): (S, K)} in one query (a conditional count per month)."""
    ends = [month_end(m) for m in months]
    ranges = [balita_range(e) for e in ends]
    aggregates = {}
    for i, end in enumerate(ends):
        q = balita_on_q(end)
        aggregates[f"s{i}"] = Count("pk", filter=q)
        aggregates[f"k{i}"] = Count("pk", filter=q & Q(has_buku_kia=True))
    rows = (
        Person.objects.filter(
            posyandu_id__in=posyandu_ids,
            merged_into__isnull=True,
            birth_date__gt=min(r[0] for r in ranges),
            birth_date__lte=max(r[1] for r in ranges),
        )
        .order_by()
        .values("posyandu_id", "sex")
        .annotate(**aggregates)
    )
    out = {}
    for row in rows:
        for i, m in enumerate(months):
            out[(m, row["posyandu_id"], row["sex"])] = (row[f"s{i}"], row[f"k{i}"])
    return out


def final_weighings(posyandu_ids, first: date, last: date):
    """The weighing that counts for SKDN, one per child per month, in the
    months ``first``..``last`` at these posyandu: the latest weighing of the
    month of a child who was a balita when weighed. Annotated with ``month``
    and ``letter`` (B, O, N or T)."""
    start, end = month_start(first), month_end(last)
    weighings = Measurement.objects.filter(weight_kg__isnull=False).exclude(trend="")
    # The constant date bounds let PostgreSQL probe the (person, measured_on)
    # index per row instead of hashing every weighing ever recorded.
    in_range = weighings.filter(measured_on__gte=start, measured_on__lte=end).annotate(
        month=TruncMonth("measured_on")
    )
    later_same_month = in_range.filter(
        Q(measured_on__gt=OuterRef("measured_on"))
        | Q(measured_on=OuterRef("measured_on"), pk__gt=OuterRef("pk")),
        person_id=OuterRef("person_id"),
        month=OuterRef("month"),
    )
    first_ever_this_month = in_range.filter(
        person_id=OuterRef("person_id"), month=OuterRef("month"), trend="B"
    )
    return (
        weighings.filter(posyandu_id__in=posyandu_ids, measured_on__gte=start, measured_on__lte=end)
        .annotate(month=TruncMonth("measured_on"))
        .filter(~Exists(later_same_month))
        .annotate(
            letter=Case(
                When(Q(trend="O") & Exists(first_ever_this_month), then=Value("B")),
                When(~Q(trend_override=""), then=F("trend_override")),
                default=F("trend"),
                output_field=CharField(),
            )
        )
    )


def _weighing_counts(posyandu_ids, first: date, last: date):
    """{(month, posyandu id, sex): {letter/"2T"/"BGM": count}} in one grouped query."""
    rows = (
        final_weighings(posyandu_ids, first, last)
        .order_by()
        .values("month", "posyandu_id", "person__sex", "letter", "is_2t", "is_bgm")
        .annotate(n=Count("pk"))  # one row per child and month: no DISTINCT needed
    )
    out: dict = defaultdict(lambda: defaultdict(int))
    for row in rows:
        month = row["month"]
        if hasattr(month, "date"):  # a datetime on some backends
            month = month.date()
        counts = out[(month, row["posyandu_id"], row["person__sex"])]
        counts[row["letter"]] += row["n"]
        if row["is_2t"]:
            counts["2T"] += row["n"]
        if row["is_bgm"]:
            counts["BGM"] += row["n"]
    return out


def _sex_counts(values: dict[str, int]) -> SexCounts:
    return SexCounts(values.get("L", 0), values.get("P", 0))


def skdn_by_month(posyandu_ids, first: date, last: date) -> dict[date, dict[int, Skdn]]:
    """{month: {posyandu id: Skdn}} for every month first..last and every id
    (zero rows included). Two queries in all."""
    ids = sorted({int(i) for i in posyandu_ids})
    months = month_range(first, last)
    with figures_transaction():
        sasaran = _sasaran_counts(ids, months) if ids else {}
        weighed = _weighing_counts(ids, months[0], months[-1]) if ids and months else {}
    out: dict[date, dict[int, Skdn]] = {}
    for m in months:
        per = {}
        for pid in ids:
            by_sex: dict[str, dict[str, int]] = defaultdict(dict)
            for sex in SEXES:
                s, k = sasaran.get((m, pid, sex), (0, 0))
                w = weighed.get((m, pid, sex), {})
                by_sex["S"][sex], by_sex["K"][sex] = s, k
                for key in (*LETTERS, "2T", "BGM"):
                    by_sex[key][sex] = w.get(key, 0)
                by_sex["D"][sex] = sum(w.get(letter, 0) for letter in LETTERS)
                by_sex["D_prime"][sex] = w.get("N", 0) + w.get("T", 0)
            per[pid] = Skdn(
                S=_sex_counts(by_sex["S"]), K=_sex_counts(by_sex["K"]),
                D=_sex_counts(by_sex["D"]), B=_sex_counts(by_sex["B"]),
                O=_sex_counts(by_sex["O"]), N=_sex_counts(by_sex["N"]),
                T=_sex_counts(by_sex["T"]), D_prime=_sex_counts(by_sex["D_prime"]),
                T2=_sex_counts(by_sex["2T"]), BGM=_sex_counts(by_sex["BGM"]),
            )
        out[m] = per
    return out


def skdn(posyandu_ids, month: date) -> dict[int, Skdn]:
    """SKDN of one month for each posyandu id (every id present, zero rows included)."""
    month = month_start(month)
    return skdn_by_month(posyandu_ids, month, month)[month]


def skdn_trend(posyandu_ids, last_month: date, months: int = 12) -> list[tuple[date, Skdn]]:
    """Totals over the ids for the ``months`` months ending with ``last_month``,
    oldest first (the same two queries as ``skdn``, not one per month)."""
    last = month_start(last_month)
    first = add_months(last, -(months - 1))
    data = skdn_by_month(posyandu_ids, first, last)
    return [(m, add_all(per.values())) for m, per in data.items()]
