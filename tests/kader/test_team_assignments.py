"""Assignments outside the service day (perencanaan, sosialisasi, pendataan &
pelaporan, PWS): created by a team manager, done by the assignee, cancelled
with a reason."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kader.models.team import Assignment
from posyandu.models import Role
from tests.factories import make_user
from tests.kader.team_support import make_team

pytestmark = pytest.mark.django_db


def _create(client, posyandu, assignee, follow=False, **extra):
    data = {"kind": "pendataan", "title": "Input data SIP bulan ini", "assignee": assignee.pk,
            "due_on": (timezone.localdate() + timedelta(days=5)).isoformat()} | extra
    return client.post(reverse("kader:assignment-create", kwargs={"posyandu_id": posyandu.pk}),
                       data, follow=follow)


def test_ketua_assigns_and_assignee_completes(world, client_as):
    t = make_team(world)
    assert _create(client_as(world.kader_a1), world.a1, t.ani.user).status_code == 302
    row = Assignment.objects.get()
    assert (row.kind, row.assignee, row.created_by, row.status) == (
        "pendataan", t.ani.user, world.kader_a1, "open")
    body = client_as(t.ani.user).get(reverse("kader:assignment-list") + "?saya=1").content.decode()
    assert "Input data SIP bulan ini" in body and ">Selesai</button>" in body
    # budi (a plain kader) may not close ani's task
    response = client_as(t.budi.user).post(reverse("kader:assignment-done", kwargs={"uuid": row.uuid}),
                                           follow=True)
    assert "yang dapat menyelesaikan tugas orang lain" in response.content.decode()
    row.refresh_from_db()
    assert row.status == "open"
    client_as(t.ani.user).post(reverse("kader:assignment-done", kwargs={"uuid": row.uuid}),
                               {"note": "sudah diinput"})
    row.refresh_from_db()
    assert (row.status, row.result_note, row.closed_by) == ("done", "sudah diinput", t.ani.user)
    # done twice: refused, nothing changes
    response = client_as(t.ani.user).post(reverse("kader:assignment-done", kwargs={"uuid": row.uuid}),
                                          follow=True)
    assert "Tugas ini sudah selesai." in response.content.decode()


def test_bidan_assigns_to_herself_and_to_kader_only_of_that_posyandu(world, client_as):
    t = make_team(world)
    client = client_as(world.bidan_a)
    assert _create(client, world.a1, world.bidan_a, kind="perencanaan").status_code == 302
    response = _create(client, world.a1, world.kader_a2)
    assert response.status_code == 422  # kader_a2 belongs to posyandu a2
    assert Assignment.objects.count() == 1
    response = _create(client, world.a1, t.ani.user, title="  ")
    assert response.status_code == 422


def test_plain_kader_may_not_assign(world, client_as):
    t = make_team(world)
    response = client_as(t.ani.user).get(
        reverse("kader:assignment-create", kwargs={"posyandu_id": world.a1.pk}), follow=True)
    assert ("Hanya bidan, petugas Puskesmas atau ketua kader posyandu ini yang dapat memberi "
            "penugasan.") in response.content.decode()
    _create(client_as(t.ani.user), world.a1, t.ani.user)
    assert not Assignment.objects.exists()


def test_other_posyandu_bidan_gets_404(world, client_as):
    t = make_team(world)
    bidan_b = make_user("bidan_b", role=Role.BIDAN, posyandu=world.b1)
    assert _create(client_as(bidan_b), world.a1, t.ani.user).status_code == 404
    _create(client_as(world.bidan_a), world.a1, t.ani.user)
    row = Assignment.objects.get()
    for name in ("kader:assignment-done", "kader:assignment-cancel"):
        assert client_as(bidan_b).post(reverse(name, kwargs={"uuid": row.uuid}),
                                       {"reason": "x y z"}).status_code == 404
    row.refresh_from_db()
    assert row.status == "open"
    assert "Input data SIP" not in client_as(bidan_b).get(reverse("kader:assignment-list")).content.decode()


def test_cancel_needs_a_reason_and_a_manager(world, client_as):
    t = make_team(world)
    _create(client_as(world.kader_a1), world.a1, t.ani.user)
    row = Assignment.objects.get()
    url = reverse("kader:assignment-cancel", kwargs={"uuid": row.uuid})
    response = client_as(t.ani.user).post(url, {"reason": "tidak sempat"}, follow=True)
    assert "yang dapat membatalkan penugasan" in response.content.decode()
    response = client_as(world.kader_a1).post(url, {"reason": ""}, follow=True)
    assert "Tuliskan alasan pembatalan." in response.content.decode()
    row.refresh_from_db()
    assert row.status == "open"
    client_as(world.kader_a1).post(url, {"reason": "Digabung dengan rapat desa"})
    row.refresh_from_db()
    assert (row.status, row.cancel_reason) == ("cancelled", "Digabung dengan rapat desa")
    body = client_as(world.kader_a1).get(reverse("kader:assignment-list") + "?status=cancelled").content.decode()
    assert "Digabung dengan rapat desa" in body


def test_overdue_is_marked(world, client_as):
    t = make_team(world)
    _create(client_as(world.kader_a1), world.a1, t.ani.user,
            due_on=(timezone.localdate() - timedelta(days=1)).isoformat())
    body = client_as(t.ani.user).get(reverse("kader:assignment-list")).content.decode()
    assert "lewat batas" in body
