"""In Chromium at 360 px: the ketua kader verifies a skill with one tap and
plans the service day (the plan warns about the unstaffed step and the
missing skill group, then about nothing); on the open day a planned kader sees
'Tugasmu' and the visit she passes on names who takes it."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from ilp.models import ServiceDay, Step, Visit
from kader.models.team import ServiceDayStaff, SkillVerification
from tests.browser.fixtures import login
from tests.factories import make_person
from tests.kader.team_support import B, make_team, verify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]




def test_ketua_plans_and_the_day_runs_with_the_planned_kader(world, phone, browser, shots):
    page = phone
    t = make_team(world)
    today = timezone.localdate()
    child = make_person(world.a1, name="Putri Kecil", birth_date=today - timedelta(days=400))
    verify(t.ani, B[:-1], world.bidan_a)  # ani lacks one bayi-balita skill

    login(page, "kader_a1")
    page.goto(page.base + f"/kader/tim/{world.a1.pk}/")
    assert page.locator("text=Kader aktif kurang dari 5").is_visible()
    page.click("text=Ani Lestari")
    page.locator("details", has_text="Bayi dan balita").locator(
        "button:has-text('Verifikasi')").first.click()
    assert SkillVerification.objects.filter(kader=t.ani, skill_code="B8").exists()
    page.screenshot(path=os.path.join(shots, "kader-detail.png"), full_page=True)

    page.goto(page.base + f"/kader/hari-buka/{t.day.uuid}/petugas/")
    assert page.locator("text=Langkah 2 (Penimbangan & pengukuran) belum ada petugasnya.").is_visible()
    for step, user in ((1, t.budi.user), (2, t.ani.user), (3, t.budi.user), (5, t.ani.user),
                       (4, world.bidan_a)):
        page.select_option("#id_step", str(step))
        page.select_option("#id_user", str(user.pk))
        page.click("button:has-text('Tambahkan')")
    assert ServiceDayStaff.objects.filter(service_day=t.day).count() == 5
    # budi (step 3) has no bayi-balita skills yet and 1 balita is expected
    assert page.locator("text=Budi Santoso (langkah 3) belum terverifikasi").is_visible()
    assert page.locator(".warnbox li").count() == 1
    page.screenshot(path=os.path.join(shots, "day-plan.png"), full_page=True)

    ServiceDay.objects.filter(pk=t.day.pk).update(status=ServiceDay.Status.OPEN)
    visit = Visit.objects.create(posyandu=world.a1, person=child, service_day=t.day, date=today,
                                 step=Step.MEASURE)
    page.click("header.top button:has-text('Keluar')")
    login(page, "ani")
    page.goto(page.base + f"/hari-buka/{t.day.uuid}/")
    assert page.locator(".mytask", has_text="Tugasmu: Langkah 2, Langkah 5").is_visible()
    page.screenshot(path=os.path.join(shots, "board-ani.png"), full_page=True)
    page.click("text=Putri Kecil")
    page.fill("#id_weight_kg", "9,1")
    page.fill("#id_length_cm", "75")
    page.click("button:has-text('Simpan hasil ukur')")
    assert page.locator(".messages", has_text="dilayani Budi Santoso").is_visible()
    visit.refresh_from_db()
    assert visit.step == Step.RECORD
