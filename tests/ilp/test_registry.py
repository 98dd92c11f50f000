"""Registry rules: identity checks, duplicates, merge, audit."""

import logging
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ilp.identity import IdentityError, normalise_name, parse_nik, validate_bpjs, validate_kk
from ilp.models import Measurement, Person, Pregnancy, ServiceDay, Visit
from ilp.services import registry as svc
from tests.factories import make_household, make_person

# A woman born 15 May 1990 (day 15 + 40 = 55), registered in Jember (35.09.01).
NIK_WOMAN = "3509015505900001"
NIK_MAN = "3509011207850002"


def data(**over):
    base = {"name": "Siti Aminah", "sex": "P", "birth_date": date(1990, 5, 15)}
    base.update(over)
    return base


class TestIdentity:
    def test_valid_nik_parts(self):
        parts = parse_nik("35.0901.550590.0001")
        assert (parts.day, parts.month, parts.year2, parts.female) == (15, 5, 90, True)

    @pytest.mark.parametrize(
        "nik,message",
        [
            ("350901550590001", "16 angka; yang diisi 15"),
            ("3509015505900001X", "hanya boleh berisi angka"),
            ("3509013213900001", "Bulan lahir"),  # month 13
            ("3509017505900001", "Tanggal lahir pada NIK"),  # day 75 - 40 = 35
            ("3509013002900001", "Tanggal lahir pada NIK"),  # 30 February
            ("0109015505900001", "kode provinsi"),
            ("3509015505900000", "Nomor urut"),
        ],
    )
    def test_impossible_nik_is_refused_with_reason(self, nik, message):
        with pytest.raises(IdentityError, match=message):
            parse_nik(nik)

    def test_kk_and_bpjs_lengths(self):
        assert validate_kk("3509 0101 0101 0001") == "3509010101010001"
        with pytest.raises(IdentityError, match="Nomor KK harus 16 angka"):
            validate_kk("35090101010100")
        assert validate_bpjs("0001234567890") == "0001234567890"
        with pytest.raises(IdentityError, match="13 angka"):
            validate_bpjs("12345")

    @pytest.mark.parametrize(
        "a,b",
        [("By. Ny. Siti", "siti"), ("Moehammad  Djoko", "muhamad joko"), ("Nurul   Aini", "nurul aini")],
    )
    def test_name_normalisation(self, a, b):
        assert normalise_name(a) == normalise_name(b)


