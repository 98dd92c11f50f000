"""The visit page through the steps, as a kader and a bidan use it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ilp.models import Measurement, ServiceDay, Step, Visit
from tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(world):
    return ServiceDay.objects.create(posyandu=world.a1, date=timezone.localdate(),
                                     status=ServiceDay.Status.OPEN)


@pytest.fixture
def child(world):
    return make_person(world.a1, name="Anak Timbang", sex="L",
                       birth_date=timezone.localdate() - timedelta(days=365))


def register(client, day, person, client_id="7c9e6679-7425-40de-944b-e07fc1f90ae7"):
    return client.post(f"/hari-buka/{day.uuid}/daftar/", {"person": person.uuid, "client_id": client_id})


def test_a_child_through_the_five_steps(world, client, day, child):
    client.force_login(world.kader_a1)
    r = register(client, day, child)
    visit = Visit.objects.get(person=child)
    assert r.status_code == 302 and r["Location"] == f"/kunjungan/{visit.uuid}/"
    register(client, day, child)  # the double tap
    assert Visit.objects.filter(person=child).count() == 1

    page = client.get(f"/kunjungan/{visit.uuid}/").content.decode()
    assert "Langkah 2" in page and "Lingkar kepala" in page and 'value="lying"' in page

    # grams typed as kg: refused, what was typed stays in the form
    r = client.post(f"/kunjungan/{visit.uuid}/ukur/", {"weight_kg": "9600", "length_cm": "75,7",
                                                       "length_method": "lying"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "gram" in html and 'value="9600"' in html and 'value="75,7"' in html
    assert not Measurement.objects.exists()

    # the WHO Anthro reference child: boy, 365 days, 9.6 kg, 75.7 cm lying
    r = client.post(f"/kunjungan/{visit.uuid}/ukur/", {"weight_kg": "9,6", "length_cm": "75,7",
                                                       "length_method": "lying"})
    assert r.status_code == 302
    visit.refresh_from_db()
    assert visit.step == Step.RECORD
    m = visit.measurement
    assert float(m.weight_kg) == 9.6 and m.trend == "B"
    page = client.get(f"/kunjungan/{visit.uuid}/").content.decode()
    assert "-0,04" in page and "-0,06" in page and "<svg" in page

    client.post(f"/kunjungan/{visit.uuid}/pindah/", {"to": "4"})
    visit.refresh_from_db()
    assert visit.step == Step.EXAMINE
    client.post(f"/kunjungan/{visit.uuid}/pindah/", {"to": "5"})  # a kader cannot close step 4
    visit.refresh_from_db()
    assert visit.step == Step.EXAMINE

    client.force_login(world.bidan_a)
    assert visit.person.name in client.get("/bidan/antrian/").content.decode()
    client.post(f"/kunjungan/{visit.uuid}/pindah/", {"to": "5"})
    visit.refresh_from_db()
    assert visit.step == Step.COUNSEL

    client.force_login(world.kader_a1)
    page = client.get(f"/kunjungan/{visit.uuid}/").content.decode()
    assert "Langkah 5" in page
    r = client.post(f"/kunjungan/{visit.uuid}/penyuluhan/", {"topics": ["mp_asi", "imunisasi"]})
    assert r.status_code == 302
    visit.refresh_from_db()
    assert visit.step == Step.DONE and visit.counselling.topics == ["imunisasi", "mp_asi"]


def test_impossible_weight_for_a_baby_is_refused_with_a_reason(world, client, day, child):
    client.force_login(world.kader_a1)
    register(client, day, child)
    visit = Visit.objects.get(person=child)
    r = client.post(f"/kunjungan/{visit.uuid}/ukur/", {"weight_kg": "105", "length_cm": "75",
                                                       "length_method": "lying"})
    assert r.status_code == 422
    assert "tidak mungkin" in r.content.decode()
    assert not Measurement.objects.exists()


def test_unusual_value_asks_for_confirmation_then_saves(world, client, day, child):
    client.force_login(world.kader_a1)
    register(client, day, child)
    visit = Visit.objects.get(person=child)
    form = {"weight_kg": "3,2", "length_cm": "75", "length_method": "lying"}  # BB/U far below -5
    r = client.post(f"/kunjungan/{visit.uuid}/ukur/", form)
    assert r.status_code == 422
    assert 'name="confirm_unusual"' in r.content.decode()
    assert not Measurement.objects.exists()
    r = client.post(f"/kunjungan/{visit.uuid}/ukur/", form | {"confirm_unusual": "on"})
    assert r.status_code == 302 and Measurement.objects.count() == 1


def test_closed_day_is_read_only_for_the_kader(world, client, day, child):
    client.force_login(world.kader_a1)
    register(client, day, child)
    visit = Visit.objects.get(person=child)
    client.post(f"/hari-buka/{day.uuid}/tutup/")
    day.refresh_from_db()
    assert day.status == ServiceDay.Status.CLOSED
    r = client.post(f"/kunjungan/{visit.uuid}/ukur/", {"weight_kg": "9,6", "length_cm": "75,7",
                                                       "length_method": "lying"})
    assert r.status_code == 422 and "sudah ditutup" in r.content.decode()
    assert not Measurement.objects.exists()
