"""Batch sync (POST /api/v1/sync/): every outcome, order and references in one
batch, idempotency, two identical batches at once, closed days, scoping."""

import threading
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from ilp.models import Counselling, Measurement, Person, ServiceDay, Step, SyncOperation, Visit
from kader.models.tasks import HomeVisit
from tests.factories import make_person

pytestmark = pytest.mark.django_db

URL = "/api/v1/sync/"
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


def op(kind, payload, client_id=None, taken_at=None):
    return {"client_id": str(client_id or uuid.uuid4()), "kind": kind,
            "taken_at": (taken_at or timezone.now()).isoformat(), "payload": payload}


def send(api, *operations):
    r = api.post(URL, {"operations": list(operations)}, format="json")
    assert r.status_code == 200, r.content
    results = r.json()["results"]
    assert [x["client_id"] for x in results] == [o["client_id"] for o in operations]
    return results


def register(day, person, client_id=None):
    return op("visit.register", {"day": str(day.uuid), "person": str(person)}, client_id)


def measure(visit, values, client_id=None, **extra):
    return op("measurement.record", {"visit": str(visit), "values": values, **extra}, client_id)


def new_person(**fields):
    payload = {"name": "Bayi Baru Luring", "sex": "P",
               "birth_date": (timezone.localdate() - timedelta(days=200)).isoformat(),
               "mother_name": "Sari Wulandari"} | fields
    return op("person.register", payload)


def counts():
    return [m.objects.count() for m in (Person, Visit, Measurement, Counselling, SyncOperation)]


# --- outcomes -------------------------------------------------------------------------