@pytest.mark.django_db
class TestPersonCreate:
    def test_registers_with_cleaned_numbers(self, world):
        p = svc.person_create(
            user=world.kader_a1, posyandu=world.a1,
            data=data(nik="3509 0155 0590 0001", phone="+62 812-3456-7890", rt="3", rw="12"),
        )
        p.refresh_from_db()
        assert (p.nik, p.phone, p.rt, p.rw) == (NIK_WOMAN, "081234567890", "003", "012")
        assert p.name_key == "siti aminah"

    @pytest.mark.parametrize(
        "over,field,message",
        [
            ({"nik": "12345"}, "nik", "NIK harus 16 angka"),
            ({"nik": NIK_MAN}, "nik", "Jenis kelamin tidak sesuai NIK"),
            ({"nik": "3509015506900001"}, "nik", "Tanggal lahir tidak sama"),
            ({"birth_date": date(2099, 1, 1)}, "birth_date", "masa depan"),
            ({"birth_date": date(1880, 1, 1)}, "birth_date", "lebih dari 120 tahun"),
            ({"bpjs_number": "123"}, "bpjs_number", "13 angka"),
            ({"name": " "}, "name", "Nama wajib diisi"),
            ({"rt": "x1"}, "rt", "RT/RW diisi angka"),
        ],
    )
    def test_bad_input_is_refused_in_bahasa_indonesia(self, world, over, field, message):
        with pytest.raises(ValidationError) as exc:
            svc.person_create(user=world.kader_a1, posyandu=world.a1, data=data(**over))
        assert any(message in m for m in exc.value.message_dict[field])
        assert Person.objects.count() == 0  # nothing half saved

    def test_estimated_birth_date_skips_the_nik_date_check(self, world):
        p = svc.person_create(
            user=world.kader_a1, posyandu=world.a1,
            data=data(nik=NIK_WOMAN, birth_date=date(1990, 7, 1), birth_date_estimated=True),
        )
        assert p.nik == NIK_WOMAN

    def test_kader_cannot_register_in_another_posyandu_and_dinkes_cannot_write(self, world):
        with pytest.raises(PermissionDenied):
            svc.person_create(user=world.kader_a1, posyandu=world.b1, data=data())
        with pytest.raises(PermissionDenied):
            svc.person_create(user=world.dinkes_1, posyandu=world.a1, data=data())

    def test_infant_without_nik_keeps_mothers_nik(self, world):
        mother = svc.person_create(user=world.kader_a1, posyandu=world.a1, data=data(nik=NIK_WOMAN))
        baby = svc.person_create(
            user=world.kader_a1, posyandu=world.a1, mother=mother,
            data={"name": "Bayi Siti", "sex": "L", "birth_date": date(2026, 10, 1),
                  "mother_nik": NIK_WOMAN},
        )
        assert baby.nik is None and baby.mother_nik == NIK_WOMAN and baby.mother == mother

    def test_mother_must_be_a_woman_old_enough(self, world):
        father = make_person(world.a1, sex="L", birth_date=date(1985, 1, 1))
        with pytest.raises(ValidationError, match="Ibu harus perempuan"):
            svc.person_create(user=world.kader_a1, posyandu=world.a1, mother=father,
                              data=data(name="Anak", birth_date=date(2025, 1, 1)))
        girl = make_person(world.a1, sex="P", birth_date=date(2020, 1, 1))
        with pytest.raises(ValidationError, match="10 tahun"):
            svc.person_create(user=world.kader_a1, posyandu=world.a1, mother=girl,
                              data=data(name="Anak", birth_date=date(2025, 1, 1)))

    def test_household_of_another_posyandu_is_refused(self, world):
        other = make_household(world.a2)
        with pytest.raises(ValidationError, match="posyandu lain"):
            svc.person_create(user=world.bidan_a, posyandu=world.a1, household=other, data=data())


@pytest.mark.django_db
class TestDuplicates:
    def test_same_nik_is_a_duplicate(self, world):
        first = svc.person_create(user=world.kader_a1, posyandu=world.a1, data=data(nik=NIK_WOMAN))
        with pytest.raises(svc.DuplicateSuspected) as exc:
            svc.person_create(user=world.kader_a1, posyandu=world.a1,
                              data=data(name="Siti A.", nik=NIK_WOMAN))
        assert exc.value.candidates == [first]

    def test_same_nik_elsewhere_is_refused_without_revealing_who(self, world):
        svc.person_create(user=world.kader_b1, posyandu=world.b1, data=data(nik=NIK_WOMAN))
        with pytest.raises(ValidationError) as exc:
            svc.person_create(user=world.kader_a1, posyandu=world.a1,
                              data=data(name="Orang Lain", nik=NIK_WOMAN))
        assert not isinstance(exc.value, svc.DuplicateSuspected)
        assert "sudah terdaftar" in exc.value.message_dict["nik"][0]
        assert "Siti" not in str(exc.value)

    def test_same_normalised_name_birth_and_mother(self, world):
        mother = make_person(world.a1, name="Ibu Rina", sex="P", birth_date=date(1995, 1, 1))
        child = make_person(world.a1, name="Muhammad Rizky", birth_date=date(2024, 3, 3),
                            mother=mother)
        with pytest.raises(svc.DuplicateSuspected) as exc:
            svc.person_create(user=world.kader_a1, posyandu=world.a1, mother=mother,
                              data={"name": "Moehammad  Rizky", "sex": "L",
                                    "birth_date": date(2024, 3, 3)})
        assert exc.value.candidates == [child]
        # a twin with another name is not a duplicate; confirmed "not the same" saves
        twin = svc.person_create(user=world.kader_a1, posyandu=world.a1, mother=mother,
                                 data={"name": "Muhammad Rizki", "sex": "L",
                                       "birth_date": date(2024, 3, 3)}, not_duplicate=True)
        assert twin.pk

    def test_mother_by_free_text_name(self, world):
        make_person(world.a1, name="Putri Ayu", sex="P", birth_date=date(2025, 2, 2),
                    mother_name="Ny. Dewi Lestari")
        with pytest.raises(svc.DuplicateSuspected):
            svc.person_create(user=world.kader_a1, posyandu=world.a1,
                              data={"name": "putri ayu", "sex": "P", "birth_date": date(2025, 2, 2),
                                    "mother_name": "Dewi Lestari"})
        other_mother = svc.person_create(
            user=world.kader_a1, posyandu=world.a1,
            data={"name": "Putri Ayu", "sex": "P", "birth_date": date(2025, 2, 2),
                  "mother_name": "Sri Wahyuni"},
        )
        assert other_mother.pk


