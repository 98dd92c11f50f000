"""A kader on a phone: log in, find a child, register a new family."""

from datetime import date

import pytest

from ilp.models import Household, Person
from tests.browser.fixtures import login
from tests.factories import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]




def test_kader_finds_a_child_and_registers_a_family(world, phone, shots):
    page = phone
    mother = make_person(world.a1, name="Sri Wahyuni", sex="P", birth_date=date(1994, 2, 2))
    make_person(world.a1, name="Dimas Pratama", birth_date=date(2023, 8, 17), mother=mother)
    make_person(world.b1, name="Dimas Tetangga", birth_date=date(2023, 8, 17))

    login(page, "kader_a1")
    assert page.locator("h2", has_text="Posyandu Melati").is_visible()
    page.screenshot(path=f"{shots}/1-home.png", full_page=True)

    # find the child by the mother's name, on the home page's search box
    page.fill("input[name=q]", "sri wahyuni")
    page.click("button:has-text('Cari')")
    assert page.locator(".name", has_text="Dimas Pratama").is_visible()
    assert page.locator("text=Dimas Tetangga").count() == 0  # another posyandu's child
    page.click("text=Dimas Pratama")
    assert page.locator("h1", has_text="Dimas Pratama").is_visible()
    assert page.locator(".tag", has_text="Balita").is_visible()
    page.screenshot(path=f"{shots}/2-child.png", full_page=True)

    # a new family: the KK first, with a mistake the kader then corrects
    page.click("text=Keluarga")
    page.click("text=Daftarkan keluarga baru")
    page.fill("#id_kepala_keluarga", "Agus Setiawan")
    page.fill("#id_no_kk", "3509 0101 0101")
    page.fill("#id_alamat", "Dusun Krajan")
    page.fill("#id_rt", "2")
    page.fill("#id_rw", "1")
    page.click("button:has-text('Simpan')")
    assert page.locator(".errorlist", has_text="Nomor KK harus 16 angka").is_visible()
    assert page.input_value("#id_alamat") == "Dusun Krajan"  # nothing typed is lost
    page.fill("#id_no_kk", "3509 0101 0101 0099")
    page.click("button:has-text('Simpan')")
    assert page.locator("h1", has_text="Keluarga Agus Setiawan").is_visible()

    # the mother, then her baby without a NIK
    page.click("text=Tambah anggota keluarga")
    assert page.input_value("#id_address") == "Dusun Krajan"
    page.fill("#id_name", "Rina Marlina")
    page.check("input[name=sex][value=P]")
    page.fill("#id_birth_date", "1996-05-15")
    page.fill("#id_nik", "3509015505960001")
    page.click("button:has-text('Simpan')")
    assert page.locator("h1", has_text="Rina Marlina").is_visible()
    page.click("text=Daftarkan anak")
    assert page.input_value("#id_mother_name") == "Rina Marlina"
    page.fill("#id_name", "Bayi Rina")
    page.check("input[name=sex][value=L]")
    page.fill("#id_birth_date", "2026-10-01")
    page.check("#id_has_buku_kia")
    page.screenshot(path=f"{shots}/3-register-baby.png", full_page=True)
    page.click("button:has-text('Simpan')")
    assert page.locator("h1", has_text="Bayi Rina").is_visible()
    assert page.locator("dd", has_text="belum ada NIK").is_visible()
    page.screenshot(path=f"{shots}/4-baby.png", full_page=True)

    household = Household.objects.get(no_kk="3509010101010099")
    baby = Person.objects.get(name="Bayi Rina")
    assert baby.household == household and baby.mother.name == "Rina Marlina"
    assert baby.mother_nik == "3509015505960001" and baby.posyandu == world.a1
    # the page fits the phone: nothing wider than the viewport
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
