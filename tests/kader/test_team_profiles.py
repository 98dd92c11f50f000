"""Team pages and services: profiles, areas, skill verification, trainings,
bidan/perawat profile; who may manage the team."""

import pytest
from django.urls import reverse

from kader.models.team import KaderProfile, SkillVerification, StaffProfile, TrainingRecord
from kader.services.team import can_manage_team, is_ketua
from posyandu.models import Membership, Role, RtRw
from tests.factories import make_user
from tests.kader.team_support import B, H, P, kader_of, make_team, verify

pytestmark = pytest.mark.django_db

REFUSED_VERIFY = ("Hanya bidan, petugas Puskesmas atau ketua kader posyandu ini yang dapat "
                  "memverifikasi keterampilan kader.")


def test_who_manages_the_team(world):
    t = make_team(world)
    a1 = world.a1.pk
    assert is_ketua(world.kader_a1, a1) and can_manage_team(world.kader_a1, a1)
    assert not can_manage_team(t.ani.user, a1)
    assert can_manage_team(world.bidan_a, a1) and can_manage_team(world.staff_a, a1)
    assert not can_manage_team(world.staff_b, a1) and not can_manage_team(world.dinkes_1, a1)
    # a ketua of a1 is not a manager of a2; an inactive ketua is no longer one
    assert not can_manage_team(world.kader_a1, world.a2.pk)
    KaderProfile.objects.filter(pk=t.ketua.pk).update(is_active=False)
    assert not is_ketua(world.kader_a1, a1)


def test_team_page_lists_kader_and_warns_under_five(world, client_as):
    t = make_team(world)
    verify(t.ani, P + B + H, world.bidan_a)
    client = client_as(world.kader_a1)
    page = client.get(reverse("kader:team-detail", kwargs={"posyandu_id": world.a1.pk}))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Ani Lestari" in body and "Budi Santoso" in body and "Sri Ketua" in body
    assert "081234500002" in body and "RT 001/RW 002" in body
    assert "17/25" in body and "Purwa" in body
    assert "<strong>3</strong> kader aktif" in body
    assert "Kader aktif kurang dari 5" in body
    kader_of(world.a1, "k4")
    kader_of(world.a1, "k5")
    body = client.get(reverse("kader:team-detail", kwargs={"posyandu_id": world.a1.pk})).content.decode()
    assert "<strong>5</strong> kader aktif" in body
    assert "Kader aktif kurang dari 5" not in body


def test_team_home_shows_a_single_posyandu_and_lists_several(world, client_as):
    make_team(world)
    response = client_as(world.kader_a1).get(reverse("kader:team-home"))
    assert response.status_code == 200 and "Tim Posyandu Melati" in response.content.decode()
    body = client_as(world.bidan_a).get(reverse("kader:team-home")).content.decode()
    assert "Melati" in body and "Mawar" in body and "Anggrek" not in body
    assert "3 kader aktif" in body


def _skill(client, profile, code, action=None):
    data = {"code": code} | ({"action": action} if action else {})
    return client.post(reverse("kader:kader-skill", kwargs={"uuid": profile.uuid}), data, follow=True)


def test_ketua_and_bidan_verify_with_one_tap_once(world, client_as):
    t = make_team(world)
    client = client_as(world.kader_a1)
    _skill(client, t.ani, "B2")
    _skill(client, t.ani, "B2")  # double tap
    rows = SkillVerification.objects.filter(kader=t.ani)
    assert [(r.skill_code, r.verified_by) for r in rows] == [("B2", world.kader_a1)]
    _skill(client_as(world.bidan_a), t.ani, "B3")
    _skill(client_as(world.staff_a), t.ani, "B4")
    assert set(SkillVerification.objects.filter(kader=t.ani).values_list("skill_code", flat=True)) == {
        "B2", "B3", "B4"}
    assert SkillVerification.objects.get(kader=t.ani, skill_code="B3").verified_by == world.bidan_a
    _skill(client_as(world.kader_a1), t.ani, "B3", "batal")
    assert not SkillVerification.objects.filter(kader=t.ani, skill_code="B3").exists()


