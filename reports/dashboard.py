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
from reports.figures.skdn import INDICATORS, Skdn, add_all, add_months, skdn_by_month

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
    if area.level == "posyandu":
        return board
    rows = Posyandu.objects.filter(pk__in=area.posyandu_ids).select_related("desa__puskesmas")
    if area.level == "puskesmas":
        board.ranking_of = "Posyandu"
        ranking = [RankRow(p.pk, p.nama, per_posyandu[p.pk]) for p in rows]
    else:
        board.ranking_of = "Puskesmas"
        grouped: dict[int, list] = defaultdict(list)
        names = {}
        for p in rows:
            pkm = p.desa.puskesmas
            grouped[pkm.pk].append(per_posyandu[p.pk])
            names[pkm.pk] = pkm.nama
        ranking = [RankRow(pk, names[pk], add_all(items)) for pk, items in grouped.items()]
    # Best participation first; areas with no balita (D/S undefined) last.
    ranking.sort(key=lambda r: (r.ds is None, -(r.ds or 0), r.name))
    board.ranking = ranking
    return board
