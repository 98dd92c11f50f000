"""A report section defined as columns over metrics, rendered as a Table with
one row per unit (a posyandu, or a Puskesmas = the sum of its posyandu) and
an optional total row. Percent columns are computed from the summed counts,
never summed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from reports.figures.engine import Ctx, Metric
from reports.figures.skdn import SexCounts, percent
from reports.figures.tables import Column, Row, Table


@dataclass(frozen=True)
class Unit:
    """One row of a roll-up: a label and the posyandu ids it adds up."""

    key: str
    label: str
    posyandu_ids: tuple[int, ...]


@dataclass(frozen=True)
class Cell:
    column: Column
    metric: str = ""  # metric key; "" for a percent column
    sex: str | None = None  # "L", "P" or None (both)
    ratio: tuple[str, str] | None = None  # (numerator cell key, denominator cell key)


@dataclass
class Section:
    code: str
    title: str
    cells: list[Cell] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _keys: set = field(default_factory=set, repr=False)

    def metric(self, key: str, source: str, cond: Callable[[Ctx], object]) -> str:
        key = f"{self.code}.{key}"
        if key not in self._keys:
            self._keys.add(key)
            self.metrics.append(Metric(key, source, cond))
        return key

    def add(self, key: str, label: str, group: str, metric: str, sex: str | None = None):
        self.cells.append(Cell(Column(key, label, group), metric, sex))

    def add_by_sex(self, key: str, group: str, metric: str, total: bool = False):
        self.add(f"{key}_l", "L", group, metric, "L")
        self.add(f"{key}_p", "P", group, metric, "P")
        if total:
            self.add(f"{key}_j", "Jumlah", group, metric, None)

    def add_pct(self, key: str, label: str, group: str, numerator: str, denominator: str):
        self.cells.append(Cell(Column(key, label, group, "pct"), ratio=(numerator, denominator)))


def sum_counts(
    counts: dict[int, dict[str, SexCounts]], ids: Iterable[int]
) -> dict[str, SexCounts]:
    out: dict[str, SexCounts] = {}
    for pid in ids:
        for key, value in counts.get(pid, {}).items():
            out[key] = out.get(key, SexCounts()) + value
    return out


def row_values(section: Section, totals: dict[str, SexCounts]) -> list:
    plain = {}
    values = []
    for cell in section.cells:
        if cell.ratio is None:
            v = totals.get(cell.metric, SexCounts()).get(cell.sex)
            plain[cell.column.key] = v
            values.append(v)
        else:
            num, den = cell.ratio
            values.append(percent(plain.get(num, 0), plain.get(den, 0)))
    return values


def section_table(
    section: Section,
    counts: dict[int, dict[str, SexCounts]],
    units: Sequence[Unit],
    *,
    label_header: str,
    total_label: str | None = None,
) -> Table:
    rows = [
        Row(u.label, row_values(section, sum_counts(counts, u.posyandu_ids)), key=u.key)
        for u in units
    ]
    if total_label is not None:
        ids = [pid for u in units for pid in u.posyandu_ids]
        rows.append(Row(total_label, row_values(section, sum_counts(counts, ids)),
                        is_total=True, key="total"))
    return Table(
        code=section.code, title=section.title, label_header=label_header,
        columns=[c.column for c in section.cells], rows=rows, notes=list(section.notes),
    )
