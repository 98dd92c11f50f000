"""Which visits go to SATUSEHAT and the Context their Bundles are built with."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from ilp.models import Examination, Immunisation, Measurement, Referral, Visit
from interop.fhir import Context
from interop.models import PatientInfo, PosyanduLocation, PractitionerId
from posyandu.months import month_end


def with_data(qs: QuerySet) -> QuerySet:
    """Visits that hold something SATUSEHAT takes (a measurement, an
    examination, a dose or a referral); a bare registration sends nothing."""
    return qs.filter(
        Exists(Measurement.objects.filter(visit=OuterRef("pk")))
        | Exists(Examination.objects.filter(visit=OuterRef("pk")))
        | Exists(Immunisation.objects.filter(visit=OuterRef("pk")))
        | Exists(Referral.objects.filter(visit=OuterRef("pk")))
    )


def prefetch(qs: QuerySet) -> QuerySet:
    return qs.select_related(
        "person__household", "person__posyandu__desa__kecamatan__kabupaten",
        "posyandu__desa__puskesmas", "posyandu__desa__kecamatan__kabupaten",
        "measurement", "examination",
    ).prefetch_related("immunisations", "referrals").order_by("date", "pk")


def month_visits(posyandu_ids, month: date) -> QuerySet:
    """The visits with data of these posyandu in the calendar month of ``month``
    (``posyandu_ids`` already checked against the user's scope by the caller)."""
    qs = Visit.objects.filter(
        Q(posyandu_id__in=list(posyandu_ids)),
        date__gte=month.replace(day=1), date__lte=month_end(month),
    )
    return prefetch(with_data(qs))


def context_for(organization_id: str, visits) -> Context:
    visits = list(visits)
    person_ids = {v.person_id for v in visits}
    posyandu_ids = {v.posyandu_id for v in visits}
    user_ids = set()
    for v in visits:
        for dose in v.immunisations.all():
            user_ids.add(dose.given_by_id)
        for referral in v.referrals.all():
            user_ids.add(referral.made_by_id)
        try:
            user_ids.add(v.examination.examined_by_id)
        except Examination.DoesNotExist:
            pass
    user_ids.discard(None)
    return Context(
        organization_id=organization_id,
        location_ids=dict(
            PosyanduLocation.objects.filter(posyandu_id__in=posyandu_ids)
            .values_list("posyandu_id", "location_id")
        ),
        practitioner_ids=dict(
            PractitionerId.objects.filter(user_id__in=user_ids).values_list("user_id", "ihs_number")
        ),
        patient_info={i.person_id: i for i in PatientInfo.objects.filter(person_id__in=person_ids)},
    )
