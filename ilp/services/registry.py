"""Registry services: register, edit, link and merge people and households.

Services own the rules and the transaction; views and API views only parse
shape and call them. Every error is a ValidationError whose messages are in
Bahasa Indonesia and keyed by form field.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ilp.identity import (
    IdentityError,
    clean_digits,
    nik_conflicts,
    parse_nik,
    validate_bpjs,
    validate_kk,
    validate_phone,
)
from ilp.models import Household, Person, Pregnancy, Sex
from ilp.selectors.registry import possible_duplicates
from posyandu.scoping import has_perm

PERSON_FIELDS = (
    "name", "sex", "birth_date", "birth_date_estimated", "nik", "mother_name", "mother_nik",
    "bpjs_number", "address", "rt", "rw", "phone", "has_buku_kia", "moved_on", "moved_to",
    "died_on",
)
MAX_AGE_YEARS = 120


class DuplicateSuspected(ValidationError):
    """Raised before saving a person who looks like someone already registered."""

    def __init__(self, candidates):
        self.candidates = list(candidates)
        super().__init__(
            "Kemungkinan orang ini sudah terdaftar. Periksa daftar di bawah; "
            "jika memang orang yang berbeda, centang \"Bukan orang yang sama\" lalu simpan lagi."
        )


def _require(user, perm: str, posyandu_id: int) -> None:
    if not has_perm(user, perm, posyandu_id):
        raise PermissionDenied("Anda tidak berwenang mengubah data posyandu ini.")


def _today() -> date:
    return timezone.localdate()


def person_clean(data: dict, *, instance: Person | None = None) -> dict:
    """Normalise and check person fields; raises ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}
    out = dict(data)

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    out["name"] = " ".join((data.get("name") or "").split())
    if len(out["name"]) < 2:
        fail("name", "Nama wajib diisi.")
    if data.get("sex") not in Sex.values:
        fail("sex", "Pilih jenis kelamin: laki-laki atau perempuan.")
    birth = data.get("birth_date")
    if not birth:
        fail("birth_date", "Tanggal lahir wajib diisi.")
    elif birth > _today():
        fail("birth_date", "Tanggal lahir tidak boleh di masa depan.")
    elif birth.year < _today().year - MAX_AGE_YEARS:
        fail("birth_date", f"Tanggal lahir lebih dari {MAX_AGE_YEARS} tahun lalu; periksa tahunnya.")

    for field, check in (("bpjs_number", validate_bpjs), ("phone", validate_phone)):
        if data.get(field):
            try:
                out[field] = check(data[field])
            except IdentityError as e:
                fail(field, str(e))
    for field in ("nik", "mother_nik"):
        if data.get(field):
            try:
                parse_nik(data[field])
                out[field] = clean_digits(data[field])
            except IdentityError as e:
                fail(field, str(e) if field == "nik" else f"NIK ibu: {e}")
    if out.get("nik") and "nik" not in errors and birth and "birth_date" not in errors:
        if not data.get("birth_date_estimated"):
            for problem in nik_conflicts(parse_nik(out["nik"]), birth_date=birth, sex=data.get("sex")):
                fail("nik", problem)
    if not out.get("nik"):
        out["nik"] = None
    for field in ("rt", "rw"):
        value = (data.get(field) or "").strip()
        if value and not value.isdigit():
            fail(field, "RT/RW diisi angka, misalnya 003.")
        out[field] = value.zfill(3) if value else ""
    for field in ("moved_on", "died_on"):
        when = data.get(field)
        if when and birth and when < birth:
            fail(field, "Tanggal ini tidak boleh sebelum tanggal lahir.")
        if when and when > _today():
            fail(field, "Tanggal ini tidak boleh di masa depan.")
    if errors:
        raise ValidationError(errors)
    return out


def _check_mother(user, mother: Person | None, child: dict) -> None:
    if mother is None:
        return
    _require(user, "view", mother.posyandu_id)
    if mother.sex != Sex.P:
        raise ValidationError({"mother": "Ibu harus perempuan."})
    if child.get("birth_date") and (child["birth_date"] - mother.birth_date).days < 365 * 10:
        raise ValidationError({"mother": "Ibu harus lahir paling sedikit 10 tahun sebelum anaknya."})


def _check_household(user, household: Household | None, posyandu_id: int) -> None:
    if household is not None and household.posyandu_id != posyandu_id:
        raise ValidationError({"household": "Keluarga (KK) ini terdaftar di posyandu lain."})


def _check_nik_free(nik: str | None, *, exclude_id: int | None) -> None:
    if not nik:
        return
    taken = Person.objects.active().filter(nik=nik).exclude(pk=exclude_id).exists()
    if taken:
        raise ValidationError(
            {"nik": "NIK ini sudah terdaftar. Cari orangnya di daftar sasaran; jika tinggal di "
                    "posyandu lain, minta bidan atau Puskesmas memindahkannya."}
        )


