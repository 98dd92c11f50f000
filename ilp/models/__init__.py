from ilp.models.registry import Household, Person, PersonQuerySet, Pregnancy, Sex
from ilp.models.service import LengthMethod, Measurement, ServiceDay, Visit

__all__ = [
    "Household",
    "LengthMethod",
    "Measurement",
    "Person",
    "PersonQuerySet",
    "Pregnancy",
    "ServiceDay",
    "Sex",
    "Visit",
]
