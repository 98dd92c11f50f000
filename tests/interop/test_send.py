"""Sending to SATUSEHAT against a local stub server (interop.stub): token
caching, idempotent resend, retry with back-off on 429/5xx, statuses."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from interop.client import Client
from interop.models import SatusehatSettings, Submission
from interop.services.send import queue_month, resend, send
from interop.stub import StubSatusehat
from interop.validation import validate

pytestmark = pytest.mark.django_db
SECRET = "rahasia-stub-uji"


@pytest.fixture
def stub():
    server = StubSatusehat(client_id="client-a", client_secret=SECRET).start()
    yield server
    server.stop()


@pytest.fixture
def sleeps(monkeypatch):
    slept = []
    monkeypatch.setattr("interop.client.time.sleep", slept.append)
    return slept


@pytest.fixture
def conf(settings_a, stub, monkeypatch):
    monkeypatch.setenv("SATUSEHAT_TEST_SECRET", SECRET)
    settings_a.custom_auth_url, settings_a.custom_fhir_url = stub.auth_url, stub.fhir_url
    settings_a.save()
    return settings_a


def queue(world, full, django_capture_on_commit_callbacks, user=None):
    with django_capture_on_commit_callbacks(execute=True):
        return queue_month(user=user or world.staff_a, puskesmas=world.pkm_a,
                           month=full.visit.date)


def test_send_month_stores_ids_and_status(world, full, conf, stub, sleeps,
                                          django_capture_on_commit_callbacks):
    ids = queue(world, full, django_capture_on_commit_callbacks)
    sub = Submission.objects.get(pk__in=ids)
    assert sub.status == Submission.Status.SENT and sub.reason == ""
    assert len(stub.bundles) == 1
    received = stub.bundles[0]
    assert received["type"] == "transaction"
    assert {e["resource"]["resourceType"] for e in received["entry"]} >= {
        "Patient", "Encounter", "Observation", "Immunization", "ServiceRequest"}
    assert sub.returned_ids["Patient"].startswith("Patient/")
    assert sub.returned_ids["Observation/weight_kg"] in stub.resources
    # the stub resolved our urn references: the encounter points at the stored patient
    enc = stub.resources[sub.returned_ids["Encounter"]]
    assert enc["subject"]["reference"] == sub.returned_ids["Patient"]
    assert stub.token_requests == [{"grant_type": "client_credentials", "client_id": "client-a"}]
    assert sleeps == []


def test_resending_makes_no_second_resource(world, full, conf, stub, sleeps,
                                            django_capture_on_commit_callbacks):
    [sub_id] = queue(world, full, django_capture_on_commit_callbacks)
    first = Submission.objects.get(pk=sub_id)
    counts = {k: stub.count(k) for k in ("Patient", "Encounter", "Observation", "Immunization")}
    assert counts["Patient"] == 1 and counts["Observation"] >= 5
    # queueing the month again sends nothing: the visit is sent
    assert queue(world, full, django_capture_on_commit_callbacks) == []
    assert len(stub.bundles) == 1
    # "Kirim ulang" sends the same Bundle again: SATUSEHAT answers with the same resources
    with django_capture_on_commit_callbacks(execute=True):
        resend(user=world.staff_a, submission=first)
    again = Submission.objects.get(pk=sub_id)
    assert len(stub.bundles) == 2
    assert {k: stub.count(k) for k in counts} == counts
    assert again.returned_ids == first.returned_ids and again.status == Submission.Status.SENT
    assert again.attempts == 2


def test_token_is_kept_until_it_expires(world, full, conf, stub, sleeps):
    client = Client(conf)
    token = client.token()
    assert client.token() == token and len(stub.token_requests) == 1
    conf.refresh_from_db()
    assert conf.access_token == token  # kept for the next worker process
    assert Client(conf).token() == token and len(stub.token_requests) == 1
    SatusehatSettings.objects.filter(pk=conf.pk).update(
        token_expires_at=timezone.now() + timedelta(seconds=30))  # inside the margin
    conf.refresh_from_db()
    assert Client(conf).token() != token and len(stub.token_requests) == 2


def test_429_then_success_backs_off_and_sends(world, full, conf, stub, sleeps,
                                              django_capture_on_commit_callbacks):
    stub.script = [429, 429]
    [sub_id] = queue(world, full, django_capture_on_commit_callbacks)
    sub = Submission.objects.get(pk=sub_id)
    assert sub.status == Submission.Status.SENT
    assert len(stub.bundles) == 3
    assert sleeps == [1.0, 2.0]  # exponential back-off
    assert stub.count("Patient") == 1


def test_server_down_is_a_clear_failure_then_a_retry_succeeds(
        world, full, conf, stub, sleeps, django_capture_on_commit_callbacks):
    stub.down = True
    [sub_id] = queue(world, full, django_capture_on_commit_callbacks)
    sub = Submission.objects.get(pk=sub_id)
    assert sub.status == Submission.Status.FAILED
    assert "HTTP 503" in sub.reason and "coba lagi" in sub.reason
    assert len(stub.bundles) == 5 and sleeps == [1.0, 2.0, 4.0, 8.0]
    assert SECRET not in sub.reason
    stub.down = False
    with django_capture_on_commit_callbacks(execute=True):
        resend(user=world.staff_a, submission=sub)
    sub.refresh_from_db()
    assert sub.status == Submission.Status.SENT and sub.reason == ""
    assert stub.count("Patient") == 1


def test_a_400_is_not_retried(world, full, conf, stub, sleeps,
                              django_capture_on_commit_callbacks):
    stub.script = [400]
    [sub_id] = queue(world, full, django_capture_on_commit_callbacks)
    sub = Submission.objects.get(pk=sub_id)
    assert sub.status == Submission.Status.FAILED
    assert "HTTP 400" in sub.reason and "scripted 400" in sub.reason
    assert len(stub.bundles) == 1 and sleeps == []


def test_a_wrong_secret_fails_with_the_reason_and_never_shows_the_secret(
        world, full, conf, stub, sleeps, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setenv("SATUSEHAT_TEST_SECRET", "salah-sekali")
    [sub_id] = queue(world, full, django_capture_on_commit_callbacks)
    sub = Submission.objects.get(pk=sub_id)
    assert sub.status == Submission.Status.FAILED
    assert "token" in sub.reason and "client secret" in sub.reason
    assert "salah-sekali" not in sub.reason and stub.bundles == []


def test_secret_from_the_admin_when_no_environment_variable(world, full, conf, stub, sleeps):
    conf.client_secret_env, conf.client_secret = "", SECRET
    conf.save()
    assert Client(conf).token()


def test_unreachable_server_is_retried_then_failed(world, full, conf, stub, sleeps,
                                                   django_capture_on_commit_callbacks):
    stub.stop()
    SatusehatSettings.objects.filter(pk=conf.pk).update(
        access_token="t", token_expires_at=timezone.now() + timedelta(hours=1))
    [sub_id] = queue(world, full, django_capture_on_commit_callbacks)
    sub = Submission.objects.get(pk=sub_id)
    assert sub.status == Submission.Status.FAILED and "tidak bisa dihubungi" in sub.reason
    assert len(sleeps) == 4


def test_only_health_staff_of_the_whole_puskesmas_may_send(world, full, conf):
    for user in (world.kader_a1, world.staff_b, world.dinkes_1, world.outsider):
        with pytest.raises(PermissionDenied):
            queue_month(user=user, puskesmas=world.pkm_a, month=full.visit.date)


def test_send_ignores_submissions_of_another_puskesmas(world, full, conf, stub, sleeps):
    other = SatusehatSettings.objects.create(puskesmas=world.pkm_b, enabled=True,
                                             environment="custom", organization_id="X",
                                             client_id="c", custom_auth_url=stub.auth_url,
                                             custom_fhir_url=stub.fhir_url)
    sub = Submission.objects.create(visit=full.visit, posyandu=world.a1)
    assert send(other.pk, [sub.pk]) == {"sent": 0, "failed": 0, "unchanged": 0, "deferred": []}
    assert stub.bundles == []


def test_the_demo_month_exports_valid_and_goes_through_the_stub(
        db, stub, sleeps, monkeypatch, tmp_path, django_capture_on_commit_callbacks):
    """On the demo data: satusehat_export writes valid R4 for last month of a
    demo posyandu; the whole month of the demo Puskesmas is sent, one Patient
    per person, and sending again adds nothing."""
    from django.core.management import call_command

    from ilp.models import Measurement
    from interop.services.bundles import month_visits
    from posyandu.models import Membership, Puskesmas

    call_command("demo_data", verbosity=0)
    monkeypatch.setenv("SATUSEHAT_TEST_SECRET", SECRET)
    pkm = Puskesmas.objects.first()
    SatusehatSettings.objects.create(
        puskesmas=pkm, enabled=True, environment="custom", custom_auth_url=stub.auth_url,
        custom_fhir_url=stub.fhir_url, organization_id="10000004", client_id="client-a",
        client_secret_env="SATUSEHAT_TEST_SECRET")
    staff = Membership.objects.filter(role="puskesmas", puskesmas=pkm).first().user
    this_month = timezone.localdate().replace(day=1)
    day = (Measurement.objects.filter(posyandu__desa__puskesmas=pkm, measured_on__lt=this_month)
           .order_by("-measured_on").first().measured_on)  # last month
    with django_capture_on_commit_callbacks(execute=True):
        ids = queue_month(user=staff, puskesmas=pkm, month=day)
    visits = list(month_visits(
        pkm.desa.values_list("posyandu__pk", flat=True), day))
    assert len(ids) == len(visits) > 0
    assert set(Submission.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"sent"}
    assert stub.count("Patient") == len({v.person_id for v in visits})
    before = dict(stub.resources)
    for sub in Submission.objects.filter(pk__in=ids)[:3]:
        with django_capture_on_commit_callbacks(execute=True):
            resend(user=staff, submission=sub)
    assert stub.resources.keys() == before.keys()
    # the export command on the same month, validated again from the file
    out = tmp_path / "demo.json"
    call_command("satusehat_export", posyandu=visits[0].posyandu_id, month=f"{day:%Y-%m}",
                 out=str(out))
    data = json.loads(out.read_text())
    assert len(data["entry"]) == sum(v.posyandu_id == visits[0].posyandu_id for v in visits)
    validate(data)


def test_when_satusehat_stays_down_the_batch_stops_and_is_tried_later(
        world, full, conf, stub, sleeps, monkeypatch, settings):
    from ilp.models import Measurement, Visit
    from interop import tasks
    from tests.factories import make_person

    other = make_person(world.a1, name="Citra Dewi", sex="P", birth_date=full.child.birth_date)
    visit = Visit.objects.create(posyandu=world.a1, person=other, service_day=full.day,
                                 date=full.day.date)
    Measurement.objects.create(visit=visit, posyandu=world.a1, person=other,
                               measured_on=visit.date, weight_kg="9.1")
    subs = [Submission.objects.create(visit=v, posyandu=world.a1) for v in (full.visit, visit)]
    stub.down = True
    later = []
    monkeypatch.setattr(tasks.send_pending, "apply_async",
                        lambda args, countdown: later.append((args, countdown)))
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as with a real worker
    result = tasks.send_pending.run(conf.pk, [s.pk for s in subs])
    assert len(stub.bundles) == 5  # the first visit's attempts only
    assert result["deferred"] == [s.pk for s in subs]
    assert later == [((conf.pk, [s.pk for s in subs], 1), 300)]
    second = Submission.objects.get(pk=subs[1].pk)
    assert second.status == Submission.Status.FAILED and "dihentikan sementara" in second.reason
    # the later round, with SATUSEHAT back
    stub.down = False
    later.clear()
    tasks.send_pending.run(conf.pk, [s.pk for s in subs], 1)
    assert set(Submission.objects.values_list("status", flat=True)) == {"sent"}
    assert later == []