def test_saved_then_duplicate_then_conflict(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    reg = register(day, child.uuid)
    [first] = send(api, reg)
    visit = Visit.objects.get()
    assert first == {"client_id": reg["client_id"], "status": "saved",
                     "ids": {"visit": str(visit.uuid), "person": str(child.uuid)},
                     "result": {"step": Step.MEASURE}}
    assert visit.client_id == uuid.UUID(reg["client_id"])  # the operation's client id
    row = SyncOperation.objects.get()
    assert (row.user, row.posyandu, row.kind) == (world.kader_a1, world.a1, "visit.register")
    assert row.taken_at is not None and len(row.payload_hash) == 64

    [again] = send(api, reg)
    assert again["status"] == "duplicate"
    assert again["ids"] == first["ids"] and again["result"] == first["result"]

    other = make_person(world.a1)
    clash = register(day, other.uuid, client_id=reg["client_id"])  # same id, other content
    [conflict] = send(api, clash)
    assert conflict["status"] == "conflict" and "tidak ditimpa" in conflict["message"]
    assert Visit.objects.count() == 1 and SyncOperation.objects.count() == 1
    assert not Visit.objects.filter(person=other).exists()


def test_the_same_client_id_from_another_user_is_a_conflict(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    reg = register(day, child.uuid)
    send(api, reg)
    api.force_authenticate(world.bidan_a)  # same posyandu, other user, identical content
    [r] = send(api, reg)
    assert r["status"] == "conflict" and "ids" not in r
    assert SyncOperation.objects.get().user == world.kader_a1


def test_decimal_comma_is_saved_and_the_step3_result_comes_back(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    [reg] = send(api, register(day, child.uuid))
    visit = reg["ids"]["visit"]
    [r] = send(api, measure(visit, WHO_CHILD | {"weight_kg": "10,5"}))
    assert r["status"] == "saved", r
    m = Measurement.objects.get()
    assert m.weight_kg == Decimal("10.5") and m.length_cm == Decimal("75.7")
    assert r["ids"] == {"visit": visit, "measurement": str(m.uuid)}
    assert r["result"]["bbu_z"] == pytest.approx(m.bbu_z) and m.bbu_z is not None
    assert r["result"]["bbu_cat"] == m.bbu_cat == "normal"
    assert r["result"]["trend"] == "B" and r["result"]["flags"] == m.flags
    assert Visit.objects.get().step == Step.RECORD
    # a correction is a new operation for the same visit: the set is replaced, history kept
    [fix] = send(api, measure(visit, WHO_CHILD | {"weight_kg": "10,7"}))
    assert fix["status"] == "saved" and fix["ids"]["measurement"] == str(m.uuid)
    m.refresh_from_db()
    assert m.weight_kg == Decimal("10.7") and Measurement.objects.count() == 1
    assert m.history.count() == 2


def test_105_kg_for_a_baby_is_refused_with_the_reason_and_resent_corrected(
        world, api, day, child):
    api.force_authenticate(world.kader_a1)
    [reg] = send(api, register(day, child.uuid))
    wrong = measure(reg["ids"]["visit"], {"weight_kg": "105"})
    [r] = send(api, wrong)
    assert r["status"] == "rejected" and r["code"] == "invalid"
    assert r["errors"]["weight_kg"][0].startswith("105 kg tidak mungkin untuk anak umur")
    assert r["message"] == r["errors"]["weight_kg"][0]
    assert not Measurement.objects.exists()
    assert not SyncOperation.objects.filter(client_id=wrong["client_id"]).exists()
    # corrected on the phone, sent again with the same client id
    fixed = measure(reg["ids"]["visit"], {"weight_kg": "10,5"}, client_id=wrong["client_id"])
    [r] = send(api, fixed)
    assert r["status"] == "saved" and Measurement.objects.get().weight_kg == Decimal("10.5")


def test_payload_errors_are_keyed_by_field_in_indonesian(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    [reg] = send(api, register(day, child.uuid))
    [bad_number, bad_ref, unknown_kind] = send(
        api,
        measure(reg["ids"]["visit"], {"weight_kg": True}),
        op("visit.register", {"day": str(day.uuid), "person": "bukan-uuid"}),
        op("photo.upload", {}),
    )
    assert bad_number["code"] == "invalid"
    assert bad_number["errors"] == {"weight_kg": ["Isi angka, misalnya 10,5."]}
    assert bad_ref["errors"] == {"person": ["Kode data tidak sah."]}
    assert unknown_kind["code"] == "invalid" and "kind" in unknown_kind["errors"]
    assert not Measurement.objects.exists()


def test_unusual_values_ask_for_confirmation_then_save(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    [reg] = send(api, register(day, child.uuid))
    values = {"weight_kg": "3,2", "length_cm": "75", "length_method": "lying"}  # BB/U < -5
    first = measure(reg["ids"]["visit"], values)
    [r] = send(api, first)
    assert r["status"] == "rejected" and r["code"] == "confirm_unusual"
    assert "BB/U z" in r["errors"]["weight_kg"][0]
    assert not Measurement.objects.exists()
    confirmed = measure(reg["ids"]["visit"], values, client_id=first["client_id"],
                        confirm_unusual=True)
    [r] = send(api, confirmed)
    assert r["status"] == "saved" and "BGM" in r["result"]["flags"]
    assert Measurement.objects.count() == 1


def test_possible_duplicate_then_confirm_new(world, api, day):
    api.force_authenticate(world.kader_a1)
    existing = make_person(world.a1, name="Bayi Baru Luring", sex="P",
                           birth_date=timezone.localdate() - timedelta(days=200),
                           mother_name="Sari Wulandari")
    first = new_person()
    [r] = send(api, first)
    assert r["status"] == "rejected" and r["code"] == "possible_duplicate"
    assert "Bayi Baru Luring" in r["message"]
    assert existing.birth_date.strftime("%d-%m-%Y") in r["message"]
    assert r["candidates"] == [{"uuid": str(existing.uuid), "name": existing.name,
                                "birth_date": existing.birth_date.isoformat()}]
    assert Person.objects.count() == 1
    again = dict(first, payload=first["payload"] | {"confirm_new": True})
    [r] = send(api, again)
    assert r["status"] == "saved" and Person.objects.count() == 2


# --- order and references -------------------------------------------------------------


def test_one_batch_new_person_visit_measurement_counselling_by_client_ids(world, api, day):
    api.force_authenticate(world.kader_a1)
    person = new_person(nik="")
    reg = register(day, person["client_id"])
    weigh = measure(reg["client_id"], {"weight_kg": "7,4", "length_cm": "66",
                                       "length_method": "lying"})
    counsel = op("counselling.record", {"visit": reg["client_id"], "topics": ["phbs"],
                                        "notes": "ASI lanjut"})
    results = send(api, person, reg, weigh, counsel)
    assert [r["status"] for r in results] == ["saved"] * 4, results
    new = Person.objects.get(name="Bayi Baru Luring")
    visit = Visit.objects.get(person=new)
    assert results[0]["ids"] == {"person": str(new.uuid)}
    assert results[1]["ids"] == {"visit": str(visit.uuid), "person": str(new.uuid)}
    assert results[2]["ids"]["visit"] == str(visit.uuid)
    assert visit.measurement.weight_kg == Decimal("7.4")
    assert visit.step == Step.DONE and visit.counselling.topics == ["phbs"]
    assert new.posyandu == world.a1

    # a later batch may still refer to the person by the client id of its registration
    [again] = send(api, register(day, person["client_id"]))
    assert again["status"] == "saved" and again["ids"]["visit"] == str(visit.uuid)


def test_a_refused_dependency_makes_the_dependents_missing_ref(world, api, day):
    api.force_authenticate(world.kader_a1)
    person = new_person(sex="X")  # refused: no such sex
    reg = register(day, person["client_id"])
    weigh = measure(reg["client_id"], {"weight_kg": "7,4"})
    results = send(api, person, reg, weigh)
    assert [r["status"] for r in results] == ["rejected"] * 3
    assert results[0]["code"] == "invalid" and "sex" in results[0]["errors"]
    assert results[1]["code"] == "missing_ref" and "person" in results[1]["errors"]
    assert results[2]["code"] == "missing_ref" and "visit" in results[2]["errors"]
    assert counts() == [0, 0, 0, 0, 0]


def test_repeating_a_whole_batch_saves_nothing_twice(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    reg = register(day, child.uuid)
    batch = [
        new_person(),
        reg,
        measure(reg["client_id"], WHO_CHILD),
        op("counselling.record", {"visit": reg["client_id"], "topics": ["phbs"]}),
    ]
    first = send(api, *batch)
    assert [r["status"] for r in first] == ["saved"] * 4
    before = counts()
    history = Measurement.objects.get().history.count()
    second = send(api, *batch)
    assert [r["status"] for r in second] == ["duplicate"] * 4
    assert [r["ids"] for r in second] == [r["ids"] for r in first]
    assert [r["result"] for r in second] == [r["result"] for r in first]
    assert counts() == before == [2, 1, 1, 1, 4]
    assert Measurement.objects.get().history.count() == history


@pytest.mark.django_db(transaction=True)
def test_two_identical_batches_at_once_save_every_row_once(world, day, child):
    reg = register(day, child.uuid)
    batch = [
        new_person(),
        reg,
        measure(reg["client_id"], WHO_CHILD),
        op("counselling.record", {"visit": reg["client_id"], "topics": ["phbs"]}),
    ]
    barrier = threading.Barrier(2)
    answers, errors = [], []

    def post():
        client = APIClient()
        client.force_authenticate(world.kader_a1)
        try:
            barrier.wait()
            r = client.post(URL, {"operations": batch}, format="json")
            answers.append((r.status_code, r.json()["results"]))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [code for code, _ in answers] == [200, 200]
    for i in range(len(batch)):
        statuses = sorted(results[i]["status"] for _, results in answers)
        assert statuses == ["duplicate", "saved"], statuses  # applied once, repeated once
        # whoever saved or repeated it, both answers carry the same server ids
        assert answers[0][1][i]["ids"] == answers[1][1][i]["ids"]
    assert counts() == [2, 1, 1, 1, 4]
    assert Person.objects.filter(name="Bayi Baru Luring").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_second_batch_waits_on_the_client_id_and_answers_duplicate(
        world, day, child, monkeypatch):
    """The first batch holds its ledger row uncommitted while it applies; the
    second one (which did not see the row when it started) waits on the unique
    client id, then answers duplicate with the first one's ids."""
    from ilp.services import sync

    claimed, release = threading.Event(), threading.Event()
    real = sync.visit_register

    def slow(**kwargs):
        answer = real(**kwargs)
        claimed.set()
        release.wait(10)
        return answer

    monkeypatch.setattr(sync, "visit_register", slow)
    reg = register(day, child.uuid)
    answers = {}

    def post(name):
        client = APIClient()
        client.force_authenticate(world.kader_a1)
        try:
            answers[name] = client.post(URL, {"operations": [reg]},
                                        format="json").json()["results"][0]
        finally:
            connection.close()

    first = threading.Thread(target=post, args=("first",))
    first.start()
    assert claimed.wait(10)
    second = threading.Thread(target=post, args=("second",))
    second.start()
    second.join(1)
    assert second.is_alive()  # blocked on the unique index
    release.set()
    first.join()
    second.join()
    assert answers["first"]["status"] == "saved"
    assert answers["second"]["status"] == "duplicate"
    assert answers["second"]["ids"] == answers["first"]["ids"]
    assert Visit.objects.count() == 1 and SyncOperation.objects.count() == 1


# --- the day ---------------------------------------------------------------------------


def test_day_closed_meanwhile_then_reopened_and_resent(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    [reg] = send(api, register(day, child.uuid))
    late = measure(reg["ids"]["visit"], WHO_CHILD)
    second_child = make_person(world.a1)
    late_reg = register(day, second_child.uuid)
    day.status = ServiceDay.Status.CLOSED
    day.save()
    results = send(api, late, late_reg)
    for r in results:
        assert r["status"] == "rejected" and r["code"] == "day_closed"
        assert "Minta bidan membuka kembali" in r["message"]
    assert not Measurement.objects.exists() and Visit.objects.count() == 1

    api.force_authenticate(world.bidan_a)
    assert api.post(f"/api/v1/service-days/{day.uuid}/reopen/",
                    {"reason": "data HP terlambat"}, format="json").status_code == 200
    api.force_authenticate(world.kader_a1)
    results = send(api, late, late_reg)  # the same client ids
    assert [r["status"] for r in results] == ["saved", "saved"]
    assert Measurement.objects.count() == 1 and Visit.objects.count() == 2


def test_the_measurement_keeps_the_day_date_when_sent_days_later(world, api, child):
    three_days_ago = timezone.localdate() - timedelta(days=3)
    old_day = ServiceDay.objects.create(posyandu=world.a1, date=three_days_ago,
                                        status=ServiceDay.Status.OPEN)
    api.force_authenticate(world.kader_a1)
    taken = timezone.now() - timedelta(days=3)
    reg = register(old_day, child.uuid)
    reg["taken_at"] = taken.isoformat()
    weigh = measure(reg["client_id"], WHO_CHILD, taken_at=taken)
    weigh["taken_at"] = taken.isoformat()
    results = send(api, reg, weigh)
    assert [r["status"] for r in results] == ["saved", "saved"], results
    m = Measurement.objects.get()
    assert m.measured_on == three_days_ago and results[1]["result"]["measured_on"] == (
        three_days_ago.isoformat())
    row = SyncOperation.objects.get(client_id=weigh["client_id"])
    assert abs((row.taken_at - taken).total_seconds()) < 1  # kept as taken on the phone
    assert (row.received_at - row.taken_at) > timedelta(days=2)


def test_trend_override_through_sync(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    old = ServiceDay.objects.create(posyandu=world.a1, date=last_month,
                                    status=ServiceDay.Status.OPEN)
    [r0, r1] = send(api, register(old, child.uuid), register(day, child.uuid))
    send(api, measure(r0["ids"]["visit"], {"weight_kg": "9,6"}),
         measure(r1["ids"]["visit"], {"weight_kg": "9,6"}))
    assert Measurement.objects.get(visit__uuid=r1["ids"]["visit"]).trend == "T"
    override = op("trend.override", {"visit": r1["ids"]["visit"], "trend": "N",
                                     "reason": "garis pertumbuhan naik mengikuti kurva"})
    [r] = send(api, override)
    assert r["status"] == "saved", r
    assert r["result"]["trend"] == "T" and r["result"]["trend_override"] == "N"
    no_reason = op("trend.override", {"visit": r1["ids"]["visit"], "trend": "N"})
    [r] = send(api, no_reason)
    assert r["code"] == "invalid" and "Alasan wajib" in r["errors"]["reason"][0]


def test_home_visit_through_sync(world, api, child):
    api.force_authenticate(world.kader_a1)
    yesterday = timezone.localdate() - timedelta(days=1)
    home = op("homevisit.record", {"person": str(child.uuid), "date": yesterday.isoformat(),
                                   "values": {"weight_kg": "9,8"}, "notes": "ditimbang di rumah",
                                   "topics": ["phbs"]})
    [r] = send(api, home)
    assert r["status"] == "saved", r
    hv = HomeVisit.objects.get()
    assert str(hv.client_id) == home["client_id"]
    assert r["ids"] == {"visit": str(hv.visit.uuid), "person": str(child.uuid),
                        "home_visit": str(hv.uuid)}
    m = Measurement.objects.get()
    assert m.weight_kg == Decimal("9.8") and m.measured_on == yesterday
    assert hv.visit.kind == Visit.Kind.HOME
    [again] = send(api, home)
    assert again["status"] == "duplicate" and HomeVisit.objects.count() == 1


# --- the request and the scope ----------------------------------------------------------


def test_more_than_100_operations_is_a_400(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    ops = [register(day, child.uuid) for _ in range(101)]
    r = api.post(URL, {"operations": ops}, format="json")
    assert r.status_code == 400
    assert r.json()["operations"] == ["Paling banyak 100 data sekali kirim."]
    assert counts() == [1, 0, 0, 0, 0]
    r = api.post(URL, {"operations": [{"kind": "visit.register"}]}, format="json")
    assert r.status_code == 400
    r = api.post(URL, {"operations": "x"}, format="json")
    assert r.status_code == 400


def test_unauthenticated_is_refused(world, api, day, child):
    r = api.post(URL, {"operations": [register(day, child.uuid)]}, format="json")
    assert r.status_code in (401, 403)
    assert counts() == [1, 0, 0, 0, 0]


def test_another_posyandus_person_visit_and_day_are_not_found(world, api, day, child):
    api.force_authenticate(world.kader_a1)
    [reg] = send(api, register(day, child.uuid))
    a1_visit = reg["ids"]["visit"]
    api.force_authenticate(world.kader_b1)
    b1_day = ServiceDay.objects.create(posyandu=world.b1, date=timezone.localdate(),
                                       status=ServiceDay.Status.OPEN)
    b1_child = make_person(world.b1)
    before = counts()
    results = send(
        api,
        register(day, b1_child.uuid),                     # a1's day
        register(b1_day, child.uuid),                     # a1's person
        measure(a1_visit, WHO_CHILD),                     # a1's visit
        op("counselling.record", {"visit": a1_visit, "topics": ["phbs"]}),
        register(b1_day, reg["client_id"]),               # kader_a1's client id: not theirs
        register(b1_day, uuid.uuid4()),                   # unknown
        new_person(mother=str(child.uuid)),               # a1's person as mother
    )
    assert [r["code"] for r in results] == ["not_found"] * 7, results
    assert len({r["message"] for r in results}) == 1  # outside the scope = unknown
    assert counts() == before
    assert "Anak Timbang" not in str(results)


def test_dinkes_may_see_but_not_write(world, api, day, child):
    api.force_authenticate(world.dinkes_1)
    [r] = send(api, register(day, child.uuid))
    assert r["status"] == "rejected" and r["code"] == "forbidden"
    assert not Visit.objects.exists() and not SyncOperation.objects.exists()


def test_openapi_schema_documents_the_sync_routes(client):
    r = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = r.json()["paths"]
    assert "/api/v1/sync/" in paths and "/api/v1/service-days/{uuid}/offline/" in paths
    assert {"200", "400"} <= set(paths["/api/v1/sync/"]["post"]["responses"])
    assert "409" in paths["/api/v1/service-days/{uuid}/offline/"]["get"]["responses"]
