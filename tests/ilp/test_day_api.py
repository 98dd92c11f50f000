"""The service-day API: the same services as the pages, for the phone."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from ilp.models import Measurement, ServiceDay, Step, Visit
from tests.factories import make_person

pytestmark = pytest.mark.django_db

WHO_CHILD = {"weight_kg": "9,6", "length_cm": "75,7", "length_method": "lying"}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def day(world):
    return ServiceDay.objects.create(posyandu=world.a1, date=timezone.localdate(),
                                     status=ServiceDay.Status.OPEN)


@pytest.fixture
def child(world):
    """The WHO Anthro reference boy: 365 days old today."""
    return make_person(world.a1, name="Anak Timbang", sex="L",
                       birth_date=timezone.localdate() - timedelta(days=365))


def register(api, day, person, client_id=None):
    body = {"person": str(person.uuid), "client_id": str(client_id or uuid.uuid4())}
    return api.post(f"/api/v1/service-days/{day.uuid}/visits/", body, format="json")


def measure(api, visit_uuid, body):
    return api.put(f"/api/v1/visits/{visit_uuid}/measurement/", body, format="json")


def test_register_twice_with_the_same_client_id_saves_one_visit(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    cid = uuid.uuid4()
    first = register(api, day, child, cid)
    assert first.status_code == 201, first.content
    again = register(api, day, child, cid)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Visit.objects.filter(person=child).count() == 1
    body = first.json()
    assert body["uuid"] == str(Visit.objects.get().uuid)
    assert body["client_id"] == str(cid)
    assert body["step"] == Step.MEASURE and body["person"]["name"] == "Anak Timbang"
    assert body["measure_fields"] == ["weight_kg", "length_cm", "length_method", "head_cm", "muac_cm"]
    assert body["measurement"] is None
    # the same person again with a new id (a second phone): still the first visit
    third = register(api, day, child)
    assert third.status_code == 200 and third.json()["uuid"] == body["uuid"]


def test_register_a_client_id_used_for_another_person_is_refused(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    cid = uuid.uuid4()
    register(api, day, child, cid)
    other = make_person(world.a1)
    r = register(api, day, other, cid)
    assert r.status_code == 400 and "sudah dipakai" in r.json()["non_field_errors"][0]


def test_measurement_with_a_decimal_comma_gives_the_z_scores(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    visit = register(api, day, child).json()["uuid"]
    r = measure(api, visit, WHO_CHILD | {"weight_kg": "10,5", "client_id": str(uuid.uuid4())})
    assert r.status_code == 200, r.content
    m = Measurement.objects.get()
    assert m.weight_kg == Decimal("10.5") and m.length_cm == Decimal("75.7")
    body = r.json()
    assert Decimal(body["weight_kg"]) == Decimal("10.5")
    assert body["bbu_z"] == pytest.approx(m.bbu_z) and body["bbu_z"] is not None
    assert body["bbtb_z"] is not None and body["bbu_cat"] == "normal"
    assert body["trend"] == "B" and body["final_trend"] == "B" and body["age_days"] == 365
    assert body["visit"] == visit
    assert Visit.objects.get().step == Step.RECORD  # on to step 3, as the page does

    detail = api.get(f"/api/v1/visits/{visit}/").json()
    assert detail["step"] == Step.RECORD and detail["measurement"]["bbu_z"] == body["bbu_z"]


def test_numbers_are_accepted_as_json_numbers(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    visit = register(api, day, child).json()["uuid"]
    r = measure(api, visit, {"weight_kg": 9.6, "length_cm": 75.7, "length_method": "lying"})
    assert r.status_code == 200, r.content
    assert r.json()["bbu_z"] == pytest.approx(-0.04, abs=0.01)


def test_a_repeated_put_saves_nothing_twice(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    visit = register(api, day, child).json()["uuid"]
    body = WHO_CHILD | {"client_id": str(uuid.uuid4())}
    first = measure(api, visit, body)
    again = measure(api, visit, body)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    m = Measurement.objects.get()
    assert m.history.count() == 1  # the repeat wrote nothing, not even a history row
    # a correction edits the same row
    r = measure(api, visit, WHO_CHILD | {"weight_kg": "9,7"})
    assert r.status_code == 200 and Decimal(r.json()["weight_kg"]) == Decimal("9.7")
    assert Measurement.objects.count() == 1 and m.history.count() == 2


def test_grams_are_refused_with_the_message(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    visit = register(api, day, child).json()["uuid"]
    r = measure(api, visit, WHO_CHILD | {"weight_kg": "9600"})
    assert r.status_code == 400
    assert "Sepertinya diisi dalam gram" in r.json()["weight_kg"][0]
    assert not Measurement.objects.exists()
    assert Visit.objects.get().step == Step.MEASURE

    r = measure(api, visit, {"weight_kg": "", "length_cm": None})
    assert r.status_code == 400 and r.json()["non_field_errors"] == ["Isi paling sedikit satu ukuran."]
    r = measure(api, visit, {"weight_kg": True})
    assert r.status_code == 400 and r.json()["weight_kg"] == ["Isi angka, misalnya 10,5."]


def test_unusual_values_answer_409_then_confirm_saves(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    visit = register(api, day, child).json()["uuid"]
    body = {"weight_kg": "3,2", "length_cm": "75", "length_method": "lying"}  # BB/U below -5
    r = measure(api, visit, body)
    assert r.status_code == 409
    assert r.json()["code"] == "confirm_unusual"
    assert "BB/U z" in r.json()["errors"]["weight_kg"][0]
    assert not Measurement.objects.exists()
    r = measure(api, visit, body | {"confirm_unusual": True})
    assert r.status_code == 200 and "BGM" in r.json()["flags"]
    assert Measurement.objects.count() == 1


def test_kader_of_another_posyandu_gets_404(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    visit = register(api, day, child).json()["uuid"]
    api.force_authenticate(world.kader_b1)
    assert api.get(f"/api/v1/visits/{visit}/").status_code == 404
    assert measure(api, visit, WHO_CHILD).status_code == 404
    assert api.get(f"/api/v1/service-days/{day.uuid}/queue/").status_code == 404
    assert register(api, day, child).status_code == 404
    assert api.get("/api/v1/service-days/").json()["count"] == 0
    assert not Measurement.objects.exists()
    # Dinkes sees the visit but may not write in it
    api.force_authenticate(world.dinkes_1)
    assert api.get(f"/api/v1/visits/{visit}/").status_code == 200
    assert measure(api, visit, WHO_CHILD).status_code == 404
    assert not Measurement.objects.exists()


def test_schedule_open_close_reopen_and_filter(world, api):
    api.force_authenticate(world.kader_a1)
    today = timezone.localdate()
    r = api.post("/api/v1/service-days/", {"date": today.isoformat(), "place": "Balai RW 01"},
                 format="json")
    assert r.status_code == 201, r.content
    day = r.json()
    assert day["posyandu"] == str(world.a1.uuid) and day["status"] == "planned"
    r = api.post("/api/v1/service-days/", {"date": today.isoformat()}, format="json")
    assert r.status_code == 400 and "Sudah ada hari buka" in r.json()["date"][0]

    base = f"/api/v1/service-days/{day['uuid']}"
    assert api.post(f"{base}/open/").json()["status"] == "open"
    assert api.get("/api/v1/service-days/", {"status": "open"}).json()["count"] == 1
    assert api.get("/api/v1/service-days/", {"date_from": (today + timedelta(days=1)).isoformat()}
                   ).json()["count"] == 0
    assert api.get("/api/v1/service-days/", {"posyandu": str(world.a1.uuid),
                                             "date_to": today.isoformat()}).json()["count"] == 1
    assert api.post(f"{base}/close/").json()["status"] == "closed"
    r = api.post(f"{base}/reopen/", {"reason": "data kertas terlambat"}, format="json")
    assert r.status_code == 403  # a kader may not reopen

    api.force_authenticate(world.bidan_a)
    assert api.post(f"{base}/reopen/", {"reason": "x"}, format="json").status_code == 400
    r = api.post(f"{base}/reopen/", {"reason": "data kertas terlambat"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "open"
    assert api.get(f"{base}/").json()["place"] == "Balai RW 01"


def test_a_child_through_the_steps_and_the_queues(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    visit = register(api, day, child).json()["uuid"]
    queue = api.get(f"/api/v1/service-days/{day.uuid}/queue/").json()
    by_step = {s["step"]: s for s in queue["steps"]}
    assert [v["uuid"] for v in by_step[Step.MEASURE]["visits"]] == [visit]
    assert by_step[Step.MEASURE]["label"].startswith("2.")

    measure(api, visit, WHO_CHILD)
    r = api.post(f"/api/v1/visits/{visit}/move/", {"to": Step.EXAMINE}, format="json")
    assert r.status_code == 200 and r.json()["step"] == Step.EXAMINE
    assert api.post(f"/api/v1/visits/{visit}/move/", {"to": 1}, format="json").status_code == 400

    api.force_authenticate(world.bidan_a)
    rows = api.get("/api/v1/bidan/queue/").json()["results"]
    assert [(v["uuid"], v["posyandu_nama"]) for v in rows] == [(visit, world.a1.nama)]
    api.force_authenticate(world.kader_a1)
    assert api.get("/api/v1/bidan/queue/").json()["count"] == 0  # bidan only
    r = api.post(f"/api/v1/visits/{visit}/move/", {"to": Step.COUNSEL}, format="json")
    assert r.status_code == 403  # step 4 is the bidan's
    api.force_authenticate(world.bidan_a)
    r = api.post(f"/api/v1/visits/{visit}/move/", {"to": Step.COUNSEL}, format="json")
    assert r.status_code == 200 and r.json()["step"] == Step.COUNSEL
    api.force_authenticate(world.kader_a1)

    # B (first weighing) cannot be overridden; the service says why
    r = api.post(f"/api/v1/visits/{visit}/trend-override/", {"trend": "N", "reason": "naik"},
                 format="json")
    assert r.status_code == 400 and "Hanya hasil N atau T" in r.json()["trend"][0]

    r = api.post(f"/api/v1/visits/{visit}/counselling/", {"topics": []}, format="json")
    assert r.status_code == 400 and "topics" in r.json()
    r = api.post(f"/api/v1/visits/{visit}/counselling/", {"topics": ["phbs"], "notes": "ok"},
                 format="json")
    assert r.status_code == 200, r.content
    assert r.json()["step"] == Step.DONE and r.json()["counselling"]["topics"] == ["phbs"]


def test_closed_day_is_read_only(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    visit = register(api, day, child).json()["uuid"]
    api.post(f"/api/v1/service-days/{day.uuid}/close/")
    r = measure(api, visit, WHO_CHILD)
    assert r.status_code == 400 and "sudah ditutup" in r.json()["non_field_errors"][0]
    assert register(api, day, make_person(world.a1)).status_code == 400


def test_openapi_schema_documents_the_day_routes(client):
    r = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for path in (
        "/api/v1/service-days/", "/api/v1/service-days/{uuid}/open/",
        "/api/v1/service-days/{uuid}/close/", "/api/v1/service-days/{uuid}/reopen/",
        "/api/v1/service-days/{uuid}/queue/", "/api/v1/service-days/{uuid}/visits/",
        "/api/v1/visits/{uuid}/", "/api/v1/visits/{uuid}/measurement/",
        "/api/v1/visits/{uuid}/move/", "/api/v1/visits/{uuid}/trend-override/",
        "/api/v1/visits/{uuid}/counselling/", "/api/v1/bidan/queue/",
    ):
        assert path in paths, path
    put = paths["/api/v1/visits/{uuid}/measurement/"]["put"]["responses"]
    assert {"200", "400", "409"} <= set(put)
    assert {"200", "201"} <= set(paths["/api/v1/service-days/{uuid}/visits/"]["post"]["responses"])


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
