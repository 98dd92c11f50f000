"""What the dashboards and the trend API read: the month's SKDN of an area,
12 months of indicators, the ranking of its posyandu (or Puskesmas) by
participation D/S, and the follow-up counts. Reads only; the area's posyandu
ids come from ``reports.areas.area_for_user`` (already scoped)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from posyandu.models import Posyandu
from reports.areas import Area
from reports.figures.followup import REASON_ORDER, followup_counts, followup_table
from reports.figures.skdn import INDICATORS, Skdn, add_all, add_months, skdn_by_month
from reports.figures.tables import Column, Row, Table

TREND_MONTHS = 12
INDICATOR_LABELS = {key: label for key, label, _num, _den in INDICATORS}
LETTERS = ("S", "K", "D", "B", "O", "N", "T", "D_prime", "T2", "BGM")
LETTER_LABELS = {"D_prime": "D′", "T2": "2T"}


@dataclass
class RankRow:
    key: int  # posyandu or Puskesmas id
    name: str
    skdn: Skdn

    @property
    def ds(self) -> float | None:
        return self.skdn.indicators()["D/S"]

    @property
    def nd(self) -> float | None:
        return self.skdn.indicators()["N/D"]


@dataclass
class Dashboard:
    area: Area
    month: date
    skdn: Skdn  # the month, totals over the area
    trend: list[tuple[date, Skdn]]  # oldest first, ending with ``month``
    ranking: list[RankRow] = field(default_factory=list)  # best D/S first; empty for a posyandu
    ranking_of: str = ""  # "Posyandu" or "Puskesmas"
    followup: dict[str, int] = field(default_factory=dict)  # reason -> children, REASON_ORDER

    @property
    def indicators(self) -> dict[str, float | None]:
        return self.skdn.indicators()

    def trend_points(self) -> list[tuple[date, dict]]:
        return trend_points(self.trend)


def trend_points(trend: list[tuple[date, Skdn]]) -> list[tuple[date, dict]]:
    """(month, indicators) pairs, the input of ``reports.charts.trend_svg``."""
    return [(m, s.indicators()) for m, s in trend]


def counts(skdn: Skdn) -> dict[str, int]:
    """Totals (L + P) per letter, keyed as printed: S, K, D, B, O, N, T, D′, 2T, BGM."""
    return {LETTER_LABELS.get(k, k): getattr(skdn, k).total for k in LETTERS}


def trend(area: Area, month: date, months: int = TREND_MONTHS) -> list[tuple[date, Skdn]]:
    data = skdn_by_month(area.posyandu_ids, add_months(month, -(months - 1)), month)
    return [(m, add_all(per.values())) for m, per in data.items()]


def build(area: Area, month: date) -> Dashboard:
    """Everything the dashboard shows, in two queries for the figures (12
    months of all the area's posyandu at once) plus one for the names."""
    data = skdn_by_month(area.posyandu_ids, add_months(month, -(TREND_MONTHS - 1)), month)
    per_posyandu = data[month]
    board = Dashboard(
        area=area, month=month, skdn=add_all(per_posyandu.values()),
        trend=[(m, add_all(per.values())) for m, per in data.items()],
    )
    per_reason = followup_counts(area.posyandu_ids, month)
    board.followup = {r: sum(c[r] for c in per_reason.values()) for r in REASON_ORDER}
    if area.level == "posyandu":
        return board
    board.ranking_of = "Posyandu" if area.level == "puskesmas" else "Puskesmas"
    ranking = [RankRow(key, name, add_all(per_posyandu[i] for i in ids))
               for key, name, ids in units(area)]
    # Best participation first; areas with no balita (D/S undefined) last.
    ranking.sort(key=lambda r: (r.ds is None, -(r.ds or 0), r.name))
    board.ranking = ranking
    return board


def units(area: Area) -> list[tuple[int, str, tuple[int, ...]]]:
    """(id, name, posyandu ids) of the rows an area is broken into: its posyandu
    for a Puskesmas, its Puskesmas for a kabupaten, itself for a posyandu."""
    rows = (Posyandu.objects.filter(pk__in=area.posyandu_ids)
            .select_related("desa__puskesmas").order_by("nama", "pk"))
    if area.level != "kabupaten":
        return [(p.pk, p.nama, (p.pk,)) for p in rows]
    grouped: dict[int, list[int]] = defaultdict(list)
    names = {}
    for p in rows:
        grouped[p.desa.puskesmas_id].append(p.pk)
        names[p.desa.puskesmas_id] = p.desa.puskesmas.nama
    return sorted(((pk, names[pk], tuple(ids)) for pk, ids in grouped.items()), key=lambda u: u[1])


def followup_tables(area: Area, month: date) -> list[Table]:
    """The follow-up page: for a Puskesmas or kabupaten, the counts per posyandu
    or Puskesmas with a total row; then the children by name (all of them for
    a posyandu; for a Puskesmas those with a finding; none for a kabupaten)."""
    tables = []
    if area.level != "posyandu":
        per = followup_counts(area.posyandu_ids, month)
        columns = [Column(f"r{i}", reason, "Jumlah anak") for i, reason in enumerate(REASON_ORDER)]

        def values(ids) -> list:
            return [sum(per[i][r] for i in ids) for r in REASON_ORDER]

        rows = [Row(name, values(ids), key=str(key)) for key, name, ids in units(area)]
        rows.append(Row("Jumlah", values(area.posyandu_ids), is_total=True, key="total"))
        header = "Posyandu" if area.level == "puskesmas" else "Puskesmas"
        tables.append(Table("followup_jumlah", f"Jumlah balita per {header.lower()}", header,
                            columns, rows, notes=["Seorang anak dengan dua alasan dihitung di keduanya."]))
    if area.level != "kabupaten":
        tables.append(followup_table(area.posyandu_ids, month,
                                     include_not_weighed=area.level == "posyandu"))
    return tables
