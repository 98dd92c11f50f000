"""Health referrals to the Puskesmas: dirujuk -> diterima -> ditindaklanjuti
(or batal), and who may move them: the bidan of the posyandu or the staff of
its Puskesmas; never a kader, Dinkes, a Puskesos officer or another scope."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ilp.models import Referral
from ilp.services import exam as svc
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def referral(world):
    person = make_person(world.a1, name="Bu Tensi", sex="P", birth_date=date(1970, 1, 1))
    return svc.referral_create(user=world.bidan_a, visit_or_person=person,
                               reason="Tekanan darah 170/100")


def test_who_may_move_a_health_referral(world):
    r = referral(world)
    for user in (world.kader_a1, world.kader_a2, world.dinkes_1, world.staff_b,
                 world.puskesos_a, world.outsider):
        with pytest.raises(PermissionDenied):
            svc.referral_set_status(user=user, referral=r, status="diterima")
    r.refresh_from_db()
    assert r.status == "dirujuk"
    # the Puskesmas receives it, the bidan records the follow-up
    r = svc.referral_set_status(user=world.staff_a, referral=r, status="diterima")
    assert r.status == "diterima" and r.status_changed_by == world.staff_a
    r = svc.referral_set_status(user=world.bidan_a, referral=r, status="ditindaklanjuti",
                                notes="Diberi obat antihipertensi")
    assert r.status == "ditindaklanjuti" and "Diberi obat antihipertensi" in r.notes
    with pytest.raises(ValidationError):
        svc.referral_set_status(user=world.staff_a, referral=r, status="batal", notes="x")


def test_the_flow_refuses_skips_and_reopening(world):
    r = referral(world)
    with pytest.raises(ValidationError) as exc:
        svc.referral_set_status(user=world.bidan_a, referral=r, status="ditindaklanjuti")
    assert "pilihan berikutnya" in exc.value.message_dict["status"][0]
    with pytest.raises(ValidationError) as exc:  # cancelling needs a reason
        svc.referral_set_status(user=world.staff_a, referral=r, status="batal")
    assert "notes" in exc.value.message_dict
    r = svc.referral_set_status(user=world.staff_a, referral=r, status="batal",
                                notes="Pasien pindah")
    with pytest.raises(ValidationError):
        svc.referral_set_status(user=world.bidan_a, referral=r, status="diterima")


def test_referral_status_page_refuses_a_kader(world, client_as):
    r = referral(world)
    url = reverse("ilp:referral-status", args=[r.uuid])
    response = client_as(world.kader_a1).post(url, {"status": "diterima"}, follow=True)
    assert "petugas Puskesmas yang boleh mengubah status rujukan" in response.content.decode()
    r.refresh_from_db()
    assert r.status == "dirujuk"
    # the kader's list shows the referral without the buttons
    body = client_as(world.kader_a1).get(reverse("ilp:referral-list")).content.decode()
    assert "Bu Tensi" in body and "Tandai diterima" not in body


def test_puskesmas_staff_marks_received_from_the_list(world, client_as):
    r = referral(world)
    staff = client_as(world.staff_a)
    assert "Tandai diterima" in staff.get(reverse("ilp:referral-list")).content.decode()
    response = staff.post(reverse("ilp:referral-status", args=[r.uuid]), {"status": "diterima"})
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == "diterima"
    # staff of another Puskesmas and the Puskesos officer do not reach it
    for user in (world.staff_b, world.puskesos_a):
        response = client_as(user).post(reverse("ilp:referral-status", args=[r.uuid]),
                                        {"status": "ditindaklanjuti"})
        assert response.status_code == 404
    assert Referral.objects.get(pk=r.pk).status == "diterima"
