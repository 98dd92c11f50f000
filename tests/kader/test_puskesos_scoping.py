"""A Puskesos officer sees only the social referrals of their desa: every
other route of the app (health records, person lists, service days,
measurements, reports, team pages) answers 404/403 or a redirect, and never
shows a person of posyandu a1 — even though a1 is in the officer's desa."""

import pytest
from django.urls import reverse

from kader.services import social as svc
from posyandu.scoping import posyandu_ids_for
from tests.kader.social_support import UNPROTECTED
from tests.posyandu import test_route_scoping as walker
from tests.posyandu.scoping_support import SECRET_NAME, make_objects

pytestmark = pytest.mark.django_db

# The only routes a Puskesos officer may use.
SOCIAL_ROUTES = {
    "kader:social-referral-list", "kader:social-referral-detail",
    "kader:social-referral-status", "api:kader:social-referral-list",
    "api:kader:social-referral-detail", "api:kader:social-referral-status",
}


def test_role_scope_is_the_desa(world):
    a = frozenset({world.a1.id, world.a2.id})
    assert posyandu_ids_for(world.puskesos_a, "social.view") == a
    assert posyandu_ids_for(world.puskesos_a, "social.handle") == a
    assert posyandu_ids_for(world.puskesos_b, "social.handle") == frozenset({world.b1.id})
    for perm in ("view", "registry.edit", "service.kader", "service.bidan", "reports",
                 "social.refer", "referral.handle", "team.manage"):
        assert posyandu_ids_for(world.puskesos_a, perm) == frozenset(), perm
    # nobody else handles social referrals (admin aside)
    for user in (world.kader_a1, world.bidan_a, world.staff_a, world.dinkes_1):
        assert posyandu_ids_for(user, "social.handle") == frozenset()


def test_membership_needs_exactly_a_desa(world):
    from django.core.exceptions import ValidationError

    from posyandu.models import Membership, Role

    desa = world.a1.desa
    for scope in ({}, {"posyandu": world.a1}, {"puskesmas": world.pkm_a},
                  {"desa": desa, "posyandu": world.a1}):
        with pytest.raises(ValidationError):
            Membership(user=world.outsider, role=Role.PUSKESOS, **scope).full_clean()
    with pytest.raises(ValidationError):  # and no other role may carry a desa
        Membership(user=world.outsider, role=Role.KADER, posyandu=world.a1,
                   desa=desa).full_clean()
    Membership(user=world.outsider, role=Role.PUSKESOS, desa=desa).full_clean()


@pytest.mark.parametrize("name", sorted(set(walker.ROUTES) - SOCIAL_ROUTES))
def test_object_routes_are_closed_to_puskesos(world, client, name):
    objs = make_objects(world)
    route = walker.ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(objs))
    client.force_login(world.puskesos_a)
    for method in route.methods:
        before = walker._snapshot(route.watch(objs))
        response = walker._request(client, method, url, route.post_data(objs))
        assert response.status_code in (403, 404), f"{method} {name}: {response.status_code}"
        assert SECRET_NAME.encode() not in response.content
        assert walker._snapshot(route.watch(objs)) == before, f"{method} {name} changed data"


@pytest.mark.parametrize("name", sorted(set(walker.LIST_ROUTES) - SOCIAL_ROUTES))
def test_list_routes_show_puskesos_nothing(world, client, name):
    objs = make_objects(world)
    client.force_login(world.puskesos_a)
    response = client.get(reverse(name), {
        k: v.format(mother=objs.mother.uuid, household=objs.household.uuid)
        for k, v in walker.LIST_ROUTES[name].items()
    })
    assert response.status_code in (200, 302, 403, 404), f"{name}: {response.status_code}"
    assert SECRET_NAME.encode() not in response.content
    assert b"Kepala Rahasia" not in response.content
    assert str(objs.person.uuid).encode() not in response.content


def test_person_and_health_lists_are_empty_or_closed(world, client):
    """The person list, households, service days, bidan queue and health
    referrals hold no row for the officer (the scoping entry point returns
    nothing for a role without "view")."""
    objs = make_objects(world)
    client.force_login(world.puskesos_a)
    for name in ("ilp:person-list", "ilp:household-list", "ilp:day-list", "ilp:bidan-queue",
                 "ilp:referral-list", "api:ilp:person-list", "api:ilp:household-list"):
        response = client.get(reverse(name))
        assert response.status_code in (200, 302, 403, 404), name
        assert SECRET_NAME.encode() not in response.content, name
        assert b"Kepala Rahasia" not in response.content, name
    response = client.get(reverse("api:ilp:person-list"))
    assert response.json()["count"] == 0
    # registering a person is refused: there is no posyandu to register into
    from ilp.models import Person

    before = Person.objects.count()
    client.post(reverse("ilp:person-create"), {"posyandu": world.a1.pk, "name": "Coba Puskesos",
                                               "sex": "L", "birth_date": "2020-01-01"})
    response = client.post(reverse("api:ilp:person-list"), {
        "posyandu": str(world.a1.uuid), "name": "Coba Puskesos", "sex": "L",
        "birth_date": "2020-01-01"}, content_type="application/json")
    assert response.status_code in (400, 403)
    assert Person.objects.count() == before
    # while the social referral of the same child is theirs to handle
    screen, _ = svc.screen_create(user=world.kader_a1, person=objs.person, reasons=["bgm"],
                                  answers=UNPROTECTED)
    referral, _ = svc.referral_create(user=world.kader_a1, screen=screen)
    response = client.get(reverse("kader:social-referral-detail", args=[referral.uuid]))
    assert response.status_code == 200 and SECRET_NAME.encode() in response.content
