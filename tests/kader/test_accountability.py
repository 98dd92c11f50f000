"""Accountability page: counts per kader and per posyandu against a hand-made
fixture; reports on time by the 5th of the next month; scoped per posyandu
and per Puskesmas."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ilp.models import Measurement, Referral, ServiceDay, Step, Visit
from kader.models.team import Assignment
from kader.selectors.accountability import (
    accountability,
    months_window,
    next_month,
    report_deadline,
    report_timeliness,
)
from tests.factories import make_person
from tests.kader.team_support import B, H, P, kader_of, make_team, verify

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- pure rules
@pytest.mark.parametrize("finished, today, expected", [
    (date(2026, 7, 5), date(2026, 8, 1), "tepat"),
    (date(2026, 7, 1), date(2026, 8, 1), "tepat"),
    (date(2026, 7, 6), date(2026, 8, 1), "terlambat"),
    (None, date(2026, 7, 5), "menunggu"),
    (None, date(2026, 7, 6), "belum"),
])
def test_report_timeliness_june(finished, today, expected):
    assert report_timeliness(date(2026, 6, 1), finished, today) == expected


def test_deadline_and_window_cross_the_year():
    assert report_deadline(date(2025, 12, 1)) == date(2026, 1, 5)
    assert next_month(date(2026, 1, 1)) == date(2026, 2, 1)
    assert months_window(date(2026, 2, 17), 4) == [
        date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]


# ---------------------------------------------------------------- counts
def _aware(d: date, hour=9):
    return timezone.make_aware(datetime.combine(d, time(hour)))


def _months_back(n):
    m = timezone.localdate().replace(day=1)
    for _ in range(n):
        m = (m - timedelta(days=1)).replace(day=1)
    return m


@pytest.fixture
def fixture(world):
    from kader.models.social import SocialReferral, SocialScreen
    from kader.models.tasks import FollowUpTask, HomeVisit
    from reports.models import Report

    t = make_team(world)
    today = timezone.localdate()
    m0, m1, m2, m3 = (_months_back(i) for i in range(4))
    child = make_person(world.a1, name="Anak Satu", birth_date=today - timedelta(days=500))
    other = make_person(world.a1, name="Anak Dua", birth_date=today - timedelta(days=700))

    def task(rule, person, user, status="open", due=today + timedelta(days=3), done=None):
        return FollowUpTask.objects.create(
            posyandu=world.a1, person=person, rule=rule, period=str(rule), reason="uji",
            anchor_on=today, due_on=due, assigned_to=user, status=status, done_at=done,
            cancel_reason="batal" if status == "cancelled" else "")

    task("r1", child, t.ani.user)                                          # open
    task("r2", child, t.ani.user, due=today - timedelta(days=1))           # open, overdue
    task("r3", child, t.ani.user, status="done", done=_aware(today))       # done in window
    task("r4", other, t.ani.user, status="done", done=_aware(_months_back(8)))  # done long ago
    task("r5", other, t.budi.user, status="cancelled")                     # neither
    task("r6", other, t.budi.user, status="done", done=_aware(m1))         # done in window

    # two home visits by ani in the window, one by the ketua 8 months ago
    for person, d, user in ((child, m0, t.ani.user), (other, m1, t.ani.user),
                            (child, _months_back(8), world.kader_a1)):
        v = Visit.objects.create(posyandu=world.a1, person=person, kind=Visit.Kind.HOME, date=d)
        HomeVisit.objects.create(visit=v, posyandu=world.a1, person=person, date=d, made_by=user)

    Assignment.objects.create(posyandu=world.a1, kind="pws", title="a", assignee=t.ani.user,
                              due_on=today)
    Assignment.objects.create(posyandu=world.a1, kind="pendataan", title="b", assignee=t.ani.user,
                              due_on=today, status="done", closed_at=timezone.now())

    Referral.objects.create(person=child, posyandu=world.a1, reason="BGM", made_by=t.ani.user)
    Referral.objects.create(person=other, posyandu=world.a1, reason="2T", made_by=world.bidan_a,
                            status="ditindaklanjuti")
    screen = SocialScreen.objects.create(
        person=child, posyandu=world.a1, screened_by=t.ani.user, date=today, reasons=["bgm"],
        dtsen="tidak", pkh="tidak", bpnt="tidak", jkn="tidak", refer=True)
    SocialReferral.objects.create(screen=screen, person=child, posyandu=world.a1,
                                  status="disetujui", made_by=t.budi.user)

    # data entered: a service day with a weighing in m1 and m3 (none in m2)
    for m in (m1, m3):
        day = ServiceDay.objects.create(posyandu=world.a1, date=m + timedelta(days=9),
                                        status=ServiceDay.Status.CLOSED)
        v = Visit.objects.create(posyandu=world.a1, person=child, service_day=day, date=day.date,
                                 step=Step.DONE)
        Measurement.objects.create(visit=v, posyandu=world.a1, person=child, measured_on=day.date,
                                   weight_kg=10)
    # reports: m1 on time (the 5th), m2 late (the 6th), m3 none
    for m, finished in ((m1, report_deadline(m1)), (m2, report_deadline(m2) + timedelta(days=1))):
        Report.objects.create(level="posyandu", posyandu=world.a1, month=m, kind="skdn",
                              status="ready", requested_at=_aware(finished, 8),
                              finished_at=_aware(finished, 10))
    # a report for another posyandu does not count for a1
    Report.objects.create(level="posyandu", posyandu=world.a2, month=m3, kind="skdn",
                          status="ready", requested_at=_aware(m2), finished_at=_aware(m2))
    verify(t.ani, P + B + H, world.bidan_a)
    return t, (m0, m1, m2, m3)


def test_counts_per_kader(world, fixture):
    t, _ = fixture
    data = accountability(posyandu_ids=[world.a1.pk], n_months=6)
    assert data.missing == []
    lines = {k.name: k for k in data.kader}
    ani, budi, ketua = lines["Ani Lestari"], lines["Budi Santoso"], lines["Sri Ketua"]
    assert (ani.tasks_open, ani.tasks_overdue, ani.tasks_done) == (2, 1, 1)
    assert (budi.tasks_open, budi.tasks_done) == (0, 1)
    assert (ani.home_visits, ketua.home_visits) == (2, 0)
    assert (ani.assignments_open, ani.assignments_done) == (1, 1)
    assert (ani.referrals, budi.referrals) == (1, 1)  # ani: health; budi: social
    assert (ani.skills, ani.level, budi.level) == (17, "Purwa", "Belum Purwa")
    assert data.totals["home_visits"] == 2


def test_counts_per_posyandu(world, fixture):
    t, (m0, m1, m2, m3) = fixture
    data = accountability(posyandu_ids=[world.a1.pk], n_months=6)
    (a1,) = data.posyandu
    assert a1.active_kader == 3
    assert a1.levels == {"Purwa": 1, "Madya": 0, "Utama": 0, "Belum Purwa": 2}
    assert a1.groups["bayi_balita"] == 1 and a1.groups["remaja"] == 0
    assert a1.health_referrals == {"dirujuk": 1, "ditindaklanjuti": 1}
    assert a1.social_referrals == {"disetujui": 1}
    cells = {c.month: c for c in a1.months}
    assert [c.month for c in a1.months][-1] == m0 and len(a1.months) == 6
    assert (cells[m1].entered, cells[m1].measurements, cells[m1].report) == (True, 1, "tepat")
    assert cells[m1].report_on == report_deadline(m1)
    assert (cells[m2].entered, cells[m2].report) == (False, "terlambat")
    # m3: one weighing at the posyandu, no report, deadline passed
    assert (cells[m3].entered, cells[m3].visits, cells[m3].report) == (True, 1, "belum")
    # m0: two home visits count as data entered; the report is not due yet
    assert (cells[m0].entered, cells[m0].visits, cells[m0].report) == (True, 1, "menunggu")
    # a deactivated kader leaves the active count and coverage
    t.ani.is_active = False
    t.ani.save()
    (a1,) = accountability(posyandu_ids=[world.a1.pk]).posyandu
    assert a1.active_kader == 2 and a1.groups["bayi_balita"] == 0


def test_page_per_posyandu_and_puskesmas(world, fixture, client_as):
    kader_of(world.a2, "kader_mawar")
    url = reverse("kader:accountability", kwargs={"level": "posyandu", "area_id": world.a1.pk})
    body = client_as(world.kader_a1).get(url).content.decode()
    assert "Ani Lestari" in body and "lapor tepat" in body and "lapor terlambat" in body
    assert "belum lapor" in body
    url = reverse("kader:accountability", kwargs={"level": "puskesmas", "area_id": world.pkm_a.pk})
    assert client_as(world.kader_a1).get(url).status_code == 404  # a1 only, not all of Puskesmas A
    assert client_as(world.staff_b).get(url).status_code == 404
    body = client_as(world.staff_a).get(url).content.decode()
    assert "Ani Lestari" in body and "Melati" in body and "Mawar" in body
    assert "Uji" in body  # kader_mawar's line
    body = client_as(world.bidan_a).get(reverse("kader:accountability-home")).content.decode()
    assert "Puskesmas Kencong" in body and "Posyandu Melati" in body
    bad = reverse("kader:accountability", kwargs={"level": "kabupaten", "area_id": world.kab1.pk})
    assert client_as(world.dinkes_1).get(bad).status_code == 404
