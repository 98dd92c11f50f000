"""seed_demo_social: the Puskesos demo login and referrals in every state,
once, on a generated demo area."""

from datetime import date

import pytest
from django.contrib.auth import authenticate

from kader.demo_social import seed_demo_social
from kader.models.social import SocialReferral, SocialScreen
from posyandu.demo.generator import generate_area
from posyandu.models import Membership, Posyandu, Role
from posyandu.scoping import posyandu_ids_for

pytestmark = pytest.mark.django_db


def test_demo_social_on_a_generated_area():
    generate_area(puskesmas=1, posyandu_per_puskesmas=1, people_per_posyandu=80, months=3,
                  seed=11, end=date(2026, 1, 1), friendly_usernames=True)
    login = seed_demo_social()
    first = Posyandu.objects.order_by("id").first()
    assert (login.username, login.role) == ("puskesos", "puskesos")
    user = authenticate(username="puskesos", password="posyandu123")
    assert user is not None
    m = Membership.objects.get(user=user)
    assert (m.role, m.desa_id, m.posyandu_id) == (Role.PUSKESOS, first.desa_id, None)
    assert posyandu_ids_for(user, "view") == frozenset()
    statuses = sorted(SocialReferral.objects.values_list("status", flat=True))
    assert statuses == ["diajukan", "diproses", "disetujui", "ditolak"]
    assert SocialScreen.objects.filter(refer=False).count() == 1
    approved = SocialReferral.objects.get(status="disetujui")
    assert approved.aid == ["pbi_jkn", "bpnt"] and approved.decided_by == user
    # idempotent
    counts = (SocialScreen.objects.count(), SocialReferral.objects.count())
    seed_demo_social()
    assert (SocialScreen.objects.count(), SocialReferral.objects.count()) == counts
    assert SocialReferral.objects.for_user(user, "social.handle").count() == 4
