"""The demo/benchmark area generator: deterministic, valid identities, a
plausible history, and an idempotent demo_data command."""

from collections import defaultdict
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from ilp.identity import nik_conflicts, parse_nik, validate_kk
from ilp.lifecycle import completed_months
from ilp.models import Household, Measurement, Person, Pregnancy, ServiceDay, Visit
from posyandu.demo.generator import generate_area, plan_area
from posyandu.models import Kabupaten, Membership, Posyandu, RtRw, User

pytestmark = pytest.mark.django_db

END = date(2026, 1, 1)
TINY = {
    "puskesmas": 1, "posyandu_per_puskesmas": 2, "people_per_posyandu": 60, "months": 4,
    "seed": 7, "end": END,
}


@pytest.fixture
def area():
    return generate_area(**TINY)


# ---------------------------------------------------------------- the plan (no database)


def test_same_seed_same_plan_other_seed_other_plan():
    a, b = plan_area(**TINY), plan_area(**TINY)
    assert a == b
    assert [p.nik for p in a.persons] == [p.nik for p in b.persons]
    assert [p.name for p in a.persons] == [p.name for p in b.persons]
    assert [v.weight_kg for v in a.visits] == [v.weight_kg for v in b.visits]
    c = plan_area(**{**TINY, "seed": 8})
    assert [p.nik for p in a.persons] != [p.nik for p in c.persons]
    assert [p.name for p in a.persons] != [p.name for p in c.persons]


def test_plan_proportions_and_events_at_a_larger_size():
    plan = plan_area(puskesmas=2, posyandu_per_puskesmas=3, people_per_posyandu=300,
                     months=12, seed=3, end=END)
    persons = plan.persons
    assert len(persons) == 6 * 300
    balita = [p for p in persons if completed_months(p.birth_date, END) < 60]
    assert 0.06 <= len(balita) / len(persons) <= 0.14
    assert any(p.birth_date >= plan.start for p in persons)  # births in the period
    assert any(p.died_on for p in persons)
    assert any(p.moved_on and p.moved_to for p in persons)
    outcomes = {x.outcome for x in plan.pregnancies}
    assert outcomes == {"berlangsung", "lahir_hidup"}
    for x in plan.pregnancies:
        assert x.due_date == x.hpht + timedelta(days=280)
        assert (x.outcome_date is None) == (x.outcome == "berlangsung")
    adults = [p for p in persons if completed_months(p.birth_date, END) >= 19 * 12]
    with_nik = sum(1 for p in adults if p.nik)
    assert 0.9 <= with_nik / len(adults) < 1
    infants = [p for p in persons if completed_months(p.birth_date, END) < 12]
    assert sum(1 for p in infants if not p.nik) > len(infants) / 2
    # usernames are unique across the area even though posyandu names repeat
    names = [u.username for u in plan.users]
    assert len(names) == len(set(names))


def test_usernames_unique_with_many_puskesmas():
    plan = plan_area(puskesmas=25, posyandu_per_puskesmas=2, people_per_posyandu=5, months=0,
                     end=END)
    names = [u.username for u in plan.users]
    assert len(names) == len(set(names))
    assert len({(p.desa, p.nama) for p in plan.posyandu}) == len(plan.posyandu)


# ---------------------------------------------------------------- written to the database


def test_area_is_written_with_counts(area):
    assert area.counts["Posyandu"] == Posyandu.objects.count() == 2
    assert area.counts["Person"] == Person.objects.count() == 120
    assert area.counts["Measurement"] == Measurement.objects.count() == Visit.objects.count()
    assert area.counts["RtRw"] == RtRw.objects.count()
    assert Kabupaten.objects.get().kode == "35.09"
    for pos in Posyandu.objects.all():
        assert pos.persons.count() == 60
        assert 3 <= Membership.objects.filter(posyandu=pos, role="kader").count() <= 5
        assert Membership.objects.filter(posyandu=pos, role="bidan").count() == 1
    assert Membership.objects.filter(role="puskesmas").count() == 1
    assert Membership.objects.filter(role="dinkes").count() == 1
    user = User.objects.get(username=area.logins[0].username)
    assert user.check_password("posyandu123")
    assert Person.objects.exclude(name_key="").count() == 120


def test_identity_numbers_are_valid(area):
    people = list(Person.objects.all())
    with_nik = [p for p in people if p.nik]
    assert with_nik
    for p in with_nik:
        parts = parse_nik(p.nik)
        assert nik_conflicts(parts, birth_date=p.birth_date, sex=p.sex) == []
        assert p.nik.startswith("3509")
    assert len({p.nik for p in with_nik}) == len(with_nik)
    for hh in Household.objects.all():
        assert validate_kk(hh.no_kk) == hh.no_kk and hh.no_kk.startswith("35")
        assert RtRw.objects.filter(posyandu=hh.posyandu_id, rt=hh.rt, rw=hh.rw).exists()
    for p in people:
        if p.bpjs_number:
            assert len(p.bpjs_number) == 13 and p.bpjs_number.isdigit()
        if p.phone:
            assert p.phone.startswith("08")
        if not p.nik and p.mother_id and p.mother.nik:
            assert p.mother_nik == p.mother.nik