def test_plain_kader_may_not_verify_and_is_told_why(world, client_as):
    t = make_team(world)
    response = _skill(client_as(t.ani.user), t.budi, "B2")
    assert REFUSED_VERIFY in response.content.decode()
    assert not SkillVerification.objects.exists()
    # nor can the ketua verify her own skills (the bidan does)
    response = _skill(client_as(world.kader_a1), t.ketua, "B2")
    assert "Keterampilan Anda sendiri diverifikasi oleh bidan pembina." in response.content.decode()
    assert not SkillVerification.objects.exists()


def test_unknown_skill_code_is_refused(world, client_as):
    t = make_team(world)
    response = _skill(client_as(world.bidan_a), t.ani, "Z9")
    assert "Kode keterampilan tidak dikenal." in response.content.decode()
    assert not SkillVerification.objects.exists()


def test_other_posyandu_bidan_gets_404(world, client_as):
    t = make_team(world)
    bidan_b = make_user("bidan_b", role=Role.BIDAN, posyandu=world.b1)
    client = client_as(bidan_b)
    assert client.post(reverse("kader:kader-skill", kwargs={"uuid": t.ani.uuid}),
                       {"code": "B2"}).status_code == 404
    assert client.get(reverse("kader:kader-detail", kwargs={"uuid": t.ani.uuid})).status_code == 404
    assert client.get(reverse("kader:team-detail", kwargs={"posyandu_id": world.a1.pk})).status_code == 404
    assert not SkillVerification.objects.exists()


def test_kader_detail_shows_checklist_by_group_and_level(world, client_as):
    t = make_team(world)
    verify(t.ani, P + B + H + ["R1", "R2", "R3"], world.bidan_a)
    body = client_as(world.bidan_a).get(
        reverse("kader:kader-detail", kwargs={"uuid": t.ani.uuid})).content.decode()
    assert "Madya" in body and "20/25" in body
    assert "Pengelolaan posyandu" in body and "Usia dewasa/produktif dan lansia" in body
    assert body.count(">Verifikasi</button>") == 5  # the five dewasa-lansia skills left
    # a plain kader sees the checklist without buttons
    body = client_as(t.budi.user).get(
        reverse("kader:kader-detail", kwargs={"uuid": t.ani.uuid})).content.decode()
    assert ">Verifikasi</button>" not in body and "Madya" in body


def test_edit_profile_areas_and_add_rt_rw(world, client_as):
    t = make_team(world)
    rt2 = RtRw.objects.create(posyandu=world.a1, rw="002", rt="002")
    client = client_as(world.kader_a1)
    url = reverse("kader:kader-edit", kwargs={"uuid": t.budi.uuid})
    assert client.get(url).status_code == 200
    response = client.post(url, {"position": "sekretaris", "phone": " 0812 ", "is_active": "on",
                                 "areas": [rt2.pk], "new_rw": "3", "new_rt": "4"})
    assert response.status_code == 302
    t.budi.refresh_from_db()
    assert t.budi.position == "sekretaris" and t.budi.phone == "0812"
    assert sorted(str(a) for a in t.budi.areas.all()) == ["RT 002/RW 002", "RT 004/RW 003"]
    assert RtRw.objects.filter(posyandu=world.a1, rw="003", rt="004").exists()


def test_edit_profile_refused_for_plain_kader_and_second_ketua(world, client_as):
    t = make_team(world)
    url = reverse("kader:kader-edit", kwargs={"uuid": t.budi.uuid})
    response = client_as(t.ani.user).post(url, {"position": "ketua", "is_active": "on"}, follow=True)
    assert ("Hanya bidan, petugas Puskesmas atau ketua kader posyandu ini yang dapat mengubah "
            "profil kader.") in response.content.decode()
    t.budi.refresh_from_db()
    assert t.budi.position == "kader"
    response = client_as(world.bidan_a).post(url, {"position": "ketua", "is_active": "on"})
    assert response.status_code == 422
    assert "sudah punya ketua kader aktif (Sri Ketua)" in response.content.decode()
    t.budi.refresh_from_db()
    assert t.budi.position == "kader"


