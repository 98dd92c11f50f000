"""Walk every URL pattern and API route as users of other posyandu and other
Puskesmas, and fail when any route returns or changes another scope's data.

Every route must appear in ROUTES (scoped), LIST_ROUTES (no object in the URL:
checked for leaks in the response) or PUBLIC; a new route that is in none of
them fails ``test_every_route_is_covered``.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ilp.models import Household, Measurement, Person, Pregnancy, ServiceDay, Visit
from tests.posyandu import route_cases
from tests.posyandu.scoping_support import SECRET_NAME, SECRET_NIK, Route, make_objects

BATCH_ROUTES = route_cases.collect_batch()

pytestmark = pytest.mark.django_db

def _visit(o):
    return {"uuid": o.visit.uuid}


def _pk(o):
    return {"uuid": o.person.uuid}


ROUTES: dict[str, Route] = {
    "ilp:person-detail": Route(_pk),
    "ilp:person-edit": Route(_pk, ("GET", "POST"), lambda o: {"name": "Diubah Orang Lain", "sex": "L", "birth_date": "2019-05-15"}),
    "ilp:person-merge": Route(_pk, ("GET", "POST"), lambda o: {"other": str(o.duplicate.uuid), "confirm": "on"}, lambda o: [o.person, o.duplicate]),
    "ilp:pregnancy-create": Route(lambda o: {"uuid": o.mother.uuid}, ("GET", "POST"), lambda o: {"hpht": "2026-09-01"}),
    "ilp:pregnancy-close": Route(lambda o: {"uuid": o.pregnancy.uuid}, ("GET", "POST"), lambda o: {"outcome": "keguguran", "outcome_date": "2026-07-01"}, lambda o: [o.pregnancy]),
    "ilp:household-detail": Route(lambda o: {"uuid": o.household.uuid}),
    "api:ilp:person-detail": Route(_pk, ("GET", "PATCH"), lambda o: {"name": "Diubah Lewat API"}),
    "api:ilp:person-merge": Route(_pk, ("POST",), lambda o: {"remove": str(o.duplicate.uuid)}, lambda o: [o.person, o.duplicate]),
    "api:ilp:pregnancy-create": Route(lambda o: {"uuid": o.mother.uuid}, ("POST",), lambda o: {"hpht": "2026-09-01"}),
    "api:ilp:household-detail": Route(lambda o: {"uuid": o.household.uuid}),
    "ilp:day-detail": Route(lambda o: {"uuid": o.day.uuid}),
    "ilp:day-register": Route(lambda o: {"uuid": o.day.uuid}, ("POST",), lambda o: {"person": str(o.mother.uuid), "client_id": str(o.day.uuid)}, lambda o: [o.day]),
    "ilp:day-action": Route(lambda o: {"uuid": o.day.uuid, "action": "tutup"}, ("POST",), lambda o: {}, lambda o: [o.day]),
    "ilp:visit-detail": Route(_visit),
    "ilp:visit-measure": Route(_visit, ("POST",), lambda o: {"weight_kg": "12,5", "length_cm": "90", "length_method": "standing"}, lambda o: [o.visit]),
    "ilp:visit-move": Route(_visit, ("POST",), lambda o: {"to": "9"}, lambda o: [o.visit]),
    "ilp:visit-override": Route(_visit, ("POST",), lambda o: {"trend": "N", "reason": "garis naik"}, lambda o: [o.visit]),
    "ilp:visit-counsel": Route(_visit, ("POST",), lambda o: {"topics": ["phbs"]}, lambda o: [o.visit]),
}

# Routes with no object in the URL: their responses must not show other scopes' data.
# Each may take query parameters that try to reach into another scope.
LIST_ROUTES: dict[str, dict] = {
    "home": {},
    "ilp:person-list": {"q": "Rahasiawati"},
    "ilp:person-create": {"ibu": "{mother}", "keluarga": "{household}"},
    "ilp:household-list": {"q": "Rahasia"},
    "ilp:household-create": {},
    "api:ilp:person-list": {"q": "Rahasiawati"},
    "api:ilp:person-duplicates": {"name": SECRET_NAME, "birth_date": "2019-05-15", "nik": SECRET_NIK},
    "api:ilp:household-list": {"no_kk": "3509"},
    "api:ilp:posyandu-list": {},
    "ilp:day-list": {},
    "ilp:bidan-queue": {},
}

PUBLIC = {"login", "logout", "api:schema", "api:token", "ilp:growth-calculator", "api:ilp:growth-assess"}
_routes, _lists, _public = route_cases.collect()
ROUTES.update(_routes)
LIST_ROUTES.update(_lists)
PUBLIC |= _public
ADMIN_PREFIX = "admin:"  # Django admin: staff only, tested in test_admin_is_staff_only


def all_route_names(resolver=None, prefix="") -> set[str]:
    names = set()
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names |= all_route_names(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
        elif isinstance(p, URLPattern):
            names.add(f"{prefix}<unnamed {p.pattern}>")
    return names


def test_every_route_is_covered():
    names = {n for n in all_route_names() if not n.startswith(ADMIN_PREFIX)}
    covered = set(ROUTES) | set(LIST_ROUTES) | set(BATCH_ROUTES) | PUBLIC
    assert names - covered == set(), "new routes need a scoping case in this file"
    assert covered - names == set(), "stale entries: these routes no longer exist"


# Users who must never see posyandu a1's data: another posyandu's kader, the
# staff of another Puskesmas, Dinkes of another kabupaten, and a user with no role.
def outsiders(w):
    from posyandu.models import Membership, Role
    from tests.factories import make_user

    dinkes_2 = make_user("dinkes_2", role=Role.DINKES, kabupaten=w.kab2)
    assert Membership.objects.filter(user=dinkes_2).exists()
    return {"kader_a2": w.kader_a2, "kader_b1": w.kader_b1, "staff_b": w.staff_b,
            "dinkes_2": dinkes_2, "outsider": w.outsider}


def _counts():
    return [m.objects.count() for m in (Person, Pregnancy, Household, Visit, Measurement, ServiceDay)]


def _snapshot(rows):
    out = []
    for row in rows:
        fresh = type(row).objects.filter(pk=row.pk).values().first()
        fresh and fresh.pop("updated_at", None)
        out.append(fresh)
    return out


def _request(client, method, url, data):
    if method == "GET":
        return client.get(url)
    if url.startswith("/api/"):
        return getattr(client, method.lower())(url, data, content_type="application/json")
    return client.post(url, data)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_object_routes_hide_other_scopes(world, client, name):
    objs = make_objects(world)
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(objs))
    counts = _counts()
    for label, user in outsiders(world).items():
        client.force_login(user)
        for method in route.methods:
            before = _snapshot(route.watch(objs))
            response = _request(client, method, url, route.post_data(objs))
            assert response.status_code in (403, 404), f"{label} {method} {name}: {response.status_code}"
            assert SECRET_NAME.encode() not in response.content
            assert _snapshot(route.watch(objs)) == before, f"{label} {method} {name} changed data"
    assert counts == _counts()


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_object_routes_serve_their_own_scope(world, client, name):
    """The same routes work for a user who does hold the scope, so the 404s
    above come from scoping, not from a broken route."""
    objs = make_objects(world)
    route = ROUTES[name]
    client.force_login(world.bidan_a)
    response = client.get(reverse(name, kwargs=route.kwargs(objs)))
    if "GET" in route.methods:
        assert response.status_code == 200
    else:
        assert response.status_code == 405  # POST-only API routes exist and answer


@pytest.mark.parametrize("name", sorted(LIST_ROUTES))
def test_list_routes_do_not_leak(world, client, name):
    objs = make_objects(world)
    params = {
        k: v.format(mother=objs.mother.uuid, household=objs.household.uuid)
        for k, v in LIST_ROUTES[name].items()
    }
    url = reverse(name)
    for label, user in outsiders(world).items():
        client.force_login(user)
        response = client.get(url, params)
        assert response.status_code in (200, 404), f"{label} {name}: {response.status_code}"
        body = response.content
        assert SECRET_NAME.encode() not in body, f"{label} sees a1's person on {name}"
        assert b"Kepala Rahasia" not in body, f"{label} sees a1's household on {name}"
        assert str(objs.person.uuid).encode() not in body
    # and the owner does see it where the route lists people
    client.force_login(world.kader_a1)
    response = client.get(url, params)
    assert response.status_code == 200
    if name in ("ilp:person-list", "api:ilp:person-list", "api:ilp:person-duplicates"):
        assert SECRET_NAME.encode() in response.content


def test_anonymous_users_are_sent_to_login(world, client):
    objs = make_objects(world)
    for name, route in ROUTES.items():
        url = reverse(name, kwargs=route.kwargs(objs))
        response = client.get(url)
        if name.startswith("api:"):
            assert response.status_code in (401, 403), name
        else:
            assert response.status_code == 302 and "/masuk/" in response["Location"], name
    for name in LIST_ROUTES:
        response = client.get(reverse(name))
        assert response.status_code in (302, 401, 403), name


@pytest.mark.parametrize("name", sorted(BATCH_ROUTES))
def test_batch_routes_hide_other_scopes(world, client, name):
    objs = make_objects(world)
    route = BATCH_ROUTES[name]
    counts = _counts()
    uuids = [str(o.uuid).encode() for o in route.watch(objs)]
    response = client.post(reverse(name), route.body(objs), content_type="application/json")
    assert response.status_code in (401, 403), f"anonymous {name}: {response.status_code}"
    for label, user in outsiders(world).items():
        client.force_login(user)
        before = _snapshot(route.watch(objs))
        response = client.post(reverse(name), route.body(objs), content_type="application/json")
        assert response.status_code in (200, 403, 404), f"{label} {name}: {response.status_code}"
        assert SECRET_NAME.encode() not in response.content
        assert not any(u in response.content for u in uuids), f"{label} {name} shows a1's ids"
        assert _snapshot(route.watch(objs)) == before, f"{label} {name} changed data"
    assert counts == _counts()
    # the owner's scope is served (so the refusals above come from scoping)
    client.force_login(world.bidan_a)
    response = client.post(reverse(name), route.body(objs), content_type="application/json")
    assert response.status_code == 200
    assert any(u in response.content for u in uuids)


def test_admin_is_staff_only(world, client):
    client.force_login(world.kader_a1)
    response = client.get(reverse("admin:ilp_person_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