@transaction.atomic
def person_create(
    *, user, posyandu, data: dict, household: Household | None = None,
    mother: Person | None = None, not_duplicate: bool = False,
) -> Person:
    """Register a person. Unless ``not_duplicate`` is set, refuses with
    DuplicateSuspected when someone in the user's scope matches."""
    _require(user, "registry.edit", posyandu.pk)
    cleaned = person_clean(data)
    _check_mother(user, mother, cleaned)
    _check_household(user, household, posyandu.pk)
    if not not_duplicate:
        candidates = possible_duplicates(
            user=user, nik=cleaned["nik"], name=cleaned["name"],
            birth_date=cleaned["birth_date"], mother=mother,
            mother_nik=cleaned.get("mother_nik", ""), mother_name=cleaned.get("mother_name", ""),
        )
        if candidates:
            raise DuplicateSuspected(candidates)
    _check_nik_free(cleaned["nik"], exclude_id=None)
    person = Person(posyandu=posyandu, household=household, mother=mother)
    for field in PERSON_FIELDS:
        if field in cleaned:
            setattr(person, field, cleaned[field])
    if household and not person.address:
        person.address, person.rt, person.rw = household.alamat, household.rt, household.rw
    return _save(person, user)


@transaction.atomic
def person_update(
    *, user, person: Person, data: dict, household: Household | None = None,
    mother: Person | None = None,
) -> Person:
    _require(user, "registry.edit", person.posyandu_id)
    person = Person.objects.select_for_update().get(pk=person.pk)
    merged = {f: getattr(person, f) for f in PERSON_FIELDS} | data
    cleaned = person_clean(merged, instance=person)
    _check_mother(user, mother, cleaned)
    if mother is not None and mother.pk == person.pk:
        raise ValidationError({"mother": "Seseorang tidak bisa menjadi ibunya sendiri."})
    _check_household(user, household, person.posyandu_id)
    _check_nik_free(cleaned["nik"], exclude_id=person.pk)
    growth_inputs = (person.birth_date, person.sex)
    for field in PERSON_FIELDS:
        setattr(person, field, cleaned.get(field, getattr(person, field)))
    person.household, person.mother = household, mother
    _save(person, user)
    if (person.birth_date, person.sex) != growth_inputs:  # z-scores and N/T depend on them
        _recompute(person.pk)
    return person


def _save(person: Person, user) -> Person:
    person._history_user = user  # the audit trail names the user outside requests too
    person.full_clean(exclude=["posyandu", "household", "mother"], validate_unique=False)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # a concurrent registration of the same NIK
        raise ValidationError({"nik": "NIK ini sudah terdaftar."}) from exc
    return person


@transaction.atomic
def household_create(*, user, posyandu, data: dict) -> Household:
    _require(user, "registry.edit", posyandu.pk)
    errors = {}
    no_kk = None
    if data.get("no_kk"):
        try:
            no_kk = validate_kk(data["no_kk"])
        except IdentityError as e:
            errors["no_kk"] = [str(e)]
        else:
            if Household.objects.filter(no_kk=no_kk).exists():
                errors["no_kk"] = ["Nomor KK ini sudah terdaftar. Cari keluarganya di daftar."]
    head = " ".join((data.get("kepala_keluarga") or "").split())
    if len(head) < 2:
        errors["kepala_keluarga"] = ["Nama kepala keluarga wajib diisi."]
    rt, rw = (data.get("rt") or "").strip(), (data.get("rw") or "").strip()
    for field, value in (("rt", rt), ("rw", rw)):
        if value and not value.isdigit():
            errors[field] = ["RT/RW diisi angka, misalnya 003."]
    if errors:
        raise ValidationError(errors)
    household = Household(
        posyandu=posyandu, no_kk=no_kk, kepala_keluarga=head,
        alamat=(data.get("alamat") or "").strip(),
        rt=rt.zfill(3) if rt else "", rw=rw.zfill(3) if rw else "",
    )
    household.full_clean(exclude=["posyandu"])
    household._history_user = user
    household.save()
    return household


