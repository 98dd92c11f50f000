"""Result types returned by :func:`ilp.growth.assess`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IndexResult:
    """One anthropometric index (BB/U, PB-TB/U, BB/PB-TB, IMT/U, LK/U, LiLA/U).

    ``category`` and ``label`` are None when the index has no Permenkes category
    (LiLA/U) or when the z-score is implausible: an implausible value must be
    re-measured, never counted in a category.
    """

    code: str  # "bbu", "tbu", "bbtb", "imtu", "lku", "lilau"
    z: float | None  # rounded to 2 decimals
    category: str | None  # machine code, e.g. "gizi_kurang"
    label: str | None  # Indonesian label, e.g. "Gizi kurang"
    implausible: bool


@dataclass(frozen=True)
class GrowthResult:
    age_days: int
    age_months: int  # completed calendar months
    length_used_cm: float | None  # after the +-0.7 cm correction
    length_basis: str | None  # "PB" (length, < 731 days) or "TB" (height)
    indices: dict[str, IndexResult]  # only the computable ones

    @property
    def implausible(self) -> list[str]:
        """Codes of the indices whose z-score is implausible (re-measure)."""
        return [code for code, result in self.indices.items() if result.implausible]
