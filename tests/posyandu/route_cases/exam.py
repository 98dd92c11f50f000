"""Scoping cases of the step-4 pages (ilp/urls_exam.py). Where a route
updates a row, the row is made first (get_or_create inside the kwargs lambda)
and watched, so a write that got through would show."""

from ilp.models import AncCheck, Examination, Referral, Screening, Step, Visit
from tests.posyandu.scoping_support import Route


def _visit(o):
    return {"uuid": o.visit.uuid}


def _exam(o):
    exam, _ = Examination.objects.get_or_create(
        visit=o.visit, defaults={"posyandu": o.visit.posyandu, "person": o.person,
                                 "systolic": 120, "diastolic": 80, "bp_class": "normal"},
    )
    return exam


def _visit_with_exam(o):
    _exam(o)
    return _visit(o)


def _screening(o):
    row, _ = Screening.objects.get_or_create(
        visit=o.visit, instrument="srq20",
        defaults={"person": o.person, "posyandu": o.visit.posyandu, "answers": {}, "score": 0,
                  "outcome": "normal", "outcome_label": "Normal"},
    )
    return row


def _srq20_page(o):
    _screening(o)
    return {"uuid": o.visit.uuid, "instrument": "srq20"}


def _mother_visit(o):
    """The pregnant mother's visit on the same day, at step 4, with an ANC check."""
    visit, _ = Visit.objects.get_or_create(
        person=o.mother, date=o.visit.date,
        defaults={"posyandu": o.visit.posyandu, "service_day": o.day, "step": Step.EXAMINE},
    )
    AncCheck.objects.get_or_create(
        visit=visit, defaults={"pregnancy": o.pregnancy, "posyandu": visit.posyandu,
                               "gestational_weeks": 20, "ttd_tablets": 30},
    )
    return visit


def _referral(o):
    referral, _ = Referral.objects.get_or_create(
        visit=o.visit, person=o.person,
        defaults={"posyandu": o.visit.posyandu, "reason": "Berat badan tidak naik"},
    )
    return referral


ROUTES: dict[str, Route] = {
    "ilp:visit-exam": Route(
        _visit_with_exam, ("POST",),
        lambda o: {"systolic": "190", "diastolic": "120", "hb_g_dl": "7,5"},
        lambda o: [o.visit, Examination.objects.get(visit=o.visit)],
    ),
    "ilp:visit-immunise": Route(
        _visit, ("POST",), lambda o: {"vaccine": "MR2", "batch_no": "X1"},
        lambda o: [o.visit, o.person],
    ),
    "ilp:visit-supplement": Route(
        _visit, ("POST",), lambda o: {"kind": "pmt", "quantity": "1"},
        lambda o: [o.visit, o.person],
    ),
    "ilp:visit-anc": Route(
        lambda o: {"uuid": _mother_visit(o).uuid}, ("POST",),
        lambda o: {"tfu_cm": "30", "djj": "140", "ttd_tablets": "90"},
        lambda o: [AncCheck.objects.get(visit__person=o.mother)],
    ),
    "ilp:visit-screening": Route(
        _srq20_page, ("GET", "POST"), lambda o: {f"q{n}": "ya" for n in range(1, 21)},
        lambda o: [Screening.objects.get(visit=o.visit, instrument="srq20")],
    ),
    "ilp:visit-refer": Route(
        _visit, ("POST",), lambda o: {"reason": "Rujukan dari orang lain"},
        lambda o: [o.visit, o.person],
    ),
    "ilp:referral-status": Route(
        lambda o: {"uuid": _referral(o).uuid}, ("POST",),
        lambda o: {"status": "diterima"},
        lambda o: [Referral.objects.get(visit=o.visit)],
    ),
}

LIST_ROUTES: dict[str, dict] = {
    "ilp:referral-list": {"semua": "1"},
}
