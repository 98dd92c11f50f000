"""Shared set-up of the social-referral tests (H6): a stunted child of
posyandu a1 with a family card and a flagged weighing."""

from __future__ import annotations

import itertools
from datetime import date

from django.utils import timezone

from ilp.models import Measurement, ServiceDay, Step, Visit
from tests.factories import make_household, make_person

UNPROTECTED = {"dtsen": "tidak", "pkh": "tidak", "bpnt": "tidak", "jkn": "tidak"}
PROTECTED = {"dtsen": "ya", "pkh": "ya", "bpnt": "tidak", "jkn": "pbi"}
_seq = itertools.count(1)


def stunted_child(posyandu, *, flags=("pendek", "BGM"), name="Sari Pendek"):
    n = next(_seq)
    household = make_household(posyandu, kepala_keluarga="Pak Darmo", no_kk=f"350901010101{n:04d}",
                               alamat="Dusun Krajan", rt="003", rw="001")
    mother = make_person(posyandu, name="Bu Darmi", sex="P", birth_date=date(1994, 2, 2),
                         household=household)
    child = make_person(posyandu, name=name, sex="P", birth_date=date(2024, 3, 10),
                        household=household, mother=mother, nik=f"350901500324{n:04d}",
                        address="Dusun Krajan", rt="003", rw="001", phone="081234567890")
    today = timezone.localdate()
    day, _ = ServiceDay.objects.get_or_create(
        posyandu=posyandu, date=today, defaults={"status": ServiceDay.Status.OPEN}
    )
    visit = Visit.objects.create(posyandu=posyandu, person=child, service_day=day, date=today,
                                 step=Step.COUNSEL)
    Measurement.objects.create(visit=visit, posyandu=posyandu, person=child, measured_on=today,
                               weight_kg="7.1", length_cm="70.0", flags=list(flags))
    return child
