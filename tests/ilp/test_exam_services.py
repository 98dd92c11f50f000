"""Step 4 services: permission, derived classes, immunisation, ANC,
screenings, referrals and history."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ilp.models import (
    AncCheck,
    Examination,
    Immunisation,
    Pregnancy,
    Referral,
    Screening,
    ServiceDay,
    Supplement,
    Visit,
)
from ilp.services import exam as svc
from posyandu.reference import sync_shipped_tables
from tests.factories import make_person

pytestmark = pytest.mark.django_db

DAY = date(2025, 3, 10)


@pytest.fixture(autouse=True)
def reference_tables(db):
    sync_shipped_tables()


def visit_for(person, on=DAY):
    day, _ = ServiceDay.objects.get_or_create(posyandu=person.posyandu, date=on)
    return Visit.objects.create(
        posyandu=person.posyandu, person=person, service_day=day, date=on
    )


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


def adult(posyandu, **fields):
    return make_person(posyandu, **({"sex": "P", "birth_date": date(1995, 6, 1)} | fields))


SRQ_NONE = {f"q{n}": "tidak" for n in range(1, 21)}


# --------------------------------------------------------------------------
# permission


SERVICE_CALLS = {
    "examination": lambda u, v: svc.examination_record(
        user=u, visit=v, data={"systolic": 120, "diastolic": 80}
    ),
    "immunisation": lambda u, v: svc.immunisation_give(user=u, visit=v, vaccine="BCG"),
    "supplement": lambda u, v: svc.supplement_give(user=u, visit=v, kind="pmt"),
    "anc": lambda u, v: svc.anc_record(user=u, visit=v, data={}),
    "screening": lambda u, v: svc.screening_record(
        user=u, visit=v, instrument="srq20", answers=SRQ_NONE
    ),
    "referral": lambda u, v: svc.referral_create(user=u, visit_or_person=v, reason="Hipertensi"),
}


@pytest.mark.parametrize("call", SERVICE_CALLS.values(), ids=SERVICE_CALLS.keys())
def test_a_kader_is_refused(world, call):
    v = visit_for(adult(world.a1))
    with pytest.raises(PermissionDenied):
        call(world.kader_a1, v)
    assert not Examination.objects.exists() and not Referral.objects.exists()


@pytest.mark.parametrize("call", SERVICE_CALLS.values(), ids=SERVICE_CALLS.keys())
def test_a_bidan_of_another_posyandu_is_refused(world, call):
    v = visit_for(adult(world.b1))
    with pytest.raises(PermissionDenied):
        call(world.bidan_a, v)


@pytest.mark.parametrize("user", ["staff_a", "dinkes_1", "outsider"])
def test_other_roles_are_refused(world, user):
    v = visit_for(adult(world.a1))
    with pytest.raises(PermissionDenied):
        svc.examination_record(user=getattr(world, user), visit=v, data={"hb_g_dl": 12})


def test_the_bidan_of_the_posyandu_records(world):
    v = visit_for(adult(world.a2))
    e = svc.examination_record(
        user=world.bidan_a, visit=v,
        data={"systolic": 120, "diastolic": 80, "glucose_mg_dl": 110, "glucose_kind": "sewaktu",
              "hb_g_dl": "12,5"},
    )
    assert (e.posyandu_id, e.person_id, e.examined_by) == (world.a2.pk, v.person_id, world.bidan_a)
    assert (e.bp_class, e.glucose_class, e.anaemia) == ("normal", "normal", False)
    assert e.hb_g_dl == Decimal("12.5")
    assert list(Examination.objects.for_user(world.bidan_a, "service.bidan")) == [e]
    assert not Examination.objects.for_user(world.kader_b1).exists()


def test_referral_for_a_person_in_another_posyandu_is_refused(world):
    p = adult(world.b1)
    with pytest.raises(PermissionDenied):
        svc.referral_create(user=world.bidan_a, visit_or_person=p, reason="Hipertensi")


# --------------------------------------------------------------------------
# examination


@pytest.mark.parametrize(
    "sys_,dia,cls",
    [(140, 90, "tinggi"), (139, 89, "normal"), (140, 70, "tinggi"), (120, 90, "tinggi"),
     (90, 60, "normal"), (89, 60, "rendah"), (90, 59, "rendah")],
)
def test_bp_class_edges(world, sys_, dia, cls):
    v = visit_for(adult(world.a1))
    e = svc.examination_record(
        user=world.bidan_a, visit=v, data={"systolic": sys_, "diastolic": dia}
    )
    assert e.bp_class == cls


@pytest.mark.parametrize(
    "weeks,hb,anaemia,limit",
    [
        (10, "10.8", True, "11.0"),  # TM I: < 11
        (10, "11.0", False, "11.0"),
        (20, "10.8", False, "10.5"),  # TM II: < 10.5
        (20, "10.4", True, "10.5"),
        (30, "10.8", True, "11.0"),  # TM III: < 11
    ],
)
def test_anaemia_by_trimester(world, weeks, hb, anaemia, limit):
    mother = adult(world.a1)
    hpht = DAY - timedelta(weeks=weeks, days=3)
    Pregnancy.objects.create(person=mother, hpht=hpht, due_date=Pregnancy.naegele(hpht))
    e = svc.examination_record(user=world.bidan_a, visit=visit_for(mother), data={"hb_g_dl": hb})
    assert e.anaemia is anaemia
    assert e.hb_threshold == Decimal(limit)


def test_anaemia_outside_pregnancy(world):
    woman = adult(world.a1)
    ended = Pregnancy.objects.create(
        person=woman, hpht=date(2024, 1, 1), due_date=date(2024, 10, 7),
        outcome=Pregnancy.Outcome.LIVE_BIRTH, outcome_date=date(2024, 10, 1),
    )
    assert ended.outcome_date < DAY
    e = svc.examination_record(user=world.bidan_a, visit=visit_for(woman), data={"hb_g_dl": 11.5})
    assert (e.anaemia, e.hb_threshold) == (True, Decimal("12.0"))  # WUS < 12
    man = adult(world.a1, sex="L")
    e = svc.examination_record(user=world.bidan_a, visit=visit_for(man), data={"hb_g_dl": 11})
    assert e.anaemia is None  # no limit for men in the table
    e = svc.examination_record(
        user=world.bidan_a, visit=visit_for(adult(world.a1)),
        data={"systolic": 120, "diastolic": 70},
    )
    assert e.anaemia is None  # no Hb


@pytest.mark.parametrize(
    "data,field",
    [
        ({"systolic": 261, "diastolic": 80}, "systolic"),
        ({"systolic": 120, "diastolic": 29}, "diastolic"),
        ({"systolic": 80, "diastolic": 80}, "systolic"),
        ({"systolic": 120}, "diastolic"),
        ({"glucose_mg_dl": 601, "glucose_kind": "sewaktu"}, "glucose_mg_dl"),
        ({"glucose_mg_dl": 19, "glucose_kind": "sewaktu"}, "glucose_mg_dl"),
        ({"glucose_mg_dl": 120}, "glucose_kind"),
        ({"glucose_mg_dl": 120, "glucose_kind": "acak"}, "glucose_kind"),
        ({"hb_g_dl": "2.9"}, "hb_g_dl"),
        ({"hb_g_dl": "20.1"}, "hb_g_dl"),
        ({"hb_g_dl": "dua belas"}, "hb_g_dl"),
        ({}, "systolic"),
    ],
)
def test_examination_plausible_ranges(world, data, field):
    v = visit_for(adult(world.a1))
    with pytest.raises(ValidationError) as exc:
        svc.examination_record(user=world.bidan_a, visit=v, data=data)
    assert field in errors_of(exc)
    assert not Examination.objects.exists()


def test_glucose_classes(world):
    v = visit_for(adult(world.a1))
    e = svc.examination_record(
        user=world.bidan_a, visit=v, data={"glucose_mg_dl": 200, "glucose_kind": "sewaktu"}
    )
    assert e.glucose_class == "tinggi"
    e = svc.examination_record(user=world.bidan_a, visit=v, data={"glucose_mg_dl": 69})
    assert e.glucose_class == "rendah"


def test_update_keeps_one_row_and_history(world):
    v = visit_for(adult(world.a1))
    svc.examination_record(user=world.bidan_a, visit=v, data={"systolic": 120, "diastolic": 80})
    e = svc.examination_record(user=world.bidan_a, visit=v, data={"systolic": 150})
    assert Examination.objects.count() == 1
    assert (e.systolic, e.diastolic, e.bp_class) == (150, 80, "tinggi")
    history = list(e.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert [h.systolic for h in history] == [120, 150]
    assert history[-1].history_user == world.bidan_a


# --------------------------------------------------------------------------
# immunisation


def test_immunisation_given_and_duplicate_refused(world):
    baby = make_person(world.a1, birth_date=date(2024, 4, 2))
    first = svc.immunisation_give(
        user=world.bidan_a, visit=visit_for(baby, date(2025, 1, 7)), vaccine="mr1",
        batch_no=" AB123 ",
    )
    assert (first.vaccine, first.given_on, first.batch_no, first.given_by) == (
        "MR1", date(2025, 1, 7), "AB123", world.bidan_a
    )
    with pytest.raises(ValidationError) as exc:
        svc.immunisation_give(user=world.bidan_a, visit=visit_for(baby), vaccine="MR1")
    message = errors_of(exc)["vaccine"][0]
    assert "sudah dicatat" in message and "07-01-2025" in message
    assert Immunisation.objects.filter(person=baby).count() == 1


def test_immunisation_code_and_date_checks(world):
    baby = make_person(world.a1, birth_date=date(2024, 12, 1))
    v = visit_for(baby)
    with pytest.raises(ValidationError) as exc:
        svc.immunisation_give(user=world.bidan_a, visit=v, vaccine="XYZ")
    assert "vaccine" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        svc.immunisation_give(user=world.bidan_a, visit=v, vaccine="HB0",
                              given_on=date(2024, 11, 30))
    assert "given_on" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        svc.immunisation_give(user=world.bidan_a, visit=v, vaccine="HB0",
                              given_on=timezone.localdate() + timedelta(days=2))
    assert "given_on" in errors_of(exc)
    # a dose given elsewhere, recorded later from the buku KIA
    shot = svc.immunisation_give(user=world.bidan_a, visit=v, vaccine="HB0",
                                 given_on=date(2024, 12, 1))
    assert shot.given_on == date(2024, 12, 1) and shot.visit == v
    rows = {r.code: r for r in svc.immunisation_status_for(person=baby, on=DAY)}
    assert rows["HB0"].status == "sudah"
    assert rows["DPT-HB-Hib1"].status == "terlambat" and rows["DPT-HB-Hib1"].offer


# --------------------------------------------------------------------------
# supplements


def test_supplements(world):
    child = make_person(world.a1, birth_date=date(2024, 3, 1))  # 12 months on DAY
    v = visit_for(child)
    with pytest.raises(ValidationError) as exc:
        svc.supplement_give(user=world.bidan_a, visit=v, kind="vitamin_a_biru")
    assert "12 bulan" in errors_of(exc)["kind"][0]
    s = svc.supplement_give(user=world.bidan_a, visit=v, kind="vitamin_a_merah", quantity=1)
    assert (s.kind, s.given_on, s.quantity, s.given_by) == (
        "vitamin_a_merah", DAY, 1, world.bidan_a
    )
    with pytest.raises(ValidationError) as exc:
        svc.supplement_give(user=world.bidan_a, visit=v, kind="vitamin_a_merah")
    assert "sudah dicatat" in errors_of(exc)["kind"][0]
    svc.supplement_give(user=world.bidan_a, visit=v, kind="obat_cacing")
    with pytest.raises(ValidationError):
        svc.supplement_give(user=world.bidan_a, visit=v, kind="jamu")
    assert Supplement.objects.filter(visit=v).count() == 2


def test_red_vitamin_a_for_an_ibu_nifas(world):
    mother = adult(world.a1)
    Pregnancy.objects.create(
        person=mother, hpht=date(2024, 6, 1), due_date=date(2025, 3, 8),
        outcome=Pregnancy.Outcome.LIVE_BIRTH, outcome_date=date(2025, 3, 1),
    )
    s = svc.supplement_give(user=world.bidan_a, visit=visit_for(mother), kind="vitamin_a_merah")
    assert s.pk
    other = adult(world.a1)
    with pytest.raises(ValidationError):
        svc.supplement_give(user=world.bidan_a, visit=visit_for(other), kind="vitamin_a_merah")


# --------------------------------------------------------------------------
# ANC


def test_anc_needs_an_ongoing_pregnancy(world):
    woman = adult(world.a1)
    with pytest.raises(ValidationError) as exc:
        svc.anc_record(user=world.bidan_a, visit=visit_for(woman), data={})
    assert "pregnancy" in errors_of(exc)
    Pregnancy.objects.create(  # ended before the visit
        person=woman, hpht=date(2023, 1, 1), due_date=date(2023, 10, 8),
        outcome=Pregnancy.Outcome.LIVE_BIRTH, outcome_date=date(2023, 10, 1),
    )
    with pytest.raises(ValidationError):
        svc.anc_record(user=world.bidan_a, visit=visit_for(woman, DAY + timedelta(days=1)),
                       data={})


def test_anc_record_and_update(world):
    mother = adult(world.a1)
    hpht = DAY - timedelta(weeks=24, days=2)
    pregnancy = Pregnancy.objects.create(person=mother, hpht=hpht, due_date=Pregnancy.naegele(hpht))
    v = visit_for(mother)
    anc = svc.anc_record(
        user=world.bidan_a, visit=v,
        data={"tfu_cm": "22", "djj": 140, "ttd_tablets": 30, "kelas_ibu": True},
    )
    assert (anc.pregnancy, anc.gestational_weeks, anc.tfu_cm, anc.djj, anc.ttd_tablets) == (
        pregnancy, 24, Decimal("22.0"), 140, 30
    )
    assert anc.kelas_ibu and anc.examined_by == world.bidan_a
    anc = svc.anc_record(user=world.bidan_a, visit=v, data={"djj": 150, "notes": "baik"})
    assert (AncCheck.objects.count(), anc.djj, anc.ttd_tablets) == (1, 150, 30)
    assert anc.history.count() == 2
    with pytest.raises(ValidationError) as exc:
        svc.anc_record(user=world.bidan_a, visit=v, data={"djj": 300})
    assert "djj" in errors_of(exc)


# --------------------------------------------------------------------------
# screenings


def test_srq20_recorded_and_rescored(world):
    v = visit_for(adult(world.a1))
    s = svc.screening_record(user=world.bidan_a, visit=v, instrument="srq20",
                             answers=SRQ_NONE | {"q17": "ya"})
    assert (s.score, s.outcome, s.refer, s.screened_by) == (
        1, "risiko_bunuh_diri", True, world.bidan_a
    )
    s = svc.screening_record(user=world.bidan_a, visit=v, instrument="srq20", answers=SRQ_NONE)
    assert (Screening.objects.count(), s.outcome, s.refer) == (1, "normal", False)
    assert s.history.count() == 2


def test_screening_answers_validated_against_the_items(world):
    v = visit_for(adult(world.a1))
    answers = dict(SRQ_NONE)
    del answers["q9"]
    with pytest.raises(ValidationError) as exc:
        svc.screening_record(user=world.bidan_a, visit=v, instrument="srq20", answers=answers)
    assert "q9" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        svc.screening_record(user=world.bidan_a, visit=v, instrument="mmse", answers={})
    assert "instrument" in errors_of(exc)


def test_puma_only_from_forty_and_fills_sex_and_age(world):
    young = adult(world.a1, sex="L", birth_date=date(1986, 1, 1))  # 39 on DAY
    answers = {"lama_merokok_tahun": 30, "batang_per_hari": 24, "napas_pendek": "ya",
               "dahak": "ya", "batuk": "tidak", "spirometri": "tidak"}
    with pytest.raises(ValidationError) as exc:
        svc.screening_record(user=world.bidan_a, visit=visit_for(young), instrument="puma",
                             answers=answers)
    assert "40 tahun" in errors_of(exc)["instrument"][0]
    older = adult(world.a1, sex="L", birth_date=date(1970, 1, 1))  # 55
    s = svc.screening_record(user=world.bidan_a, visit=visit_for(older), instrument="puma",
                             answers=answers)
    # L 1 + 50-59 1 + 36 pack-years 2 + napas 1 + dahak 1 = 6
    assert (s.answers["jenis_kelamin"], s.answers["usia"]) == ("L", 55)
    assert (s.score, s.outcome, s.refer) == (6, "perlu_rujuk", True)
    assert s.details["pack_years"] == 36.0
    with pytest.raises(ValidationError) as exc:
        svc.screening_record(user=world.bidan_a, visit=visit_for(older, DAY + timedelta(1)),
                             instrument="puma", answers=answers | {"jenis_kelamin": "P"})
    assert "jenis_kelamin" in errors_of(exc)


@pytest.mark.parametrize("instrument", ["skilas", "adl"])
def test_skilas_and_adl_only_for_lansia(world, instrument):
    person = adult(world.a1, birth_date=date(1965, 3, 11))  # 59 on DAY, 60 the next day
    with pytest.raises(ValidationError) as exc:
        svc.screening_record(user=world.bidan_a, visit=visit_for(person), instrument=instrument,
                             answers={})
    assert "60 tahun" in errors_of(exc)["instrument"][0]
    with pytest.raises(ValidationError) as exc:  # 60 now: on to the answers
        svc.screening_record(user=world.bidan_a, visit=visit_for(person, DAY + timedelta(1)),
                             instrument=instrument, answers={})
    assert "instrument" not in errors_of(exc)


def test_skilas_and_adl_recorded(world):
    lansia = adult(world.a1, birth_date=date(1950, 1, 1))
    v = visit_for(lansia)
    from posyandu.reference import table

    spec = table("screenings", DAY)
    items = [i["code"] for d in spec["skilas"]["domains"] for i in d["items"]]
    s = svc.screening_record(
        user=world.bidan_a, visit=v, instrument="skilas",
        answers={c: "ya" if c == "mobilisasi_kursi" else "tidak" for c in items},
    )
    assert (s.refer, s.details["positive_domains"]) == (True, ["mobilisasi"])
    full = {i["code"]: max(o["score"] for o in i["options"]) for i in spec["adl"]["items"]}
    a = svc.screening_record(user=world.bidan_a, visit=v, instrument="adl",
                             answers=full | {"tangga": 0})
    assert (a.score, a.outcome, a.details["category"]) == (18, "ringan", "B")


# --------------------------------------------------------------------------
# referrals


def test_referral_transitions(world):
    v = visit_for(adult(world.a1))
    r = svc.referral_create(user=world.bidan_a, visit_or_person=v, reason="TD 160/100",
                            flags=["bp_tinggi", "bp_tinggi", ""])
    assert (r.status, r.destination, r.flags, r.made_by, r.person, r.posyandu_id) == (
        "dirujuk", "puskesmas", ["bp_tinggi"], world.bidan_a, v.person, world.a1.pk
    )
    with pytest.raises(ValidationError) as exc:  # must be received first
        svc.referral_set_status(user=world.bidan_a, referral=r, status="ditindaklanjuti")
    assert "Diterima" in errors_of(exc)["status"][0]
    r = svc.referral_set_status(user=world.bidan_a, referral=r, status="diterima")
    with pytest.raises(ValidationError) as exc:
        svc.referral_set_status(user=world.bidan_a, referral=r, status="diterima")
    assert "sudah berstatus" in errors_of(exc)["status"][0]
    with pytest.raises(ValidationError):  # no going back
        svc.referral_set_status(user=world.bidan_a, referral=r, status="dirujuk")
    r = svc.referral_set_status(user=world.bidan_a, referral=r, status="ditindaklanjuti",
                                notes="Obat antihipertensi dari Puskesmas")
    assert r.status == "ditindaklanjuti" and "antihipertensi" in r.notes
    assert r.status_changed_by == world.bidan_a and r.status_changed_at is not None
    with pytest.raises(ValidationError) as exc:  # closed
        svc.referral_set_status(user=world.bidan_a, referral=r, status="batal", notes="salah")
    assert "selesai" in errors_of(exc)["status"][0]
    assert [h.status for h in r.history.order_by("history_date")] == [
        "dirujuk", "diterima", "ditindaklanjuti"
    ]
    assert r.history.latest().history_user == world.bidan_a


@pytest.mark.parametrize("steps", [[], ["diterima"]])
def test_an_open_referral_can_be_cancelled_with_a_reason(world, steps):
    p = adult(world.a1)
    r = svc.referral_create(user=world.bidan_a, visit_or_person=p, reason="SRQ-20 skor 8")
    assert r.visit is None and r.posyandu_id == world.a1.pk
    for s in steps:
        r = svc.referral_set_status(user=world.bidan_a, referral=r, status=s)
    with pytest.raises(ValidationError) as exc:
        svc.referral_set_status(user=world.bidan_a, referral=r, status="batal")
    assert "notes" in errors_of(exc)
    r = svc.referral_set_status(user=world.bidan_a, referral=r, status="batal",
                                notes="Pindah domisili")
    assert r.status == "batal" and not r.is_open
    with pytest.raises(ValidationError):
        svc.referral_set_status(user=world.bidan_a, referral=r, status="diterima")


def test_referral_needs_a_reason_and_a_known_status(world):
    v = visit_for(adult(world.a1))
    with pytest.raises(ValidationError) as exc:
        svc.referral_create(user=world.bidan_a, visit_or_person=v, reason="  ")
    assert "reason" in errors_of(exc)
    r = svc.referral_create(user=world.bidan_a, visit_or_person=v, reason="Hb 8")
    with pytest.raises(ValidationError):
        svc.referral_set_status(user=world.bidan_a, referral=r, status="selesai")
    with pytest.raises(PermissionDenied):
        svc.referral_set_status(user=world.kader_a1, referral=r, status="diterima")
