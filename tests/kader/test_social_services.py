"""Social screen and Puskesos referral services: the verdict stored with the
screen, the state machine with who may make each change, the history, and a
double tap that saves once."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kader.models.social import SocialReferral, SocialReferralEvent, SocialScreen
from kader.services import social as svc
from tests.kader.social_support import PROTECTED, UNPROTECTED, stunted_child

pytestmark = pytest.mark.django_db


def screen(world, user=None, answers=UNPROTECTED, **kw):
    child = kw.pop("person", None) or stunted_child(world.a1)
    return svc.screen_create(user=user or world.kader_a1, person=child,
                             reasons=kw.pop("reasons", ["stunting"]), answers=answers, **kw)[0]


def referred(world, user=None):
    return svc.referral_create(user=user or world.kader_a1, screen=screen(world))[0]


def test_screen_stores_answers_flags_and_the_verdict(world):
    s = screen(world, notes="Ayah tidak bekerja")
    assert (s.dtsen, s.pkh, s.bpnt, s.jkn) == ("tidak", "tidak", "tidak", "tidak")
    assert s.refer is True
    assert [c for c, _ in s.unmet] == ["dtsen_belum", "tanpa_bansos", "tanpa_jkn"]
    assert s.flags == ["pendek", "BGM"]  # from the latest weighing
    assert s.household == s.person.household and s.posyandu == world.a1
    assert s.screened_by == world.kader_a1
    protected = screen(world, answers=PROTECTED, person=stunted_child(world.a2, name="Budi"),
                       user=world.kader_a2)
    assert protected.refer is False and protected.unmet == []


def test_screen_refuses_missing_answers_and_reasons(world):
    child = stunted_child(world.a1)
    with pytest.raises(ValidationError) as exc:
        svc.screen_create(user=world.kader_a1, person=child, reasons=[],
                          answers={"dtsen": "ya", "pkh": "entah"})
    errors = exc.value.message_dict
    assert set(errors) == {"reasons", "pkh", "bpnt", "jkn"}
    assert errors["pkh"] == ["Jawaban tidak dikenal."]
    with pytest.raises(ValidationError) as exc:
        svc.screen_create(user=world.kader_a1, person=child, reasons=["lainnya"],
                          answers=UNPROTECTED)
    assert set(exc.value.message_dict) == {"reason_other"}
    assert SocialScreen.objects.count() == 0


def test_who_may_screen(world):
    child = stunted_child(world.a1)
    for user in (world.kader_a2, world.kader_b1, world.puskesos_a, world.staff_a,
                 world.dinkes_1, world.outsider):
        with pytest.raises(PermissionDenied):
            svc.screen_create(user=user, person=child, reasons=["bgm"], answers=UNPROTECTED)
    assert svc.screen_create(user=world.bidan_a, person=child, reasons=["bgm"],
                             answers=UNPROTECTED)[1] is True


def test_double_submitted_screen_saves_once(world):
    child = stunted_child(world.a1)
    cid = uuid.uuid4()
    first, created = svc.screen_create(user=world.kader_a1, person=child, reasons=["bgm"],
                                       answers=UNPROTECTED, client_id=cid)
    again, created_again = svc.screen_create(user=world.kader_a1, person=child, reasons=["bgm"],
                                             answers=UNPROTECTED, client_id=cid)
    assert created and not created_again and again.pk == first.pk
    assert SocialScreen.objects.count() == 1
    other = stunted_child(world.a1, name="Lain")
    with pytest.raises(ValidationError):
        svc.screen_create(user=world.kader_a1, person=other, reasons=["bgm"],
                          answers=UNPROTECTED, client_id=cid)


def test_referral_from_a_screen_once(world):
    s = screen(world)
    r, created = svc.referral_create(user=world.kader_a1, screen=s, notes="Mohon dibantu")
    assert created and r.status == "diajukan" and r.made_by == world.kader_a1
    assert (r.person, r.posyandu, r.household) == (s.person, world.a1, s.person.household)
    again, created_again = svc.referral_create(user=world.kader_a1, screen=s)
    assert not created_again and again.pk == r.pk
    assert SocialReferral.objects.count() == 1
    events = list(SocialReferralEvent.objects.filter(referral=r))
    assert [(e.from_status, e.to_status, e.note, e.by) for e in events] == [
        ("", "diajukan", "Mohon dibantu", world.kader_a1)
    ]


def test_protected_family_is_not_referred(world):
    s = screen(world, answers=PROTECTED)
    with pytest.raises(ValidationError) as exc:
        svc.referral_create(user=world.kader_a1, screen=s)
    assert "sudah terlindungi" in exc.value.messages[0]
    assert SocialReferral.objects.count() == 0


def test_no_second_open_referral_for_a_person(world):
    r = referred(world)
    second = svc.screen_create(user=world.bidan_a, person=r.person, reasons=["bgm"],
                               answers=UNPROTECTED)[0]
    with pytest.raises(ValidationError) as exc:
        svc.referral_create(user=world.bidan_a, screen=second)
    assert "belum selesai" in exc.value.messages[0]
    # once the first one is decided, a new referral is possible
    svc.referral_set_status(user=world.puskesos_a, referral=r, status="diproses")
    svc.referral_set_status(user=world.puskesos_a, referral=r, status="ditolak",
                            note="Tidak memenuhi kriteria")
    assert svc.referral_create(user=world.bidan_a, screen=second)[1] is True


def test_who_may_refer(world):
    s = screen(world)
    for user in (world.kader_a2, world.kader_b1, world.puskesos_a, world.staff_a,
                 world.dinkes_1, world.outsider):
        with pytest.raises(PermissionDenied):
            svc.referral_create(user=user, screen=s)
    assert SocialReferral.objects.count() == 0
    assert svc.referral_create(user=world.bidan_a, screen=s)[0].made_by == world.bidan_a


def test_only_the_puskesos_of_the_desa_handles(world):
    r = referred(world)
    for user in (world.kader_a1, world.bidan_a, world.staff_a, world.dinkes_1,
                 world.puskesos_b, world.outsider):
        with pytest.raises(PermissionDenied):
            svc.referral_set_status(user=user, referral=r, status="diproses")
    r.refresh_from_db()
    assert r.status == "diajukan" and r.events.count() == 1
    r = svc.referral_set_status(user=world.puskesos_a, referral=r, status="diproses",
                                note="Dicek di SIKS-NG")
    assert r.status == "diproses" and r.status_changed_by == world.puskesos_a
    assert r.decided_at is None


def test_full_flow_approved_with_aid_and_history(world):
    r = referred(world)
    with pytest.raises(ValidationError) as exc:
        svc.referral_set_status(user=world.puskesos_a, referral=r, status="disetujui",
                                aid=["pkh"])
    assert "pilihan berikutnya" in exc.value.message_dict["status"][0]
    svc.referral_set_status(user=world.puskesos_a, referral=r, status="diproses")
    with pytest.raises(ValidationError) as exc:
        svc.referral_set_status(user=world.puskesos_a, referral=r, status="disetujui")
    assert "aid" in exc.value.message_dict
    r = svc.referral_set_status(user=world.puskesos_a, referral=r, status="disetujui",
                                aid=["pbi_jkn", "bpnt", "pbi_jkn"], note="Masuk usulan bulan ini")
    assert r.status == "disetujui" and r.aid == ["pbi_jkn", "bpnt"]
    assert r.decided_by == world.puskesos_a and r.decided_at is not None
    assert r.outcome == "PBI-JKN, BPNT / sembako"
    assert [(e.from_status, e.to_status) for e in r.events.all()] == [
        ("", "diajukan"), ("diajukan", "diproses"), ("diproses", "disetujui")
    ]
    assert r.events.last().note == "Masuk usulan bulan ini"
    with pytest.raises(ValidationError) as exc:
        svc.referral_set_status(user=world.puskesos_a, referral=r, status="ditolak", note="x")
    assert "sudah selesai" in exc.value.message_dict["status"][0]


def test_rejection_needs_a_reason(world):
    r = referred(world)
    svc.referral_set_status(user=world.puskesos_a, referral=r, status="diproses")
    with pytest.raises(ValidationError) as exc:
        svc.referral_set_status(user=world.puskesos_a, referral=r, status="ditolak", note=" ")
    assert exc.value.message_dict == {"note": ["Tulis alasan rujukan ditolak."]}
    r = svc.referral_set_status(user=world.puskesos_a, referral=r, status="ditolak",
                                note="Sudah menerima bantuan dari kabupaten")
    assert r.reject_reason == "Sudah menerima bantuan dari kabupaten"
    assert r.outcome == r.reject_reason and r.decided_at is not None and r.aid == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_tap_makes_one_referral():
    """Two requests for the same screen at the same moment (a double tap on a
    weak connection): the row lock on the screen lets one create, the other
    returns the same referral."""
    import threading

    from django.db import connection

    from tests.factories import make_world

    world = make_world()
    s = screen(world)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def tap():
        try:
            barrier.wait(timeout=5)
            results.append(svc.referral_create(user=world.kader_a1, screen=s))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert errors == []
    assert SocialReferral.objects.count() == 1
    assert sorted(created for _, created in results) == [False, True]
    assert len({r.pk for r, _ in results}) == 1