def test_mothers_are_women_at_least_15_years_older(area):
    children = Person.objects.filter(mother__isnull=False).select_related("mother")
    assert children.exists()
    for child in children:
        mother = child.mother
        assert mother.sex == "P"
        assert mother.household_id == child.household_id
        assert child.birth_date - mother.birth_date >= timedelta(days=15 * 365)
        assert child.mother_name == mother.name
    for preg in Pregnancy.objects.select_related("person"):
        assert preg.person.sex == "P"


def test_one_visit_per_person_per_date_and_only_while_present(area):
    dup = Visit.objects.values("person", "date").annotate(n=Count("id")).filter(n__gt=1)
    assert not dup.exists()
    for m in Measurement.objects.select_related("person", "visit"):
        p = m.person
        assert m.measured_on == m.visit.date
        assert m.posyandu_id == p.posyandu_id == m.visit.posyandu_id
        assert m.measured_on >= p.birth_date
        assert p.died_on is None or m.measured_on < p.died_on
        assert p.moved_on is None or m.measured_on < p.moved_on
        assert m.visit.kind == "posyandu" and m.visit.service_day.date == m.measured_on
        # step 3 ran on the history: every balita weighing has its z-score and letter
        if m.age_months is not None and m.age_months < 60 and m.weight_kg:
            assert m.bbu_z is not None and m.trend in ("N", "T", "O", "B")
        assert m.is_bgm == (m.bbu_z is not None and m.bbu_z < -3)


def test_service_days_monthly_on_a_weekday_between_5_and_20(area):
    for pos in Posyandu.objects.all():
        days = list(ServiceDay.objects.filter(posyandu=pos).order_by("date"))
        assert len(days) == TINY["months"] + 1
        assert len({(d.date.year, d.date.month) for d in days}) == len(days)
        for d in days:
            assert 5 <= d.date.day <= 20 and d.date.weekday() < 5
            assert d.status == ("closed" if d.date < END else "planned")
            assert d.place
        assert not Visit.objects.filter(service_day__status="planned").exists()


def _balita_measurements():
    by_person = defaultdict(list)
    for m in Measurement.objects.select_related("person").order_by("measured_on"):
        age_days = (m.measured_on - m.person.birth_date).days
        if completed_months(m.person.birth_date, m.measured_on) < 60:
            by_person[m.person_id].append((m, age_days))
    return by_person


def test_balita_growth_methods_and_missed_months(area):
    by_person = _balita_measurements()
    assert by_person
    gains = []
    for rows in by_person.values():
        for m, age_days in rows:
            assert m.weight_kg is not None and m.length_cm is not None
            assert m.length_method == ("lying" if age_days < 731 else "standing")
            assert (m.head_cm is not None) == (age_days < 731)
            assert m.waist_cm is None
            assert m.weight_kg == m.weight_kg.quantize(m.weight_kg.__class__("0.1"))
        for (a, _), (b, _) in zip(rows, rows[1:], strict=False):
            gains.append(float(b.weight_kg - a.weight_kg))
    assert gains and sum(gains) / len(gains) > 0

    # some balita present on a closed service day were not weighed
    missed = 0
    for sd in ServiceDay.objects.filter(status="closed"):
        weighed = set(Visit.objects.filter(service_day=sd).values_list("person_id", flat=True))
        for p in Person.objects.filter(posyandu=sd.posyandu_id):
            if (
                p.birth_date <= sd.date - timedelta(days=7)
                and completed_months(p.birth_date, sd.date) < 60
                and p.is_present_on(sd.date)
                and p.id not in weighed
            ):
                missed += 1
    assert missed > 0


def test_adults_have_some_visits(area):
    adult = Measurement.objects.filter(waist_cm__isnull=False)
    assert adult.exists()
    for m in adult.select_related("person"):
        assert completed_months(m.person.birth_date, m.measured_on) >= 19 * 12
        assert m.length_method == "standing" and m.systolic and m.diastolic


# ---------------------------------------------------------------- demo_data


def test_demo_data_is_idempotent_and_prints_logins():
    out = StringIO()
    call_command("demo_data", stdout=out)
    first = out.getvalue()
    n_posyandu, n_person = Posyandu.objects.count(), Person.objects.count()
    assert n_posyandu == 3 and n_person == 360
    for username in ("kader", "bidan", "puskesmas", "dinkes", "admin"):
        assert User.objects.filter(username=username).exists()
        assert username in first
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="kader").check_password("posyandu123")
    assert "Login demo (kata sandi: posyandu123)" in first
    assert "kader (kader, Posyandu Melati)" in first

    out = StringIO()
    call_command("demo_data", stdout=out)
    again = out.getvalue()
    assert Posyandu.objects.count() == n_posyandu and Person.objects.count() == n_person
    assert User.objects.filter(username="admin").count() == 1
    assert "tidak dibuat" in again and "kader (kader, Posyandu Melati)" in again


def test_generate_area_command_and_second_area_in_same_database():
    out = StringIO()
    call_command("generate_area", "--puskesmas", "1", "--posyandu-per-puskesmas", "1",
                 "--people", "30", "--months", "2", "--end", "2026-01-01", stdout=out)
    assert "detik" in out.getvalue() and "Posyandu: 1" in out.getvalue()
    # a second area with another kabupaten code: usernames that clash are renamed
    call_command("generate_area", "--puskesmas", "1", "--posyandu-per-puskesmas", "1",
                 "--people", "30", "--months", "2", "--end", "2026-01-01",
                 "--kabupaten", "35.10", stdout=StringIO())
    assert Posyandu.objects.count() == 2
    assert User.objects.filter(username__startswith="kader.melati1").count() == 2
