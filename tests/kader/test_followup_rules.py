"""Follow-up rules: each rule creates its task once, assigns it to the kader of
the person's RT/RW (else the ketua, else nobody), and closes it when the
condition no longer holds. Expected values are worked out by hand from
DEFAULTS.md (the tables), not read back from the code."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ilp.models import (
    Examination,
    Immunisation,
    Measurement,
    Pregnancy,
    Referral,
    Screening,
    ServiceDay,
    Supplement,
)
from ilp.screenings import TERLAMBAT
from ilp.services.exam import immunisation_status_for
from kader.models.tasks import FollowUpTask
from kader.services.tasks import followup_sync
from tests.factories import make_person
from tests.kader.followup_support import child, day, make_area, visit

pytestmark = pytest.mark.django_db

ON = date(2026, 5, 20)


def tasks(**filters):
    return list(FollowUpTask.objects.filter(**filters).order_by("pk"))


# --------------------------------------------------------------------------
# tidak_datang


def test_absent_balita_and_ibu_hamil_get_one_home_visit_task_each(world):
    area = make_area(world)
    d = day(world.a1, date(2026, 5, 12))
    absent = child(world.a1, on=ON, months=10)
    came = child(world.a1, on=ON, months=14)
    visit(came, d.date, service_day=d)
    weighed_at_home_earlier = child(world.a1, on=ON, months=20)
    visit(weighed_at_home_earlier, date(2026, 5, 3))  # home visit this month: not absent
    mother = make_person(world.a1, sex="P", birth_date=date(1998, 1, 1), rt="004", rw="002")
    Pregnancy.objects.create(person=mother, hpht=date(2026, 2, 1), due_date=date(2026, 11, 8))
    adult = make_person(world.a1, sex="L", birth_date=date(1980, 1, 1))  # not expected

    result = followup_sync([world.a1.pk], ON, rules=["tidak_datang"])
    assert result.created == 2
    again = followup_sync([world.a1.pk], ON, rules=["tidak_datang"])
    assert again.created == 0 and again.closed == 0

    by_person = {t.person_id: t for t in tasks(rule="tidak_datang")}
    assert set(by_person) == {absent.pk, mother.pk}
    assert adult.pk not in by_person
    t = by_person[absent.pk]
    assert t.period == "2026-05" and t.anchor_on == date(2026, 5, 12)
    assert t.due_on == date(2026, 5, 20)  # 12 May + 7 days = 19 May, not before the run date
    assert t.status == "open" and t.action == "kunjungan"
    assert "12-05-2026" in t.reason
    assert t.assigned_to == area.rina  # RT 001/RW 002 is Rina's area
    assert by_person[mother.pk].assigned_to == area.ketua  # RT 004: nobody's area -> ketua


def test_absent_task_closes_when_the_child_is_weighed_at_home(world):
    make_area(world)
    day(world.a1, date(2026, 5, 12))
    absent = child(world.a1, on=ON, months=10)
    followup_sync([world.a1.pk], ON, rules=["tidak_datang"])
    (t,) = tasks(person=absent)

    visit(absent, date(2026, 5, 22))  # the kader's home visit
    result = followup_sync([world.a1.pk], date(2026, 5, 23), rules=["tidak_datang"])
    assert result.closed == 1 and result.created == 0
    t.refresh_from_db()
    assert t.status == "done" and t.closed_automatically and t.done_by is None
    assert t.done_at is not None
    # it does not come back for May
    followup_sync([world.a1.pk], date(2026, 5, 24), rules=["tidak_datang"])
    assert FollowUpTask.objects.filter(person=absent).count() == 1


def test_a_day_planned_and_never_opened_makes_nobody_absent(world):
    make_area(world)
    day(world.a1, date(2026, 5, 12), status=ServiceDay.Status.PLANNED)
    child(world.a1, on=ON, months=10)
    assert followup_sync([world.a1.pk], ON, rules=["tidak_datang"]).created == 0


def test_an_open_day_counts_once_it_is_over(world):
    make_area(world)
    d = day(world.a1, ON, status=ServiceDay.Status.OPEN)
    child(world.a1, on=ON, months=10)
    assert followup_sync([world.a1.pk], ON, rules=["tidak_datang"]).created == 0  # the day is still running
    assert followup_sync([world.a1.pk], ON + timedelta(days=1), rules=["tidak_datang"]).created == 1
    assert FollowUpTask.objects.get().anchor_on == d.date


def test_without_kader_profiles_the_task_is_unassigned(world):
    day(world.a2, date(2026, 5, 12))
    from posyandu.reference import sync_shipped_tables

    sync_shipped_tables()
    absent = child(world.a2, on=ON, months=10)
    followup_sync([world.a2.pk], ON, rules=["tidak_datang"])
    (t,) = tasks(person=absent)
    assert t.assigned_to is None and t.posyandu == world.a2


def test_the_sync_only_touches_the_posyandu_given(world):
    make_area(world)
    day(world.a1, date(2026, 5, 12))
    day(world.b1, date(2026, 5, 12))
    child(world.a1, on=ON, months=10)
    child(world.b1, on=ON, months=10)
    followup_sync([world.a1.pk], ON, rules=["tidak_datang"])
    assert set(FollowUpTask.objects.values_list("posyandu_id", flat=True)) == {world.a1.pk}


# --------------------------------------------------------------------------
# gizi


def _measure(person, on, **values):
    v = visit(person, on)
    fields = {"posyandu": person.posyandu, "person": person, "measured_on": on}
    return Measurement.objects.create(visit=v, **fields, **values)


def test_bgm_and_stunting_get_a_visit_and_refer_task(world):
    area = make_area(world)
    bgm = child(world.a1, on=ON, months=12)
    _measure(bgm, date(2026, 5, 12), weight_kg=Decimal("6.5"), age_months=12, is_bgm=True,
             bbu_cat="sangat_kurang", tbu_cat="pendek")
    ok = child(world.a1, on=ON, months=12)
    _measure(ok, date(2026, 5, 12), weight_kg=Decimal("9.6"), age_months=12,
             bbu_cat="normal", bbtb_cat="gizi_baik", tbu_cat="normal")
    wasted = child(world.a1, on=ON, months=30, rt="009")
    _measure(wasted, date(2026, 5, 12), weight_kg=Decimal("10"), age_months=30,
             bbtb_cat="gizi_kurang")

    assert followup_sync([world.a1.pk], ON, rules=["gizi"]).created == 2
    t = FollowUpTask.objects.get(person=bgm, rule="gizi")
    assert t.action == "kunjungan_rujuk"
    assert t.details["findings"] == ["BGM", "pendek"]
    assert "BGM" in t.reason and "pendek" in t.reason and "bidan" in t.reason
    assert t.assigned_to == area.rina
    w = FollowUpTask.objects.get(person=wasted, rule="gizi")
    assert w.details["findings"] == ["gizi_kurang"] and w.assigned_to == area.ketua
    assert not FollowUpTask.objects.filter(person=ok).exists()


def test_gizi_task_closes_when_the_next_weighing_is_normal(world):
    make_area(world)
    bgm = child(world.a1, on=ON, months=12)
    _measure(bgm, date(2026, 5, 12), weight_kg=Decimal("6.5"), age_months=12, is_bgm=True)
    followup_sync([world.a1.pk], ON, rules=["gizi"])
    (t,) = tasks(person=bgm)

    _measure(bgm, date(2026, 5, 26), weight_kg=Decimal("7.4"), age_months=12, is_bgm=True)
    assert followup_sync([world.a1.pk], date(2026, 5, 27), rules=["gizi"]).closed == 0  # still BGM
    t.refresh_from_db()
    assert t.status == "open"

    _measure(bgm, date(2026, 6, 10), weight_kg=Decimal("8.0"), age_months=13, bbu_cat="kurang")
    assert followup_sync([world.a1.pk], date(2026, 6, 11), rules=["gizi"]).closed == 1
    t.refresh_from_db()
    assert t.status == "done" and t.closed_automatically


def test_two_t_counts(world):
    make_area(world)
    kid = child(world.a1, on=ON, months=20)
    _measure(kid, date(2026, 5, 12), weight_kg=Decimal("10"), age_months=20, is_2t=True,
             trend="T")
    followup_sync([world.a1.pk], ON, rules=["gizi"])
    assert FollowUpTask.objects.get(person=kid).details["findings"] == ["2T"]


def test_an_old_problem_outside_the_window_creates_nothing(world):
    make_area(world)
    kid = child(world.a1, on=ON, months=20)
    _measure(kid, date(2026, 2, 12), weight_kg=Decimal("7"), age_months=17, is_bgm=True)
    assert followup_sync([world.a1.pk], ON, rules=["gizi"]).created == 0  # 97 days > 62-day window


# --------------------------------------------------------------------------
# imunisasi


def _give(person, *codes, on=date(2026, 3, 1)):
    for code in codes:
        Immunisation.objects.create(person=person, posyandu=person.posyandu, vaccine=code,
                                    given_on=on)


def test_late_doses_give_one_task_listing_them(world):
    make_area(world)
    # 3 completed months on 20 May 2026: HB0 (0), BCG/OPV1 (1) and the 2-month
    # doses are late (completed months > dose age); the 3-month doses are due
    # this month, not late.
    kid = child(world.a1, on=ON, months=3)
    _give(kid, "HB0", "OPV1", "DPT-HB-Hib1", "OPV2", "PCV1", "RV1")
    followup_sync([world.a1.pk], ON, rules=["imunisasi"])
    t = FollowUpTask.objects.get(person=kid, rule="imunisasi")
    assert t.details["doses"] == ["BCG"]
    assert t.reason == "Imunisasi terlambat: BCG"
    assert t.period == "BCG"
    # the same as ilp's own status list
    late = {d.code for d in immunisation_status_for(person=kid, on=ON) if d.status == TERLAMBAT}
    assert late == {"BCG"}


def test_all_missing_doses_of_a_four_month_old(world):
    make_area(world)
    kid = child(world.a1, on=ON, months=4)
    followup_sync([world.a1.pk], ON, rules=["imunisasi"])
    t = FollowUpTask.objects.get(person=kid, rule="imunisasi")
    expected = ["HB0", "BCG", "OPV1", "DPT-HB-Hib1", "OPV2", "PCV1", "RV1", "DPT-HB-Hib2",
                "OPV3", "PCV2", "RV2"]
    assert sorted(t.details["doses"]) == sorted(expected)
    assert t.details["doses"][0] == "HB0"
    late = {d.code for d in immunisation_status_for(person=kid, on=ON) if d.status == TERLAMBAT}
    assert late == set(expected)


def test_a_child_on_schedule_gets_no_task(world):
    make_area(world)
    kid = child(world.a1, on=ON, months=2)
    _give(kid, "HB0", "BCG", "OPV1")  # the 2-month doses are due this month
    assert followup_sync([world.a1.pk], ON, rules=["imunisasi"]).created == 0


def test_immunisation_task_closes_when_vaccinated(world):
    make_area(world)
    kid = child(world.a1, on=ON, months=3)
    _give(kid, "HB0", "OPV1", "DPT-HB-Hib1", "OPV2", "PCV1", "RV1")
    followup_sync([world.a1.pk], ON, rules=["imunisasi"])
    (t,) = tasks(person=kid, rule="imunisasi")
    _give(kid, "BCG", on=date(2026, 5, 21))
    assert followup_sync([world.a1.pk], date(2026, 5, 22), rules=["imunisasi"]).closed == 1
    t.refresh_from_db()
    assert t.status == "done" and t.closed_automatically


def test_immunisation_task_lists_the_doses_still_missing(world):
    make_area(world)
    kid = child(world.a1, on=ON, months=3)
    _give(kid, "HB0", "OPV1", "OPV2", "PCV1", "RV1")
    followup_sync([world.a1.pk], ON, rules=["imunisasi"])
    t = FollowUpTask.objects.get(person=kid)
    assert t.details["doses"] == ["BCG", "DPT-HB-Hib1"]
    _give(kid, "BCG", on=date(2026, 5, 21))
    result = followup_sync([world.a1.pk], date(2026, 5, 22), rules=["imunisasi"])
    assert (result.closed, result.updated, result.created) == (0, 1, 0)
    t.refresh_from_db()
    assert t.status == "open" and t.details["doses"] == ["DPT-HB-Hib1"]


def test_older_than_two_years_no_immunisation_task(world):
    make_area(world)
    child(world.a1, on=ON, months=30)
    followup_sync([world.a1.pk], ON, rules=["imunisasi"])
    assert not FollowUpTask.objects.filter(rule="imunisasi").exists()


# --------------------------------------------------------------------------
# vitamin A


def _vit_a(person, on, kind="vitamin_a_merah"):
    v = visit(person, on)
    Supplement.objects.create(person=person, visit=v, posyandu=person.posyandu, kind=kind,
                              given_on=on)


def test_vitamin_a_missed_in_february(world):
    make_area(world)
    feb = date(2026, 2, 20)
    day(world.a1, date(2026, 2, 10))
    blue = child(world.a1, on=date(2026, 2, 10), months=8)
    red = child(world.a1, on=date(2026, 2, 10), months=30)
    got_it = child(world.a1, on=date(2026, 2, 10), months=30)
    _vit_a(got_it, date(2026, 2, 10))
    too_young = child(world.a1, on=date(2026, 2, 10), months=4)

    followup_sync([world.a1.pk], feb, rules=["vitamin_a"])
    by_person = {t.person_id: t for t in tasks(rule="vitamin_a")}
    assert set(by_person) == {blue.pk, red.pk}
    assert "Vitamin A biru 100.000 IU" in by_person[blue.pk].reason
    assert "Vitamin A merah 200.000 IU" in by_person[red.pk].reason
    assert "Februari 2026" in by_person[red.pk].reason
    assert by_person[red.pk].period == "2026-02"
    assert too_young.pk not in by_person and got_it.pk not in by_person

    # given in March (sweeping): the task closes
    _vit_a(red, date(2026, 3, 3))
    result = followup_sync([world.a1.pk], date(2026, 3, 4), rules=["vitamin_a"])
    assert result.closed == 1
    assert FollowUpTask.objects.get(person=red).status == "done"
    assert FollowUpTask.objects.get(person=blue).status == "open"


def test_no_vitamin_a_task_outside_the_rounds(world):
    make_area(world)
    day(world.a1, date(2026, 5, 12))
    child(world.a1, on=ON, months=30)
    assert followup_sync([world.a1.pk], ON, rules=["vitamin_a"]).created == 0
    # and none before the posyandu held its February day
    day(world.a1, date(2026, 2, 25), status=ServiceDay.Status.PLANNED)
    assert followup_sync([world.a1.pk], date(2026, 2, 20), rules=["vitamin_a"]).created == 0


# --------------------------------------------------------------------------
# ibu hamil


def _pregnant(posyandu, *, hpht, rt="001", **fields):
    mother = make_person(posyandu, sex="P", birth_date=date(1996, 4, 4), rt=rt, rw="002",
                         **fields)
    preg = Pregnancy.objects.create(person=mother, hpht=hpht,
                                    due_date=Pregnancy.naegele(hpht))
    return mother, preg


def _exam(person, on, **values):
    v = visit(person, on)
    return Examination.objects.create(visit=v, posyandu=person.posyandu, person=person, **values)


def test_ibu_hamil_with_anaemia_and_kek(world):
    area = make_area(world)
    mother, _ = _pregnant(world.a1, hpht=date(2026, 1, 10))
    _exam(mother, date(2026, 5, 12), hb_g_dl=Decimal("9.5"), anaemia=True,
          hb_threshold=Decimal("10.5"))
    _measure(mother, date(2026, 5, 13), muac_cm=Decimal("22.0"))
    fine, _ = _pregnant(world.a1, hpht=date(2026, 1, 10))
    _exam(fine, date(2026, 5, 12), hb_g_dl=Decimal("11.5"), anaemia=False)
    _measure(fine, date(2026, 5, 13), muac_cm=Decimal("23.5"))  # 23.5 is not < 23.5

    followup_sync([world.a1.pk], ON, rules=["bumil_risiko"])
    (t,) = tasks(rule="bumil_risiko")
    assert t.person == mother and t.assigned_to == area.rina
    assert t.action == "kunjungan_rujuk"
    assert sorted(t.details["findings"]) == ["KEK", "anemia"]
    assert "LiLA 22 cm" in t.reason and "Hb 9,5 g/dL" in t.reason


def test_ibu_hamil_high_blood_pressure_closes_after_normal_reading(world):
    make_area(world)
    mother, preg = _pregnant(world.a1, hpht=date(2026, 1, 10))
    _exam(mother, date(2026, 5, 12), systolic=150, diastolic=95, bp_class="tinggi")
    followup_sync([world.a1.pk], ON, rules=["bumil_risiko"])
    (t,) = tasks(rule="bumil_risiko")
    assert "150/95" in t.reason
    _exam(mother, date(2026, 5, 21), systolic=120, diastolic=80, bp_class="normal")
    assert followup_sync([world.a1.pk], date(2026, 5, 22), rules=["bumil_risiko"]).closed == 1


def test_findings_before_the_pregnancy_do_not_count(world):
    make_area(world)
    mother, _ = _pregnant(world.a1, hpht=date(2026, 3, 1))
    _exam(mother, date(2026, 2, 1), hb_g_dl=Decimal("9.0"), anaemia=True)
    assert followup_sync([world.a1.pk], ON, rules=["bumil_risiko"]).created == 0


def test_near_due_date_and_closes_when_the_birth_is_recorded(world):
    make_area(world)
    # HPL = HPHT + 280 days = 30 May 2026: within 14 days of 20 May
    near, preg = _pregnant(world.a1, hpht=date(2025, 8, 23))
    assert preg.due_date == date(2026, 5, 30)
    far, _ = _pregnant(world.a1, hpht=date(2025, 10, 1))  # HPL 7 Jul 2026
    followup_sync([world.a1.pk], ON, rules=["bumil_hpl"])
    (t,) = tasks(rule="bumil_hpl")
    assert t.person == near
    assert t.due_on == date(2026, 5, 23)  # a week before HPL
    assert "30-05-2026" in t.reason
    preg.outcome, preg.outcome_date = Pregnancy.Outcome.LIVE_BIRTH, date(2026, 5, 27)
    preg.save()
    assert followup_sync([world.a1.pk], date(2026, 5, 28), rules=["bumil_hpl"]).closed == 1
    assert far.followup_tasks.count() == 0


# --------------------------------------------------------------------------
# lansia, referrals


def test_lansia_with_positive_skilas_until_the_referral_is_followed_up(world):
    make_area(world)
    lansia = make_person(world.a1, sex="L", birth_date=date(1958, 1, 1), rt="001", rw="002")
    v = visit(lansia, date(2026, 5, 12))
    Screening.objects.create(
        visit=v, person=lansia, posyandu=world.a1, instrument="skilas", answers={}, score=1,
        outcome="perlu_rujuk", outcome_label="Perlu rujuk: penurunan kognitif", refer=True,
        details={"positive_domains": ["kognitif"]},
    )
    followup_sync([world.a1.pk], ON, rules=["lansia_skilas"])
    (t,) = tasks(rule="lansia_skilas")
    assert "penurunan kognitif" in t.reason and t.details["domains"] == ["kognitif"]
    referral = Referral.objects.create(person=lansia, visit=v, posyandu=world.a1,
                                       reason="SKILAS", status=Referral.Status.DIRUJUK)
    assert followup_sync([world.a1.pk], ON, rules=["lansia_skilas"]).closed == 0
    referral.status = Referral.Status.DITINDAKLANJUTI
    referral.save()
    assert followup_sync([world.a1.pk], ON, rules=["lansia_skilas"]).closed == 1


def test_adult_referred_for_high_blood_pressure_is_followed(world):
    make_area(world)
    adult = make_person(world.a1, sex="L", birth_date=date(1970, 1, 1), rt="001", rw="002")
    exam = _exam(adult, date(2026, 5, 12), systolic=165, diastolic=100, bp_class="tinggi")
    referral = Referral.objects.create(person=adult, visit=exam.visit, posyandu=world.a1,
                                       reason="TD tinggi", status=Referral.Status.DIRUJUK)
    sugar = make_person(world.a1, sex="P", birth_date=date(1965, 1, 1))
    Referral.objects.create(person=sugar, posyandu=world.a1, reason="Gula",
                            flags=["gula_tinggi"], status=Referral.Status.DITERIMA)
    other = make_person(world.a1, sex="P", birth_date=date(1965, 1, 1))
    Referral.objects.create(person=other, posyandu=world.a1, reason="Batuk lama",
                            flags=["puma_risiko"], status=Referral.Status.DIRUJUK)

    followup_sync([world.a1.pk], ON, rules=["rujukan_ptm"])
    by_person = {t.person_id: t for t in tasks(rule="rujukan_ptm")}
    assert set(by_person) == {adult.pk, sugar.pk}
    assert "tekanan darah tinggi" in by_person[adult.pk].reason
    assert "12-05-2026" in by_person[adult.pk].reason
    assert "gula darah tinggi" in by_person[sugar.pk].reason

    referral.status = Referral.Status.DITINDAKLANJUTI
    referral.save()
    assert followup_sync([world.a1.pk], ON, rules=["rujukan_ptm"]).closed == 1
    assert FollowUpTask.objects.get(person=adult).status == "done"


# --------------------------------------------------------------------------
# people who leave


def test_tasks_of_a_person_who_moved_away_close(world):
    make_area(world)
    day(world.a1, date(2026, 5, 12))
    kid = child(world.a1, on=ON, months=10)
    followup_sync([world.a1.pk], ON)
    assert FollowUpTask.objects.filter(person=kid, status="open").count() == 2  # + imunisasi
    kid.moved_on = date(2026, 5, 21)
    kid.save()
    assert followup_sync([world.a1.pk], date(2026, 5, 22)).closed == 2


def test_cancelled_or_done_tasks_are_not_recreated_for_the_same_period(world):
    from kader.services.tasks import task_cancel

    area = make_area(world)
    day(world.a1, date(2026, 5, 12))
    kid = child(world.a1, on=ON, months=30)
    followup_sync([world.a1.pk], ON)
    (t,) = tasks(person=kid)
    task_cancel(user=area.rina, task=t, reason="Keluarga sedang mudik")
    assert followup_sync([world.a1.pk], ON).created == 0
    # the next month's service day is a new period
    day(world.a1, date(2026, 6, 9))
    assert followup_sync([world.a1.pk], date(2026, 6, 12)).created == 1


def test_task_due_dates_use_today_in_the_run(world):
    """The nightly run works on each posyandu's local date."""
    from kader.services.tasks import followup_sync_all

    make_area(world)
    today = timezone.localdate()
    day(world.a1, today - timedelta(days=2))
    kid = child(world.a1, on=today, months=30)
    followup_sync_all(posyandu_ids=[world.a1.pk])
    assert FollowUpTask.objects.get(person=kid, rule="tidak_datang").due_on == today - timedelta(days=2) + timedelta(
        days=7)


# --------------------------------------------------------------------------
# set queries: the cost does not grow with the number of people


def _queries_for_a_run(world, n):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    FollowUpTask.objects.all().delete()
    for i in range(n):
        kid = child(world.a1, on=ON, months=3 + i % 20)
        _measure(kid, date(2026, 5, 12), weight_kg=Decimal("6"), age_months=3 + i % 20,
                 is_bgm=True)
    with CaptureQueriesContext(connection) as ctx:
        followup_sync([world.a1.pk], ON)
    return len(ctx.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_people(world):
    make_area(world)
    day(world.a1, date(2026, 5, 12))
    followup_sync([world.a1.pk], ON)  # the reference tables are read once, then cached
    few = _queries_for_a_run(world, 3)
    many = _queries_for_a_run(world, 30)
    assert FollowUpTask.objects.filter(rule="gizi").count() == 33
    assert many == few
