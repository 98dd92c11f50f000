"""Reminders: Indonesian dates and messages, wa.me numbers (08.. -> 628..), no
link without a usable number, and the reminder page of a service day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ilp.models import Pregnancy, ServiceDay
from kader.reminders import (
    group_message,
    normalise_phone,
    person_message,
    tanggal,
    wa_link,
    wa_share_link,
)
from tests.factories import make_person
from tests.kader.followup_support import child, make_area


@pytest.mark.parametrize("raw, expected", [
    ("081234567890", "6281234567890"),
    ("0812-3456-7890", "6281234567890"),
    ("0812 3456 7890", "6281234567890"),
    ("+62 812-3456-7890", "6281234567890"),
    ("62812.3456.7890", "6281234567890"),
    ("(0812) 3456 7890", "6281234567890"),
    ("81234567890", "6281234567890"),
    ("08123456789", "628123456789"),
    ("0856123456", "62856123456"),
])
def test_phone_numbers_become_628(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", [
    "", None, "-", "0812", "0812345678901234", "021-5551234", "+1 415 555 0100",
    "0812-3456-78a0", "tidak punya",
])
def test_unusable_numbers_give_no_link(raw):
    assert normalise_phone(raw) is None
    assert wa_link(raw, "Halo") is None


def test_wa_links():
    assert wa_link("0812-3456-7890", "Halo Bu, besok posyandu.") == (
        "https://wa.me/6281234567890?text=Halo%20Bu%2C%20besok%20posyandu.")
    assert wa_link("081234567890", "baris 1\nbaris 2").endswith("baris%201%0Abaris%202")
    assert wa_share_link("Pengingat") == "https://wa.me/?text=Pengingat"


def test_dates_in_bahasa_indonesia():
    assert tanggal(date(2026, 5, 12)) == "Selasa, 12 Mei 2026"
    assert tanggal(date(2026, 8, 17)) == "Senin, 17 Agustus 2026"
    assert tanggal(date(2027, 1, 3)) == "Minggu, 3 Januari 2027"


def test_person_message_for_a_childs_mother():
    text = person_message(
        posyandu="Posyandu Melati", on=date(2026, 5, 12), place="Balai RW 02", name="Rafi",
        addressee="Siti Aminah", is_child=True,
        due=["Penimbangan berat badan", "Imunisasi DPT-HB-Hib 2", "Vitamin A merah 200.000 IU"],
    )
    assert text == (
        "Salam sehat, Ibu/Bapak Siti Aminah.\n"
        "Kami kader Posyandu Melati mengingatkan: hari buka posyandu Selasa, 12 Mei 2026 "
        "di Balai RW 02.\n"
        "Untuk ananda Rafi: penimbangan berat badan, imunisasi DPT-HB-Hib 2 dan "
        "vitamin A merah 200.000 IU.\n"
        "Mohon membawa buku KIA/KMS. Terima kasih."
    )


def test_person_message_without_place_or_items():
    text = person_message(posyandu="Posyandu Mawar", on=date(2026, 5, 12), place="",
                          name="Ani", addressee="Ani", is_child=False, due=[])
    assert "Selasa, 12 Mei 2026." in text and "Untuk" not in text


def test_group_message_has_counts_and_no_names():
    text = group_message(posyandu="Posyandu Melati", on=date(2026, 5, 12), place="Balai RW 02",
                         counts={"Penimbangan balita": 12, "Imunisasi": 3, "Vitamin A": 0})
    assert text.splitlines()[1] == "Hari buka posyandu: Selasa, 12 Mei 2026, Balai RW 02."
    assert "Penimbangan balita (12 orang); Imunisasi (3 orang)" in text
    assert "Vitamin A" not in text


# --------------------------------------------------------------------------
# page


@pytest.mark.django_db
def test_reminder_page_of_tomorrows_day(world, client_as):
    area = make_area(world)
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    d = ServiceDay.objects.create(posyandu=world.a1, date=tomorrow, place="Balai RW 02")
    mother = make_person(world.a1, name="Siti Aminah", sex="P", birth_date=date(1995, 1, 1),
                         phone="0812-3456-7890")
    # 3 completed months tomorrow and no vaccine recorded: HB0, BCG... are late
    kid = child(world.a1, on=tomorrow, months=3, name="Rafi Pratama", mother=mother)
    hamil = make_person(world.a1, name="Dewi Lestari", sex="P", birth_date=date(1998, 2, 2))
    Pregnancy.objects.create(person=hamil, hpht=today - timedelta(days=100),
                             due_date=today + timedelta(days=180))
    adult = make_person(world.a1, name="Pak Harjo", sex="L", birth_date=date(1970, 1, 1),
                        phone="081299990000")

    listing = client_as(area.rina).get(reverse("kader:reminder-list")).content.decode()
    assert reverse("kader:reminder-day", kwargs={"uuid": d.uuid}) in listing and "besok" in listing

    page = client_as(area.rina).get(reverse("kader:reminder-day", kwargs={"uuid": d.uuid}))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Rafi Pratama" in body and "Dewi Lestari" in body
    assert "Pak Harjo" not in body  # not expected on a posyandu day (no balita, not pregnant)
    assert "https://wa.me/6281234567890?text=" in body  # the mother's phone
    assert body.count("Kirim WhatsApp") == 1  # Dewi has no number: no link
    assert "Belum ada nomor HP" in body
    assert "Salam sehat, Ibu/Bapak Siti Aminah." in body
    assert "Untuk ananda Rafi Pratama: penimbangan berat badan" in body
    # the doses in one item: late HB0 (0 mo), BCG, OPV1 (1 mo), the 2-month doses,
    # and the 3-month doses due this month
    assert ("imunisasi Hepatitis B 0, BCG, Polio tetes 1, DPT-HB-Hib 1, Polio tetes 2, PCV 1, "
            "Rotavirus 1, DPT-HB-Hib 2, Polio tetes 3, PCV 2, Rotavirus 2 (ada yang terlambat)"
            ) in body
    assert tanggal(tomorrow) in body and "Balai RW 02" in body
    assert "Penimbangan balita (1 orang)" in body and "Pemeriksaan ibu hamil (1 orang)" in body
    assert "https://wa.me/?text=" in body  # the group message
    assert adult.pk  # (kept for the assertion above)
    assert kid.mother == mother


@pytest.mark.django_db
def test_reminder_page_of_another_posyandu_is_404(world, client_as):
    make_area(world)
    d = ServiceDay.objects.create(posyandu=world.a1, date=timezone.localdate())
    assert client_as(world.kader_a2).get(
        reverse("kader:reminder-day", kwargs={"uuid": d.uuid})).status_code == 404
    assert client_as(world.dinkes_1).get(
        reverse("kader:reminder-day", kwargs={"uuid": d.uuid})).status_code == 404
    other = client_as(world.kader_a2).get(reverse("kader:reminder-list")).content.decode()
    assert reverse("kader:reminder-day", kwargs={"uuid": d.uuid}) not in other
