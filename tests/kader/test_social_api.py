"""The social-referral API: create a screen (idempotent on client_id),
refer it (once), list by status, change status (Puskesos only)."""

import uuid

import pytest
from django.urls import reverse

from kader.models.social import SocialReferral, SocialScreen
from tests.kader.social_support import UNPROTECTED, stunted_child

pytestmark = pytest.mark.django_db

SCREENS = reverse("api:kader:social-screen-list")
REFERRALS = reverse("api:kader:social-referral-list")


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_kader_screens_and_refers_through_the_api(world, client_as):
    child = stunted_child(world.a1)
    api = client_as(world.kader_a1)
    body = {"person": str(child.uuid), "reasons": ["stunting"], "client_id": str(uuid.uuid4()),
            **UNPROTECTED}
    first = post(api, SCREENS, body)
    assert first.status_code == 201
    data = first.json()
    assert data["refer"] is True
    assert [u["code"] for u in data["unmet"]] == ["dtsen_belum", "tanpa_bansos", "tanpa_jkn"]
    again = post(api, SCREENS, body)
    assert again.status_code == 200 and again.json()["uuid"] == data["uuid"]
    assert SocialScreen.objects.count() == 1
    created = post(api, REFERRALS, {"screen": data["uuid"], "notes": "Tolong dicek"})
    assert created.status_code == 201
    referral = created.json()
    assert referral["status"] == "diajukan" and referral["person"]["name"] == child.name
    assert referral["person"]["no_kk"] == child.household.no_kk
    assert "weight_kg" not in str(referral) and "bbu_z" not in str(referral)
    assert post(api, REFERRALS, {"screen": data["uuid"]}).status_code == 200
    assert SocialReferral.objects.count() == 1


def test_api_refusals(world, client_as):
    child = stunted_child(world.a1)
    api = client_as(world.kader_a1)
    bad = post(api, SCREENS, {"person": str(child.uuid), "reasons": ["stunting"],
                              "dtsen": "ya"})
    assert bad.status_code == 400 and set(bad.json()) >= {"pkh", "bpnt", "jkn"}
    # another posyandu's kader: the person is not found
    response = post(client_as(world.kader_b1), SCREENS,
                    {"person": str(child.uuid), "reasons": ["bgm"], **UNPROTECTED})
    assert response.status_code == 400 and response.json() == {"person": "Data tidak ditemukan."}
    assert SocialScreen.objects.count() == 0


def test_puskesos_lists_and_moves_through_the_api(world, client_as):
    child = stunted_child(world.a1)
    kader = client_as(world.kader_a1)
    screen = post(kader, SCREENS, {"person": str(child.uuid), "reasons": ["bgm"],
                                   **UNPROTECTED}).json()
    ref = post(kader, REFERRALS, {"screen": screen["uuid"]}).json()
    status_url = reverse("api:kader:social-referral-status", args=[ref["uuid"]])
    # the kader may not move it (403); the other desa's officer does not find it (404)
    assert post(kader, status_url, {"status": "diproses"}).status_code == 403
    other = client_as(world.puskesos_b)
    assert other.get(REFERRALS).json()["count"] == 0
    assert post(other, status_url, {"status": "diproses"}).status_code == 404
    officer = client_as(world.puskesos_a)
    listed = officer.get(REFERRALS, {"status": "diajukan"}).json()
    assert [r["uuid"] for r in listed["results"]] == [ref["uuid"]]
    assert officer.get(REFERRALS, {"status": "diproses"}).json()["count"] == 0
    assert officer.get(SCREENS).json()["count"] == 0  # screens stay with the posyandu
    assert post(officer, status_url, {"status": "diproses"}).json()["status"] == "diproses"
    refused = post(officer, status_url, {"status": "disetujui", "aid": []})
    assert refused.status_code == 400 and "aid" in refused.json()
    done = post(officer, status_url, {"status": "disetujui", "aid": ["pkh", "pbi_jkn"],
                                      "note": "Usulan diterima Dinsos"})
    assert done.status_code == 200
    result = done.json()
    assert result["status"] == "disetujui" and result["outcome"] == "PKH, PBI-JKN"
    assert [e["to_status"] for e in result["events"]] == ["diajukan", "diproses", "disetujui"]
    # the kader reads the outcome
    detail = kader.get(reverse("api:kader:social-referral-detail", args=[ref["uuid"]])).json()
    assert detail["status_label"] == "Disetujui" and detail["aid"] == ["pkh", "pbi_jkn"]
