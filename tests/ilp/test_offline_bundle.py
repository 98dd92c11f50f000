"""The day kept on the phone: GET /api/v1/service-days/{uuid}/offline/."""

import hashlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from ilp.models import Immunisation, Measurement, Pregnancy, ServiceDay, Step, Visit
from tests.factories import make_household, make_person

pytestmark = pytest.mark.django_db

GIRL_NIK = "3509015505250004"
MOTHER_NIK = "3509014403950002"
# who2006_wfa_day.csv, the row "2,500,-0.2515,9.9023,0.12304" (girls, 500 days), read by hand
WHO_GIRL_500_DAYS = [-0.2515, 9.9023, 0.12304]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def day(world):
    return ServiceDay.objects.create(posyandu=world.a1, date=timezone.localdate(),
                                     status=ServiceDay.Status.OPEN, place="Balai RW 02")


def url(day):
    return f"/api/v1/service-days/{day.uuid}/offline/"


def _month_start(d: date, back: int) -> date:
    index = d.year * 12 + d.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def weigh(person, on: date, kg: str):
    """A past weighing on a (closed) service day of that date."""
    day, _ = ServiceDay.objects.get_or_create(
        posyandu=person.posyandu, date=on, defaults={"status": ServiceDay.Status.CLOSED})
    visit = Visit.objects.create(posyandu=person.posyandu, person=person, service_day=day,
                                 date=on, step=Step.DONE)
    return Measurement.objects.create(visit=visit, posyandu=person.posyandu, person=person,
                                      measured_on=on, weight_kg=Decimal(kg), bbu_cat="normal",
                                      trend="N")


@pytest.fixture
def girl(world, day):
    household = make_household(world.a1, kepala_keluarga="Joko", no_kk="3509010101010012")
    mother = make_person(world.a1, name="Sari", sex="P", birth_date=date(1995, 3, 4),
                         nik=MOTHER_NIK, household=household)
    return make_person(world.a1, name="Putri Bundel", sex="P", nik=GIRL_NIK,
                       birth_date=day.date - timedelta(days=500), mother=mother,
                       household=household, rt="002", rw="001")


def people_by_name(body):
    return {p["name"]: p for p in body["people"]}


def test_a_child_has_what_step_1_to_3_need(world, api, day, girl):
    earlier = _month_start(day.date, 2) + timedelta(days=3)
    last_month_first = _month_start(day.date, 1) + timedelta(days=1)
    last_month_late = _month_start(day.date, 1) + timedelta(days=20)
    weigh(girl, earlier, "9.0")
    weigh(girl, last_month_first, "9.3")
    weigh(girl, last_month_late, "9.55")  # the latest weighing of last month counts
    api.force_authenticate(world.kader_a1)
    r = api.get(url(day))
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["version"] == 1
    assert body["user"] == {"id": world.kader_a1.pk, "username": "kader_a1"}
    assert body["day"] == {
        "uuid": str(day.uuid), "date": day.date.isoformat(), "status": "open",
        "place": "Balai RW 02",
        "posyandu": {"uuid": str(world.a1.uuid), "nama": "Melati", "timezone": "Asia/Jakarta"},
    }
    p = people_by_name(body)["Putri Bundel"]
    assert p["uuid"] == str(girl.uuid) and p["sex"] == "P"
    assert p["nik_hash"] == hashlib.sha256(GIRL_NIK.encode()).hexdigest()
    assert p["mother_nik_hash"] == hashlib.sha256(MOTHER_NIK.encode()).hexdigest()
    assert p["mother_name"] == "Sari" and p["mother"] == str(girl.mother.uuid)
    assert p["household"] == {"uuid": str(girl.household.uuid), "kepala_keluarga": "Joko",
                              "no_kk_last4": "0012"}
    assert (p["rt"], p["rw"]) == ("002", "001")
    assert "balita" in p["groups"] and p["expected"] is True
    assert p["step2_fields"] == ["weight_kg", "length_cm", "length_method", "head_cm",
                                 "muac_cm"]
    assert "Penimbangan berat badan" in p["due"]
    assert p["last"]["date"] == last_month_late.isoformat()
    assert p["last"]["weight_kg"] == "9.55" and p["last"]["bbu_cat"] == "normal"
    growth = p["growth"]
    assert growth["age_days"] == 500 and growth["age_months"] in (16, 17)
    assert growth["wfa_lms"] == pytest.approx(WHO_GIRL_500_DAYS)
    assert growth["kbm_g"] == 200  # kbm.json: 200 g from 12 months
    assert growth["last_month_weight_kg"] == "9.55"
    assert growth["has_earlier_weight"] is True

    mother = people_by_name(body)["Sari"]
    assert mother["growth"] is None and mother["expected"] is False
    assert mother["last"] is None and "balita" not in mother["groups"]

    tables = body["tables"]
    assert [c["code"] for c in tables["bbu_categories"]] == [
        "sangat_kurang", "kurang", "normal", "risiko_lebih"]
    normal = tables["bbu_categories"][2]
    assert (normal["lower"], normal["lower_inclusive"], normal["upper"],
            normal["upper_inclusive"]) == (-2, True, 1, True)
    assert "phbs" in {t["code"] for t in tables["counselling_topics"]}


