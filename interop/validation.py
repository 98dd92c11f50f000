"""Validation of what we produce against FHIR R4 (4.0.1) with the
fhir.resources library (6.4.x is the last release whose default models are
R4 4.0.1; 7.x and later are R5/R4B). Structure, cardinality, required
elements, choice types and primitive formats are checked by the library, not
by our own expectations."""

from __future__ import annotations

import fhir.resources
from fhir.resources import construct_fhir_element

FHIR_VERSION = fhir.resources.__fhir_version__
assert FHIR_VERSION == "4.0.1", f"fhir.resources models are FHIR {FHIR_VERSION}, not R4"


class InvalidResource(ValueError):
    pass


def validate(resource: dict) -> None:
    """Raise InvalidResource (with the library's messages) unless ``resource``
    is a valid FHIR R4 resource. A Bundle is validated with every entry."""
    kind = resource.get("resourceType")
    try:
        construct_fhir_element(kind, resource)
        if kind == "Bundle":
            for entry in resource.get("entry", []):
                inner = entry.get("resource")
                if inner:
                    construct_fhir_element(inner["resourceType"], inner)
    except (LookupError, ValueError, TypeError) as exc:
        raise InvalidResource(f"{kind}: {exc}") from exc
