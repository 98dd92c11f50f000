"""Issue 5 end to end, in Chromium at 360 px: the ketua kader plans the
service day; the day runs with the planned kader (Budi registers, Ani weighs);
closing the day gives Ani, who monitors the absent child's RT/RW, a home-visit
task; she records the visit with a weight; the month's D counts both children,
on the dashboard too."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from ilp.models import Measurement, ServiceDay, Visit
from kader.models.tasks import FollowUpTask
from kader.models.team import ServiceDayStaff
from reports.figures.skdn import skdn
from tests.browser.fixtures import login
from tests.factories import make_person
from tests.kader.team_support import B, make_team, verify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]




def logout(page):
    page.click("header.top button:has-text('Keluar')")


def test_planned_day_absent_child_home_visit_counts_in_d(world, phone, shots):
    page = phone
    page.on("dialog", lambda d: d.accept())  # "Tutup hari buka?" confirm
    t = make_team(world)
    today = timezone.localdate()
    verify(t.ani, B, world.bidan_a)
    verify(t.budi, B, world.bidan_a)
    came = make_person(world.a1, name="Putri Datang", sex="P",
                       birth_date=today - timedelta(days=400), rt="001", rw="002")
    absent = make_person(world.a1, name="Dodi Absen", sex="L",
                         birth_date=today - timedelta(days=700), rt="001", rw="002")

    # The coordinator (ketua) plans who staffs each step.
    login(page, "kader_a1")
    page.goto(page.base + f"/kader/hari-buka/{t.day.uuid}/petugas/")
    for step, user in ((1, t.budi.user), (2, t.ani.user), (3, t.budi.user), (5, t.ani.user),
                       (4, world.bidan_a)):
        page.select_option("#id_step", str(step))
        page.select_option("#id_user", str(user.pk))
        page.click("button:has-text('Tambahkan')")
    assert ServiceDayStaff.objects.filter(service_day=t.day).count() == 5
    assert page.locator(".warnbox li").count() == 0
    page.goto(page.base + f"/hari-buka/{t.day.uuid}/")
    page.click("button:has-text('Buka hari ini')")
    assert ServiceDay.objects.get(pk=t.day.pk).status == ServiceDay.Status.OPEN
    logout(page)

    # Budi staffs step 1: he registers the child who came.
    login(page, "budi")
    page.goto(page.base + f"/hari-buka/{t.day.uuid}/")
    assert page.locator(".mytask", has_text="Langkah 1").is_visible()
    page.locator("li", has_text="Putri Datang").locator("button:has-text('Daftar')").click()
    assert Visit.objects.filter(person=came, service_day=t.day).exists()
    logout(page)

    # Ani staffs step 2: she weighs her.
    login(page, "ani")
    page.goto(page.base + f"/hari-buka/{t.day.uuid}/")
    assert page.locator(".mytask", has_text="Langkah 2").is_visible()
    page.click("text=Putri Datang")
    page.fill("#id_weight_kg", "9,1")
    page.fill("#id_length_cm", "75")
    page.click("button:has-text('Simpan hasil ukur')")
    assert page.locator(".messages", has_text="dilayani Budi Santoso").is_visible()
    logout(page)

    # The ketua closes the day: the absent child becomes Ani's home-visit task.
    login(page, "kader_a1")
    page.goto(page.base + f"/hari-buka/{t.day.uuid}/")
    page.click("button:has-text('Tutup hari buka')")
    page.wait_for_load_state()
    assert ServiceDay.objects.get(pk=t.day.pk).status == ServiceDay.Status.CLOSED
    task = FollowUpTask.objects.get(person=absent, rule="tidak_datang")
    assert task.assigned_to_id == t.ani.user_id and task.status == "open"
    assert not FollowUpTask.objects.filter(person=came, rule="tidak_datang").exists()
    logout(page)

    # Ani does her task on her phone: a home visit with a weight.
    login(page, "ani")
    page.goto(page.base + "/kader/tugas/")
    card = page.locator("li.task", has_text="Dodi Absen").filter(
        has_text="Tidak datang ke hari buka")
    page.screenshot(path=os.path.join(shots, "coproduction-tugas.png"), full_page=True)
    card.locator("text=Catat kunjungan rumah").click()
    page.fill("#id_weight_kg", "11,2")
    page.click("button:has-text('Simpan kunjungan')")
    assert page.locator("text=11,2 kg").is_visible()
    m = Measurement.objects.get(person=absent)
    assert m.visit.kind == Visit.Kind.HOME and m.measured_on == today
    task.refresh_from_db()
    assert task.status == "done"

    # The month's D counts the posyandu weighing and the home visit.
    month = today.replace(day=1)
    assert skdn([world.a1.pk], month)[world.a1.pk].D.total == 2
    page.goto(page.base + f"/laporan/dasbor/?area=posyandu-{world.a1.pk}&month={month:%Y-%m}")
    assert page.locator(".dash-counts li", has_text="D").first.locator("b").inner_text() == "2"
    page.screenshot(path=os.path.join(shots, "coproduction-dasbor.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
