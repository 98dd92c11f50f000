import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ilp.models import Person
from tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_register_search_and_edit_through_the_api(world, api):
    api.force_authenticate(world.kader_a1)
    body = {"name": "Budi Santoso", "sex": "L", "birth_date": "2024-06-01", "rt": "1", "rw": "2"}
    r = api.post("/api/v1/persons/", body, format="json")
    assert r.status_code == 201, r.content
    uuid = r.json()["uuid"]
    assert r.json()["posyandu"] == str(world.a1.uuid)  # the kader's only posyandu
    assert "Balita (0–59 bulan)" in r.json()["groups"]

    r = api.get("/api/v1/persons/", {"q": "budi"})
    assert [p["uuid"] for p in r.json()["results"]] == [uuid]

    r = api.patch(f"/api/v1/persons/{uuid}/", {"phone": "0812 1111 2222"}, format="json")
    assert r.status_code == 200 and r.json()["phone"] == "081211112222"


def test_duplicate_answers_409_with_candidates(world, api):
    existing = make_person(world.a1, name="Ani Lestari", sex="P", birth_date="2023-01-05")
    api.force_authenticate(world.kader_a1)
    body = {"name": "ani  lestari", "sex": "P", "birth_date": "2023-01-05"}
    r = api.post("/api/v1/persons/", body, format="json")
    assert r.status_code == 409
    assert [c["uuid"] for c in r.json()["candidates"]] == [str(existing.uuid)]
    r = api.post("/api/v1/persons/", body | {"not_duplicate": True}, format="json")
    assert r.status_code == 201
    assert Person.objects.filter(name_key="ani lestari").count() == 2


def test_validation_errors_are_indonesian_and_keyed(world, api):
    api.force_authenticate(world.kader_a1)
    r = api.post("/api/v1/persons/", {"name": "X Y", "sex": "L", "birth_date": "2024-01-01",
                                      "nik": "123"}, format="json")
    assert r.status_code == 400
    assert "NIK harus 16 angka" in r.json()["nik"][0]


def test_bidan_must_name_the_posyandu_and_may_not_use_anothers(world, api):
    api.force_authenticate(world.bidan_a)
    body = {"name": "Citra", "sex": "P", "birth_date": "2024-01-01"}
    assert api.post("/api/v1/persons/", body, format="json").status_code == 400
    r = api.post("/api/v1/persons/", body | {"posyandu": str(world.b1.uuid)}, format="json")
    assert r.status_code == 400 and "tidak ditemukan" in r.json()["posyandu"]
    r = api.post("/api/v1/persons/", body | {"posyandu": str(world.a2.uuid)}, format="json")
    assert r.status_code == 201


def test_dinkes_reads_but_cannot_write(world, api):
    make_person(world.a1, name="Dina")
    api.force_authenticate(world.dinkes_1)
    assert api.get("/api/v1/persons/").json()["count"] == 1
    r = api.post("/api/v1/persons/", {"name": "Baru", "sex": "L", "birth_date": "2024-01-01",
                                      "posyandu": str(world.a1.uuid)}, format="json")
    assert r.status_code == 400  # no posyandu it may write in


def test_token_login_works_for_phones(world, api):
    r = api.post("/api/v1/auth/token/", {"username": "kader_a1", "password": "rahasia-123"})
    token = r.json()["token"]
    assert Token.objects.get(user=world.kader_a1).key == token
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/posyandu/").json()["results"][0]["nama"] == "Melati"


def test_openapi_schema_documents_the_routes(client):
    r = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for path in ("/api/v1/persons/", "/api/v1/persons/{uuid}/merge/", "/api/v1/households/"):
        assert path in paths
    assert "409" in paths["/api/v1/persons/"]["post"]["responses"]
