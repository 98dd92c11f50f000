"""Reports API: areas, SKDN trend and report tables, scoped by area; filters
refused with Indonesian messages. Figures: tests/reports/dashboard_data.py."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from posyandu.reference import sync_shipped_tables
from tests.reports.dashboard_data import MONTH, build_area_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference_tables(db):
    sync_shipped_tables()


@pytest.fixture
def data(world):
    return build_area_data(world)


def _areas(client):
    response = client.get(reverse("api:reports:areas"))
    assert response.status_code == 200
    return [(a["level"], a["name"], a["posyandu_count"]) for a in response.json()]


def test_areas_are_the_users_own_widest_first(world, client_as):
    assert _areas(client_as(world.kader_a1)) == [("posyandu", "Posyandu Melati", 1)]
    assert _areas(client_as(world.bidan_a)) == [
        ("puskesmas", "Puskesmas Kencong", 2),  # she covers both posyandu of Puskesmas A
        ("posyandu", "Posyandu Mawar", 1), ("posyandu", "Posyandu Melati", 1),
    ]
    assert _areas(client_as(world.staff_b)) == [("puskesmas", "Puskesmas Cakru", 1),
                                                ("posyandu", "Posyandu Anggrek", 1)]
    assert _areas(client_as(world.dinkes_1))[:3] == [
        ("kabupaten", "Jember", 3), ("puskesmas", "Puskesmas Cakru", 1), ("puskesmas", "Puskesmas Kencong", 2),
    ]
    assert _areas(client_as(world.outsider)) == []


def trend(client, **params):
    return client.get(reverse("api:reports:skdn-trend"), params)


def test_trend_of_puskesmas_a_for_its_staff(world, data, client_as):
    response = trend(client_as(world.staff_a), level="puskesmas", area=world.pkm_a.pk, month=MONTH)
    assert response.status_code == 200
    body = response.json()
    assert body["area"] == {"level": "puskesmas", "level_label": "Puskesmas", "id": world.pkm_a.pk,
                            "name": "Puskesmas Kencong", "posyandu_count": 2}
    assert body["month"] == MONTH and body["level"] == "puskesmas"
    months = body["months"]
    assert [m["month"] for m in months] == [f"2025-{m:02d}" for m in range(9, 13)] + [
        f"2026-{m:02d}" for m in range(1, 9)]
    august = months[-1]
    # a1 + a2 in August: S 6 + 1, D 5 + 1, N 3 + 0, BGM Dewi
    assert {k: august["counts"][k] for k in ("S", "D", "N", "T", "B", "BGM")} == {
        "S": 7, "D": 6, "N": 3, "T": 2, "B": 1, "BGM": 1}
    assert august["indicators"]["D/S"] == 85.7 and august["indicators"]["N/D"] == 50.0
    assert months[0]["indicators"]["N/D"] is None  # September 2025: nobody weighed


def test_trend_defaults_to_the_widest_area(world, data, client_as):
    body = trend(client_as(world.dinkes_1), month=MONTH).json()
    assert body["area"]["level"] == "kabupaten" and body["area"]["name"] == "Jember"
    assert body["months"][-1]["counts"]["S"] == 9 and body["months"][-1]["counts"]["D"] == 7


def test_other_areas_are_404(world, data, client_as):
    staff_a = client_as(world.staff_a)
    assert trend(staff_a, level="puskesmas", area=world.pkm_b.pk).status_code == 404
    assert trend(staff_a, level="posyandu", area=world.b1.pk).status_code == 404
    assert trend(staff_a, level="kabupaten", area=world.kab1.pk).status_code == 404
    assert trend(staff_a, level="puskesmas", area=999999).status_code == 404
    kader = client_as(world.kader_a1)
    assert trend(kader, level="puskesmas", area=world.pkm_a.pk).status_code == 404
    assert trend(kader, level="posyandu", area=world.a2.pk).status_code == 404
    assert trend(kader, level="posyandu", area=world.a1.pk).status_code == 200
    dinkes = client_as(world.dinkes_1)
    assert trend(dinkes, level="kabupaten", area=world.kab2.pk).status_code == 404
    assert trend(dinkes, level="puskesmas", area=world.pkm_c.pk).status_code == 404
    assert client_as(world.outsider).get(reverse("api:reports:skdn-trend")).status_code == 404


@pytest.mark.parametrize("params, field, message", [
    ({"month": "2026-13"}, "month", "Bulan 13 tidak ada: pilih 01 sampai 12."),
    ({"month": "Oktober"}, "month", "Bulan \"Oktober\" tidak dikenali. Bulan berbentuk TTTT-BB, misalnya 2026-10."),
    ({"level": "desa", "area": "1"}, "level", "Tingkat \"desa\" tidak dikenal: pilih posyandu, puskesmas atau kabupaten."),
    ({"level": "puskesmas", "area": "satu"}, "area", "Wilayah harus berupa angka id."),
    ({"level": "puskesmas"}, "area", "Isi tingkat (level) dan wilayah (area) bersama-sama."),
])
def test_bad_filters_are_400_in_indonesian(world, client_as, params, field, message):
    client = client_as(world.staff_a)
    for name in ("api:reports:skdn-trend", "api:reports:skdn"):
        response = client.get(reverse(name), params)
        assert response.status_code == 400, name
        assert response.json() == {field: [message]}


def test_report_tables_as_json(world, data, client_as):
    response = client_as(world.staff_a).get(
        reverse("api:reports:skdn"), {"level": "puskesmas", "area": world.pkm_a.pk, "month": MONTH}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["level"], body["month"]) == ("skdn", "puskesmas", MONTH)
    assert body["area"]["id"] == world.pkm_a.pk
    assert body["tables"]
    for table in body["tables"]:
        assert set(table) == {"code", "title", "label_header", "columns", "rows", "notes"}
        for row in table["rows"]:
            assert len(row["values"]) == len(table["columns"])
    tables = {t["code"]: t for t in body["tables"]}

    def cell(code, label, key):
        table = tables[code]
        row = next(r for r in table["rows"] if r["label"] == label)
        return row["values"][[c["key"] for c in table["columns"]].index(key)]

    # hand-computed a1 in August: S 6, D 5, N 3; the Puskesmas: S 7, D 6
    assert (cell("skdn", "Melati", "s_j"), cell("skdn", "Melati", "d_j"), cell("skdn", "Melati", "n_j")) == (6, 5, 3)
    assert (cell("skdn", "Jumlah Puskesmas", "s_j"), cell("skdn", "Jumlah Puskesmas", "d_j")) == (7, 6)
    assert cell("skdn_indikator", "Melati", "D/S") == 83.3
    assert cell("skdn_indikator", "Jumlah Puskesmas", "N/D") == 50.0
    assert client_as(world.staff_b).get(
        reverse("api:reports:skdn"), {"level": "puskesmas", "area": world.pkm_a.pk, "month": MONTH}
    ).status_code == 404


def test_every_kind_answers_for_its_owner_and_anonymous_is_refused(world, data, client, client_as):
    for kind in ("skdn", "sip", "ilp"):
        assert client.get(reverse(f"api:reports:{kind}")).status_code in (401, 403)
    owner = client_as(world.kader_a1)
    for kind in ("skdn", "sip", "ilp"):
        response = owner.get(reverse(f"api:reports:{kind}"), {"month": MONTH})
        assert response.status_code == 200, kind
        assert response.json()["area"]["name"] == "Posyandu Melati"


def test_schema_documents_the_reports_api(tmp_path):
    path = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(path))
    import json

    paths = json.loads(path.read_text())["paths"]
    for kind in ("skdn", "sip", "ilp", "skdn-trend"):
        get = paths[f"/api/v1/reports/{kind}/"]["get"]
        assert {p["name"] for p in get["parameters"]} == {"level", "area", "month"}
        assert {"200", "400", "404"} <= set(get["responses"])
    assert "/api/v1/reports/areas/" in paths


def test_one_api_route_per_report_kind():
    from reports import api
    from reports.figures.build import KINDS

    assert set(api.KINDS) == set(KINDS)
