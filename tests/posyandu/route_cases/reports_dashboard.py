"""Scoping cases of the dashboards, the CSV/XLSX downloads and the reports API
(reports/urls_dashboard.py, reports/api_urls.py). Every case asks for posyandu
a1 (the secret person's posyandu): its own users get 200, everyone else 404.

The walker formats list-route parameters with ``str.format(mother=...,
household=...)``; ``A1`` is a small template object that turns the mother's
uuid into a1's id, so the query can name a1 without a fixed id."""

from ilp.models import Person
from tests.posyandu.scoping_support import Route

MONTH = "2026-08"


class A1:
    """A query value naming posyandu a1 by id (``{id}`` in the template)."""

    def __init__(self, template: str):
        self.template = template

    def format(self, *, mother, household, **_):
        return self.template.format(id=Person.objects.get(uuid=mother).posyandu_id)


def _export(fmt):
    return lambda o: {"kind": "skdn", "level": "posyandu", "area": o.person.posyandu_id,
                      "month": MONTH, "fmt": fmt}


ROUTES: dict[str, Route] = {
    "reports:export": Route(_export("xlsx")),
}

_AREA = {"area": A1("posyandu-{id}"), "month": MONTH}
_API_AREA = {"level": "posyandu", "area": A1("{id}"), "month": MONTH}

LIST_ROUTES: dict[str, dict] = {
    "reports:dashboard": _AREA,
    "reports:dashboard-followup": _AREA,
    "api:reports:areas": {},
    "api:reports:skdn-trend": _API_AREA,
    "api:reports:skdn": _API_AREA,
    "api:reports:sip": _API_AREA,
    "api:reports:ilp": _API_AREA,
}
