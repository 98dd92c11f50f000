"""Home visits: the service (one transaction, idempotent on client_id, the
weight counts for the month's D, the task closes, the bidan's examination and
referral), the pages and the API."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ilp.models import Examination, Measurement, Referral, ServiceDay, Visit
from kader.models.tasks import FollowUpTask, HomeVisit
from kader.services.home_visit import home_visit_record
from kader.services.tasks import followup_sync
from tests.kader.followup_support import child, day, make_area, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    area = make_area(world)
    today = timezone.localdate()
    kid = child(world.a1, on=today, months=20, sex="L")
    return area, today, kid


def _absent_task(world, kid, today):
    day(world.a1, today - timedelta(days=1))
    followup_sync([world.a1.pk], today, rules=["tidak_datang"])
    return FollowUpTask.objects.get(person=kid, rule="tidak_datang")


def _d_this_month(posyandu, today) -> int:
    return (Measurement.objects.filter(
        posyandu=posyandu, weight_kg__isnull=False, measured_on__year=today.year,
        measured_on__month=today.month).values("person").distinct().count())


# --------------------------------------------------------------------------
# service


def test_a_weight_taken_at_home_counts_for_the_months_d(world, setup):
    from reports.figures.skdn import skdn

    area, today, kid = setup
    month = today.replace(day=1)
    assert skdn([world.a1.pk], month)[world.a1.pk].D.total == 0
    home, created = home_visit_record(
        user=area.rina, person=kid, on=today,
        data={"weight_kg": "10,5", "length_cm": "82", "length_method": "lying",
              "notes": "Anak sehat, makan lahap", "topics": ["gizi_balita"]})
    assert created
    v = home.visit
    assert v.kind == Visit.Kind.HOME and v.service_day is None and v.date == today
    m = Measurement.objects.get(visit=v)
    assert m.weight_kg == Decimal("10.5") and m.measured_on == today
    assert m.bbu_z is not None  # step 3 derived it like any weighing
    assert _d_this_month(world.a1, today) == 1
    figures = skdn([world.a1.pk], month)[world.a1.pk]
    assert figures.D.L == 1 and figures.D.total == 1
    assert home.topics == ["gizi_balita"] and home.made_by == area.rina


def test_double_tap_saves_once(setup):
    area, today, kid = setup
    data = {"weight_kg": "10,5", "client_id": str(uuid.uuid4())}
    first, created = home_visit_record(user=area.rina, person=kid, on=today, data=data)
    again, created_again = home_visit_record(user=area.rina, person=kid, on=today, data=data)
    assert created and not created_again and again.pk == first.pk
    assert HomeVisit.objects.count() == 1
    assert Visit.objects.filter(person=kid).count() == 1
    assert Measurement.objects.filter(person=kid).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_tap_saves_once(world):
    area = make_area(world)
    today = timezone.localdate()
    kid = child(world.a1, on=today, months=20)
    data = {"weight_kg": "10,5", "client_id": str(uuid.uuid4())}
    barrier = threading.Barrier(2, timeout=20)
    results, errors = [], []

    def tap():
        try:
            barrier.wait()
            results.append(home_visit_record(user=area.rina, person=kid, on=today, data=data))
        except Exception as exc:  # pragma: no cover - shown by the assert
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=tap) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert sorted(created for _, created in results) == [False, True]
    assert HomeVisit.objects.count() == 1 and Measurement.objects.count() == 1


def test_the_visit_closes_the_task_it_answers(world, setup):
    area, today, kid = setup
    task = _absent_task(world, kid, today)
    home, _ = home_visit_record(user=area.rina, person=kid, on=today, task=task,
                                data={"weight_kg": "10,4"})
    task.refresh_from_db()
    assert task.status == "done" and task.done_by == area.rina
    assert not task.closed_automatically and home.task == task
    assert task.history.first().history_user == area.rina


def test_nobody_home_keeps_the_task_open(world, setup):
    area, today, kid = setup
    task = _absent_task(world, kid, today)
    home, _ = home_visit_record(user=area.rina, person=kid, on=today, task=task,
                                data={"found": False, "notes": "Rumah kosong, pergi ke sawah"})
    task.refresh_from_db()
    assert task.status == "open" and not home.found
    with pytest.raises(ValidationError) as exc:
        home_visit_record(user=area.rina, person=kid, on=today,
                          data={"found": False, "weight_kg": "10"})
    assert "found" in exc.value.message_dict


def test_a_refused_weight_saves_nothing(world, setup):
    area, today, kid = setup
    task = _absent_task(world, kid, today)
    visits = Visit.objects.count()
    for bad in ("abc", "105", "0"):
        with pytest.raises(ValidationError) as exc:
            home_visit_record(user=area.rina, person=kid, on=today, task=task,
                              data={"weight_kg": bad, "notes": "tidak tersimpan"})
        assert "weight_kg" in exc.value.message_dict
    assert Visit.objects.count() == visits and not HomeVisit.objects.exists()
    task.refresh_from_db()
    assert task.status == "open"


def test_the_bidan_examines_at_home_a_kader_does_not(world, setup):
    area, today, _ = setup
    from datetime import date

    adult = child(world.a1, on=today, months=12 * 50)
    assert adult.birth_date < date(1980, 1, 1)
    with pytest.raises(ValidationError) as exc:
        home_visit_record(user=area.rina, person=adult, on=today,
                          data={"exam_systolic": "150", "exam_diastolic": "95"})
    assert "exam_systolic" in exc.value.message_dict
    assert not Visit.objects.filter(person=adult).exists()

    home, _ = home_visit_record(user=world.bidan_a, person=adult, on=today,
                                data={"exam_systolic": "150", "exam_diastolic": "95",
                                      "exam_glucose_mg_dl": "210",
                                      "exam_glucose_kind": "sewaktu"})
    exam = Examination.objects.get(visit=home.visit)
    assert (exam.systolic, exam.diastolic) == (150, 95)
    assert exam.bp_class == "tinggi"  # >= 140/90
    assert exam.glucose_class == "tinggi"  # GDS >= 200
    assert exam.examined_by == world.bidan_a


def test_referral_to_puskesmas_is_the_bidans(world, setup):
    area, today, kid = setup
    with pytest.raises(ValidationError) as exc:
        home_visit_record(user=area.rina, person=kid, on=today,
                          data={"refer_to": "puskesmas", "refer_note": "BB turun"})
    assert "refer_to" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        home_visit_record(user=area.rina, person=kid, on=today, data={"refer_to": "bidan"})
    assert "refer_note" in exc.value.message_dict

    home, _ = home_visit_record(user=area.rina, person=kid, on=today,
                                data={"refer_to": "bidan", "refer_note": "Diare 3 hari"})
    assert home.refer_to == "bidan" and home.referral is None
    assert not Referral.objects.exists()

    home, _ = home_visit_record(user=world.bidan_a, person=kid, on=today,
                                data={"refer_to": "puskesmas", "refer_note": "Diare 3 hari"})
    referral = Referral.objects.get()
    assert home.referral == referral and referral.visit == home.visit
    assert referral.made_by == world.bidan_a and referral.status == "dirujuk"


def test_same_day_as_a_posyandu_visit_is_refused(world, setup):
    area, today, kid = setup
    d = ServiceDay.objects.create(posyandu=world.a1, date=today, status="open")
    visit(kid, today, service_day=d)
    with pytest.raises(ValidationError) as exc:
        home_visit_record(user=area.rina, person=kid, on=today, data={"weight_kg": "10"})
    assert "date" in exc.value.message_dict


def test_future_date_and_other_posyandu(world, setup):
    area, today, kid = setup
    with pytest.raises(ValidationError):
        home_visit_record(user=area.rina, person=kid, on=today + timedelta(days=1), data={})
    with pytest.raises(PermissionDenied):
        home_visit_record(user=world.kader_a2, person=kid, on=today, data={"weight_kg": "10"})
    with pytest.raises(PermissionDenied):
        home_visit_record(user=world.dinkes_1, person=kid, on=today, data={})
    assert not Visit.objects.exists()


def test_unknown_topic_refused(setup):
    area, today, kid = setup
    with pytest.raises(ValidationError) as exc:
        home_visit_record(user=area.rina, person=kid, on=today, data={"topics": ["sulap"]})
    assert "topics" in exc.value.message_dict


# --------------------------------------------------------------------------
# pages


def test_the_form_accepts_a_comma_and_shows_errors_beside_fields(world, setup, client_as):
    area, today, kid = setup
    task = _absent_task(world, kid, today)
    c = client_as(area.rina)
    url = reverse("kader:home-visit-create", kwargs={"uuid": kid.uuid}) + f"?tugas={task.uuid}"
    page = c.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="weight_kg"' in body and 'name="exam_systolic"' not in body
    assert task.reason in body

    bad = c.post(url, {"date": today.isoformat(), "found": "ya", "weight_kg": "10,5,3",
                       "length_method": "lying", "client_id": str(uuid.uuid4()),
                       "tugas": str(task.uuid)})
    assert bad.status_code == 422
    assert b"has-error" in bad.content and b'value="10,5,3"' in bad.content
    assert not HomeVisit.objects.exists() and not Visit.objects.filter(person=kid,
                                                                        date=today).exists()

    cid = str(uuid.uuid4())
    form = {"date": today.isoformat(), "found": "ya", "weight_kg": "10,5",
            "length_method": "lying", "notes": "Sehat", "topics": ["gizi_balita"],
            "refer_to": "", "client_id": cid, "tugas": str(task.uuid)}
    ok = c.post(url, form)
    home = HomeVisit.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse(
        "kader:home-visit-detail", kwargs={"uuid": home.uuid})
    assert home.visit.measurement.weight_kg == Decimal("10.5")
    task.refresh_from_db()
    assert task.status == "done"
    again = c.post(url, form)  # the double tap
    assert again.status_code == 302 and HomeVisit.objects.count() == 1
    detail = c.get(ok["Location"])
    assert detail.status_code == 200 and "10,5 kg" in detail.content.decode()


def test_the_bidan_sees_the_examination_fields(world, setup, client_as):
    _, _, kid = setup
    body = client_as(world.bidan_a).get(
        reverse("kader:home-visit-create", kwargs={"uuid": kid.uuid})).content.decode()
    assert 'name="exam_systolic"' in body and 'value="puskesmas"' in body


def test_pages_of_another_posyandu_answer_404(world, setup, client_as):
    area, today, kid = setup
    home, _ = home_visit_record(user=area.rina, person=kid, on=today, data={"weight_kg": "10"})
    c = client_as(world.kader_a2)
    assert c.get(reverse("kader:home-visit-create", kwargs={"uuid": kid.uuid})).status_code == 404
    assert c.get(reverse("kader:home-visit-detail", kwargs={"uuid": home.uuid})).status_code == 404
    listing = c.get(reverse("kader:home-visit-list"))
    assert listing.status_code == 200 and kid.name.encode() not in listing.content
    mine = client_as(area.rina).get(reverse("kader:home-visit-list"))
    assert kid.name.encode() in mine.content


# --------------------------------------------------------------------------
# API


def test_api_home_visit_is_idempotent(world, setup, client_as):
    area, today, kid = setup
    c = client_as(area.rina)
    url = reverse("api:kader:home-visit-list")
    body = {"person": str(kid.uuid), "client_id": str(uuid.uuid4()), "weight_kg": "10,5",
            "topics": ["gizi_balita"]}
    first = c.post(url, body, content_type="application/json")
    assert first.status_code == 201, first.content
    assert first.json()["measurement"]["weight_kg"] == "10.50"
    again = c.post(url, body, content_type="application/json")
    assert again.status_code == 200 and again.json()["uuid"] == first.json()["uuid"]
    bad = c.post(url, {"person": str(kid.uuid), "weight_kg": "sepuluh"},
                 content_type="application/json")
    assert bad.status_code == 400 and "weight_kg" in bad.json()
    other = client_as(world.kader_b1).post(url, {**body, "client_id": str(uuid.uuid4())},
                                           content_type="application/json")
    assert other.status_code == 400 and "person" in other.json()
    assert HomeVisit.objects.count() == 1
