"""The SATUSEHAT FHIR R4 mapping (interop.fhir), validated by fhir.resources (R4 4.0.1)."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ilp.models import Visit
from interop.fhir import visit_bundle
from interop.models import PatientInfo, PosyanduLocation
from interop.services.bundles import context_for, month_visits, prefetch
from interop.validation import FHIR_VERSION, InvalidResource, validate
from tests.factories import make_person
from tests.interop.conftest import ORG

pytestmark = pytest.mark.django_db
LOCAL = "http://sys-ids.kemkes.go.id"


def build(visit):
    visit = prefetch(Visit.objects.filter(pk=visit.pk)).get()
    return visit_bundle(visit, context_for(ORG, [visit]))


def by_type(bundle, kind):
    return [e for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def obs(bundle, code):
    found = [e["resource"] for e in by_type(bundle, "Observation")
             if any(c["code"] == code for c in e["resource"]["code"]["coding"])]
    assert len(found) == 1, code
    return found[0]


def test_every_resource_type_is_valid_fhir_r4(full):
    assert FHIR_VERSION == "4.0.1"
    bundle = build(full.visit).bundle
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert kinds == {"Patient", "Location", "Encounter", "Observation", "Immunization",
                     "ServiceRequest"}
    validate(bundle)
    for entry in bundle["entry"]:
        validate(entry["resource"])


def test_the_validator_rejects_what_r4_rejects(full):
    bundle = build(full.visit).bundle
    observation = json.loads(json.dumps(obs(bundle, "29463-7")))
    del observation["status"]
    with pytest.raises(InvalidResource, match="status"):
        validate(observation)
    encounter = json.loads(json.dumps(by_type(bundle, "Encounter")[0]["resource"]))
    encounter["period"]["start"] = "18-11-2026"
    with pytest.raises(InvalidResource):
        validate(encounter)
    bundle["entry"][0]["resource"]["birthDate"] = "2026-13-01"
    with pytest.raises(InvalidResource):
        validate(bundle)


def test_patient_identifiers_name_address(full):
    patient = by_type(build(full.visit).bundle, "Patient")[0]
    res = patient["resource"]
    ids = {i["system"]: i["value"] for i in res["identifier"]}
    assert ids["https://fhir.kemkes.go.id/id/nik"] == full.child.nik
    assert ids["https://fhir.kemkes.go.id/id/kk"] == "3509010101010002"
    assert ids[f"{LOCAL}/patient/{ORG}"] == str(full.child.uuid)
    assert res["gender"] == "male" and res["birthDate"] == full.child.birth_date.isoformat()
    assert res["multipleBirthInteger"] == 0
    codes = {e["url"]: e["valueCode"] for e in res["address"][0]["extension"][0]["extension"]}
    assert codes == {"province": "35", "city": "3509", "district": "350901",
                     "village": "3509012001", "rt": "3", "rw": "12"}
    assert patient["request"] == {
        "method": "POST", "url": "Patient",
        "ifNoneExist": f"identifier=https://fhir.kemkes.go.id/id/nik|{full.child.nik}",
    }


def test_infant_without_nik_has_the_mothers_nik_and_a_local_conditional_create(world, full):
    baby = make_person(world.a1, name="Bayi Ny. Siti", sex="P",
                       birth_date=timezone.localdate() - timedelta(days=20),
                       mother_nik=full.mother.nik)
    PatientInfo.objects.create(person=baby, multiple_birth_order=2)
    visit = Visit.objects.create(posyandu=world.a1, person=baby, service_day=full.day,
                                 date=full.day.date)
    from ilp.services.measurements import measurement_record
    measurement_record(user=world.kader_a1, visit=visit, data={"weight_kg": "3,6"},
                       confirm_unusual=True)
    patient = by_type(build(visit).bundle, "Patient")[0]
    ids = {i["system"]: i["value"] for i in patient["resource"]["identifier"]}
    assert "https://fhir.kemkes.go.id/id/nik" not in ids
    assert ids["https://fhir.kemkes.go.id/id/nik-ibu"] == full.mother.nik
    assert patient["resource"]["multipleBirthInteger"] == 2
    assert patient["request"]["ifNoneExist"] == f"identifier={LOCAL}/patient/{ORG}|{baby.uuid}"


def test_encounter_location_provider_and_bidan(full):
    bundle = build(full.visit).bundle
    patient_url = by_type(bundle, "Patient")[0]["fullUrl"]
    location = by_type(bundle, "Location")[0]
    assert location["resource"]["managingOrganization"] == {"reference": f"Organization/{ORG}"}
    enc = by_type(bundle, "Encounter")[0]["resource"]
    assert enc["class"]["code"] == "AMB"
    assert enc["subject"]["reference"] == patient_url
    assert enc["location"][0]["location"]["reference"] == location["fullUrl"]
    assert enc["serviceProvider"] == {"reference": f"Organization/{ORG}"}
    assert enc["participant"][0]["individual"] == {"reference": "Practitioner/N10000001"}
    assert enc["period"]["start"].startswith(full.visit.date.isoformat())
    assert enc["identifier"][0] == {"system": f"{LOCAL}/encounter/{ORG}",
                                    "value": str(full.visit.uuid)}


def test_a_registered_location_is_referenced_not_created(world, full):
    PosyanduLocation.objects.create(posyandu=world.a1, location_id="LOC-77")
    bundle = build(full.visit).bundle
    assert by_type(bundle, "Location") == []
    enc = by_type(bundle, "Encounter")[0]["resource"]
    assert enc["location"][0]["location"]["reference"] == "Location/LOC-77"


def test_observations_loinc_ucum_and_values(full):
    bundle = build(full.visit).bundle
    enc_url = by_type(bundle, "Encounter")[0]["fullUrl"]
    weight = obs(bundle, "29463-7")
    assert weight["valueQuantity"] == {"value": 9.4, "unit": "kg",
                                       "system": "http://unitsofmeasure.org", "code": "kg"}
    assert weight["encounter"]["reference"] == enc_url
    assert weight["effectiveDateTime"].startswith(full.visit.date.isoformat())
    assert obs(bundle, "8306-3")["valueQuantity"]["value"] == 74.5  # lying: length
    assert obs(bundle, "9843-4")["valueQuantity"]["code"] == "cm"
    assert obs(bundle, "56072-2")["valueQuantity"]["value"] == 14.2
    bp = obs(bundle, "85354-9")
    parts = {c["code"]["coding"][0]["code"]: c["valueQuantity"] for c in bp["component"]}
    assert parts["8480-6"] == {"value": 95, "unit": "mm[Hg]",
                               "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}
    assert parts["8462-4"]["value"] == 60
    assert bp["interpretation"][0]["coding"][0]["code"] == "N"
    assert bp["performer"] == [{"reference": "Practitioner/N10000001"}]


def test_hb_and_glucose_from_the_bidans_examination(full):
    bundle = build(full.visit).bundle
    hb = obs(bundle, "718-7")
    assert hb["valueQuantity"] == {"value": 10.2, "unit": "g/dL",
                                   "system": "http://unitsofmeasure.org", "code": "g/dL"}
    assert hb["interpretation"][0]["coding"][0]["code"] == "L"  # anaemia
    assert hb["category"][0]["coding"][0]["code"] == "laboratory"
    glucose = obs(bundle, "41653-7")
    assert glucose["valueQuantity"]["value"] == 88 and glucose["valueQuantity"]["code"] == "mg/dL"
    assert glucose["performer"] == [{"reference": "Practitioner/N10000001"}]


def test_standing_height_uses_8302_2(world, full):
    from ilp.services.measurements import measurement_record
    measurement_record(user=world.kader_a1, visit=full.visit, data={
        "weight_kg": "9,4", "length_cm": "74,5", "length_method": "standing"},
        confirm_unusual=True)
    bundle = build(full.visit).bundle
    assert obs(bundle, "8302-2")["valueQuantity"]["value"] == 74.5
    assert not [e for e in by_type(bundle, "Observation")
                if e["resource"]["code"]["coding"][0]["code"] == "8306-3"]


def test_zscores_with_the_permenkes_category_as_interpretation(full):
    m = full.measurement
    assert m.bbu_z is not None and m.bbu_cat
    bundle = build(full.visit).bundle
    z = obs(bundle, "bbu")
    assert z["valueQuantity"]["value"] == round(m.bbu_z, 2)
    assert z["valueQuantity"]["code"] == "{Z-score}"
    coding = z["interpretation"][0]["coding"][0]
    assert coding["code"] == f"bbu.{m.bbu_cat}"
    assert coding["display"]  # the Permenkes label, e.g. "Berat badan normal"
    weight_url = next(e["fullUrl"] for e in by_type(bundle, "Observation")
                      if e["resource"]["code"]["coding"][0]["code"] == "29463-7")
    assert {"reference": weight_url} in z["derivedFrom"]
    assert obs(bundle, "tbu") and obs(bundle, "bbtb")


def test_immunization_codes_from_the_vaccine_table(full):
    bundle = build(full.visit).bundle
    doses = {e["resource"]["vaccineCode"]["text"]: e["resource"]
             for e in by_type(bundle, "Immunization")}
    mr = doses["Campak-Rubela 1"]
    codes = {(c["system"], c["code"]) for c in mr["vaccineCode"]["coding"]}
    assert ("http://sys-ids.kemkes.go.id/kfa", "93005779") in codes
    assert ("http://sys-ids.kemkes.go.id/kfa", "VG03") in codes
    assert ("http://hl7.org/fhir/sid/cvx", "04") in codes
    assert mr["lotNumber"] == "B123"
    assert mr["performer"][0]["actor"] == {"reference": "Practitioner/N10000001"}
    assert mr["reasonCode"][0]["coding"][0]["code"] == "IM-Dasar"
    # rotavirus has no KFA code in the table yet: only what is known is sent
    rv = doses["Rotavirus 1"]
    assert [c["system"] for c in rv["vaccineCode"]["coding"]] == ["http://hl7.org/fhir/sid/cvx"]


def test_referral_is_a_service_request_to_the_puskesmas(full):
    sr = by_type(build(full.visit).bundle, "ServiceRequest")[0]["resource"]
    assert sr["status"] == "active" and sr["intent"] == "order"
    assert sr["code"]["coding"][0] == {"system": "http://snomed.info/sct", "code": "3457005",
                                       "display": "Patient referral"}
    assert sr["performer"] == [{"reference": f"Organization/{ORG}"}]
    assert sr["reasonCode"] == [{"text": "BB/U sangat kurang"}]


def test_every_entry_is_a_conditional_create_on_its_own_identifier(full):
    bundle = build(full.visit).bundle
    assert bundle["type"] == "transaction"
    seen = set()
    for entry in bundle["entry"]:
        res, req = entry["resource"], entry["request"]
        assert req["method"] == "POST" and req["url"] == res["resourceType"]
        system, value = req["ifNoneExist"].removeprefix("identifier=").split("|", 1)
        assert {"system": system, "value": value} in [
            {"system": i["system"], "value": i["value"]} for i in res["identifier"]]
        assert req["ifNoneExist"] not in seen
        seen.add(req["ifNoneExist"])
        assert entry["fullUrl"].startswith("urn:uuid:")
    # references inside the bundle resolve to its entries
    urls = {e["fullUrl"] for e in bundle["entry"]}
    text = json.dumps(bundle)
    for ref in {part.split('"')[0] for part in text.split('"reference": "')[1:]}:
        assert ref in urls or "/" in ref, ref


def test_the_same_visit_gives_the_same_bundle(full):
    assert build(full.visit).bundle == build(full.visit).bundle


def test_month_visits_only_with_data(world, full):
    empty = make_person(world.a1, name="Hanya Daftar")
    Visit.objects.create(posyandu=world.a1, person=empty, service_day=full.day, date=full.day.date)
    visits = list(month_visits([world.a1.pk], full.day.date))
    assert [v.pk for v in visits] == [full.visit.pk]


def test_export_command_writes_valid_bundles(world, full, tmp_path, settings_a):
    out = tmp_path / "ss.json"
    call_command("satusehat_export", posyandu=world.a1.pk, month=f"{full.day.date:%Y-%m}",
                 out=str(out))
    data = json.loads(out.read_text())
    assert data["type"] == "collection" and len(data["entry"]) == 1
    validate(data)
    assert data["entry"][0]["resource"]["entry"][0]["resource"]["identifier"][0]["value"] \
        == full.child.nik

