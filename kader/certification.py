"""Kader skills and certification level (Purwa / Madya / Utama). Pure.

The skill list, its groups and the level rule are the reference table
``kader_skills`` (posyandu/reference/kader_skills.json), passed in as ``table``.
A group is *complete* when every skill of it is verified. A level needs all of
its ``required_groups`` complete plus ``extra_complete_groups`` other groups
complete; the highest level met is the kader's level.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class GroupProgress:
    code: str
    label: str
    verified: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.verified == self.total


@dataclass(frozen=True)
class SkillSummary:
    verified: int  # known skills verified
    total: int  # skills in the table (25)
    groups: tuple[GroupProgress, ...]
    level: dict | None  # the level row of the table, or None below Purwa

    @property
    def level_label(self) -> str:
        return self.level["label"] if self.level else "Belum Purwa"

    @property
    def complete_groups(self) -> frozenset[str]:
        return frozenset(g.code for g in self.groups if g.complete)


def skills_by_code(table: dict) -> dict[str, dict]:
    return {s["code"]: s for s in table["skills"]}


def held_groups(verified_codes: Iterable[str], table: dict, rule: str | None = None) -> frozenset[str]:
    """Groups a kader holds: with rule "all" (the default from the table) every
    skill of the group verified; with "any" at least one."""
    rule = rule or table.get("allocation", {}).get("group_held", "all")
    summary = skill_summary(verified_codes, table)
    if rule == "any":
        return frozenset(g.code for g in summary.groups if g.verified > 0)
    return summary.complete_groups


def certification_level(complete_groups: Iterable[str], table: dict) -> dict | None:
    """The highest level whose rule the complete groups meet, else None."""
    complete = set(complete_groups)
    best = None
    for level in sorted(table["levels"], key=lambda lv: lv["order"]):
        required = set(level["required_groups"])
        if required <= complete and len(complete - required) >= level["extra_complete_groups"]:
            best = level
    return best


def skill_summary(verified_codes: Iterable[str], table: dict) -> SkillSummary:
    """Counts per group, total verified (unknown codes ignored) and the level."""
    known = skills_by_code(table)
    verified = {c for c in verified_codes if c in known}
    groups = []
    for g in sorted(table["groups"], key=lambda g: g["order"]):
        codes = [s["code"] for s in table["skills"] if s["group"] == g["code"]]
        groups.append(GroupProgress(g["code"], g["label"], len(verified.intersection(codes)), len(codes)))
    complete = {g.code for g in groups if g.complete}
    return SkillSummary(
        verified=len(verified), total=len(known), groups=tuple(groups),
        level=certification_level(complete, table),
    )