@pytest.mark.django_db
class TestMerge:
    def _visit(self, person, day):
        sd, _ = ServiceDay.objects.get_or_create(posyandu=person.posyandu, date=day)
        visit = Visit.objects.create(posyandu=person.posyandu, person=person, service_day=sd, date=day)
        return Measurement.objects.create(visit=visit, posyandu=person.posyandu, person=person,
                                          measured_on=day, weight_kg="8.5")

    def test_merge_keeps_every_measurement_child_and_pregnancy(self, world):
        keep = make_person(world.a1, name="Rina", sex="P", birth_date=date(1998, 4, 4))
        dupe = make_person(world.a1, name="Rina W", sex="P", birth_date=date(1998, 4, 4),
                           nik=NIK_WOMAN.replace("5505900001", "4404980001"), phone="081200001111")
        self._visit(keep, date(2026, 8, 10))
        self._visit(dupe, date(2026, 9, 10))
        self._visit(dupe, date(2026, 10, 10))
        child = make_person(world.a1, name="Anak Rina", birth_date=date(2025, 1, 1), mother=dupe)
        Pregnancy.objects.create(person=dupe, hpht=date(2026, 6, 1), due_date=date(2027, 3, 8))

        kept = svc.person_merge(user=world.bidan_a, keep=keep, remove=dupe)

        assert Measurement.objects.filter(person=kept).count() == 3
        assert Visit.objects.filter(person=kept).count() == 3
        assert Measurement.objects.filter(person=dupe).count() == 0
        child.refresh_from_db()
        assert child.mother == kept
        assert kept.pregnancies.count() == 1
        kept.refresh_from_db()
        dupe.refresh_from_db()
        assert kept.nik == "3509014404980001" and kept.phone == "081200001111"
        assert dupe.merged_into == kept and dupe.nik is None
        assert dupe not in Person.objects.active()

    def test_merge_refuses_same_day_visits_and_kader(self, world):
        a = make_person(world.a1, birth_date=date(2024, 1, 1))
        b = make_person(world.a1, birth_date=date(2024, 1, 1))
        with pytest.raises(PermissionDenied):
            svc.person_merge(user=world.kader_a1, keep=a, remove=b)
        self._visit(a, date(2026, 9, 1))
        self._visit(b, date(2026, 9, 1))
        with pytest.raises(ValidationError, match="tanggal yang sama"):
            svc.person_merge(user=world.bidan_a, keep=a, remove=b)

    def test_merge_across_puskesmas_is_refused(self, world):
        a = make_person(world.a1, birth_date=date(2024, 1, 1))
        b = make_person(world.b1, birth_date=date(2024, 1, 1))
        with pytest.raises(PermissionDenied):
            svc.person_merge(user=world.staff_a, keep=a, remove=b)


