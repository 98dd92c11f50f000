from datetime import date

import pytest

from ilp.models import Person
from tests.factories import make_person

pytestmark = pytest.mark.django_db

FORM = {"name": "Aisyah Putri", "sex": "P", "birth_date": "2024-02-02", "address": "Dusun Krajan"}


def test_duplicate_is_shown_before_saving_and_confirming_saves_once(world, client):
    existing = make_person(world.a1, name="Aisyah Putri", sex="P", birth_date=date(2024, 2, 2))
    client.force_login(world.kader_a1)
    r = client.post("/sasaran/baru/", FORM)
    assert r.status_code == 422
    html = r.content.decode()
    assert "Mungkin sudah terdaftar" in html and str(existing.uuid) in html
    assert 'type="checkbox" name="not_duplicate"' in html
    assert 'value="Dusun Krajan"' in html  # what was typed is kept
    assert Person.objects.count() == 1

    r = client.post("/sasaran/baru/", FORM | {"not_duplicate": "on"})
    assert r.status_code == 302
    assert Person.objects.filter(name="Aisyah Putri").count() == 2


def test_not_duplicate_box_is_hidden_without_candidates(world, client):
    client.force_login(world.kader_a1)
    html = client.get("/sasaran/baru/").content.decode()
    assert 'type="hidden" name="not_duplicate"' in html


def test_field_errors_sit_beside_their_field(world, client):
    client.force_login(world.kader_a1)
    r = client.post("/sasaran/baru/", FORM | {"nik": "3509", "birth_date": "2030-01-01"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "Tanggal lahir tidak boleh di masa depan." in html
    assert "NIK harus 16 angka; yang diisi 4 angka." in html
    assert Person.objects.count() == 0


def test_merge_page_lists_candidates_and_merges(world, client):
    keep = make_person(world.a1, name="Bagus", birth_date=date(2023, 3, 3))
    dupe = make_person(world.a1, name="Bagus", birth_date=date(2023, 3, 3))
    client.force_login(world.bidan_a)
    r = client.get(f"/sasaran/{keep.uuid}/gabung/")
    assert str(dupe.uuid) in r.content.decode()
    r = client.post(f"/sasaran/{keep.uuid}/gabung/", {"other": dupe.uuid, "confirm": "on"})
    assert r.status_code == 302
    dupe.refresh_from_db()
    assert dupe.merged_into == keep


def test_pregnancy_recorded_and_closed_from_the_pages(world, client):
    woman = make_person(world.a1, name="Ibu Hamil", sex="P", birth_date=date(1995, 5, 5))
    client.force_login(world.kader_a1)
    r = client.post(f"/sasaran/{woman.uuid}/kehamilan/", {"hpht": "2026-06-01"})
    assert r.status_code == 302 and r["Location"] == f"/sasaran/{woman.uuid}/"
    pregnancy = woman.pregnancies.get()
    assert pregnancy.due_date == date(2027, 3, 8)
    r = client.post(f"/kehamilan/{pregnancy.uuid}/selesai/", {"outcome": "lahir_hidup",
                                                              "outcome_date": "2030-01-01"})
    assert r.status_code == 422 and "antara HPHT dan hari ini" in r.content.decode()
    r = client.post(f"/kehamilan/{pregnancy.uuid}/selesai/", {"outcome": "lahir_hidup",
                                                              "outcome_date": "2026-11-01"})
    assert r.status_code == 302
    pregnancy.refresh_from_db()
    assert pregnancy.outcome == "lahir_hidup"


def test_child_page_shows_the_kms_chart_and_history(world, client):
    from ilp.models import Measurement, ServiceDay, Visit
    from ilp.services.measurements import measurements_recompute

    child = make_person(world.a1, name="Anak Grafik", birth_date=date(2025, 1, 10))
    for month, kg in ((3, "6.1"), (4, "6.8")):
        day = ServiceDay.objects.create(posyandu=world.a1, date=date(2025, month, 12))
        visit = Visit.objects.create(posyandu=world.a1, person=child, service_day=day, date=day.date)
        Measurement.objects.create(visit=visit, posyandu=world.a1, person=child,
                                   measured_on=day.date, weight_kg=kg)
    measurements_recompute(person_ids=[child.pk])
    client.force_login(world.kader_a1)
    html = client.get(f"/sasaran/{child.uuid}/").content.decode()
    assert "Grafik pertumbuhan" in html and html.count("<circle") >= 2
    assert "12-04-2025" in html and ">6,8<" in html


def test_mother_actions_only_for_women_old_enough(world, client):
    girl = make_person(world.a1, name="Anak Perempuan", sex="P", birth_date=date(2024, 10, 3))
    woman = make_person(world.a1, name="Ibu Muda", sex="P", birth_date=date(1998, 1, 1))
    client.force_login(world.kader_a1)
    assert "Catat kehamilan" not in client.get(f"/sasaran/{girl.uuid}/").content.decode()
    html = client.get(f"/sasaran/{woman.uuid}/").content.decode()
    assert "Catat kehamilan" in html and "Daftarkan anak" in html
