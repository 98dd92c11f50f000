"""Scoping cases of the offline-first API (ilp/api_urls_sync.py): the day kept
on the phone (an object route) and batch sync (a write route with no object in
the URL: every object is named in the body)."""

import uuid

from tests.posyandu.scoping_support import BatchRoute, Route


def _op(kind, payload):
    return {"client_id": str(uuid.uuid4()), "kind": kind,
            "taken_at": "2026-12-03T09:12:05+07:00", "payload": payload}


def _sync_body(o):
    """Every kind of operation, each aimed at posyandu a1's objects."""
    visit = str(o.visit.uuid)
    return {"operations": [
        _op("visit.register", {"day": str(o.day.uuid), "person": str(o.mother.uuid)}),
        _op("measurement.record", {"visit": visit, "values": {"weight_kg": "20,5"}}),
        _op("trend.override", {"visit": visit, "trend": "N", "reason": "garis naik"}),
        _op("counselling.record", {"visit": visit, "topics": ["phbs"]}),
        _op("person.register", {"name": "Anak Titipan", "sex": "L", "birth_date": "2025-01-02",
                                "mother": str(o.mother.uuid), "household": str(o.household.uuid),
                                "confirm_new": True}),
        _op("homevisit.record", {"person": str(o.person.uuid), "date": str(o.day.date),
                                 "values": {"weight_kg": "20,5"}}),
    ]}


ROUTES = {
    "api:ilp:service-day-offline": Route(lambda o: {"uuid": o.day.uuid}),
}

BATCH_ROUTES = {
    "api:ilp:sync": BatchRoute(
        _sync_body, lambda o: [o.day, o.visit, o.person, o.mother, o.household]
    ),
}
