"""The scoping entry point itself: who sees which posyandu."""

import pytest
from django.http import Http404

from ilp.models import Person
from posyandu.models import Membership, Posyandu, Role
from posyandu.scoping import forget_scope, get_for_user_or_404, posyandu_ids_for
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def ids(*posyandu):
    return frozenset(p.id for p in posyandu)


def test_each_role_sees_exactly_its_scope(world):
    w = world
    assert posyandu_ids_for(w.kader_a1) == ids(w.a1)
    assert posyandu_ids_for(w.bidan_a) == ids(w.a1, w.a2)
    assert posyandu_ids_for(w.staff_a) == ids(w.a1, w.a2)
    assert posyandu_ids_for(w.staff_b) == ids(w.b1)
    assert posyandu_ids_for(w.dinkes_1) == ids(w.a1, w.a2, w.b1)
    assert posyandu_ids_for(w.admin) == ids(w.a1, w.a2, w.b1, w.c1)


def test_fail_closed_for_nobody(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert posyandu_ids_for(world.outsider) == frozenset()
    assert posyandu_ids_for(AnonymousUser()) == frozenset()
    assert posyandu_ids_for(None) == frozenset()
    make_person(world.a1)
    assert Person.objects.for_user(world.outsider).count() == 0


def test_inactive_membership_and_user_grant_nothing(world):
    Membership.objects.filter(user=world.kader_a1).update(is_active=False)
    forget_scope(world.kader_a1)
    assert posyandu_ids_for(world.kader_a1) == frozenset()
    world.kader_b1.is_active = False
    assert posyandu_ids_for(world.kader_b1) == frozenset()


def test_permissions_follow_roles(world):
    assert posyandu_ids_for(world.dinkes_1, "registry.edit") == frozenset()
    assert posyandu_ids_for(world.kader_a1, "service.bidan") == frozenset()
    assert posyandu_ids_for(world.bidan_a, "service.bidan") == ids(world.a1, world.a2)
    with pytest.raises(ValueError):
        posyandu_ids_for(world.admin, "no.such.permission")


def test_get_for_user_or_404_hides_other_scopes(world):
    p = make_person(world.a1)
    assert get_for_user_or_404(Person, world.kader_a1, uuid=p.uuid) == p
    for user in (world.kader_b1, world.staff_b, world.outsider):
        with pytest.raises(Http404):
            get_for_user_or_404(Person, user, uuid=p.uuid)
    with pytest.raises(Http404):
        get_for_user_or_404(Person, world.kader_a1, uuid="not-a-uuid")


def test_membership_scope_must_match_role(world):
    from django.core.exceptions import ValidationError

    m = Membership(user=world.outsider, role=Role.KADER, puskesmas=world.pkm_a)
    with pytest.raises(ValidationError):
        m.full_clean()
    second = Membership(user=world.kader_a1, role=Role.KADER, posyandu=world.a2)
    with pytest.raises(ValidationError):
        second.full_clean()


def test_model_without_scope_path_refuses(world):
    from posyandu.models import Kabupaten
    from posyandu.scoping import ScopedQuerySet

    qs = ScopedQuerySet(model=Kabupaten)
    with pytest.raises(TypeError):
        qs.for_user(world.admin)
    assert Posyandu.objects.for_user(world.kader_b1).get() == world.b1
