"""The one table shape every report section is rendered from.

A table has grouped columns (two header rows at most, as on the paper forms)
and rows of numbers; CSV/XLSX flatten the header to "group: column"."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Column:
    key: str  # stable machine name (CSV/JSON), e.g. "d_l"
    label: str  # what the paper form prints, e.g. "L"
    group: str = ""  # header group, e.g. "D (ditimbang)"; "" = no group
    kind: str = "int"  # "int", "pct" (float percent or None), "text"


@dataclass
class Row:
    label: str  # first cell: posyandu name, month, person name...
    values: list  # one per column, in column order
    is_total: bool = False
    key: str = ""  # stable id (posyandu id, month "2026-10", person uuid)


@dataclass
class Table:
    code: str  # "skdn", "recap_anak", "sip6", "followup", ...
    title: str
    label_header: str  # header of the first column ("Posyandu", "Bulan", "Nama")
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def header_groups(self) -> list[tuple[str, int]]:
        """Consecutive column groups with their span, for the first header row."""
        groups: list[tuple[str, int]] = []
        for c in self.columns:
            if groups and groups[-1][0] == c.group:
                groups[-1] = (c.group, groups[-1][1] + 1)
            else:
                groups.append((c.group, 1))
        return groups

    def flat_header(self) -> list[str]:
        return [self.label_header] + [
            f"{c.group}: {c.label}" if c.group else c.label for c in self.columns
        ]

    def as_dict(self) -> dict:
        return asdict(self)
