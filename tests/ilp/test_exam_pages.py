"""The bidan's step-4 pages: immunisation, examination, screenings,
referrals, as a bidan and a kader use them on the visit page."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ilp.lifecycle import months_before
from ilp.models import (
    AncCheck,
    Examination,
    Immunisation,
    Pregnancy,
    Referral,
    Screening,
    ServiceDay,
    Step,
    Supplement,
    Visit,
)
from posyandu.reference import sync_shipped_tables
from tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference_tables(db):
    sync_shipped_tables()


@pytest.fixture
def day(world):
    return ServiceDay.objects.create(posyandu=world.a1, date=timezone.localdate(),
                                     status=ServiceDay.Status.OPEN)


def at_step4(day, person):
    return Visit.objects.create(posyandu=day.posyandu, person=person, service_day=day,
                                date=day.date, step=Step.EXAMINE)


@pytest.fixture
def baby_visit(world, day):
    """A baby of one month (completed) at step 4: BCG and polio 1 are due."""
    born = months_before(day.date, 1) - timedelta(days=3)
    return at_step4(day, make_person(world.a1, name="Bayi Periksa", sex="L", birth_date=born))


@pytest.fixture
def adult_visit(world, day):
    return at_step4(day, make_person(world.a1, name="Ibu Sari", sex="P",
                                     birth_date=date(1990, 4, 2)))


def page(client, visit):
    return client.get(f"/kunjungan/{visit.uuid}/").content.decode()


def test_a_bidan_gives_a_due_dose_and_it_shows_as_given(world, client, baby_visit):
    client.force_login(world.bidan_a)
    html = page(client, baby_visit)
    assert "Langkah 4" in html and 'name="vaccine" value="BCG"' in html and ">Beri</button>" in html

    r = client.post(f"/kunjungan/{baby_visit.uuid}/imunisasi/", {"vaccine": "BCG", "batch_no": "B-0042"})
    assert r.status_code == 302 and r["Location"] == f"/kunjungan/{baby_visit.uuid}/#imunisasi"
    shot = Immunisation.objects.get(person=baby_visit.person)
    assert (shot.vaccine, shot.batch_no, shot.given_by) == ("BCG", "B-0042", world.bidan_a)

    html = page(client, baby_visit)
    assert 'name="vaccine" value="BCG"' not in html  # no longer offered
    assert re.search(r"<td>BCG<div[^>]*>usia 1 bln</div></td>\s*<td><span class=\"tag\">sudah</span>", html)
    assert "BCG dicatat" in html

    # the same dose again: refused in Indonesian, the form keeps what was typed
    r = client.post(f"/kunjungan/{baby_visit.uuid}/imunisasi/", {"vaccine": "BCG", "batch_no": "B-0043"})
    assert r.status_code == 422
    assert "Pilih imunisasi dari daftar yang jatuh tempo" in r.content.decode()
    assert Immunisation.objects.count() == 1


def test_a_dose_given_elsewhere_is_recorded_with_its_date(world, client, baby_visit):
    client.force_login(world.bidan_a)
    earlier = baby_visit.date - timedelta(days=2)
    r = client.post(f"/kunjungan/{baby_visit.uuid}/imunisasi/",
                    {"vaccine": "OPV1", "given_on": earlier.isoformat()})
    assert r.status_code == 302
    assert Immunisation.objects.get(vaccine="OPV1").given_on == earlier


def test_a_kader_posting_to_the_exam_endpoints_changes_nothing(world, client, adult_visit):
    client.force_login(world.kader_a1)
    html = page(client, adult_visit)
    assert "Langkah 4" in html and "/periksa/" not in html  # no exam form for a kader
    url = f"/kunjungan/{adult_visit.uuid}"
    r = client.post(f"{url}/periksa/", {"systolic": "150", "diastolic": "95"}, follow=True)
    assert r.status_code == 200 and "Hanya bidan" in r.content.decode()
    client.post(f"{url}/suplemen/", {"kind": "pmt"})
    client.post(f"{url}/rujuk/", {"reason": "Tekanan darah tinggi"})
    client.post(f"{url}/skrining/srq20/", {f"q{n}": "ya" for n in range(1, 21)})
    assert not Examination.objects.exists() and not Supplement.objects.exists()
    assert not Referral.objects.exists() and not Screening.objects.exists()


def test_another_posyandu_cannot_reach_the_pages(world, client, adult_visit):
    client.force_login(world.kader_b1)
    assert client.post(f"/kunjungan/{adult_visit.uuid}/periksa/", {"systolic": "150", "diastolic": "95"}).status_code == 404
    assert client.get(f"/kunjungan/{adult_visit.uuid}/skrining/srq20/").status_code == 404
    assert not Examination.objects.exists()


def test_the_examination_shows_its_classes_and_prefills_the_referral(world, client, adult_visit):
    client.force_login(world.bidan_a)
    r = client.post(f"/kunjungan/{adult_visit.uuid}/periksa/",
                    {"systolic": "160", "diastolic": "100", "glucose_mg_dl": "120",
                     "glucose_kind": "sewaktu", "hb_g_dl": "10,5"})
    assert r.status_code == 302 and r["Location"].endswith("#pemeriksaan")
    exam = Examination.objects.get(visit=adult_visit)
    assert exam.hb_g_dl == Decimal("10.5") and exam.bp_class == "tinggi" and exam.anaemia
    html = page(client, adult_visit)
    assert "160/100 mmHg" in html and "10,5 g/dL" in html and "Anemia" in html
    # the referral form is open and carries the findings
    assert "Tekanan darah tinggi (160/100 mmHg); Anemia (Hb 10,5 g/dL)" in html
    assert 'value="bp_tinggi"' in html and 'value="anemia"' in html


def test_a_bad_hb_keeps_what_was_typed_and_says_why(world, client, adult_visit):
    client.force_login(world.bidan_a)
    url = f"/kunjungan/{adult_visit.uuid}/periksa/"
    r = client.post(url, {"systolic": "120", "diastolic": "80", "hb_g_dl": "25"})
    assert r.status_code == 422
    html = r.content.decode()
    assert 'value="25"' in html and 'value="120"' in html
    assert "Nilai di luar rentang wajar (3–20 g/dL); periksa lagi." in html
    r = client.post(url, {"hb_g_dl": "1.234,5"})
    assert r.status_code == 422
    assert 'value="1.234,5"' in r.content.decode() and "Jangan pakai titik ribuan" in r.content.decode()
    assert not Examination.objects.exists()


def test_srq20_with_six_yes_says_refer(world, client, adult_visit):
    client.force_login(world.bidan_a)
    url = f"/kunjungan/{adult_visit.uuid}/skrining/srq20/"
    html = client.get(url).content.decode()
    assert "Apakah Anda sering menderita sakit kepala?" in html and html.count('value="ya"') == 20

    answers = {f"q{n}": "ya" if n <= 6 else "tidak" for n in range(1, 21)}
    r = client.post(url, answers)
    assert r.status_code == 302 and r["Location"] == url
    row = Screening.objects.get(visit=adult_visit, instrument="srq20")
    assert (row.score, row.outcome, row.refer) == (6, "perlu_rujuk", True)
    html = client.get(url).content.decode()
    assert "Perlu rujuk" in html and '<span class="score">6</span>' in html
    assert "Kemungkinan masalah mental emosional" in html
    html = page(client, adult_visit)
    assert "perlu rujuk" in html and "SRQ-20: Kemungkinan masalah mental emosional" in html


def test_a_missing_screening_answer_keeps_the_others(world, client, adult_visit):
    client.force_login(world.bidan_a)
    url = f"/kunjungan/{adult_visit.uuid}/skrining/srq20/"
    answers = {f"q{n}": "tidak" for n in range(1, 20)}  # q20 not answered
    r = client.post(url, answers)
    assert r.status_code == 422
    html = r.content.decode()
    assert "Jawab pertanyaan ini dengan ya atau tidak." in html
    assert len(re.findall(r'<input[^>]*value="tidak"[^>]*checked', html)) == 19
    assert not Screening.objects.exists()


def test_lansia_sees_the_adl_options_and_puma_takes_sex_and_age_from_the_register(world, client, day):
    visit = at_step4(day, make_person(world.a1, name="Mbah Karto", sex="L", birth_date=date(1950, 1, 1)))
    client.force_login(world.bidan_a)
    html = page(client, visit)
    for code in ("srq20", "puma", "skilas", "adl"):
        assert f"/skrining/{code}/" in html
    adl = client.get(f"/kunjungan/{visit.uuid}/skrining/adl/").content.decode()
    assert "Terkendali teratur (2)" in adl
    puma = client.get(f"/kunjungan/{visit.uuid}/skrining/puma/").content.decode()
    assert 'name="jenis_kelamin"' not in puma and 'name="lama_merokok_tahun"' in puma


def test_a_child_gets_no_adult_screening(world, client, baby_visit):
    client.force_login(world.bidan_a)
    assert "/skrining/" not in page(client, baby_visit)
    html = client.get(f"/kunjungan/{baby_visit.uuid}/skrining/srq20/").content.decode()
    assert "untuk usia 18 tahun ke atas" in html and 'name="q1"' not in html
    assert client.get(f"/kunjungan/{baby_visit.uuid}/skrining/bukan/").status_code == 404


def test_a_referral_moves_from_dirujuk_to_diterima(world, client, adult_visit):
    client.force_login(world.bidan_a)
    r = client.post(f"/kunjungan/{adult_visit.uuid}/rujuk/", {"reason": "Nyeri dada berulang"})
    assert r.status_code == 302 and r["Location"].endswith("#rujuk")
    referral = Referral.objects.get(person=adult_visit.person)
    assert referral.status == Referral.Status.DIRUJUK and referral.made_by == world.bidan_a

    listing = client.get("/rujukan/").content.decode()
    assert "Ibu Sari" in listing and "Nyeri dada berulang" in listing and 'value="diterima"' in listing
    r = client.post(f"/rujukan/{referral.uuid}/status/", {"status": "diterima"})
    assert r.status_code == 302 and r["Location"] == "/rujukan/"
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DITERIMA and referral.status_changed_by == world.bidan_a

    # back to dirujuk is not a step: the Indonesian reason, nothing changes
    r = client.post(f"/rujukan/{referral.uuid}/status/", {"status": "dirujuk"})
    assert r.status_code == 422
    assert "tidak bisa diubah menjadi" in r.content.decode()
    # cancelling needs a reason
    r = client.post(f"/rujukan/{referral.uuid}/status/", {"status": "batal"})
    assert r.status_code == 422 and "Tulis alasan rujukan dibatalkan." in r.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DITERIMA

    # from the visit page the bidan comes back to the visit page
    nxt = f"/kunjungan/{adult_visit.uuid}/#rujuk"
    r = client.post(f"/rujukan/{referral.uuid}/status/", {"status": "ditindaklanjuti", "next": nxt})
    assert r.status_code == 302 and r["Location"] == nxt
    r = client.post(f"/rujukan/{referral.uuid}/status/", {"status": "batal", "next": "https://contoh.test/"})
    assert r.status_code == 422  # finished; and the outside "next" is never followed
    assert "https://contoh.test/" not in r.get("Location", "")


def test_the_referral_list_shows_only_the_users_posyandu(world, client, adult_visit):
    client.force_login(world.bidan_a)
    client.post(f"/kunjungan/{adult_visit.uuid}/rujuk/", {"reason": "Nyeri dada berulang"}, follow=True)
    client.force_login(world.kader_b1)
    html = client.get("/rujukan/?semua=1").content.decode()
    assert "Ibu Sari" not in html
    client.force_login(world.kader_a1)
    html = client.get("/rujukan/").content.decode()
    assert "Ibu Sari" in html and 'value="diterima"' not in html  # a kader sees, cannot change


def test_vitamin_a_and_supplements(world, client, day):
    born = months_before(day.date, 8)
    visit = at_step4(day, make_person(world.a1, name="Bayi Vitamin", sex="P", birth_date=born))
    client.force_login(world.bidan_a)
    r = client.post(f"/kunjungan/{visit.uuid}/suplemen/", {"kind": "vitamin_a_biru", "quantity": "1"})
    assert r.status_code == 302 and r["Location"].endswith("#suplemen")
    r = client.post(f"/kunjungan/{visit.uuid}/suplemen/", {"kind": "vitamin_a_merah"})
    assert r.status_code == 422 and "usia anak ini 8 bulan" in r.content.decode()
    r = client.post(f"/kunjungan/{visit.uuid}/suplemen/", {"kind": "pmt", "quantity": "2,5"})
    assert r.status_code == 422 and 'value="2,5"' in r.content.decode()
    assert list(Supplement.objects.values_list("kind", flat=True)) == ["vitamin_a_biru"]
    assert "Vitamin A biru (100.000 IU)" in page(client, visit)


def test_anc_for_an_ibu_hamil(world, client, day):
    mother = make_person(world.a1, name="Ibu Hamil Uji", sex="P", birth_date=date(1996, 2, 2))
    hpht = day.date - timedelta(weeks=24)
    Pregnancy.objects.create(person=mother, hpht=hpht, due_date=hpht + timedelta(days=280))
    visit = at_step4(day, mother)
    client.force_login(world.bidan_a)
    html = page(client, visit)
    assert "Usia kehamilan <strong>24 minggu</strong> (trimester 2)" in html and "/anc/" in html
    r = client.post(f"/kunjungan/{visit.uuid}/anc/", {"tfu_cm": "22,5", "djj": "140",
                                                       "ttd_tablets": "30", "kelas_ibu": "on"})
    assert r.status_code == 302 and r["Location"].endswith("#anc")
    check = AncCheck.objects.get(visit=visit)
    assert (check.tfu_cm, check.djj, check.kelas_ibu, check.gestational_weeks) == (Decimal("22.5"), 140, True, 24)
    r = client.post(f"/kunjungan/{visit.uuid}/anc/", {"djj": "400"})
    assert r.status_code == 422 and 'value="400"' in r.content.decode()
    assert "per menit" in r.content.decode()
