"""Follow-up pages and API: "Tugas saya" shows the kader's own open tasks by
due date with the three actions; the posyandu list filters by kader and
status; done and cancel (with a reason) from the page and the API; other
posyandu get 404 and see nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kader.models.tasks import FollowUpTask
from kader.services.tasks import followup_sync
from tests.kader.followup_support import child, day, make_area

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(world):
    """Three absent children: two in Rina's RT (one due yesterday), one in RT 009
    (the ketua's), and one at posyandu a2 with nobody responsible."""
    area = make_area(world)
    today = timezone.localdate()
    held = today - timedelta(days=1)
    day(world.a1, held)
    day(world.a2, held)
    sari = child(world.a1, on=today, months=30, name="Sari Rahayu")
    budi = child(world.a1, on=today, months=40, name="Budi Utomo")
    tono = child(world.a1, on=today, months=30, rt="009", name="Tono Wijaya")
    lain = child(world.a2, on=today, months=30, name="Anak Mawar")
    followup_sync([world.a1.pk, world.a2.pk], today, rules=["tidak_datang"])
    late = FollowUpTask.objects.get(person=budi)
    late.due_on = today - timedelta(days=1)
    late.save()
    return area, today, {"sari": sari, "budi": budi, "tono": tono, "lain": lain}


def test_tugas_saya_lists_the_kaders_open_tasks_by_due_date(world, tasks, client_as):
    area, today, people = tasks
    page = client_as(area.rina).get(reverse("kader:followup-mine"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Sari Rahayu" in body and "Budi Utomo" in body
    assert "Tono Wijaya" not in body and "Anak Mawar" not in body
    assert body.index("Terlambat") < body.index("Budi Utomo") < body.index("Sari Rahayu")
    assert "RT 001/RW 002" in body
    assert "Catat kunjungan rumah" in body and "Selesai" in body and "Batalkan" in body
    task = FollowUpTask.objects.get(person=people["sari"])
    assert f"?tugas={task.uuid}" in body


def test_the_ketua_sees_her_tasks_and_the_unassigned_ones_of_her_posyandu(world, tasks,
                                                                          client_as):
    area, _, people = tasks
    body = client_as(area.ketua).get(reverse("kader:followup-mine")).content.decode()
    assert "Tono Wijaya" in body  # RT 009 is nobody's: the ketua's
    assert "Sari Rahayu" not in body
    # a2 has no kader profiles: its task is unassigned, shown to the bidan
    bidan = client_as(world.bidan_a).get(reverse("kader:followup-mine")).content.decode()
    assert "Belum ada penanggung jawab" in bidan and "Anak Mawar" in bidan


def test_posyandu_list_filters(world, tasks, client_as):
    area, _, people = tasks
    c = client_as(world.bidan_a)
    url = reverse("kader:followup-list")
    body = c.get(url).content.decode()
    for name in ("Sari Rahayu", "Budi Utomo", "Tono Wijaya", "Anak Mawar"):
        assert name in body
    only_rina = c.get(url, {"kader": str(area.rina.pk)}).content.decode()
    assert "Sari Rahayu" in only_rina and "Tono Wijaya" not in only_rina
    nobody = c.get(url, {"kader": "none"}).content.decode()
    assert "Anak Mawar" in nobody and "Sari Rahayu" not in nobody
    done = c.get(url, {"status": "done"}).content.decode()
    assert "Sari Rahayu" not in done
    # another posyandu's kader sees none of them
    other = client_as(world.kader_b1).get(url, {"status": "semua"}).content.decode()
    assert "Sari Rahayu" not in other and "Anak Mawar" not in other


def test_done_and_cancel_from_the_page(world, tasks, client_as):
    area, _, people = tasks
    c = client_as(area.rina)
    sari = FollowUpTask.objects.get(person=people["sari"])
    budi = FollowUpTask.objects.get(person=people["budi"])
    r = c.post(reverse("kader:followup-complete", kwargs={"uuid": sari.uuid}),
               {"next": reverse("kader:followup-mine")})
    assert r.status_code == 302 and r["Location"] == reverse("kader:followup-mine")
    sari.refresh_from_db()
    assert sari.status == "done" and sari.done_by == area.rina

    cancel = reverse("kader:followup-cancel", kwargs={"uuid": budi.uuid})
    r = c.post(cancel, {"reason": ""})
    assert r.status_code == 422 and "Tulis alasan pembatalan" in r.content.decode()
    budi.refresh_from_db()
    assert budi.status == "open"
    r = c.post(cancel, {"reason": "Pindah ikut orang tua ke Bali"})
    assert r.status_code == 302
    budi.refresh_from_db()
    assert budi.status == "cancelled" and budi.cancel_reason == "Pindah ikut orang tua ke Bali"
    # the detail page shows the history
    detail = c.get(reverse("kader:followup-detail", kwargs={"uuid": budi.uuid})).content.decode()
    assert "Pindah ikut orang tua ke Bali" in detail and "Riwayat" in detail


def test_an_offsite_next_is_ignored(world, tasks, client_as):
    area, _, people = tasks
    sari = FollowUpTask.objects.get(person=people["sari"])
    r = client_as(area.rina).post(
        reverse("kader:followup-complete", kwargs={"uuid": sari.uuid}),
        {"next": "https://contoh.jahat/"})
    assert r["Location"] == reverse("kader:followup-mine")


def test_kader_of_another_posyandu_gets_404(world, tasks, client_as):
    _, _, people = tasks
    sari = FollowUpTask.objects.get(person=people["sari"])
    c = client_as(world.kader_a2)
    for name in ("kader:followup-detail", "kader:followup-cancel"):
        assert c.get(reverse(name, kwargs={"uuid": sari.uuid})).status_code == 404
    assert c.post(reverse("kader:followup-complete", kwargs={"uuid": sari.uuid})).status_code \
        == 404
    sari.refresh_from_db()
    assert sari.status == "open"
    mine = c.get(reverse("kader:followup-mine")).content.decode()
    assert "Sari Rahayu" not in mine


# --------------------------------------------------------------------------
# API


def test_api_list_complete_cancel(world, tasks, client_as):
    area, _, people = tasks
    c = client_as(area.rina)
    listing = c.get(reverse("api:kader:followup-list"), {"mine": "1", "status": "open"}).json()
    names = {row["person_name"] for row in listing["results"]}
    assert names == {"Sari Rahayu", "Budi Utomo"}
    row = next(r for r in listing["results"] if r["person_name"] == "Sari Rahayu")
    assert row["rule"] == "tidak_datang" and row["rt"] == "001" and row["assigned_to"] == \
        area.rina.pk

    sari = FollowUpTask.objects.get(person=people["sari"])
    r = c.post(reverse("api:kader:followup-cancel", kwargs={"uuid": sari.uuid}), {},
               content_type="application/json")
    assert r.status_code == 400 and "reason" in r.json()
    r = c.post(reverse("api:kader:followup-complete", kwargs={"uuid": sari.uuid}),
               {"note": "sudah ditimbang"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "done"
    r = c.post(reverse("api:kader:followup-complete", kwargs={"uuid": sari.uuid}), {},
               content_type="application/json")
    assert r.status_code == 400  # already done

    budi = FollowUpTask.objects.get(person=people["budi"])
    r = c.post(reverse("api:kader:followup-cancel", kwargs={"uuid": budi.uuid}),
               {"reason": "Meninggal dunia"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["cancel_reason"] == "Meninggal dunia"

    other = client_as(world.kader_b1)
    assert other.get(reverse("api:kader:followup-detail",
                             kwargs={"uuid": budi.uuid})).status_code == 404
    assert other.get(reverse("api:kader:followup-list")).json()["results"] == []
    unassigned = client_as(world.bidan_a).get(reverse("api:kader:followup-list"),
                                              {"assigned_to": "none"}).json()["results"]
    assert [r["person_name"] for r in unassigned] == ["Anak Mawar"]


def test_dinkes_reads_but_may_not_close(world, tasks, client_as):
    _, _, people = tasks
    sari = FollowUpTask.objects.get(person=people["sari"])
    c = client_as(world.dinkes_1)
    assert c.get(reverse("api:kader:followup-detail", kwargs={"uuid": sari.uuid})).status_code \
        == 200
    r = c.post(reverse("api:kader:followup-complete", kwargs={"uuid": sari.uuid}), {},
               content_type="application/json")
    assert r.status_code == 403
    sari.refresh_from_db()
    assert sari.status == "open"


def test_due_groups_are_labelled():
    from kader.selectors.tasks import day_label

    today = date(2026, 5, 12)
    assert day_label(today, today) == "Hari ini"
    assert day_label(date(2026, 5, 13), today) == "Besok"
    assert day_label(date(2026, 5, 15), today) == "Jumat, 15 Mei"
    assert day_label(date(2027, 1, 4), today) == "Senin, 4 Januari 2027"
