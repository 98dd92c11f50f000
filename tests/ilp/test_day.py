import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ilp.models import Pregnancy, ServiceDay, Step, Visit
from ilp.selectors.day import absentees, day_queue
from ilp.services import day as svc
from tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def open_day(world, today):
    day = svc.service_day_schedule(user=world.kader_a1, posyandu=world.a1, on=today, place="Balai RW 01")
    return svc.service_day_open(user=world.kader_a1, day=day)


def test_schedule_open_close_and_only_a_bidan_reopens(world, today, open_day):
    with pytest.raises(ValidationError, match="Sudah ada hari buka"):
        svc.service_day_schedule(user=world.kader_a1, posyandu=world.a1, on=today)
    future = svc.service_day_schedule(user=world.kader_a1, posyandu=world.a1, on=today + timedelta(days=3))
    with pytest.raises(ValidationError, match="sebelum tanggalnya"):
        svc.service_day_open(user=world.kader_a1, day=future)
    closed = svc.service_day_close(user=world.kader_a1, day=open_day)
    assert closed.status == ServiceDay.Status.CLOSED
    with pytest.raises(ValidationError, match="sudah ditutup"):
        svc.service_day_open(user=world.kader_a1, day=closed)
    with pytest.raises(PermissionDenied):
        svc.service_day_reopen(user=world.kader_a1, day=closed, reason="data terlambat")
    with pytest.raises(ValidationError):
        svc.service_day_reopen(user=world.bidan_a, day=closed, reason="")
    reopened = svc.service_day_reopen(user=world.bidan_a, day=closed, reason="Data kertas terlambat")
    assert reopened.status == ServiceDay.Status.OPEN
    assert reopened.history.first().history_change_reason == "Data kertas terlambat"
    assert reopened.history.first().history_user == world.bidan_a


def test_other_posyandu_cannot_run_the_day(world, open_day):
    child = make_person(world.a1)
    for user in (world.kader_b1, world.staff_a, world.dinkes_1):
        with pytest.raises(PermissionDenied):
            svc.visit_register(user=user, day=open_day, person=child)


def test_register_is_idempotent_on_double_tap_and_same_person(world, open_day):
    child = make_person(world.a1)
    cid = uuid.uuid4()
    v1, created1 = svc.visit_register(user=world.kader_a1, day=open_day, person=child, client_id=cid)
    v2, created2 = svc.visit_register(user=world.kader_a1, day=open_day, person=child, client_id=cid)
    v3, created3 = svc.visit_register(user=world.kader_a1, day=open_day, person=child,
                                      client_id=uuid.uuid4())
    assert (created1, created2, created3) == (True, False, False)
    assert v1 == v2 == v3 and Visit.objects.count() == 1
    assert v1.step == Step.MEASURE


def test_a_client_id_cannot_be_reused_for_someone_else(world, open_day):
    a, b = make_person(world.a1), make_person(world.a1)
    cid = uuid.uuid4()
    svc.visit_register(user=world.kader_a1, day=open_day, person=a, client_id=cid)
    with pytest.raises(ValidationError, match="sudah dipakai"):
        svc.visit_register(user=world.kader_a1, day=open_day, person=b, client_id=cid)


def test_closed_or_planned_day_refuses_registration(world, today):
    day = svc.service_day_schedule(user=world.kader_a1, posyandu=world.a1, on=today)
    with pytest.raises(ValidationError, match="belum dibuka"):
        svc.visit_register(user=world.kader_a1, day=day, person=make_person(world.a1))


def test_moved_or_dead_person_is_refused(world, open_day, today):
    moved = make_person(world.a1, moved_on=today - timedelta(days=10))
    with pytest.raises(ValidationError, match="pindah atau meninggal"):
        svc.visit_register(user=world.kader_a1, day=open_day, person=moved)


def test_steps_need_the_right_role(world, open_day):
    visit, _ = svc.visit_register(user=world.kader_a1, day=open_day, person=make_person(world.a1))
    svc.visit_move(user=world.kader_a1, visit=visit, to=Step.RECORD)
    svc.visit_move(user=world.kader_a1, visit=visit, to=Step.EXAMINE)
    with pytest.raises(PermissionDenied):  # step 4 is the bidan's
        svc.visit_move(user=world.kader_a1, visit=visit, to=Step.COUNSEL)
    svc.visit_move(user=world.bidan_a, visit=visit, to=Step.COUNSEL)
    with pytest.raises(ValidationError):
        svc.counselling_record(user=world.kader_a1, visit=visit, topics=["tidak_ada"])
    svc.counselling_record(user=world.kader_a1, visit=visit, topics=["gizi_balita", "phbs"])
    visit.refresh_from_db()
    assert visit.step == Step.DONE and visit.counselling.topics == ["gizi_balita", "phbs"]


def test_queue_groups_by_step_and_closing_lists_who_did_not_come(world, open_day, today):
    came = make_person(world.a1, name="Datang", birth_date=today - timedelta(days=400))
    make_person(world.a1, name="Tidak Datang", birth_date=today - timedelta(days=300))
    mother = make_person(world.a1, name="Bumil", sex="P", birth_date=date(1996, 1, 1))
    Pregnancy.objects.create(person=mother, hpht=today - timedelta(days=100),
                             due_date=today + timedelta(days=180))
    make_person(world.a1, name="Dewasa", birth_date=date(1980, 1, 1))  # not expected
    make_person(world.a1, name="Pindah", birth_date=today - timedelta(days=500),
                moved_on=today - timedelta(days=5))
    make_person(world.b1, name="Tetangga", birth_date=today - timedelta(days=300))
    visit, _ = svc.visit_register(user=world.kader_a1, day=open_day, person=came)
    board = day_queue(user=world.kader_a1, day=open_day)
    assert board[Step.MEASURE] == [visit]
    assert day_queue(user=world.kader_b1, day=open_day)[Step.MEASURE] == []  # scoped
    svc.service_day_close(user=world.kader_a1, day=open_day)
    assert sorted(p.name for p in absentees(day=open_day)) == ["Bumil", "Tidak Datang"]
