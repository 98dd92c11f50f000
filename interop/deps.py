"""The one place this app imports the ilp modules that the step-2 refactor may
move (ilp/growth/, ilp/services/measurements.py, ilp/identity.py ...). If they
move, fix the imports here only."""

from ilp.growth.categories import load_categories
from ilp.identity import IdentityError, clean_digits, normalise_name, parse_nik
from ilp.services import importer as day_importer
from ilp.services.day import service_day_close, service_day_open, service_day_schedule
from ilp.services.measurements import measurement_unchanged

__all__ = [
    "IdentityError",
    "clean_digits",
    "day_importer",
    "load_categories",
    "measurement_unchanged",
    "normalise_name",
    "parse_nik",
    "service_day_close",
    "service_day_open",
    "service_day_schedule",
]
