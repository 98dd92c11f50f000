"""Permenkes 2/2020 categories and implausible-value limits, read from ``data/categories.json``.

The cut-offs and Indonesian labels live in the data file (with its ``source``
and ``valid_from``) so a Dinas Kesehatan can correct them without a release.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CATEGORIES_FILE = Path(__file__).resolve().parent / "data" / "categories.json"


@dataclass(frozen=True, slots=True)
class Band:
    """One category: ``lower < z < upper``, each end included when flagged; None = open."""

    code: str
    label: str
    lower: float | None
    lower_inclusive: bool
    upper: float | None
    upper_inclusive: bool

    def contains(self, z: float) -> bool:
        if self.lower is not None:
            if z < self.lower or (z == self.lower and not self.lower_inclusive):
                return False
        if self.upper is not None:
            if z > self.upper or (z == self.upper and not self.upper_inclusive):
                return False
        return True


@dataclass(frozen=True, slots=True)
class CategoryTable:
    source: str
    valid_from: str
    scales: dict[str, tuple[Band, ...]]
    limits: dict[str, tuple[float, float]]

    def classify(self, scale: str, z: float) -> Band | None:
        """The band of ``scale`` holding ``z``; None if the scale has no bands."""
        for band in self.scales[scale]:
            if band.contains(z):
                return band
        return None

    def is_implausible(self, index_code: str, z: float) -> bool:
        low, high = self.limits[index_code]
        return z < low or z > high


@lru_cache(maxsize=1)
def load_categories(path: Path = CATEGORIES_FILE) -> CategoryTable:
    """Read and check the category file (cached)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    scales = {name: _bands(name, items) for name, items in raw["scales"].items()}
    limits = {
        code: (float(v["low"]), float(v["high"]))
        for code, v in raw["implausible"].items()
        if not code.startswith("_")
    }
    return CategoryTable(raw["source"], raw["valid_from"], scales, limits)


def _bands(name: str, items: list[dict]) -> tuple[Band, ...]:
    bands = tuple(
        Band(
            code=item["code"],
            label=item["label"],
            lower=None if item["lower"] is None else float(item["lower"]),
            lower_inclusive=bool(item["lower_inclusive"]),
            upper=None if item["upper"] is None else float(item["upper"]),
            upper_inclusive=bool(item["upper_inclusive"]),
        )
        for item in items
    )
    _check_partition(name, bands)
    return bands


def _check_partition(name: str, bands: tuple[Band, ...]) -> None:
    """Bands must cover the whole real line once: open ends, shared edges, one side closed."""
    if not bands:
        return
    if bands[0].lower is not None or bands[-1].upper is not None:
        raise ValueError(f"categories {name}: first/last band must be open-ended")
    for left, right in zip(bands, bands[1:], strict=False):
        if left.upper is None or left.upper != right.lower:
            raise ValueError(f"categories {name}: gap or overlap at {left.code}/{right.code}")
        if left.upper_inclusive == right.lower_inclusive:
            raise ValueError(f"categories {name}: edge {left.upper} must belong to one band")
