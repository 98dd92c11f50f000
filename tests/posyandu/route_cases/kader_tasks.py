"""Scoping cases of the follow-up routes (kader/urls_tasks.py, kader/api_tasks.py):
tasks, home visits, reminders. Rows a route reads or changes are made inside
the kwargs lambdas (get_or_create) and watched; watching the person's tasks and
home visits also catches a row created by an outsider."""

from datetime import timedelta

from ilp.models import Step, Visit
from kader.models.tasks import FollowUpTask, HomeVisit
from tests.posyandu.scoping_support import Route


def _task(o):
    task, _ = FollowUpTask.objects.get_or_create(
        rule="tidak_datang", person=o.person, period="2026-05",
        defaults={"posyandu": o.person.posyandu, "reason": "Tidak datang ke hari buka",
                  "anchor_on": o.day.date, "due_on": o.day.date},
    )
    return task


def _home(o):
    on = o.day.date - timedelta(days=3)
    visit, _ = Visit.objects.get_or_create(
        person=o.person, date=on,
        defaults={"posyandu": o.person.posyandu, "kind": Visit.Kind.HOME, "step": Step.DONE},
    )
    home, _ = HomeVisit.objects.get_or_create(
        visit=visit, defaults={"posyandu": o.person.posyandu, "person": o.person, "date": on,
                               "notes": "Catatan rahasia", "task": _task(o)},
    )
    return home


def _rows(o):
    return [*FollowUpTask.objects.filter(person=o.person).order_by("pk"),
            *HomeVisit.objects.filter(person=o.person).order_by("pk")]


def _task_kwargs(o):
    return {"uuid": _task(o).uuid}


def _person_with_task(o):
    _task(o)  # made before the watched rows are read
    return {"uuid": o.person.uuid}


HOME_POST = {"date": "", "found": "ya", "weight_kg": "12,5", "notes": "dari luar",
             "client_id": "5a0c5f3e-3c55-4a55-9a55-0d5a5a5a5a09"}

ROUTES: dict[str, Route] = {
    "kader:followup-detail": Route(_task_kwargs),
    "kader:followup-complete": Route(_task_kwargs, ("POST",), lambda o: {"note": "x"},
                                     lambda o: [_task(o)]),
    "kader:followup-cancel": Route(_task_kwargs, ("GET", "POST"),
                                   lambda o: {"reason": "dibatalkan orang lain"},
                                   lambda o: [_task(o)]),
    "kader:home-visit-create": Route(
        _person_with_task, ("GET", "POST"),
        lambda o: {**HOME_POST, "date": o.day.date.isoformat(), "tugas": str(_task(o).uuid)},
        lambda o: [o.person, *_rows(o)],
    ),
    "kader:home-visit-detail": Route(lambda o: {"uuid": _home(o).uuid}),
    "kader:reminder-day": Route(lambda o: {"uuid": o.day.uuid}),
    "api:kader:followup-detail": Route(_task_kwargs),
    "api:kader:followup-complete": Route(_task_kwargs, ("POST",), lambda o: {"note": "x"},
                                         lambda o: [_task(o)]),
    "api:kader:followup-cancel": Route(_task_kwargs, ("POST",),
                                       lambda o: {"reason": "dibatalkan orang lain"},
                                       lambda o: [_task(o)]),
    "api:kader:home-visit-detail": Route(lambda o: {"uuid": _home(o).uuid}),
}

LIST_ROUTES: dict[str, dict] = {
    "kader:followup-mine": {},
    "kader:followup-list": {"status": "semua", "kader": "none"},
    "kader:home-visit-list": {},
    "kader:reminder-list": {},
    "api:kader:followup-list": {"status": "open"},
    "api:kader:home-visit-list": {},
}
