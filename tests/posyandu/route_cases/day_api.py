"""Scoping cases of the service-day API (ilp/api_urls_day.py)."""

from tests.posyandu.scoping_support import Route

CLIENT_ID = "5b0a4a52-0d5e-4a7c-9a54-2f0c1b8d9e31"


def _day(o):
    return {"uuid": o.day.uuid}


def _visit(o):
    return {"uuid": o.visit.uuid}


def _watch_day(o):
    return [o.day]


def _watch_visit(o):
    return [o.visit]


ROUTES: dict[str, Route] = {
    "api:ilp:service-day-detail": Route(_day),
    "api:ilp:service-day-queue": Route(_day),
    "api:ilp:service-day-open": Route(_day, ("POST",), lambda o: {}, _watch_day),
    "api:ilp:service-day-close": Route(_day, ("POST",), lambda o: {}, _watch_day),
    "api:ilp:service-day-reopen": Route(
        _day, ("POST",), lambda o: {"reason": "data kertas terlambat"}, _watch_day
    ),
    "api:ilp:visit-register": Route(
        _day, ("POST",), lambda o: {"person": str(o.mother.uuid), "client_id": CLIENT_ID},
        _watch_day,
    ),
    "api:ilp:visit-detail": Route(_visit),
    "api:ilp:visit-measurement": Route(
        _visit, ("PUT",),
        lambda o: {"weight_kg": "20,5", "length_cm": "118", "client_id": CLIENT_ID},
        _watch_visit,
    ),
    "api:ilp:visit-move": Route(_visit, ("POST",), lambda o: {"to": 9}, _watch_visit),
    "api:ilp:visit-trend-override": Route(
        _visit, ("POST",), lambda o: {"trend": "N", "reason": "garis naik"}, _watch_visit
    ),
    "api:ilp:visit-counselling": Route(
        _visit, ("POST",), lambda o: {"topics": ["phbs"]}, _watch_visit
    ),
}

LIST_ROUTES: dict[str, dict] = {
    "api:ilp:service-day-list": {"status": "open"},
    "api:ilp:bidan-queue": {},
}
