"""Who is responsible for a person: the kader whose RT/RW area they live in,
else the posyandu's ketua (coordinator)."""

from __future__ import annotations

from collections.abc import Iterable

from kader.models.team import KaderProfile


class AreaMap:
    """Active kader by (posyandu, RW, RT) and the ketua per posyandu, read once."""

    def __init__(self, posyandu_ids: Iterable[int]):
        ids = list(posyandu_ids)
        self.by_area: dict[tuple[int, str, str], int] = {}
        self.ketua: dict[int, int] = {}
        rows = (
            KaderProfile.areas.through.objects
            .filter(kaderprofile__posyandu_id__in=ids, kaderprofile__is_active=True)
            .values_list("kaderprofile__posyandu_id", "rtrw__rw", "rtrw__rt",
                         "kaderprofile__user_id")
            .order_by("kaderprofile__created_at")
        )
        for posyandu_id, rw, rt, user_id in rows:
            self.by_area.setdefault((posyandu_id, rw, rt), user_id)
        for posyandu_id, user_id in KaderProfile.objects.filter(
            posyandu_id__in=ids, is_active=True, position=KaderProfile.Position.KETUA
        ).values_list("posyandu_id", "user_id"):
            self.ketua[posyandu_id] = user_id

    def kader_for(self, posyandu_id: int, rw: str, rt: str) -> int | None:
        """The user id of the kader for this address (RT/RW stored as 3 digits)."""
        return self.by_area.get((posyandu_id, rw, rt)) or self.ketua.get(posyandu_id)


def kader_for_person(person) -> int | None:
    return AreaMap([person.posyandu_id]).kader_for(person.posyandu_id, person.rw, person.rt)
