"""Registry selectors: search and duplicate candidates, always inside the
user's scope (``for_user``)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from ilp.identity import clean_digits, normalise_name
from ilp.models import Household, Person


def person_search(*, user, q: str = "", posyandu_id: int | None = None) -> QuerySet[Person]:
    """People in scope matching a name, NIK (or its start), mother's name or No. KK."""
    qs = (
        Person.objects.for_user(user)
        .active()
        .select_related("posyandu", "household", "mother")
        .order_by("name")
    )
    if posyandu_id:
        qs = qs.filter(posyandu_id=posyandu_id)
    return match_text(qs, q)


def match_text(qs: QuerySet[Person], q: str) -> QuerySet[Person]:
    """Narrow people by what a kader types: a NIK, No. KK or BPJS number (or
    their first digits), a name or a mother's name (spelling-tolerant)."""
    q = (q or "").strip()
    if not q:
        return qs
    digits = clean_digits(q)
    if digits.isdigit() and len(digits) >= 4:
        return qs.filter(
            Q(nik__startswith=digits) | Q(mother_nik__startswith=digits)
            | Q(household__no_kk__startswith=digits) | Q(bpjs_number__startswith=digits)
        )
    words = normalise_name(q).split()
    if not words:
        return qs.none()
    own, mothers = Q(), Q()
    for word in words:
        own &= Q(name_key__contains=word)
        mothers &= Q(mother__name_key__contains=word)
    return qs.filter(own | mothers | Q(mother_name__icontains=q))


def household_search(*, user, q: str = "") -> QuerySet[Household]:
    qs = Household.objects.for_user(user).order_by("kepala_keluarga")
    q = (q or "").strip()
    if not q:
        return qs
    digits = clean_digits(q)
    if digits.isdigit() and len(digits) >= 4:
        return qs.filter(no_kk__startswith=digits)
    return qs.filter(kepala_keluarga__icontains=q)


def possible_duplicates(
    *, user, nik: str | None, name: str, birth_date: date | None,
    mother: Person | None = None, mother_nik: str = "", mother_name: str = "",
    exclude_id: int | None = None,
) -> list[Person]:
    """People in the user's scope who may be this person: the same NIK, or the
    same normalised name and birth date and the same mother (by link, NIK or
    normalised name; or no mother known on either side)."""
    scoped = Person.objects.for_user(user).active().exclude(pk=exclude_id)
    cond = Q(pk__in=[])
    if nik:
        cond |= Q(nik=nik)
    key = normalise_name(name)
    if key and birth_date:
        same = Q(name_key=key, birth_date=birth_date)
        mother_q = Q(mother__isnull=True, mother_nik="", mother_name="")
        if mother is not None:
            mother_q |= Q(mother=mother)
            mother_nik = mother_nik or (mother.nik or "")
            mother_name = mother_name or mother.name
        if mother_nik:
            mother_q |= Q(mother_nik=mother_nik) | Q(mother__nik=mother_nik)
        if mother_name:
            mkey = normalise_name(mother_name)
            mother_q |= Q(mother__name_key=mkey)
            matching = [
                pk for pk, mn in scoped.filter(same).exclude(mother_name="")
                .values_list("pk", "mother_name") if normalise_name(mn) == mkey
            ]
            mother_q |= Q(pk__in=matching)
        if mother is None and not mother_nik and not mother_name:
            mother_q = Q()  # no mother given: name + birth date is enough to ask
        cond |= same & mother_q
    return list(scoped.filter(cond).select_related("posyandu", "mother")[:10])
