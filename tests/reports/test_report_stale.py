# ruff: noqa: F811 - pytest fixtures imported from tests.reports.pdf_support
"""Out-of-date reports: edits to past months (late entries, corrected weights,
a person moved, exams) mark the reports of the months they change."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from ilp.models import Immunisation, Measurement, ServiceDay, Visit
from ilp.services.measurements import measurement_record
from posyandu.reference import sync_shipped_tables
from reports.models import OPEN_END, DataChange, Report, Status
from reports.selectors import is_stale, reports_for_user
from reports.services import report_request
from tests.factories import make_person
from tests.reports.pdf_support import jobs, ready_report  # noqa: F401

pytestmark = pytest.mark.django_db


@contextmanager
def committed(capture):
    """Run the block as a transaction that commits: its after-commit callbacks
    run at the end (the test's own transaction never commits)."""
    with capture(execute=True) as callbacks, transaction.atomic():
        yield callbacks

JUL, AUG, SEP, OCT, NOV = (date(2026, m, 1) for m in (7, 8, 9, 10, 11))


@pytest.fixture(autouse=True)
def _reference_tables(db):
    sync_shipped_tables()


def _reports(world, months=(JUL, AUG, SEP, OCT, NOV)):
    """Ready posyandu reports of a1 and a2 and a Puskesmas A report, read an hour ago."""
    past = timezone.now() - timedelta(hours=1)
    out = {}
    for m in months:
        out[("a1", m)] = ready_report(world.a1, month=m, as_of=past)
        out[("a2", m)] = ready_report(world.a2, month=m, as_of=past)
        out[("pkm", m)] = Report.objects.create(
            level="puskesmas", puskesmas=world.pkm_a, month=m, kind="skdn", status=Status.READY,
            requested_at=past, data_as_of=past,
        )
    return out


def _stale(reports) -> set:
    return {key for key, r in reports.items() if is_stale(Report.objects.get(pk=r.pk))}


def test_late_weighing_marks_its_month_and_the_next_two(
    world, django_capture_on_commit_callbacks
):
    child = make_person(world.a1, birth_date=date(2024, 1, 15))
    reports = _reports(world)
    assert _stale(reports) == set()
    day = ServiceDay.objects.create(posyandu=world.a1, date=date(2026, 8, 12),
                                    status=ServiceDay.Status.OPEN)
    visit = Visit.objects.create(posyandu=world.a1, person=child, service_day=day, date=day.date)
    with committed(django_capture_on_commit_callbacks):
        measurement_record(user=world.kader_a1, visit=visit, data={"weight_kg": "11,2"},
                           confirm_unusual=True)
    # August (D, B/O), September (N/T), October (2T); not July or November; a2 untouched.
    assert _stale(reports) == {("a1", AUG), ("a1", SEP), ("a1", OCT),
                               ("pkm", AUG), ("pkm", SEP), ("pkm", OCT)}


def test_corrected_weight_makes_a_fresh_report_stale_and_request_requeues(
    world, jobs, django_capture_on_commit_callbacks
):
    child = make_person(world.a1, birth_date=date(2024, 1, 15))
    day = ServiceDay.objects.create(posyandu=world.a1, date=date(2026, 9, 9),
                                    status=ServiceDay.Status.OPEN)
    visit = Visit.objects.create(posyandu=world.a1, person=child, service_day=day, date=day.date)
    with committed(django_capture_on_commit_callbacks):
        measurement_record(user=world.kader_a1, visit=visit, data={"weight_kg": "11,2"},
                           confirm_unusual=True)
    report = ready_report(world.a1, month=SEP)  # generated after the weighing
    assert not is_stale(report)
    with committed(django_capture_on_commit_callbacks):
        assert report_request(user=world.kader_a1, level="posyandu", area_id=world.a1.pk,
                              month=SEP, kind="skdn").status == Status.READY
    assert jobs == []
    # The bidan corrects the weight a week later (the day was reopened).
    with committed(django_capture_on_commit_callbacks):
        measurement_record(user=world.bidan_a, visit=visit, data={"weight_kg": "12,1"},
                           confirm_unusual=True)
    listed = reports_for_user(world.kader_a1).get(pk=report.pk)
    assert listed.is_stale_db is True and is_stale(listed)
    with committed(django_capture_on_commit_callbacks):
        again = report_request(user=world.kader_a1, level="posyandu", area_id=world.a1.pk,
                               month=SEP, kind="skdn")
    assert again.pk == report.pk and again.status == Status.QUEUED and jobs == [report.pk]


def test_moved_away_marks_from_the_move_on_and_irrelevant_edits_mark_nothing(
    world, django_capture_on_commit_callbacks
):
    child = make_person(world.a1, birth_date=date(2023, 3, 1))
    reports = _reports(world)
    DataChange.objects.all().delete()
    with committed(django_capture_on_commit_callbacks):
        child.phone = "081234567890"
        child.address = "Jl. Mawar 3"
        child.save()
    assert DataChange.objects.count() == 0 and _stale(reports) == set()
    with committed(django_capture_on_commit_callbacks):
        child.moved_on = date(2026, 9, 20)
        child.save()
    assert set(DataChange.objects.values_list("posyandu_id", "month_from", "month_to")) == {
        (world.a1.pk, SEP, OPEN_END)
    }
    assert _stale(reports) == {("a1", m) for m in (SEP, OCT, NOV)} | {
        ("pkm", m) for m in (SEP, OCT, NOV)
    }


def test_person_moved_to_another_posyandu_marks_both(world, django_capture_on_commit_callbacks):
    child = make_person(world.a1, birth_date=date(2026, 8, 3))
    reports = _reports(world, months=(JUL, AUG, SEP))
    DataChange.objects.all().delete()
    with committed(django_capture_on_commit_callbacks):
        child.posyandu = world.a2
        child.save()
    assert _stale(reports) == {("a1", AUG), ("a1", SEP), ("a2", AUG), ("a2", SEP),
                               ("pkm", AUG), ("pkm", SEP)}


def test_immunisation_marks_only_its_month_and_one_write_per_transaction(
    world, django_capture_on_commit_callbacks
):
    child = make_person(world.a1, birth_date=date(2026, 1, 3))
    reports = _reports(world, months=(AUG, SEP, OCT))
    DataChange.objects.all().delete()
    with committed(django_capture_on_commit_callbacks) as callbacks:
        for code in ("DPT-HB-Hib1", "Polio2", "PCV1"):
            Immunisation.objects.create(person=child, posyandu=world.a1, vaccine=code,
                                        given_on=date(2026, 9, 4))
    from reports.signals import _Flush

    # three saves, one upsert after the commit
    assert len([c for c in callbacks if isinstance(c, _Flush)]) == 1
    assert DataChange.objects.count() == 1
    assert _stale(reports) == {("a1", SEP), ("pkm", SEP)}


def test_deleting_a_measurement_marks_its_months(world, django_capture_on_commit_callbacks):
    child = make_person(world.a1, birth_date=date(2024, 1, 15))
    visit = Visit.objects.create(posyandu=world.a1, person=child, kind="rumah",
                                 date=date(2026, 7, 30))
    m = Measurement.objects.create(visit=visit, posyandu=world.a1, person=child,
                                   measured_on=visit.date, weight_kg="11.0")
    reports = _reports(world)
    with committed(django_capture_on_commit_callbacks):
        m.delete()
    assert _stale(reports) == {("a1", JUL), ("a1", AUG), ("a1", SEP),
                               ("pkm", JUL), ("pkm", AUG), ("pkm", SEP)}


def test_a_later_change_bumps_the_same_row(world, django_capture_on_commit_callbacks):
    """The change log is written after the commit; a later change of the same
    months bumps the row's time instead of adding rows."""
    child = make_person(world.a1, birth_date=date(2026, 1, 3))
    with committed(django_capture_on_commit_callbacks):
        Immunisation.objects.create(person=child, posyandu=world.a1, vaccine="BCG",
                                    given_on=date(2026, 9, 4))
    first = DataChange.objects.get(month_from=SEP, month_to=SEP)
    with committed(django_capture_on_commit_callbacks):
        Immunisation.objects.create(person=child, posyandu=world.a1, vaccine="Polio1",
                                    given_on=date(2026, 9, 5))
    again = DataChange.objects.get(month_from=SEP, month_to=SEP)
    assert again.pk == first.pk and again.changed_at > first.changed_at


def test_a_rolled_back_edit_writes_nothing(world, django_capture_on_commit_callbacks):
    child = make_person(world.a1, birth_date=date(2026, 1, 3))
    with committed(django_capture_on_commit_callbacks):
        try:
            with transaction.atomic():
                Immunisation.objects.create(person=child, posyandu=world.a1, vaccine="BCG",
                                            given_on=date(2026, 9, 4))
                raise RuntimeError("batal")
        except RuntimeError:
            pass
        Immunisation.objects.create(person=child, posyandu=world.a1, vaccine="Polio1",
                                    given_on=date(2026, 10, 5))
    assert set(DataChange.objects.values_list("month_from", "month_to")) == {(OCT, OCT)}


def test_dates_given_as_strings_are_understood(world, django_capture_on_commit_callbacks):
    child = make_person(world.a1, birth_date=date(2023, 3, 1), moved_on=date(2026, 11, 2))
    DataChange.objects.all().delete()
    with committed(django_capture_on_commit_callbacks):
        child.moved_on = "2026-09-20"  # the move was earlier than first recorded
        child.save()
    assert set(DataChange.objects.values_list("month_from", "month_to")) == {(SEP, OPEN_END)}
