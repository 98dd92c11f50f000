"""A kader on a phone-sized Chromium: a child did not come to yesterday's
service day, the rules give the kader a home-visit task, she opens "Tugas
saya", records the visit with a weight typed as "10,5", and the month's D
counts the child; she cancels another task with a reason and opens the
reminders of the next service day."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ilp.models import Measurement, ServiceDay
from kader.models.tasks import FollowUpTask
from kader.services.tasks import followup_sync
from reports.figures.skdn import skdn
from tests.browser.fixtures import login
from tests.factories import make_person
from tests.kader.followup_support import child, make_area

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]




def test_kader_does_her_tasks_on_a_phone(world, phone, live_server, shots):
    page = phone
    make_area(world)
    today = timezone.localdate()
    ServiceDay.objects.create(posyandu=world.a1, date=today - timedelta(days=1),
                              status=ServiceDay.Status.CLOSED, place="Balai RW 02")
    mother = make_person(world.a1, name="Siti Aminah", sex="P", phone="0812-3456-7890",
                         birth_date=today.replace(year=today.year - 28))
    sinta = child(world.a1, on=today, months=20, name="Sinta Tidak Datang", sex="P",
                  mother=mother)
    child(world.a1, on=today, months=40, name="Bayu Pindahan")
    ServiceDay.objects.create(posyandu=world.a1, date=today + timedelta(days=1),
                              place="Balai RW 02")
    followup_sync([world.a1.pk], today, rules=["tidak_datang"])
    assert FollowUpTask.objects.filter(assigned_to__username="rina",
                                       rule="tidak_datang").count() == 2

    login(page, "rina")
    page.goto(page.base + "/kader/tugas/")
    assert page.locator("h1", has_text="Tugas saya").is_visible()
    card = page.locator("li.task", has_text="Sinta Tidak Datang").filter(
        has_text="Tidak datang ke hari buka")
    assert card.locator("text=RT 001/RW 002").is_visible()
    page.screenshot(path=f"{shots}/tugas-saya.png", full_page=True)
    # nothing wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    card.locator("text=Catat kunjungan rumah").click()
    page.fill("#id_weight_kg", "10,5")
    page.fill("#id_notes", "Ibu lupa jadwal; anak sehat.")
    page.screenshot(path=f"{shots}/kunjungan-rumah.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("button:has-text('Simpan kunjungan')")
    assert page.locator("text=10,5 kg").is_visible()
    m = Measurement.objects.get(person=sinta)
    assert str(m.weight_kg) == "10.50" and m.measured_on == today
    assert skdn([world.a1.pk], today.replace(day=1))[world.a1.pk].D.total == 1
    assert FollowUpTask.objects.get(person=sinta, rule="tidak_datang").status == "done"

    page.goto(page.base + "/kader/tugas/")
    other = page.locator("li.task", has_text="Bayu Pindahan")
    other.locator("summary", has_text="Batalkan").click()
    other.locator("input[name=reason]").fill("Sudah pindah ke desa lain")
    other.locator("button", has_text="Batalkan tugas").click()
    page.wait_for_selector("text=dibatalkan")
    assert FollowUpTask.objects.get(person__name="Bayu Pindahan").status == "cancelled"
    assert page.locator("li.task", has_text="Bayu Pindahan").count() == 0
    assert page.locator("li.task", has_text="Tidak datang ke hari buka").count() == 0

    page.goto(page.base + "/kader/pengingat/")
    page.click("text=besok")
    assert page.locator("a[href^='https://wa.me/6281234567890']").count() == 1
    page.screenshot(path=f"{shots}/pengingat.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
