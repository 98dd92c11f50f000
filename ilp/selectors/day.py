"""Service-day selectors: the live queue and who did not come."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from ilp.lifecycle import birth_date_range
from ilp.models import Person, Pregnancy, ServiceDay, Step, Visit
from posyandu.reference import table


def service_days_for_user(*, user) -> QuerySet[ServiceDay]:
    return ServiceDay.objects.for_user(user).select_related("posyandu").order_by("-date")


def day_queue(*, user, day: ServiceDay) -> dict[int, list[Visit]]:
    """Visits of the day grouped by their current step, in arrival order."""
    visits = (
        Visit.objects.for_user(user)
        .filter(service_day=day)
        .select_related("person", "measurement")
        .order_by("created_at")
    )
    board: dict[int, list[Visit]] = {s.value: [] for s in Step if s != Step.REGISTER}
    for v in visits:
        board[v.step].append(v)
    return board


def bidan_queue(*, user, on) -> QuerySet[Visit]:
    """Step 4 across every posyandu the bidan covers, on one date."""
    return (
        Visit.objects.for_user(user, "service.bidan")
        .filter(date=on, step=Step.EXAMINE)
        .select_related("person", "posyandu", "measurement")
        .order_by("step_changed_at")
    )


def expected_sasaran(*, day: ServiceDay) -> QuerySet[Person]:
    """Who the posyandu expects on the day: balita living in the area and
    women with an ongoing pregnancy. (Callers already hold the day in scope.)"""
    balita = next(g for g in table("lifecycle_groups", day.date)["groups"] if g["code"] == "balita")
    earliest, latest = birth_date_range(balita, day.date)
    pregnant = Pregnancy.objects.filter(
        person=OuterRef("pk"), hpht__lte=day.date, outcome=Pregnancy.Outcome.ONGOING
    )
    return (
        Person.objects.filter(posyandu_id=day.posyandu_id)
        .living_in_area_on(day.date)
        .filter(Q(birth_date__gt=earliest, birth_date__lte=latest) | Exists(pregnant))
    )


def absentees(*, day: ServiceDay) -> QuerySet[Person]:
    """Expected sasaran with no visit that day (for home visits later)."""
    came = Visit.objects.filter(person=OuterRef("pk"), date=day.date)
    return expected_sasaran(day=day).filter(~Exists(came)).order_by("rw", "rt", "name")