@pytest.mark.django_db
class TestPregnancy:
    def test_due_date_by_naegele_and_one_ongoing(self, world):
        woman = make_person(world.a1, sex="P", birth_date=date(1995, 1, 1))
        hpht = timezone.localdate() - timedelta(days=70)
        p = svc.pregnancy_create(user=world.kader_a1, person=woman, hpht=hpht)
        assert p.due_date == hpht + timedelta(days=280)
        assert "ibu_hamil" in woman.lifecycle_groups()
        with pytest.raises(ValidationError, match="masih tercatat hamil"):
            svc.pregnancy_create(user=world.kader_a1, person=woman, hpht=hpht)
        svc.pregnancy_close(user=world.kader_a1, pregnancy=p, outcome="lahir_hidup",
                            outcome_date=timezone.localdate())
        assert "ibu_nifas" in woman.lifecycle_groups()

    def test_men_have_no_pregnancy(self, world):
        man = make_person(world.a1, sex="L", birth_date=date(1990, 1, 1))
        with pytest.raises(ValidationError, match="perempuan"):
            svc.pregnancy_create(user=world.kader_a1, person=man, hpht=date(2026, 9, 1))


@pytest.mark.django_db
class TestAudit:
    def test_history_records_who_created_and_changed(self, world, client):
        client.force_login(world.kader_a1)
        response = client.post("/sasaran/baru/", {
            "posyandu": world.a1.pk, "name": "Dewi Sartika", "sex": "P", "birth_date": "1990-05-15",
        })
        assert response.status_code == 302
        person = Person.objects.get(name="Dewi Sartika")
        client.force_login(world.bidan_a)
        client.post(f"/sasaran/{person.uuid}/ubah/", {
            "name": "Dewi Sartika", "sex": "P", "birth_date": "1990-05-15", "phone": "081234567890",
        })
        history = list(person.history.order_by("history_date"))
        assert [h.history_type for h in history] == ["+", "~"]
        assert [h.history_user for h in history] == [world.kader_a1, world.bidan_a]
        assert history[-1].phone == "081234567890"

    def test_no_personal_data_in_logs(self, world, client, caplog):
        caplog.set_level(logging.DEBUG)
        client.force_login(world.kader_a1)
        client.post("/sasaran/baru/", {
            "posyandu": world.a1.pk, "name": "Kartini Rahasia", "sex": "P",
            "birth_date": "1990-05-15", "nik": NIK_WOMAN, "phone": "081298765432",
        })
        client.post("/sasaran/baru/", {"posyandu": world.a1.pk, "name": "Kartini Rahasia",
                                       "sex": "X", "birth_date": "2999-01-01", "nik": "123"})
        client.get("/sasaran/", {"q": "Kartini"})
        logged = caplog.text
        assert Person.objects.filter(nik=NIK_WOMAN).exists()
        for secret in ("Kartini", NIK_WOMAN, "081298765432"):
            assert secret not in logged


@pytest.mark.django_db
def test_history_names_the_user_outside_a_request_too(world):
    """Services may run from tasks and imports, with no request to read the user from."""
    p = svc.person_create(user=world.kader_a1, posyandu=world.a1, data=data())
    svc.person_update(user=world.bidan_a, person=p, data={"phone": "081234567890"})
    assert [h.history_user for h in p.history.order_by("history_date")] == [
        world.kader_a1, world.bidan_a]


@pytest.mark.django_db
def test_correcting_a_birth_date_recomputes_growth(world):
    """A wrong birth date changes every z-score: they follow the correction."""
    from ilp.services.measurements import measurements_recompute

    child = make_person(world.a1, sex="L", birth_date=date(2025, 1, 1))
    sd = ServiceDay.objects.create(posyandu=world.a1, date=date(2026, 1, 1))
    visit = Visit.objects.create(posyandu=world.a1, person=child, service_day=sd, date=sd.date)
    Measurement.objects.create(visit=visit, posyandu=world.a1, person=child, measured_on=sd.date,
                               weight_kg="9.6", length_cm="75.7", length_method="lying")
    measurements_recompute(person_ids=[child.pk])
    before = Measurement.objects.get().bbu_z
    svc.person_update(user=world.kader_a1, person=child, data={"birth_date": date(2025, 7, 1)})
    after = Measurement.objects.get()
    # WHO boys at 184 days: median ~7.9 kg, SD ~0.9 kg, so 9.6 kg is about +1.8
    assert after.age_days == 184 and before < 0 and 1.5 < after.bbu_z < 2.1
