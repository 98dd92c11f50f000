"""A visit of posyandu a1 holding everything SATUSEHAT takes: a child with
NIK and KK, weighed and measured (z-scores derived by the step-2 service),
examined by the bidan (TD), immunised and referred."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from ilp.models import Examination, Immunisation, Measurement, Referral, ServiceDay, Step, Visit
from ilp.services.measurements import measurement_record
from interop.models import PractitionerId, SatusehatSettings
from posyandu.reference import sync_shipped_tables
from tests.factories import make_household, make_person

ORG = "10000004"


@pytest.fixture(autouse=True)
def _reference_tables(db):
    sync_shipped_tables()


def nik_for(birth, sex, serial="0001"):
    dd = birth.day + (40 if sex == "P" else 0)
    return f"350901{dd:02d}{birth:%m%y}{serial}"


@dataclass
class Full:
    visit: Visit
    child: object
    mother: object
    day: ServiceDay
    measurement: Measurement


@pytest.fixture
def full(world):
    today = timezone.localdate()
    birth = today - timedelta(days=400)
    household = make_household(world.a1, no_kk="3509010101010002", rt="003", rw="012",
                                alamat="Dusun Krajan")
    mother = make_person(world.a1, name="Siti Aminah", sex="P", birth_date=today - timedelta(days=9000),
                         nik="3509014101900001", household=household)
    child = make_person(world.a1, name="Budi Santoso", sex="L", birth_date=birth,
                        nik=nik_for(birth, "L"), household=household, mother=mother,
                        mother_name="Siti Aminah")
    day = ServiceDay.objects.create(posyandu=world.a1, date=today, status=ServiceDay.Status.OPEN)
    visit = Visit.objects.create(posyandu=world.a1, person=child, service_day=day, date=today,
                                 step=Step.MEASURE)
    m = measurement_record(user=world.kader_a1, visit=visit, data={
        "weight_kg": "9,4", "length_cm": "74,5", "length_method": "lying", "head_cm": "45",
        "muac_cm": "14,2"}, confirm_unusual=True)
    Examination.objects.create(visit=visit, posyandu=world.a1, person=child, systolic=95,
                               diastolic=60, bp_class="normal", hb_g_dl="10.2", anaemia=True,
                               glucose_mg_dl=88, glucose_kind="sewaktu", glucose_class="normal",
                               examined_by=world.bidan_a)
    Immunisation.objects.create(person=child, visit=visit, posyandu=world.a1, vaccine="MR1",
                                given_on=today, batch_no="B123", given_by=world.bidan_a)
    Immunisation.objects.create(person=child, visit=visit, posyandu=world.a1, vaccine="RV1",
                                given_on=today, given_by=world.bidan_a)
    Referral.objects.create(person=child, visit=visit, posyandu=world.a1,
                            reason="BB/U sangat kurang", made_by=world.bidan_a)
    PractitionerId.objects.create(user=world.bidan_a, ihs_number="N10000001")
    return Full(visit, child, mother, day, m)


@pytest.fixture
def settings_a(world):
    return SatusehatSettings.objects.create(
        puskesmas=world.pkm_a, enabled=True, environment="custom",
        custom_auth_url="http://127.0.0.1:1/oauth2/v1",
        custom_fhir_url="http://127.0.0.1:1/fhir-r4/v1",
        organization_id=ORG, client_id="client-a", client_secret_env="SATUSEHAT_TEST_SECRET",
    )
