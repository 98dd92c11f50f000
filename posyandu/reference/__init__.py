"""Versioned rule tables: the shipped JSON files in this folder are loaded into
``ReferenceTable`` rows after migrate; code reads the version valid on a date
with ``table(code, on)``. A Dinas Kesehatan corrects a table in the admin by
adding a version with a later valid_from."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

from django.utils import timezone

SHIPPED_DIR = Path(__file__).resolve().parent
_TTL_SECONDS = 300
_cache: dict[str, tuple[float, list[tuple[date, dict]]]] = {}


def shipped_tables() -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(SHIPPED_DIR.glob("*.json"))]


def sync_shipped_tables() -> int:
    """Insert shipped versions that are not in the database yet. Never
    overwrites a version: corrections are new versions. Returns rows added."""
    from posyandu.models import ReferenceTable

    added = 0
    for t in shipped_tables():
        _, created = ReferenceTable.objects.get_or_create(
            code=t["code"],
            valid_from=date.fromisoformat(t["valid_from"]),
            defaults={"source": t["source"], "payload": t["payload"]},
        )
        added += created
    clear_cache()
    return added


def clear_cache() -> None:
    _cache.clear()


def table(code: str, on: date | None = None) -> dict:
    """The payload of table ``code`` valid on ``on`` (default: today)."""
    on = on or timezone.localdate()
    versions = _versions(code)
    for valid_from, payload in versions:  # newest first
        if valid_from <= on:
            return payload
    if versions:  # a date before the first version: the oldest applies
        return versions[-1][1]
    raise LookupError(f"reference table {code!r} is not loaded")


def _versions(code: str) -> list[tuple[date, dict]]:
    hit = _cache.get(code)
    if hit and time.monotonic() - hit[0] < _TTL_SECONDS:
        return hit[1]
    from posyandu.models import ReferenceTable

    rows = list(
        ReferenceTable.objects.filter(code=code)
        .order_by("-valid_from")
        .values_list("valid_from", "payload")
    )
    if rows:
        _cache[code] = (time.monotonic(), rows)
    return rows
