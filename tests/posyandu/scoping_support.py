"""Shared pieces of the route-scoping walker: the objects of posyandu a1 that
every route is tried against, and the Route case type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from ilp.models import Household, Person, Pregnancy, ServiceDay, Step, Visit
from tests.factories import make_household, make_person

SECRET_NAME = "Rahasiawati Tetangga"  # lives in posyandu a1 only
SECRET_NIK = "3509015505190003"


@dataclass
class Objects:
    person: Person
    mother: Person
    household: Household
    pregnancy: Pregnancy
    duplicate: Person
    day: ServiceDay
    visit: Visit


def make_objects(w) -> Objects:
    household = make_household(w.a1, kepala_keluarga="Kepala Rahasia", no_kk="3509010101010001")
    mother = make_person(w.a1, name="Ibu Rahasia", sex="P", birth_date=date(1995, 3, 3), household=household)
    person = make_person(
        w.a1, name=SECRET_NAME, sex="P", nik=SECRET_NIK,
        birth_date=date(2019, 5, 15), household=household, mother=mother,
    )
    duplicate = make_person(w.a1, name=SECRET_NAME, sex="P", birth_date=person.birth_date, mother=mother)
    pregnancy = Pregnancy.objects.create(
        person=mother, hpht=date(2026, 5, 1),
        due_date=date(2027, 2, 5),
    )
    today = timezone.localdate()
    day = ServiceDay.objects.create(posyandu=w.a1, date=today, status=ServiceDay.Status.OPEN)
    visit = Visit.objects.create(posyandu=w.a1, person=person, service_day=day, date=today,
                                 step=Step.COUNSEL)
    return Objects(person, mother, household, pregnancy, duplicate, day, visit)


@dataclass
class Route:
    kwargs: Callable[[Objects], dict]
    methods: tuple[str, ...] = ("GET",)
    post_data: Callable[[Objects], dict] = lambda o: {}
    # The rows a write to this route could change; compared before and after.
    watch: Callable[[Objects], list] = field(default=lambda o: [o.person, o.mother, o.household])


@dataclass
class BatchRoute:
    """A POST route with no object in the URL whose body names objects (batch
    sync): outsiders may get 200 with per-item refusals, but nothing of a1 may
    show or change."""

    body: Callable[[Objects], dict]
    watch: Callable[[Objects], list]
