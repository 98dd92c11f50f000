"""Service-day allocation: the plan's warnings (each fires and stays quiet),
who may plan, who may be planned, and the queue routed to whoever staffs
each step on the day board."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ilp.models import Person, Pregnancy, ServiceDay, Step, Visit
from kader.models.team import ServiceDayStaff
from kader.selectors.team import PlannedStaff, day_plan, expected_counts, plan_warnings
from posyandu.models import Role
from posyandu.reference import table
from tests.factories import make_person, make_user
from tests.kader.team_support import B, D, H, make_team, verify

pytestmark = pytest.mark.django_db

REFUSED_PLAN = ("Hanya bidan, petugas Puskesmas atau ketua kader posyandu ini yang dapat "
                "merencanakan petugas hari buka.")


def _plan(day, step, user, by=None):
    return ServiceDayStaff.objects.create(service_day=day, posyandu=day.posyandu, step=step,
                                          user=user, planned_by=by)


def _codes(day):
    return sorted((w.code, w.step) for w in day_plan(day=day).warnings)


def _years_ago(years, on=None):
    on = on or timezone.localdate()
    return on.replace(year=on.year - years) - timedelta(days=10)


# ---------------------------------------------------------------- pure function
RULE = {
    "skill_steps": [2, 3, 5],
    "sasaran": [
        {"code": "balita", "label": "balita", "skill_group": "bayi_balita"},
        {"code": "ibu_hamil", "label": "ibu hamil", "skill_group": "ibu_hamil"},
        {"code": "dewasa_lansia", "label": "usia dewasa/lansia", "skill_group": "dewasa_lansia"},
    ],
}
LABELS = {"bayi_balita": "bayi dan balita", "ibu_hamil": "ibu hamil dan menyusui",
          "dewasa_lansia": "usia dewasa/produktif dan lansia"}


def test_plan_warnings_pure():
    full = [PlannedStaff(10 + s, f"P{s}", s, frozenset({"bayi_balita"})) for s in (1, 2, 3, 5)]
    full.append(PlannedStaff(20, "Bidan", 4))
    assert plan_warnings(planned=full, expected={"balita": 3}, rule=RULE, group_labels=LABELS) == []
    # nobody on step 3 and 4
    partial = [p for p in full if p.step not in (3, 4)]
    warnings = plan_warnings(planned=partial, expected={"balita": 3}, rule=RULE, group_labels=LABELS)
    assert [(w.code, w.step) for w in warnings] == [("unstaffed", 3), ("unstaffed", 4)]
    assert warnings[0].message == "Langkah 3 (Pencatatan) belum ada petugasnya."
    # ibu hamil expected: every kader on 2, 3, 5 lacks that group; step 1 and the bidan are not checked
    warnings = plan_warnings(planned=full, expected={"balita": 3, "ibu_hamil": 2}, rule=RULE,
                             group_labels=LABELS)
    assert [(w.code, w.step, w.user_id) for w in warnings] == [
        ("skill_group", 2, 12), ("skill_group", 3, 13), ("skill_group", 5, 15)]
    assert warnings[0].message == ("P2 (langkah 2) belum terverifikasi keterampilan kelompok "
                                   "ibu hamil dan menyusui (2 ibu hamil diharapkan).")
    # zero expected of a kind: no warning for it
    assert plan_warnings(planned=full, expected={"balita": 3, "ibu_hamil": 0, "dewasa_lansia": 0},
                         rule=RULE, group_labels=LABELS) == []
    warnings = plan_warnings(planned=full, expected={}, rule=RULE, group_labels=LABELS,
                             elsewhere={20: ["Posyandu Mawar"]})
    assert [(w.code, w.user_id) for w in warnings] == [("double_booked", 20)]
    assert warnings[0].message == "Bidan juga direncanakan di Posyandu Mawar pada tanggal yang sama."


# ---------------------------------------------------------------- warnings from the database
def test_unstaffed_steps_fire_and_clear(world):
    t = make_team(world)
    assert _codes(t.day) == [("unstaffed", s) for s in (1, 2, 3, 4, 5)]
    for step, profile in ((1, t.ani), (2, t.ani), (3, t.budi), (5, t.ketua)):
        _plan(t.day, step, profile.user)
    assert _codes(t.day) == [("unstaffed", 4)]
    _plan(t.day, 4, world.bidan_a)
    assert _codes(t.day) == []  # nobody expected yet: no skill warning either


def test_skill_group_for_expected_balita(world):
    t = make_team(world)
    make_person(world.a1, birth_date=_years_ago(2))  # a balita in the area
    make_person(world.a1, birth_date=_years_ago(7))  # a school child: not expected by the registry
    assert expected_counts(day=t.day) == {"balita": 1, "ibu_hamil": 0, "remaja": 0,
                                          "dewasa_lansia": 0}
    _plan(t.day, 1, t.budi.user)  # step 1 needs no skill group
    _plan(t.day, 2, t.ani.user)
    warnings = [w for w in day_plan(day=t.day).warnings if w.code == "skill_group"]
    assert [(w.step, w.user_id) for w in warnings] == [(2, t.ani.user_id)]
    assert "Ani Lestari (langkah 2)" in warnings[0].message and "bayi dan balita" in warnings[0].message
    verify(t.ani, B[:-1], world.bidan_a)  # seven of eight: still missing
    assert [w.code for w in day_plan(day=t.day).warnings].count("skill_group") == 1
    verify(t.ani, B[-1:], world.bidan_a)
    assert [w.code for w in day_plan(day=t.day).warnings].count("skill_group") == 0


def test_skill_group_for_expected_ibu_hamil(world):
    t = make_team(world)
    mother = make_person(world.a1, sex="P", birth_date=_years_ago(28))
    preg = Pregnancy.objects.create(person=mother, hpht=t.day.date - timedelta(days=100),
                                    due_date=t.day.date + timedelta(days=180))
    verify(t.ani, B, world.bidan_a)
    _plan(t.day, 5, t.ani.user)
    warnings = [w for w in day_plan(day=t.day).warnings if w.code == "skill_group"]
    assert len(warnings) == 1 and "ibu hamil dan menyusui (1 ibu hamil diharapkan)" in warnings[0].message
    verify(t.ani, H, world.bidan_a)
    assert not [w for w in day_plan(day=t.day).warnings if w.code == "skill_group"]
    # a pregnancy that ended is not expected
    SkillVerifications = t.ani.skills
    SkillVerifications.filter(skill_code__startswith="H").delete()
    preg.outcome, preg.outcome_date = "lahir_hidup", t.day.date - timedelta(days=1)
    preg.save()
    assert not [w for w in day_plan(day=t.day).warnings if w.code == "skill_group"]


def test_skill_group_for_adults_only_when_they_come(world):
    t = make_team(world)
    adult = make_person(world.a1, birth_date=_years_ago(45))
    make_person(world.a1, birth_date=_years_ago(70))  # lansia who never came
    _plan(t.day, 2, t.ani.user)
    assert expected_counts(day=t.day)["dewasa_lansia"] == 0
    assert not [w for w in day_plan(day=t.day).warnings if w.code == "skill_group"]
    earlier = ServiceDay.objects.create(posyandu=world.a1, date=t.day.date - timedelta(days=60),
                                        status=ServiceDay.Status.CLOSED)
    Visit.objects.create(posyandu=world.a1, person=adult, service_day=earlier, date=earlier.date,
                         step=Step.DONE)
    assert expected_counts(day=t.day)["dewasa_lansia"] == 1
    warnings = [w for w in day_plan(day=t.day).warnings if w.code == "skill_group"]
    assert len(warnings) == 1 and "usia dewasa/produktif dan lansia" in warnings[0].message
    verify(t.ani, D, world.bidan_a)
    assert not [w for w in day_plan(day=t.day).warnings if w.code == "skill_group"]


def test_bidan_planned_at_two_posyandu_the_same_date(world):
    t = make_team(world)
    _plan(t.day, 4, world.bidan_a)
    assert "double_booked" not in [w.code for w in day_plan(day=t.day).warnings]
    other = ServiceDay.objects.create(posyandu=world.a2, date=t.day.date)
    _plan(other, 4, world.bidan_a)
    for day, elsewhere in ((t.day, "Posyandu Mawar"), (other, "Posyandu Melati")):
        warnings = [w for w in day_plan(day=day).warnings if w.code == "double_booked"]
        assert len(warnings) == 1 and elsewhere in warnings[0].message
    other.date = t.day.date + timedelta(days=1)
    other.save()
    assert "double_booked" not in [w.code for w in day_plan(day=t.day).warnings]


# ---------------------------------------------------------------- who may plan, who may be planned
def _add(client, day, step, user, follow=False):
    return client.post(reverse("kader:day-plan", kwargs={"uuid": day.uuid}),
                       {"step": step, "user": user.pk}, follow=follow)


def test_ketua_bidan_and_puskesmas_plan(world, client_as):
    t = make_team(world)
    assert _add(client_as(world.kader_a1), t.day, 2, t.ani.user).status_code == 302
    assert _add(client_as(world.bidan_a), t.day, 4, world.bidan_a).status_code == 302
    assert _add(client_as(world.staff_a), t.day, 3, t.budi.user).status_code == 302
    _add(client_as(world.kader_a1), t.day, 2, t.ani.user)  # double tap: once
    rows = sorted(ServiceDayStaff.objects.values_list("step", "user__username", "planned_by__username"))
    assert rows == [(2, "ani", "kader_a1"), (3, "budi", "staff_a"), (4, "bidan_a", "bidan_a")]


def test_plain_kader_may_not_plan(world, client_as):
    t = make_team(world)
    response = _add(client_as(t.ani.user), t.day, 2, t.ani.user, follow=True)
    assert REFUSED_PLAN in response.content.decode()
    assert not ServiceDayStaff.objects.exists()


def test_other_posyandu_bidan_gets_404(world, client_as):
    t = make_team(world)
    bidan_b = make_user("bidan_b", role=Role.BIDAN, posyandu=world.b1)
    assert _add(client_as(bidan_b), t.day, 2, t.ani.user).status_code == 404
    row = _plan(t.day, 2, t.ani.user)
    response = client_as(bidan_b).post(reverse("kader:day-plan-remove", kwargs={"uuid": row.uuid}))
    assert response.status_code == 404
    assert ServiceDayStaff.objects.count() == 1


@pytest.mark.parametrize("step, who, message", [
    (2, "kader_a2", "Langkah 1, 2, 3 dan 5 dilayani kader aktif posyandu ini."),
    (4, "ani", "Langkah 4 dilayani bidan/perawat yang membina posyandu ini."),
    (2, "bidan_a", "Langkah 1, 2, 3 dan 5 dilayani kader aktif posyandu ini."),
])
def test_who_may_staff_a_step(world, client_as, step, who, message):
    t = make_team(world)
    users = {"kader_a2": world.kader_a2, "ani": t.ani.user, "bidan_a": world.bidan_a}
    response = client_as(world.bidan_a).post(reverse("kader:day-plan", kwargs={"uuid": t.day.uuid}),
                                             {"step": step, "user": users[who].pk})
    assert response.status_code == 422
    assert not ServiceDayStaff.objects.exists()
    if who != "kader_a2":  # kader_a2 is not even offered in the list
        assert message in response.content.decode()


def test_inactive_kader_cannot_be_planned_and_closed_day_is_fixed(world, client_as):
    t = make_team(world)
    t.budi.is_active = False
    t.budi.save()
    assert _add(client_as(world.bidan_a), t.day, 3, t.budi.user).status_code == 422
    _plan(t.day, 2, t.ani.user)
    t.day.status = ServiceDay.Status.CLOSED
    t.day.save()
    response = _add(client_as(world.bidan_a), t.day, 3, t.ketua.user)
    assert "sudah ditutup" in response.content.decode()
    row = ServiceDayStaff.objects.get()
    client_as(world.bidan_a).post(reverse("kader:day-plan-remove", kwargs={"uuid": row.uuid}))
    assert ServiceDayStaff.objects.count() == 1


def test_remove_from_plan(world, client_as):
    t = make_team(world)
    row = _plan(t.day, 2, t.ani.user)
    response = client_as(t.ani.user).post(reverse("kader:day-plan-remove", kwargs={"uuid": row.uuid}),
                                          follow=True)
    assert REFUSED_PLAN in response.content.decode()
    client_as(world.kader_a1).post(reverse("kader:day-plan-remove", kwargs={"uuid": row.uuid}))
    assert not ServiceDayStaff.objects.exists()


def test_plan_page_shows_staff_warnings_and_expected(world, client_as):
    t = make_team(world)
    make_person(world.a1, birth_date=_years_ago(1))
    _plan(t.day, 2, t.ani.user)
    body = client_as(world.kader_a1).get(reverse("kader:day-plan", kwargs={"uuid": t.day.uuid})).content.decode()
    assert "1 balita" in body
    assert "Langkah 4 (Pemeriksaan) belum ada petugasnya." in body
    assert "Ani Lestari (langkah 2) belum terverifikasi" in body
    assert "Tambah petugas" in body
    body = client_as(t.ani.user).get(reverse("kader:day-plan", kwargs={"uuid": t.day.uuid})).content.decode()
    assert "Tambah petugas" not in body and "Ani Lestari" in body


# ---------------------------------------------------------------- queue routing on the day board
def _open_day_with_visit(world, t):
    t.day.status = ServiceDay.Status.OPEN
    t.day.save()
    child = make_person(world.a1, name="Dimas Kecil", birth_date=_years_ago(2))
    visit = Visit.objects.create(posyandu=world.a1, person=child, service_day=t.day,
                                 date=t.day.date, step=Step.MEASURE)
    return visit


def test_board_shows_my_step_first_and_who_staffs_each_step(world, client_as):
    t = make_team(world)
    _open_day_with_visit(world, t)
    _plan(t.day, 2, t.budi.user)
    _plan(t.day, 3, t.ani.user)
    _plan(t.day, 4, world.bidan_a)
    world.bidan_a.first_name, world.bidan_a.last_name = "Bidan", "Rina"
    world.bidan_a.save()
    body = client_as(t.ani.user).get(reverse("ilp:day-detail", kwargs={"uuid": t.day.uuid})).content.decode()
    assert "Tugasmu: Langkah 3" in body
    assert body.index("3. Pencatatan") < body.index("2. Penimbangan")  # ani's step first
    assert "petugas: Budi Santoso" in body and "petugas: Ani Lestari" in body
    assert "petugas: Bidan Rina" in body
    # for budi, step 2 comes first; the ketua (no step) sees the usual order
    body = client_as(t.budi.user).get(reverse("ilp:day-detail", kwargs={"uuid": t.day.uuid})).content.decode()
    assert "Tugasmu: Langkah 2" in body
    assert body.index("2. Penimbangan") < body.index("3. Pencatatan")
    body = client_as(world.kader_a1).get(reverse("ilp:day-detail", kwargs={"uuid": t.day.uuid})).content.decode()
    assert "Tugasmu" not in body
    assert "Langkah 1 (Pendaftaran) belum ada petugasnya." in body


def test_moved_visit_says_who_takes_it(world, client_as):
    t = make_team(world)
    visit = _open_day_with_visit(world, t)
    _plan(t.day, 3, t.ani.user)
    _plan(t.day, 4, world.bidan_a)
    world.bidan_a.first_name, world.bidan_a.last_name = "Bidan", "Rina"
    world.bidan_a.save()
    client = client_as(t.budi.user)
    response = client.post(reverse("ilp:visit-move", kwargs={"uuid": visit.uuid}), {"to": 3}, follow=True)
    assert "Dimas Kecil menunggu di 3. Pencatatan, dilayani Ani Lestari." in response.content.decode()
    response = client_as(t.ani.user).post(reverse("ilp:visit-move", kwargs={"uuid": visit.uuid}),
                                          {"to": 4}, follow=True)
    assert "menunggu di 4. Pemeriksaan (bidan), dilayani Bidan Rina." in response.content.decode()
    # nobody planned on step 5: no routing message
    response = client_as(world.bidan_a).post(reverse("ilp:visit-move", kwargs={"uuid": visit.uuid}),
                                             {"to": 5}, follow=True)
    assert "menunggu di 5" not in response.content.decode()


def test_weighing_moves_to_step_3_and_names_its_kader(world, client_as):
    t = make_team(world)
    visit = _open_day_with_visit(world, t)
    _plan(t.day, 3, t.ani.user)
    response = client_as(t.budi.user).post(
        reverse("ilp:visit-measure", kwargs={"uuid": visit.uuid}),
        {"weight_kg": "12,1", "length_cm": "86", "length_method": "standing"}, follow=True)
    assert "dilayani Ani Lestari" in response.content.decode()
    visit.refresh_from_db()
    assert visit.step == Step.RECORD


def test_expected_counts_match_the_day_queue_selector(world):
    """Balita and ibu hamil counted here are those ilp.selectors.day.expected_sasaran returns."""
    from ilp.selectors.day import expected_sasaran

    t = make_team(world)
    make_person(world.a1, birth_date=_years_ago(1))
    make_person(world.a1, birth_date=_years_ago(4))
    make_person(world.a1, birth_date=_years_ago(6))  # apras/school age: not a balita
    mother = make_person(world.a1, sex="P", birth_date=_years_ago(25))
    Pregnancy.objects.create(person=mother, hpht=t.day.date - timedelta(days=30),
                             due_date=t.day.date + timedelta(days=250))
    counts = expected_counts(day=t.day)
    assert counts["balita"] == 2 and counts["ibu_hamil"] == 1
    assert expected_sasaran(day=t.day).count() == counts["balita"] + counts["ibu_hamil"]
    assert Person.objects.count() == 4
    assert table("kader_skills", date(2026, 1, 1))["allocation"]["skill_steps"] == [2, 3, 5]
