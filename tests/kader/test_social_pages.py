"""The social pages as a kader, a bidan and a Puskesos officer use them:
person page -> screen -> "Ajukan ke Puskesos" -> the officer's list, detail
and status buttons -> the outcome on "Rujukan saya"."""

import re
import uuid
from datetime import date

import pytest
from django.urls import reverse

from kader.models.social import SocialReferral, SocialScreen
from kader.services import social as svc
from tests.factories import make_person
from tests.kader.social_support import PROTECTED, UNPROTECTED, stunted_child

pytestmark = pytest.mark.django_db


def screen_post(**extra):
    return {"reasons": ["stunting", "bgm"], "client_id": str(uuid.uuid4()), **UNPROTECTED,
            **extra}


def test_person_page_offers_the_social_screen(world, client_as):
    child = stunted_child(world.a1)
    body = client_as(world.kader_a1).get(reverse("ilp:person-detail", args=[child.uuid])).content
    assert b"Skrining sosial" in body and b"Pendek / stunting, BGM" in body
    assert reverse("kader:social-screen", args=[child.uuid]).encode() in body
    # an unflagged adult: the link is there, without the suggestion
    adult = make_person(world.a1, name="Pak Sehat", birth_date=date(1980, 1, 1))
    body = client_as(world.kader_a1).get(reverse("ilp:person-detail", args=[adult.uuid])).content
    assert b"Skrining sosial" in body and b"tag bad" not in body
    # Dinkes sees the person but has no social permission: no card
    body = client_as(world.dinkes_1).get(reverse("ilp:person-detail", args=[child.uuid])).content
    assert b"Skrining sosial" not in body and b"Perlindungan sosial" not in body


def test_screen_form_prefills_reasons_from_the_weighing(world, client_as):
    child = stunted_child(world.a1, flags=["gizi_buruk"])
    response = client_as(world.kader_a1).get(reverse("kader:social-screen", args=[child.uuid]))
    assert response.status_code == 200
    checked = set(re.findall(r'name="reasons" value="(\w+)"[^>]*checked', response.content.decode()))
    assert checked == {"wasting"}


def test_kader_screens_refers_and_sees_the_outcome(world, client_as):
    child = stunted_child(world.a1)
    kader = client_as(world.kader_a1)
    data = screen_post()
    response = kader.post(reverse("kader:social-screen", args=[child.uuid]), data)
    screen = SocialScreen.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("kader:social-screen-result", args=[screen.uuid])
    # the double tap: same client_id, still one screen
    kader.post(reverse("kader:social-screen", args=[child.uuid]), data)
    assert SocialScreen.objects.count() == 1
    body = kader.get(response["Location"]).content.decode()
    assert "Belum terlindungi" in body and "Ajukan ke Puskesos" in body
    assert "Belum terdaftar di DT-SEN" in body
    refer_url = reverse("kader:social-refer", args=[screen.uuid])
    response = kader.post(refer_url, {"notes": "Ayah sakit"})
    referral = SocialReferral.objects.get()
    assert response["Location"] == reverse("kader:social-referral-detail", args=[referral.uuid])
    kader.post(refer_url, {"notes": "Ayah sakit"})  # double tap
    assert SocialReferral.objects.count() == 1
    # the Puskesos decides; the kader sees the outcome on her list
    svc.referral_set_status(user=world.puskesos_a, referral=referral, status="diproses")
    svc.referral_set_status(user=world.puskesos_a, referral=referral, status="disetujui",
                            aid=["pbi_jkn"])
    body = kader.get(reverse("kader:my-referrals")).content.decode()
    assert child.name in body and "Disetujui" in body and "PBI-JKN" in body
    # the bidan of the posyandu sees it under "Rujukan posyandu", not under her own
    bidan = client_as(world.bidan_a)
    assert child.name in bidan.get(reverse("kader:my-referrals"), {"semua": "1"}).content.decode()
    assert child.name not in bidan.get(reverse("kader:my-referrals")).content.decode()
    body = bidan.get(reverse("kader:social-referral-detail", args=[referral.uuid])).content
    assert b"PBI-JKN" in body and b"Mulai proses" not in body and b"Setujui" not in body


def test_screen_form_errors_keep_the_page(world, client_as):
    child = stunted_child(world.a1)
    response = client_as(world.kader_a1).post(
        reverse("kader:social-screen", args=[child.uuid]),
        {"reasons": [], "client_id": str(uuid.uuid4()), "dtsen": "ya"},
    )
    assert response.status_code == 422
    assert "Pilih alasan skrining" in response.content.decode()
    assert "Pilih salah satu jawaban." in response.content.decode()
    assert SocialScreen.objects.count() == 0


