"""Public growth calculator: page /kalkulator-gizi/ and API /api/v1/growth/assess/.

Reference cases from WHO Anthro (DEFAULTS.md section 3): boy 365 days, 9.6 kg,
75.7 cm lying -> BB/U -0.04, PB/U -0.02, BB/PB -0.06; girl 731 days, 10.2 kg,
82.0 cm standing -> BB/U -0.97, TB/U -1.16, BB/TB -0.51.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from ilp.forms_calculator import GrowthCalculatorForm, LocalDecimalField

pytestmark = pytest.mark.django_db

PAGE = "/kalkulator-gizi/"
API = "/api/v1/growth/assess/"
BIRTH = date(2023, 2, 14)


def on(days: int) -> str:
    return (BIRTH + timedelta(days=days)).isoformat()


BOY = {"sex": "L", "birth_date": BIRTH.isoformat(), "measured_on": on(365),
       "weight_kg": "9,6", "length_cm": "75,7", "method": "lying"}
GIRL = {"sex": "P", "birth_date": BIRTH.isoformat(), "measured_on": on(731),
        "weight_kg": 10.2, "length_cm": 82.0, "method": "standing"}


def test_routes_are_the_documented_ones():
    assert reverse("ilp:growth-calculator") == PAGE
    assert reverse("api:ilp:growth-assess") == API


def test_page_renders_for_an_anonymous_user(client):
    r = client.get(PAGE)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Kalkulator status gizi anak" in html
    assert 'name="weight_kg"' in html and 'inputmode="decimal"' in html
    assert 'value="lying"' in html and "Telentang" in html and "Berdiri" in html
    assert "Hasil" not in html  # no result before the form is sent


def test_boy_reference_case_on_the_page(client):
    r = client.post(PAGE, BOY)
    assert r.status_code == 200, r.content.decode()
    html = r.content.decode()
    for expected in ("BB/U", "PB/U", "BB/PB", "−0,04", "−0,02", "−0,06",
                     "Berat badan normal", "Gizi baik", "tabel PB", "12 bulan (1 tahun), 365 hari"):
        assert expected in html, expected
    assert "<svg" in html and 'role="img"' in html
    assert "TB/U" not in html


def test_page_shows_the_length_correction(client):
    r = client.post(PAGE, {**GIRL, "method": "lying", "weight_kg": "10.2", "length_cm": "82"})
    html = r.content.decode()
    assert "<strong>81,3 cm</strong>" in html
    assert "Diukur telentang 82,0 cm − 0,7 cm" in html
    assert "tabel TB" in html and "TB/U" in html and "BB/TB" in html


def test_page_result_by_query_string(client):
    r = client.get(PAGE, BOY)
    assert r.status_code == 200
    assert "−0,04" in r.content.decode()


def test_page_flags_implausible_values(client):
    r = client.post(PAGE, {**BOY, "weight_kg": "30", "length_cm": "", "method": ""})
    html = r.content.decode()
    assert r.status_code == 200
    assert "ukur ulang" in html.lower()
    assert "BB/U" in html


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"measured_on": on(-1)}, "measured_on", "Tanggal ukur tidak boleh sebelum tanggal lahir."),
        ({"weight_kg": "sepuluh"}, "weight_kg", "Isi angka, misalnya 10,5."),
        ({"weight_kg": "1.234,5"}, "weight_kg", "Isi angka, misalnya 10,5."),
        ({"weight_kg": "205"}, "weight_kg", "Periksa lagi: paling besar 200 kg."),
        ({"weight_kg": "0,2"}, "weight_kg", "Periksa lagi: paling kecil 0,5 kg."),
        ({"method": ""}, "method", "Pilih cara ukur: telentang atau berdiri."),
    ],
)
def test_page_errors_in_indonesian(client, change, field, message):
    r = client.post(PAGE, {**BOY, **change})
    assert r.status_code == 422
    assert r.context["form"].errors[field] == [message]
    assert message in r.content.decode()
    assert "<svg" not in r.content.decode()


def test_page_needs_one_measurement(client):
    data = {k: v for k, v in BOY.items() if k in ("sex", "birth_date", "measured_on")}
    r = client.post(PAGE, data)
    assert r.status_code == 422
    assert "Isi paling sedikit satu ukuran" in r.content.decode()


@pytest.mark.parametrize("text, value", [("9,6", "9.6"), ("9.6", "9.6"), (" 10,50 ", "10.50")])
def test_local_decimal_field_accepts_comma_and_dot(text, value):
    from decimal import Decimal

    assert LocalDecimalField(required=False).clean(text) == Decimal(value)


def test_measured_on_defaults_to_today():
    from django.utils import timezone

    assert GrowthCalculatorForm()["measured_on"].initial == timezone.localdate()


def test_api_boy_reference_case(client):
    r = client.post(API, {**BOY, "weight_kg": 9.6, "length_cm": 75.7},
                    content_type="application/json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["age_days"], body["age_months"]) == (365, 12)
    assert (body["length_used_cm"], body["length_basis"]) == (75.7, "PB")
    z = {code: index["z"] for code, index in body["indices"].items()}
    assert (z["bbu"], z["tbu"], z["bbtb"]) == (-0.04, -0.02, -0.06)
    assert body["indices"]["bbu"] == {"z": -0.04, "category": "normal",
                                      "label": "Berat badan normal", "implausible": False}


def test_api_girl_reference_case(client):
    r = client.post(API, GIRL, content_type="application/json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["age_days"], body["length_used_cm"], body["length_basis"]) == (731, 82.0, "TB")
    z = {code: index["z"] for code, index in body["indices"].items()}
    assert (z["bbu"], z["tbu"], z["bbtb"]) == (-0.97, -1.16, -0.51)
    assert body["indices"]["bbtb"]["category"] == "gizi_baik"


def test_api_accepts_a_decimal_comma(client):
    r = client.post(API, {**BOY, "weight_kg": "9,6", "length_cm": "75,7"},
                    content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["indices"]["bbu"]["z"] == -0.04


def test_api_is_public_and_needs_no_csrf():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    r = strict.post(API, GIRL, content_type="application/json")
    assert r.status_code == 200, r.content


def test_api_rejects_a_date_before_birth_in_indonesian(client):
    r = client.post(API, {**GIRL, "measured_on": on(-3)}, content_type="application/json",
                    HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert r.json()["measured_on"] == ["Tanggal ukur tidak boleh sebelum tanggal lahir."]


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"weight_kg": "sepuluh"}, "weight_kg", "Isi angka, misalnya 10,5."),
        ({"sex": "X"}, "sex", "Pilih L (laki-laki) atau P (perempuan)."),
        ({"birth_date": "14-02-2023"}, "birth_date", "Isi tanggal yang benar. Format: YYYY-MM-DD."),
        ({"method": None}, "method", "Pilih cara ukur: telentang atau berdiri."),
        ({"length_cm": 500}, "length_cm", "Periksa lagi: paling besar 230 cm."),
    ],
)
def test_api_field_errors_in_indonesian(client, change, field, message):
    r = client.post(API, {**GIRL, **change}, content_type="application/json",
                    HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert r.json()[field] == [message]


def test_api_requires_fields_and_one_measurement(client):
    r = client.post(API, {}, content_type="application/json")
    assert r.status_code == 400
    assert r.json()["sex"] == ["Wajib diisi."]
    r = client.post(API, {"sex": "L", "birth_date": on(0), "measured_on": on(30)},
                    content_type="application/json")
    assert r.status_code == 400
    assert "Isi paling sedikit satu ukuran" in r.json()["non_field_errors"][0]


def test_api_is_in_the_openapi_schema(client):
    r = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    operation = r.json()["paths"]["/api/v1/growth/assess/"]["post"]
    assert {"200", "400"} <= set(operation["responses"])
