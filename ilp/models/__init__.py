from ilp.models.counselling import Counselling
from ilp.models.exam import (
    AncCheck,
    Examination,
    Immunisation,
    Referral,
    Screening,
    Supplement,
)
from ilp.models.registry import Household, Person, PersonQuerySet, Pregnancy, Sex
from ilp.models.service import LengthMethod, Measurement, ServiceDay, Step, Visit
from ilp.models.sync import SyncOperation

__all__ = [
    "AncCheck",
    "Counselling",
    "Examination",
    "Household",
    "Immunisation",
    "LengthMethod",
    "Measurement",
    "Person",
    "PersonQuerySet",
    "Pregnancy",
    "Referral",
    "Screening",
    "ServiceDay",
    "Sex",
    "Step",
    "Supplement",
    "SyncOperation",
    "Visit",
]
