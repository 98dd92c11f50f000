"""Follow-up task services: concurrent runs never duplicate a task, saves in the
ilp services run the rules for the person (after commit), and a kader closes
a task by hand (cancelling needs a reason)."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from ilp.models import ServiceDay
from ilp.services.day import visit_register
from ilp.services.exam import immunisation_give
from ilp.services.measurements import measurement_record
from kader.models.tasks import FollowUpTask
from kader.services import tasks as services
from kader.services.tasks import followup_sync, task_cancel, task_complete
from tests.kader.followup_support import child, day, eager_celery, make_area  # noqa: F401

ON = date(2026, 5, 20)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_create_the_task_once(world, monkeypatch):
    make_area(world)
    day(world.a1, date(2026, 5, 12))
    kid = child(world.a1, on=ON, months=30)
    barrier = threading.Barrier(2, timeout=20)
    original = services._create

    def create_together(tasks):
        barrier.wait()  # both runs have found the candidate; now both insert
        return original(tasks)

    monkeypatch.setattr(services, "_create", create_together)
    results, errors = [], []

    def run():
        try:
            results.append(followup_sync([world.a1.pk], ON, rules=["tidak_datang"]))
        except Exception as exc:  # pragma: no cover - shown by the assert
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert sorted(r.created for r in results) == [0, 1]
    assert FollowUpTask.objects.filter(person=kid).count() == 1
    # one history row for the one insert
    assert FollowUpTask.history.filter(person_id=kid.pk).count() == 1


# --------------------------------------------------------------------------
# after each save


@pytest.mark.django_db
def test_a_bgm_weighing_creates_the_task_after_commit(world, eager_celery,  # noqa: F811
                                                      django_capture_on_commit_callbacks):
    area = make_area(world)
    today = timezone.localdate()
    d = ServiceDay.objects.create(posyandu=world.a1, date=today, status=ServiceDay.Status.OPEN)
    # a boy of 12 months: WHO BB/U -3 SD is about 6.9 kg, so 6,5 kg is BGM
    kid = child(world.a1, on=today, months=12, days_extra=1, sex="L")
    with django_capture_on_commit_callbacks(execute=True):
        v, _ = visit_register(user=area.rina, day=d, person=kid)
    assert not FollowUpTask.objects.filter(rule="gizi").exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        measurement_record(user=area.rina, visit=v, confirm_unusual=True,
                           data={"weight_kg": "6,5", "length_cm": "74", "length_method": "lying"})
    assert len(callbacks) >= 1
    t = FollowUpTask.objects.get(person=kid, rule="gizi")
    assert "BGM" in t.details["findings"] and t.assigned_to == area.rina
    assert t.status == "open"


@pytest.mark.django_db
def test_registering_the_absent_child_closes_the_task(world, eager_celery,  # noqa: F811
                                                       django_capture_on_commit_callbacks):
    area = make_area(world)
    today = timezone.localdate()
    held = today - timedelta(days=1)
    day(world.a1, held)
    kid = child(world.a1, on=today, months=30)
    followup_sync([world.a1.pk], today, rules=["tidak_datang"])
    (t,) = FollowUpTask.objects.filter(person=kid)
    extra = ServiceDay.objects.create(posyandu=world.a1, date=today,
                                      status=ServiceDay.Status.OPEN)
    with django_capture_on_commit_callbacks(execute=True):
        visit_register(user=area.rina, day=extra, person=kid)
    t.refresh_from_db()
    assert t.status == "done" and t.closed_automatically


@pytest.mark.django_db
def test_a_vaccine_given_closes_the_immunisation_task(world, eager_celery,  # noqa: F811
                                                       django_capture_on_commit_callbacks):
    make_area(world)
    today = timezone.localdate()
    kid = child(world.a1, on=today, months=2, days_extra=2)
    from ilp.models import Immunisation

    for code in ("HB0", "OPV1"):
        Immunisation.objects.create(person=kid, posyandu=world.a1, vaccine=code,
                                    given_on=kid.birth_date)
    followup_sync([world.a1.pk], today, rules=["imunisasi"])
    t = FollowUpTask.objects.get(person=kid)
    assert t.details["doses"] == ["BCG"]
    d = ServiceDay.objects.create(posyandu=world.a1, date=today, status=ServiceDay.Status.OPEN)
    v, _ = visit_register(user=world.bidan_a, day=d, person=kid)
    with django_capture_on_commit_callbacks(execute=True):
        immunisation_give(user=world.bidan_a, visit=v, vaccine="BCG")
    t.refresh_from_db()
    assert t.status == "done" and t.closed_automatically


@pytest.mark.django_db
def test_a_failing_rule_run_does_not_break_the_save(world, monkeypatch,
                                                     django_capture_on_commit_callbacks):
    from kader import tasks as celery_tasks

    make_area(world)

    def broken(*args, **kwargs):
        raise RuntimeError("broker down")

    monkeypatch.setattr(celery_tasks.followup_person, "delay", broken)
    kid = child(world.a1, on=timezone.localdate(), months=30)
    with django_capture_on_commit_callbacks(execute=True):
        kid.phone = "08123"
        kid.save()
    kid.refresh_from_db()
    assert kid.phone == "08123"


# --------------------------------------------------------------------------
# by hand


@pytest.fixture
def open_task(world):
    area = make_area(world)
    day(world.a1, date(2026, 5, 12))
    child(world.a1, on=ON, months=30)
    followup_sync([world.a1.pk], ON, rules=["tidak_datang"])
    return area, FollowUpTask.objects.get()


@pytest.mark.django_db
def test_cancel_needs_a_reason(open_task):
    area, t = open_task
    for reason in ("", "  ", "ok"):
        with pytest.raises(ValidationError) as exc:
            task_cancel(user=area.rina, task=t, reason=reason)
        assert "reason" in exc.value.message_dict
    t.refresh_from_db()
    assert t.status == "open"
    task_cancel(user=area.rina, task=t, reason="Pindah ke rumah neneknya di kota")
    t.refresh_from_db()
    assert t.status == "cancelled" and t.cancel_reason == "Pindah ke rumah neneknya di kota"
    assert t.cancelled_by == area.rina and t.cancelled_at is not None
    assert t.history.count() == 2  # created, cancelled
    assert t.history.first().history_user == area.rina


@pytest.mark.django_db
def test_the_database_refuses_a_cancel_without_reason(open_task):
    from django.db import IntegrityError, transaction

    _, t = open_task
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpTask.objects.filter(pk=t.pk).update(status="cancelled")


@pytest.mark.django_db
def test_complete_by_hand_and_not_twice(open_task):
    area, t = open_task
    task_complete(user=area.ketua, task=t, note="Sudah ditimbang di rumah tetangga")
    t.refresh_from_db()
    assert t.status == "done" and t.done_by == area.ketua and not t.closed_automatically
    with pytest.raises(ValidationError):
        task_complete(user=area.rina, task=t)
    with pytest.raises(ValidationError):
        task_cancel(user=area.rina, task=t, reason="Salah tekan")


@pytest.mark.django_db
def test_a_closed_task_is_not_reopened_by_the_rules(open_task):
    area, t = open_task
    task_complete(user=area.rina, task=t)
    result = followup_sync([t.posyandu_id], ON, rules=["tidak_datang"])
    assert (result.created, result.closed) == (0, 0)
    t.refresh_from_db()
    assert t.status == "done" and t.done_by == area.rina


@pytest.mark.django_db
def test_kader_of_another_posyandu_may_not_close(world, open_task):
    _, t = open_task
    with pytest.raises(PermissionDenied):
        task_complete(user=world.kader_a2, task=t)
    with pytest.raises(PermissionDenied):
        task_cancel(user=world.kader_b1, task=t, reason="Bukan urusan saya")
    # Dinkes sees but does not run the posyandu
    with pytest.raises(PermissionDenied):
        task_complete(user=world.dinkes_1, task=t)


@pytest.mark.django_db
def test_the_one_open_task_per_rule_constraint(open_task):
    from django.db import IntegrityError, transaction

    _, t = open_task
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpTask.objects.create(
            posyandu=t.posyandu, person=t.person, rule=t.rule, period="2026-06",
            reason="lagi", anchor_on=ON, due_on=ON)


def test_weight_decimal_helper():
    from kader.rules import decimal_id

    assert decimal_id(Decimal("10.50")) == "10,5"
    assert decimal_id(Decimal("22.0")) == "22"
