"""Shared set-up of the follow-up task, home visit and reminder tests (H5):
posyandu a1 with a ketua (kader_a1) and a kader ("rina") who monitors
RT 001/RW 002."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from ilp.lifecycle import months_before
from ilp.models import Person, ServiceDay, Step, Visit
from kader.models.team import KaderProfile
from posyandu.models import Role, RtRw
from posyandu.reference import clear_cache, sync_shipped_tables
from tests.factories import make_person, make_user


@dataclass
class Area:
    ketua: object  # user (kader_a1)
    rina: object  # user: kader of RT 001/RW 002 at a1


def make_area(w) -> Area:
    sync_shipped_tables()
    clear_cache()
    rina = make_user("rina", role=Role.KADER, posyandu=w.a1)
    KaderProfile.objects.create(user=w.kader_a1, posyandu=w.a1, position="ketua")
    profile = KaderProfile.objects.create(user=rina, posyandu=w.a1)
    profile.areas.add(RtRw.objects.create(posyandu=w.a1, rw="002", rt="001"))
    return Area(ketua=w.kader_a1, rina=rina)


def child(posyandu, *, on: date, months: int, days_extra: int = 3, rt="001", rw="002",
          **fields) -> Person:
    """A child with ``months`` completed months on ``on``."""
    birth = months_before(on, months)
    birth = birth.fromordinal(birth.toordinal() - days_extra)
    return make_person(posyandu, birth_date=birth, rt=rt, rw=rw, **fields)


def day(posyandu, on: date, status=ServiceDay.Status.CLOSED) -> ServiceDay:
    return ServiceDay.objects.create(posyandu=posyandu, date=on, status=status)


def visit(person, on: date, service_day=None, kind=None) -> Visit:
    kind = kind or (Visit.Kind.POSYANDU if service_day else Visit.Kind.HOME)
    return Visit.objects.create(posyandu=person.posyandu, person=person, date=on,
                                service_day=service_day, kind=kind, step=Step.DONE)


@pytest.fixture
def eager_celery():
    """Celery tasks run in-process (the tests set a broker URL)."""
    from posyandu.celery import app

    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before
