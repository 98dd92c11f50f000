"""Demo data for the team feature: kader profiles (a ketua first), RT/RW areas,
verified skills at different levels, trainings, bidan profiles, a planned
service day with its staff and a few assignments. Idempotent per posyandu
(a posyandu that already has kader profiles is left alone)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ilp.models import ServiceDay
from kader.models.team import (
    Assignment,
    KaderProfile,
    ServiceDayStaff,
    SkillVerification,
    StaffProfile,
    TrainingRecord,
)
from posyandu.models import Membership, Posyandu, Role, RtRw

POSITIONS = ["ketua", "sekretaris", "bendahara"]
P = ["P1", "P2", "P3", "P4"]
B = [f"B{i}" for i in range(1, 9)]
H = [f"H{i}" for i in range(1, 6)]
R = ["R1", "R2", "R3"]
D = [f"D{i}" for i in range(1, 6)]
# Skills verified per kader, in membership order: Purwa, Madya, part of bayi-balita, ...
SKILL_SETS = [P + B + H, P + B + H + R, P + B[:5], B[:3], []]


@transaction.atomic
def seed_demo_team(posyandu_ids) -> int:
    """Give each posyandu its team. Returns the number of posyandu seeded."""
    today = timezone.localdate()
    seeded = 0
    for posyandu in Posyandu.objects.filter(pk__in=list(posyandu_ids)).order_by("pk"):
        if KaderProfile.objects.filter(posyandu=posyandu).exists():
            continue
        kader = [m.user for m in Membership.objects.filter(
            posyandu=posyandu, role=Role.KADER, is_active=True).select_related("user").order_by("user_id")]
        nakes = [m.user for m in Membership.objects.filter(
            posyandu=posyandu, role=Role.BIDAN, is_active=True).select_related("user").order_by("user_id")]
        if not kader:
            continue
        bidan = nakes[0] if nakes else None
        for user in nakes:
            StaffProfile.objects.get_or_create(user=user, defaults={"kind": "bidan", "phone": user.phone})
        areas = list(RtRw.objects.filter(posyandu=posyandu).order_by("rw", "rt"))
        profiles = []
        for i, user in enumerate(kader):
            profile = KaderProfile.objects.create(
                user=user, posyandu=posyandu,
                position=POSITIONS[i] if i < len(POSITIONS) else "kader",
                phone=user.phone, active_since=today - timedelta(days=400 + 30 * i),
            )
            # the RT/RW split round-robin over every kader, the ketua included
            # (so the demo "kader" login has follow-up tasks of her own)
            mine = [a for j, a in enumerate(areas) if j % len(kader) == i]
            profile.areas.set(mine)
            for code in SKILL_SETS[i] if i < len(SKILL_SETS) else []:
                SkillVerification.objects.create(kader=profile, skill_code=code, verified_by=bidan,
                                                 verified_on=today - timedelta(days=60 - i))
            if i < 3:
                TrainingRecord.objects.create(
                    kader=profile, title="Pelatihan 25 Keterampilan Dasar Kader Posyandu",
                    provider="Plataran Sehat (Kemenkes)", date=today - timedelta(days=120 + i),
                    certificate_no=f"PS-{posyandu.pk:03d}-{i + 1:02d}", recorded_by=bidan,
                )
            profiles.append(profile)
        day = (ServiceDay.objects.filter(posyandu=posyandu, date__gte=today)
               .exclude(status=ServiceDay.Status.CLOSED).order_by("date").first())
        if day is None:
            on = today + timedelta(days=7)
            while ServiceDay.objects.filter(posyandu=posyandu, date=on).exists():
                on += timedelta(days=1)
            day = ServiceDay.objects.create(posyandu=posyandu, date=on, place="Balai RW 01")
        users = [p.user for p in profiles]
        plan = [(1, users[-1]), (2, users[0]), (3, users[1 % len(users)]), (5, users[2 % len(users)])]
        if len(users) > 3:
            plan.append((2, users[3]))
        if bidan:
            plan.append((4, bidan))
        for step, user in plan:
            ServiceDayStaff.objects.get_or_create(service_day=day, step=step, user=user,
                                                  defaults={"posyandu": posyandu, "planned_by": bidan})
        creator = bidan or users[0]
        Assignment.objects.create(
            posyandu=posyandu, kind="pws", title="Pemetaan sasaran RT/RW wilayah pantauan",
            assignee=users[0], due_on=today + timedelta(days=10), created_by=creator)
        Assignment.objects.create(
            posyandu=posyandu, kind="sosialisasi", title="Umumkan hari buka di grup WhatsApp RW",
            assignee=users[1 % len(users)], due_on=day.date - timedelta(days=1), created_by=creator)
        Assignment.objects.create(
            posyandu=posyandu, kind="pendataan", title="Input data hari buka bulan lalu",
            assignee=users[-1], due_on=today - timedelta(days=20), created_by=creator,
            status="done", closed_at=timezone.now() - timedelta(days=21), closed_by=users[-1])
        seeded += 1
    return seeded
