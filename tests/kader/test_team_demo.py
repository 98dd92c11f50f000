"""seed_demo_team: a ketua, kader with areas and skills, a planned day."""

import pytest
from django.utils import timezone

from kader.certification import skill_summary
from kader.demo_team import seed_demo_team
from kader.models.team import Assignment, KaderProfile, ServiceDayStaff, StaffProfile
from kader.selectors.area import AreaMap
from kader.selectors.team import day_plan
from posyandu.models import Role, RtRw
from posyandu.reference import sync_shipped_tables, table
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_seed_demo_team(world):
    sync_shipped_tables()
    extra = [make_user(f"kader_demo{i}", role=Role.KADER, posyandu=world.a1) for i in range(3)]
    for rt in ("001", "002", "003"):
        RtRw.objects.create(posyandu=world.a1, rw="001", rt=rt)
    assert seed_demo_team([world.a1.pk, world.a2.pk]) == 2
    assert seed_demo_team([world.a1.pk, world.a2.pk]) == 0  # idempotent
    profiles = list(KaderProfile.objects.filter(posyandu=world.a1).order_by("user_id"))
    assert [p.user for p in profiles] == [world.kader_a1, *extra]
    assert [p.position for p in profiles] == ["ketua", "sekretaris", "bendahara", "kader"]
    # the three RT split round-robin over all four kader, the ketua first
    assert [sorted(a.rt for a in p.areas.all()) for p in profiles] == [["001"], ["002"], ["003"], []]
    area = AreaMap([world.a1.pk])
    assert area.kader_for(world.a1.pk, "001", "002") == extra[0].pk
    assert area.kader_for(world.a1.pk, "009", "009") == world.kader_a1.pk
    skills = table("kader_skills")
    levels = [skill_summary(p.skills.values_list("skill_code", flat=True), skills).level_label
              for p in profiles]
    assert levels == ["Purwa", "Madya", "Belum Purwa", "Belum Purwa"]
    # a2 has one kader only: she is the ketua and watches every RT/RW
    (only,) = KaderProfile.objects.filter(posyandu=world.a2)
    assert only.position == "ketua"
    assert StaffProfile.objects.filter(user=world.bidan_a).exists()
    day = ServiceDayStaff.objects.filter(posyandu=world.a1).first().service_day
    assert day.date > timezone.localdate()
    plan = day_plan(day=day)
    assert all(plan.by_step[s] for s in (1, 2, 3, 4, 5))
    assert not [w for w in plan.warnings if w.code == "unstaffed"]
    assert Assignment.objects.filter(posyandu=world.a1).count() == 3


def test_seed_demo_team_on_a_generated_area(client):
    """On the generated demo area: the friendly 'kader' login is the ketua of
    her posyandu and sees her step on the planned day's board."""
    from django.urls import reverse

    from posyandu.demo.generator import generate_area
    from posyandu.models import Posyandu, User

    sync_shipped_tables()
    generate_area(puskesmas=1, posyandu_per_puskesmas=2, people_per_posyandu=40, months=2,
                  seed=3, friendly_usernames=True)
    ids = list(Posyandu.objects.values_list("pk", flat=True))
    assert seed_demo_team(ids) == 2
    kader = User.objects.get(username="kader")
    profile = KaderProfile.objects.get(user=kader)
    assert profile.position == "ketua"
    row = ServiceDayStaff.objects.filter(user=kader).select_related("service_day").first()
    client.force_login(kader)
    body = client.get(reverse("ilp:day-detail", kwargs={"uuid": row.service_day.uuid})).content.decode()
    assert f"Tugasmu: Langkah {row.step}" in body
    assert client.get(reverse("kader:team-detail", kwargs={"posyandu_id": profile.posyandu_id})).status_code == 200