def test_protected_family_gets_no_refer_button(world, client_as):
    child = stunted_child(world.a1)
    kader = client_as(world.kader_a1)
    kader.post(reverse("kader:social-screen", args=[child.uuid]),
               {"reasons": ["stunting"], "client_id": str(uuid.uuid4()), **PROTECTED})
    screen = SocialScreen.objects.get()
    body = kader.get(reverse("kader:social-screen-result", args=[screen.uuid])).content.decode()
    assert "Sudah terlindungi" in body and "Ajukan ke Puskesos" not in body
    kader.post(reverse("kader:social-refer", args=[screen.uuid]))
    assert SocialReferral.objects.count() == 0


def _referral(world):
    child = stunted_child(world.a1)
    s, _ = svc.screen_create(user=world.kader_a1, person=child, reasons=["stunting"],
                             answers=UNPROTECTED)
    return svc.referral_create(user=world.kader_a1, screen=s)[0]


def test_puskesos_home_list_detail_and_status(world, client_as):
    r = _referral(world)
    officer = client_as(world.puskesos_a)
    response = officer.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("kader:social-referral-list")
    body = officer.get(response["Location"]).content.decode()
    assert "Diajukan (1)" in body and r.person.name in body
    detail_url = reverse("kader:social-referral-detail", args=[r.uuid])
    body = officer.get(detail_url).content.decode()
    # what the officer needs of the family, and the answers
    for text in ("Sari Pendek", "Pak Darmo", r.household.no_kk, "Dusun Krajan", "RT 003/RW 001",
                 "081234567890", "Bu Darmi", "terdaftar di DT-SEN", "Tidak punya", "Mulai proses"):
        assert text in body, text
    # but no health record: no weights, no z-scores, no link to the person page
    assert "7,1" not in body and "7.1" not in body
    assert reverse("ilp:person-detail", args=[r.person.uuid]) not in body
    status_url = reverse("kader:social-referral-status", args=[r.uuid])
    response = officer.post(status_url, {"status": "diproses", "note": "Cek SIKS-NG"})
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == "diproses"
    # approving without aid: refused, the page says why
    response = officer.post(status_url, {"status": "disetujui"})
    assert response.status_code == 422
    assert "Pilih bantuan yang disetujui" in response.content.decode()
    # a rejection without a reason is refused; with a reason it is kept
    response = officer.post(status_url, {"status": "ditolak", "note": ""})
    assert response.status_code == 422 and "Tulis alasan rujukan ditolak." in response.content.decode()
    officer.post(status_url, {"status": "ditolak", "note": "Sudah terdaftar PKH daerah"})
    r.refresh_from_db()
    assert r.status == "ditolak" and r.reject_reason == "Sudah terdaftar PKH daerah"
    body = officer.get(detail_url).content.decode()
    assert "Cek SIKS-NG" in body and "Sudah terdaftar PKH daerah" in body
    assert "Ditolak (1)" in officer.get(reverse("kader:social-referral-list")).content.decode()


def test_kader_and_bidan_cannot_handle(world, client_as):
    r = _referral(world)
    url = reverse("kader:social-referral-status", args=[r.uuid])
    for user in (world.kader_a1, world.bidan_a, world.staff_a):
        response = client_as(user).post(url, {"status": "diproses"})
        assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == "diajukan" and r.events.count() == 1


def test_puskesos_of_another_desa_gets_404(world, client_as):
    r = _referral(world)
    other = client_as(world.puskesos_b)
    assert other.get(reverse("kader:social-referral-detail", args=[r.uuid])).status_code == 404
    response = other.post(reverse("kader:social-referral-status", args=[r.uuid]),
                          {"status": "diproses"})
    assert response.status_code == 404
    assert r.person.name not in other.get(reverse("kader:social-referral-list"),
                                          {"status": "diajukan"}).content.decode()
    r.refresh_from_db()
    assert r.status == "diajukan"


def test_puskesos_cannot_screen_or_see_screens(world, client_as):
    r = _referral(world)
    officer = client_as(world.puskesos_a)
    assert officer.get(reverse("kader:social-screen", args=[r.person.uuid])).status_code == 404
    assert officer.get(reverse("kader:social-screen-result",
                               args=[r.screen.uuid])).status_code == 404
    assert officer.post(reverse("kader:social-refer", args=[r.screen.uuid])).status_code == 404