@transaction.atomic
def pregnancy_create(
    *, user, person: Person, hpht: date, due_date: date | None = None, gravida: int | None = None
) -> Pregnancy:
    _require(user, "registry.edit", person.posyandu_id)
    if person.sex != Sex.P:
        raise ValidationError({"hpht": "Kehamilan hanya dicatat untuk perempuan."})
    if hpht > _today():
        raise ValidationError({"hpht": "HPHT tidak boleh di masa depan."})
    if (hpht - person.birth_date).days < 365 * 10:
        raise ValidationError({"hpht": "HPHT terlalu dekat dengan tanggal lahir ibu; periksa lagi."})
    if person.pregnancies.filter(outcome=Pregnancy.Outcome.ONGOING).exists():
        raise ValidationError({"hpht": "Ibu ini masih tercatat hamil; catat dulu hasil kehamilan sebelumnya."})
    due = due_date or Pregnancy.naegele(hpht)
    if not 0 < (due - hpht).days <= 310:
        raise ValidationError({"due_date": "HPL harus sekitar 40 minggu setelah HPHT."})
    pregnancy = Pregnancy(person=person, hpht=hpht, due_date=due, gravida=gravida)
    pregnancy.full_clean()
    pregnancy._history_user = user
    pregnancy.save()
    return pregnancy


@transaction.atomic
def pregnancy_close(*, user, pregnancy: Pregnancy, outcome: str, outcome_date: date) -> Pregnancy:
    _require(user, "registry.edit", pregnancy.person.posyandu_id)
    if outcome not in Pregnancy.Outcome.values or outcome == Pregnancy.Outcome.ONGOING:
        raise ValidationError({"outcome": "Pilih hasil kehamilan."})
    if outcome_date > _today() or outcome_date < pregnancy.hpht:
        raise ValidationError({"outcome_date": "Tanggal harus antara HPHT dan hari ini."})
    pregnancy.outcome, pregnancy.outcome_date = outcome, outcome_date
    pregnancy.full_clean()
    pregnancy._history_user = user
    pregnancy.save(update_fields=["outcome", "outcome_date", "updated_at"])
    return pregnancy


def _relations_to_person():
    """Every foreign key that points at Person, from any app (history tables
    excluded): a merge re-points them all, so no measurement is lost."""
    for rel in Person._meta.related_objects:
        model = rel.related_model
        if model.__name__.startswith("Historical") or rel.remote_field.name == "merged_into":
            continue
        if rel.many_to_many:
            continue
        yield model, rel.field.name


@transaction.atomic
def person_merge(*, user, keep: Person, remove: Person) -> Person:
    """Merge ``remove`` into ``keep``: every row that refers to ``remove``
    (visits, measurements, children, pregnancies...) moves to ``keep``;
    empty fields of ``keep`` are filled from ``remove``; ``remove`` stays as
    a tombstone pointing to ``keep``."""
    for p in (keep, remove):
        _require(user, "registry.merge", p.posyandu_id)
    if keep.pk == remove.pk:
        raise ValidationError("Pilih dua orang yang berbeda untuk digabung.")
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    remove = Person.objects.select_for_update().get(pk=remove.pk)
    if remove.merged_into_id or keep.merged_into_id:
        raise ValidationError("Salah satu data sudah pernah digabung.")
    if keep.sex != remove.sex:
        raise ValidationError("Jenis kelamin kedua data berbeda; periksa dulu sebelum digabung.")
    clash = set(keep.visits.values_list("date", flat=True)) & set(
        remove.visits.values_list("date", flat=True)
    )
    if clash:
        days = ", ".join(d.strftime("%d-%m-%Y") for d in sorted(clash))
        raise ValidationError(
            f"Kedua data punya kunjungan pada tanggal yang sama ({days}); "
            "hapus atau perbaiki salah satu kunjungan itu dulu."
        )
    try:
        with transaction.atomic():
            for model, field in _relations_to_person():
                model._default_manager.filter(**{field: remove}).update(**{field: keep})
    except IntegrityError as exc:  # e.g. the same vaccine recorded on both records
        raise ValidationError(
            "Kedua data punya catatan yang bentrok (misalnya imunisasi yang sama dicatat dua "
            "kali). Perbaiki catatan ganda itu dulu, lalu gabungkan lagi."
        ) from exc
    nik = remove.nik
    remove.nik = None  # frees the unique NIK for the kept record
    remove.merged_into = keep
    remove._history_user = keep._history_user = user
    remove.save(update_fields=["nik", "merged_into", "updated_at"])
    changed = []
    for field in PERSON_FIELDS + ("household_id", "mother_id"):
        value = nik if field == "nik" else getattr(remove, field)
        if value not in (None, "", False) and getattr(keep, field) in (None, "", False):
            setattr(keep, field, value)
            changed.append(field)
    if changed:
        keep.save(update_fields=changed + ["updated_at"])
    _recompute(keep.pk)  # the merged history gets one N/T/O/B sequence
    return keep


def _recompute(person_id: int) -> None:
    from ilp.services.measurements import measurements_recompute

    measurements_recompute(person_ids=[person_id])
