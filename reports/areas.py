"""Which posyandu a report over an area covers, for a given user.

The one way report code turns "this posyandu / Puskesmas / kabupaten" into
posyandu ids. It goes through the scoping entry point: a user gets an area
only when the "reports" permission covers *every* active posyandu of it (a
bidan covering two posyandu of a Puskesmas cannot produce a Puskesmas report
that silently leaves the others out). Anything else is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from posyandu.models import Kabupaten, Posyandu, Puskesmas
from posyandu.scoping import posyandu_ids_for

LEVELS = ("posyandu", "puskesmas", "kabupaten")
LEVEL_LABELS = {"posyandu": "Posyandu", "puskesmas": "Puskesmas", "kabupaten": "Kabupaten/Kota"}
_FILTER = {
    "posyandu": "pk",
    "puskesmas": "desa__puskesmas",
    "kabupaten": "desa__kecamatan__kabupaten",
}
_MODEL = {"posyandu": Posyandu, "puskesmas": Puskesmas, "kabupaten": Kabupaten}


@dataclass(frozen=True)
class Area:
    level: str
    obj: object  # the Posyandu, Puskesmas or Kabupaten
    posyandu_ids: tuple[int, ...]

    @property
    def name(self) -> str:
        return str(self.obj)


def area_posyandu_ids(level: str, area_id: int) -> tuple[int, ...]:
    """All active posyandu of an area (no user check: for tasks that were
    checked when requested)."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    return tuple(
        Posyandu.objects.filter(is_active=True, **{_FILTER[level]: area_id})
        .order_by("pk").values_list("pk", flat=True)
    )


def area_for_user(user, level: str, area_id, perm: str = "reports") -> Area:
    """The area if ``user`` holds ``perm`` on all of its posyandu; else 404."""
    if level not in LEVELS:
        raise Http404
    try:
        obj = _MODEL[level].objects.get(pk=int(area_id))
    except (ValueError, TypeError, _MODEL[level].DoesNotExist):
        raise Http404 from None
    ids = area_posyandu_ids(level, obj.pk)
    allowed = posyandu_ids_for(user, perm)
    if level == "posyandu":
        ids = (obj.pk,)
    if not ids or not set(ids) <= allowed:
        raise Http404
    return Area(level, obj, ids)


def areas_for_user(user, perm: str = "reports") -> list[Area]:
    """Every area the user may report on, widest first (for pickers and home
    pages): the kabupaten, then Puskesmas, then posyandu fully in scope."""
    allowed = posyandu_ids_for(user, perm)
    if not allowed:
        return []
    rows = list(
        Posyandu.objects.filter(pk__in=allowed, is_active=True)
        .select_related("desa__puskesmas", "desa__kecamatan__kabupaten")
        .order_by("nama")
    )
    out: list[Area] = []
    for level, attr in (("kabupaten", "desa.kecamatan.kabupaten"), ("puskesmas", "desa.puskesmas")):
        seen = {}
        for p in rows:
            obj = p
            for part in attr.split("."):
                obj = getattr(obj, part)
            seen[obj.pk] = obj
        for pk, obj in sorted(seen.items(), key=lambda kv: str(kv[1])):
            ids = area_posyandu_ids(level, pk)
            if ids and set(ids) <= allowed:
                out.append(Area(level, obj, ids))
    out += [Area("posyandu", p, (p.pk,)) for p in rows]
    return out
