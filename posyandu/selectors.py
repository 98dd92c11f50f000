"""Selectors over the organisation: what a user's home page shows."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from ilp.lifecycle import birth_date_range
from posyandu.models import Posyandu
from posyandu.reference import table


def _band_q(code: str, on: date, prefix: str = "") -> Q:
    band = next(g for g in table("lifecycle_groups", on)["groups"] if g["code"] == code)
    earliest, latest = birth_date_range(band, on)
    q = Q(**{f"{prefix}birth_date__lte": latest})
    if earliest:
        q &= Q(**{f"{prefix}birth_date__gt": earliest})
    return q


def posyandu_summaries(*, user, on: date) -> list[dict]:
    """Per posyandu in scope: people living there, balita, lansia and ibu hamil,
    in one aggregate query."""
    present = (
        Q(persons__merged_into__isnull=True)
        & (Q(persons__moved_on__isnull=True) | Q(persons__moved_on__gt=on))
        & (Q(persons__died_on__isnull=True) | Q(persons__died_on__gt=on))
    )
    hamil = present & Q(persons__pregnancies__outcome="berlangsung")
    rows = (
        Posyandu.objects.for_user(user)
        .select_related("desa__puskesmas")
        .annotate(
            n_sasaran=Count("persons", filter=present, distinct=True),
            n_balita=Count("persons", filter=present & _band_q("balita", on, "persons__"), distinct=True),
            n_lansia=Count("persons", filter=present & _band_q("lansia", on, "persons__"), distinct=True),
            n_hamil=Count("persons", filter=hamil, distinct=True),
        )
        .order_by("desa__puskesmas__nama", "nama")
    )
    return list(rows)