def test_a_baby_never_weighed_and_the_days_visits(world, api, day):
    baby = make_person(world.a1, name="Bayi Pertama", sex="L",
                       birth_date=day.date - timedelta(days=40))
    visit = Visit.objects.create(posyandu=world.a1, person=baby, service_day=day,
                                 date=day.date, step=Step.RECORD)
    Measurement.objects.create(visit=visit, posyandu=world.a1, person=baby,
                               measured_on=day.date, weight_kg=Decimal("4.50"), bbu_z=-0.3,
                               bbu_cat="normal", trend="B", flags=[])
    api.force_authenticate(world.kader_a1)
    body = api.get(url(day)).json()
    p = people_by_name(body)["Bayi Pertama"]
    assert p["last"] is None  # today's weighing is not "last"
    assert p["growth"]["has_earlier_weight"] is False
    assert p["growth"]["last_month_weight_kg"] is None
    assert p["growth"]["kbm_g"] == 800  # kbm.json: month 1
    assert body["visits"] == [{
        "uuid": str(visit.uuid), "person": str(baby.uuid), "step": Step.RECORD,
        "measurement": {"weight_kg": "4.5", "length_cm": None, "bbu_z": -0.3,
                        "bbu_cat": "normal", "trend": "B", "flags": []},
    }]


def test_only_the_users_posyandu_and_present_people(world, api, day, girl):
    make_person(world.a2, name="Tetangga Mawar")
    make_person(world.a1, name="Sudah Pindah", moved_on=day.date - timedelta(days=10))
    api.force_authenticate(world.kader_a1)
    names = set(people_by_name(api.get(url(day)).json()))
    assert {"Putri Bundel", "Sari"} <= names
    assert "Tetangga Mawar" not in names and "Sudah Pindah" not in names
    for user in (world.kader_a2, world.kader_b1, world.dinkes_1, world.outsider):
        api.force_authenticate(user)
        r = api.get(url(day))
        assert r.status_code == 404, user
        assert b"Putri" not in r.content
    api.force_authenticate(world.bidan_a)
    assert api.get(url(day)).status_code == 200


def test_nik_is_never_sent_in_clear(world, api, day, girl):
    api.force_authenticate(world.kader_a1)
    content = api.get(url(day)).content
    assert GIRL_NIK.encode() not in content and MOTHER_NIK.encode() not in content
    assert hashlib.sha256(GIRL_NIK.encode()).hexdigest().encode() in content


@pytest.mark.parametrize("status", [ServiceDay.Status.CLOSED, ServiceDay.Status.PLANNED])
def test_a_day_that_is_not_open_answers_409(world, api, day, girl, status):
    day.status = status
    day.save()
    api.force_authenticate(world.kader_a1)
    r = api.get(url(day))
    assert r.status_code == 409
    assert r.json()["code"] == "day_not_open" and r.json()["detail"]
    assert b"Putri" not in r.content


def _population(posyandu, on, n, start=0):
    """n people of every kind: children with weighings and immunisations, mothers
    with a pregnancy and a household, adults."""
    for i in range(start, start + n):
        household = make_household(posyandu)
        mother = make_person(posyandu, name=f"Ibu {i}", sex="P", birth_date=date(1994, 1, 1),
                             household=household)
        Pregnancy.objects.create(person=mother, hpht=on - timedelta(days=100),
                                 due_date=on + timedelta(days=180))
        child = make_person(posyandu, name=f"Anak {i}", sex="LP"[i % 2],
                            birth_date=on - timedelta(days=100 + 13 * i), mother=mother,
                            household=household)
        weigh(child, _month_start(on, 1) + timedelta(days=2 + i % 20), "7.5")
        Immunisation.objects.create(person=child, posyandu=posyandu, vaccine="BCG",
                                    given_on=child.birth_date + timedelta(days=7))


def test_query_count_does_not_grow_with_the_people(world, api, day,
                                                    django_assert_max_num_queries):
    api.force_authenticate(world.kader_a1)
    _population(world.a1, day.date, 2)  # 5 people with the visit below
    Visit.objects.create(posyandu=world.a1, person=make_person(world.a1), service_day=day,
                         date=day.date, step=Step.MEASURE)
    assert api.get(url(day)).status_code == 200  # warm the reference-table cache
    with CaptureQueriesContext(connection) as five:
        body = api.get(url(day)).json()
    assert len(body["people"]) == 5
    assert len(five) <= 15
    _population(world.a1, day.date, 23, start=2)  # 51 people
    with django_assert_max_num_queries(len(five)):
        body = api.get(url(day)).json()
    assert len(body["people"]) == 51
    assert sum(1 for p in body["people"] if p["growth"]) == 26  # 25 + the visitor (2024)
    assert sum(1 for p in body["people"] if p["growth"] and p["growth"]["has_earlier_weight"]) \
        == 25
