"""A whole posyandu morning in real Chromium at phone size: a kader schedules
and opens the day, registers a new baby and an existing toddler, weighs and
measures them and sees their growth status; the bidan examines; a kader
records counselling; the day is closed and lists who did not come."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ilp.models import Measurement, ServiceDay, Step, Visit
from tests.browser.fixtures import login
from tests.factories import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]




def measure(page, weight, length):
    page.fill("#id_weight_kg", weight)
    page.fill("#id_length_cm", length)
    page.click("button:has-text('Simpan hasil ukur')")


def test_a_whole_morning(world, phone, browser, live_server, shots):
    page = phone
    today = timezone.localdate()
    toddler = make_person(world.a1, name="Raka Pratama", sex="L",
                          birth_date=today - timedelta(days=700), has_buku_kia=True)
    # last month's weighing, so today's result is N or T
    last = today.replace(day=1) - timedelta(days=10)
    old_day = ServiceDay.objects.create(posyandu=world.a1, date=last, status="closed")
    old_visit = Visit.objects.create(posyandu=world.a1, person=toddler, service_day=old_day,
                                     date=last, step=Step.DONE)
    Measurement.objects.create(visit=old_visit, posyandu=world.a1, person=toddler,
                               measured_on=last, weight_kg="10.9", length_cm="84.0",
                               length_method="lying")
    absent = make_person(world.a1, name="Sinta Tidak Datang", sex="P",
                         birth_date=today - timedelta(days=500))

    login(page, "kader_a1")
    page.click("nav >> text=Hari buka")
    page.fill("#id_place", "Balai RW 01")
    page.click("button:has-text('Jadwalkan')")
    page.click("button:has-text('Buka hari ini')")
    assert page.locator(".tag", has_text="Berlangsung").is_visible()
    day_url = page.url
    # the board offers the expected balita who have not come yet
    assert page.locator(".name", has_text="Raka Pratama").is_visible()

    # a new baby, registered on the spot
    page.fill("input[name=q]", "Bayi Melati")
    page.click("button:has-text('Cari')")
    page.click("text=Daftarkan sasaran baru")
    page.fill("#id_name", "Bayi Melati Putri")
    page.check("input[name=sex][value=P]")
    page.fill("#id_birth_date", (today - timedelta(days=45)).isoformat())
    page.fill("#id_mother_name", "Ani Suryani")
    page.check("#id_has_buku_kia")
    page.click("button:has-text('Simpan')")
    page.goto(day_url)
    page.fill("input[name=q]", "Bayi Melati")
    page.click("button:has-text('Cari')")
    page.click("li:has-text('Bayi Melati Putri') >> button:has-text('Daftar')")
    assert page.locator("h1", has_text="Bayi Melati Putri").is_visible()
    assert page.locator("text=Perlu hari ini").is_visible()
    measure(page, "4,6", "54,5")
    assert page.locator("text=Langkah 3").is_visible()
    assert page.locator(".tag", has_text="B").first.is_visible()  # first weighing ever
    assert page.locator("svg").count() >= 1
    page.screenshot(path=f"{shots}/m1-baby-result.png", full_page=True)
    page.click("button:has-text('Sudah dicatat di buku KIA')")

    # the toddler who came last month
    page.goto(day_url)
    page.click("li:has-text('Raka Pratama') >> button:has-text('Daftar')")
    page.fill("#id_weight_kg", "11200")  # grams by mistake
    page.fill("#id_length_cm", "85,1")
    page.click("button:has-text('Simpan hasil ukur')")
    assert page.locator(".errorlist", has_text="gram").is_visible()
    assert page.input_value("#id_length_cm") == "85,1"
    measure(page, "11,2", "85,1")
    assert page.locator("dd .tag", has_text="N").is_visible()  # gained 300 g >= KBM 200 g
    assert page.locator("td", has_text="Berat badan normal").is_visible()
    page.screenshot(path=f"{shots}/m2-toddler-result.png", full_page=True)
    page.click("button:has-text('Sudah dicatat di buku KIA')")

    # the bidan examines both, from her queue across her posyandu
    bidan_ctx = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    bidan = bidan_ctx.new_page()
    bidan.base = live_server.url
    login(bidan, "bidan_a")
    bidan.goto(bidan.base + "/bidan/antrian/")
    assert bidan.locator(".name").count() == 2
    for _ in range(2):
        bidan.goto(bidan.base + "/bidan/antrian/")
        bidan.locator(".list li a").first.click()
        assert bidan.locator("text=Langkah 4").is_visible()
        if bidan.locator("h1", has_text="Bayi Melati").count():
            # a 45-day-old baby is due BCG: the bidan gives it with one tap
            bidan.locator("#imunisasi form:has(input[name=vaccine][value=BCG]) button").click()
            assert bidan.locator("#imunisasi", has_text="BCG").is_visible()
            bidan.screenshot(path=f"{shots}/m2b-bidan-step4.png", full_page=True)
        bidan.click("button:has-text('Pemeriksaan selesai')")
    bidan.goto(bidan.base + "/bidan/antrian/")
    assert bidan.locator("text=Tidak ada yang menunggu").is_visible()
    bidan_ctx.close()

    # counselling, with topics suggested from the results
    for name in ("Bayi Melati Putri", "Raka Pratama"):
        page.goto(day_url)
        page.click(f"details:has-text('5. Penyuluhan') >> text={name}")
        assert page.locator("text=Langkah 5").is_visible()
        if name.startswith("Bayi"):
            assert page.locator("input[value=asi_eksklusif]").is_checked()
        page.click("button:has-text('Selesai')")
    page.goto(day_url)
    assert page.locator("details:has-text('Selesai') .tag", has_text="2").is_visible()

    # closing the day lists who did not come
    page.on("dialog", lambda d: d.accept())
    page.click("button:has-text('Tutup hari buka')")
    assert page.locator("h2", has_text="Tidak datang (1)").is_visible()
    assert page.locator(".name", has_text=absent.name).is_visible()
    page.screenshot(path=f"{shots}/m3-closed.png", full_page=True)

    visits = Visit.objects.filter(date=today).order_by("person__name")
    assert [(v.person.name, v.step) for v in visits] == [
        ("Bayi Melati Putri", Step.DONE), ("Raka Pratama", Step.DONE)]
    assert [v.measurement.trend for v in visits] == ["B", "N"]
    baby = visits[0].person
    assert list(baby.immunisations.values_list("vaccine", flat=True)) == ["BCG"]
    assert ServiceDay.objects.get(date=today).status == "closed"
