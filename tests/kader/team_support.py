"""Shared set-up of the team tests (H4): kader profiles at posyandu a1."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from ilp.models import ServiceDay
from kader.models.team import KaderProfile, SkillVerification
from posyandu.models import Membership, Role, RtRw
from posyandu.reference import sync_shipped_tables
from tests.factories import make_user

P = ["P1", "P2", "P3", "P4"]
B = [f"B{i}" for i in range(1, 9)]
H = [f"H{i}" for i in range(1, 6)]
R = ["R1", "R2", "R3"]
D = [f"D{i}" for i in range(1, 6)]


@dataclass
class Team:
    ketua: KaderProfile  # kader_a1, ketua of a1
    ani: KaderProfile  # a plain kader of a1
    budi: KaderProfile  # another plain kader of a1
    rt1: RtRw
    day: ServiceDay


def make_team(w, *, on: date | None = None) -> Team:
    sync_shipped_tables()
    on = on or timezone.localdate()
    ani_user = make_user("ani", role=Role.KADER, posyandu=w.a1)
    ani_user.first_name, ani_user.last_name = "Ani", "Lestari"
    ani_user.save()
    budi_user = make_user("budi", role=Role.KADER, posyandu=w.a1)
    budi_user.first_name, budi_user.last_name = "Budi", "Santoso"
    budi_user.save()
    w.kader_a1.first_name, w.kader_a1.last_name = "Sri", "Ketua"
    w.kader_a1.save()
    rt1 = RtRw.objects.create(posyandu=w.a1, rw="002", rt="001")
    ketua = KaderProfile.objects.create(user=w.kader_a1, posyandu=w.a1, position="ketua",
                                        phone="081234500001")
    ani = KaderProfile.objects.create(user=ani_user, posyandu=w.a1, phone="081234500002")
    ani.areas.add(rt1)
    budi = KaderProfile.objects.create(user=budi_user, posyandu=w.a1)
    day = ServiceDay.objects.create(posyandu=w.a1, date=on, status=ServiceDay.Status.PLANNED)
    return Team(ketua, ani, budi, rt1, day)


def verify(profile: KaderProfile, codes, by) -> None:
    for code in codes:
        SkillVerification.objects.create(kader=profile, skill_code=code, verified_by=by,
                                         verified_on=date(2026, 1, 5))


def kader_of(posyandu, username):
    user = make_user(username, role=Role.KADER, posyandu=posyandu)
    assert Membership.objects.filter(user=user, role=Role.KADER).exists()
    return KaderProfile.objects.create(user=user, posyandu=posyandu)