def test_rt_rw_must_be_digits(world, client_as):
    t = make_team(world)
    response = client_as(world.bidan_a).post(
        reverse("kader:kader-edit", kwargs={"uuid": t.budi.uuid}),
        {"position": "kader", "is_active": "on", "new_rw": "dua", "new_rt": "1"})
    assert response.status_code == 422
    assert "RW diisi angka" in response.content.decode()
    assert RtRw.objects.filter(posyandu=world.a1).count() == 1


def test_profile_for_a_kader_login_without_one(world, client_as):
    make_team(world)
    new = make_user("citra", role=Role.KADER, posyandu=world.a1)
    client = client_as(world.kader_a1)
    body = client.get(reverse("kader:team-detail", kwargs={"posyandu_id": world.a1.pk})).content.decode()
    assert "Kader tanpa profil" in body
    client.post(reverse("kader:kader-profile-create", kwargs={"posyandu_id": world.a1.pk}),
                {"kader_user": new.pk, "position": "kader"})
    assert KaderProfile.objects.filter(user=new, posyandu=world.a1, is_active=True).exists()
    # a kader of another posyandu cannot be given a profile here
    client.post(reverse("kader:kader-profile-create", kwargs={"posyandu_id": world.a1.pk}),
                {"kader_user": world.kader_a2.pk, "position": "kader"})
    assert not KaderProfile.objects.filter(user=world.kader_a2).exists()


def test_trainings_by_self_or_manager(world, client_as):
    t = make_team(world)
    data = {"title": "Pelatihan 25 keterampilan dasar", "provider": "Plataran Sehat",
            "date": "2025-03-01", "certificate_no": "PS-001"}
    client_as(t.ani.user).post(reverse("kader:kader-training", kwargs={"uuid": t.ani.uuid}), data)
    row = TrainingRecord.objects.get(kader=t.ani)
    assert (row.provider, row.certificate_no, row.recorded_by) == ("Plataran Sehat", "PS-001", t.ani.user)
    response = client_as(t.ani.user).post(
        reverse("kader:kader-training", kwargs={"uuid": t.budi.uuid}), data, follow=True)
    assert "yang dapat mencatat pelatihan kader lain" in response.content.decode()
    assert not TrainingRecord.objects.filter(kader=t.budi).exists()
    client_as(world.bidan_a).post(reverse("kader:kader-training", kwargs={"uuid": t.budi.uuid}), data)
    assert TrainingRecord.objects.filter(kader=t.budi).count() == 1
    page = client_as(world.bidan_a).get(reverse("kader:kader-detail", kwargs={"uuid": t.ani.uuid}))
    assert "Plataran Sehat" in page.content.decode()


def test_staff_profile_for_bidan_only(world, client_as):
    make_team(world)
    client = client_as(world.bidan_a)
    body = client.get(reverse("kader:staff-profile")).content.decode()
    assert "Melati" in body and "Mawar" in body
    response = client.post(reverse("kader:staff-profile"),
                           {"kind": "perawat", "phone": "0811", "nip": "1980 0101 200501 2 001"})
    assert response.status_code == 302
    profile = StaffProfile.objects.get(user=world.bidan_a)
    assert (profile.kind, profile.nip) == ("perawat", "198001012005012001")
    assert client.post(reverse("kader:staff-profile"), {"kind": "bidan", "nip": "123"}).status_code == 422
    body = client_as(world.kader_a1).get(reverse("kader:team-detail", kwargs={"posyandu_id": world.a1.pk})).content.decode()
    assert "Perawat" in body and "0811" in body
    response = client_as(world.kader_a1).post(reverse("kader:staff-profile"), {"kind": "bidan"})
    assert not StaffProfile.objects.filter(user=world.kader_a1).exists()
    assert Membership.objects.filter(user=world.kader_a1, role=Role.BIDAN).count() == 0
