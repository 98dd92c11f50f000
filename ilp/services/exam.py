"""Step 4 services: pemeriksaan by the bidan (or perawat).

Examination (TD, gula darah, Hb), immunisation, supplements (vitamin A, obat
cacing, TTD, PMT), the ANC check of an ibu hamil, the screenings (SRQ-20,
PUMA, SKILAS, ADL) and referrals. Every service needs ``service.bidan`` on the
visit's posyandu (a kader is refused), runs in one transaction, records who
did it, and raises ValidationError keyed by field with messages in Bahasa
Indonesia. Rules and thresholds come from the reference tables valid on the
visit date; the pure rules live in ``ilp.screenings``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ilp import screenings
from ilp.lifecycle import completed_months, completed_years
from ilp.models import (
    AncCheck,
    Examination,
    Immunisation,
    Person,
    Pregnancy,
    Referral,
    Screening,
    Supplement,
    Visit,
)
from posyandu.reference import table
from posyandu.scoping import has_perm

PERM = "service.bidan"
# Moving a health referral along (diterima, ditindaklanjuti, batal): the bidan
# of the posyandu or the staff of its Puskesmas, never a kader.
REFERRAL_PERM = "referral.handle"
REFERRAL_REFUSED = (
    "Hanya bidan/perawat posyandu ini atau petugas Puskesmas yang boleh mengubah status rujukan."
)

# Plausible ranges: outside them the value is a typing error, never stored.
SYSTOLIC_RANGE = (60, 260)
DIASTOLIC_RANGE = (30, 160)
GLUCOSE_RANGE = (20, 600)
HB_RANGE = (Decimal("3"), Decimal("20"))
TFU_RANGE = (Decimal("1"), Decimal("50"))
DJJ_RANGE = (50, 250)
TTD_RANGE = (0, 120)
MAX_GESTATION_WEEKS = 44

EXAM_FIELDS = ("systolic", "diastolic", "glucose_mg_dl", "glucose_kind", "hb_g_dl", "notes")
ANC_FIELDS = ("tfu_cm", "djj", "ttd_tablets", "kelas_ibu", "notes")
VITAMIN_A_KINDS = {
    "VITA_BIRU": Supplement.Kind.VITAMIN_A_BIRU,
    "VITA_MERAH": Supplement.Kind.VITAMIN_A_MERAH,
}

# Referral status transitions: from -> allowed targets.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Referral.Status.DIRUJUK: (Referral.Status.DITERIMA, Referral.Status.BATAL),
    Referral.Status.DITERIMA: (Referral.Status.DITINDAKLANJUTI, Referral.Status.BATAL),
    Referral.Status.DITINDAKLANJUTI: (),
    Referral.Status.BATAL: (),
}


# --------------------------------------------------------------------------
# helpers


def _require(user, posyandu_id: int) -> None:
    if not has_perm(user, PERM, posyandu_id):
        raise PermissionDenied(
            "Hanya bidan atau perawat posyandu ini yang boleh mencatat pemeriksaan."
        )


def _local_today(tz_name: str) -> date:
    return timezone.localtime(timezone.now(), ZoneInfo(tz_name or "Asia/Jakarta")).date()


def _lock_visit(visit: Visit) -> Visit:
    """Re-read the visit under a row lock: create-or-update services on the
    same visit never interleave."""
    return Visit.objects.select_related("person", "posyandu").select_for_update(of=("self",)).get(
        pk=visit.pk
    )


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def _decimal(value, field: str, errors: _Errors) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        errors.add(field, "Harus angka.")
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        errors.add(field, "Harus angka.")
        return None
    if not number.is_finite():
        errors.add(field, "Harus angka.")
        return None
    return number


def _integer(value, field: str, errors: _Errors) -> int | None:
    number = _decimal(value, field, errors)
    if number is None:
        return None
    if number != number.to_integral_value():
        errors.add(field, "Harus bilangan bulat.")
        return None
    return int(number)


def _in_range(value, bounds, field: str, unit: str, errors: _Errors) -> None:
    low, high = bounds
    if value is not None and not low <= value <= high:
        errors.add(field, f"Nilai di luar rentang wajar ({low}–{high} {unit}); periksa lagi.")


def _pregnancy_on(person: Person, on: date) -> Pregnancy | None:
    """The pregnancy that was ongoing on ``on`` (HPHT on or before it, not yet
    ended on that day)."""
    return (
        Pregnancy.objects.filter(person=person, hpht__lte=on)
        .filter(Q(outcome_date__isnull=True) | Q(outcome_date__gt=on))
        .order_by("-hpht")
        .first()
    )


def _with_history_user(obj, user):
    obj._history_user = user  # django-simple-history records who changed the row
    return obj


# --------------------------------------------------------------------------
# Examination


def _examination_derive(exam: Examination, visit: Visit) -> None:
    thresholds = table("adult_thresholds", visit.date)
    person = visit.person
    exam.bp_class = screenings.bp_class(exam.systolic, exam.diastolic, thresholds)
    exam.glucose_class = screenings.glucose_class(
        exam.glucose_mg_dl, exam.glucose_kind, thresholds
    )
    pregnancy = _pregnancy_on(person, visit.date) if person.sex == "P" else None
    weeks = screenings.gestational_weeks(pregnancy.hpht, visit.date) if pregnancy else None
    limit = screenings.anaemia_threshold(
        sex=person.sex, age_years=completed_years(person.birth_date, visit.date),
        pregnancy_weeks=weeks, thresholds=thresholds,
    )
    exam.hb_threshold = None if limit is None or exam.hb_g_dl is None else Decimal(str(limit))
    exam.anaemia = screenings.is_anaemic(exam.hb_g_dl, limit)


@transaction.atomic
def examination_record(*, user, visit: Visit, data: Mapping) -> Examination:
    """Create or update the examination of ``visit``. Keys of ``data`` not given
    keep their stored value; a key given as None or "" clears it."""
    _require(user, visit.posyandu_id)
    visit = _lock_visit(visit)
    exam = Examination.objects.filter(visit=visit).first() or Examination(
        visit=visit, posyandu_id=visit.posyandu_id, person_id=visit.person_id
    )
    unknown = set(data) - set(EXAM_FIELDS)
    if unknown:
        raise ValidationError(f"Isian tidak dikenal: {', '.join(sorted(unknown))}.")
    current = {f: getattr(exam, f) for f in EXAM_FIELDS}
    raw = current | dict(data)
    errors = _Errors()
    systolic = _integer(raw["systolic"], "systolic", errors)
    diastolic = _integer(raw["diastolic"], "diastolic", errors)
    glucose = _integer(raw["glucose_mg_dl"], "glucose_mg_dl", errors)
    hb = _decimal(raw["hb_g_dl"], "hb_g_dl", errors)
    kind = (raw["glucose_kind"] or "").strip()
    notes = (raw["notes"] or "").strip()

    _in_range(systolic, SYSTOLIC_RANGE, "systolic", "mmHg", errors)
    _in_range(diastolic, DIASTOLIC_RANGE, "diastolic", "mmHg", errors)
    _in_range(glucose, GLUCOSE_RANGE, "glucose_mg_dl", "mg/dL", errors)
    _in_range(hb, HB_RANGE, "hb_g_dl", "g/dL", errors)
    if hb is not None and "hb_g_dl" not in errors:
        hb = hb.quantize(Decimal("0.1"))
    if (systolic is None) != (diastolic is None) and not errors:
        missing = "diastolic" if diastolic is None else "systolic"
        errors.add(missing, "Isi sistolik dan diastolik bersama-sama.")
    if (
        systolic is not None and diastolic is not None
        and "systolic" not in errors and "diastolic" not in errors
        and systolic <= diastolic
    ):
        errors.add("systolic", "Sistolik harus lebih tinggi dari diastolik.")
    if kind and kind not in Examination.GlucoseKind.values:
        errors.add("glucose_kind", "Pilih gula darah sewaktu atau puasa.")
    if glucose is not None and not kind:
        errors.add("glucose_kind", "Pilih jenis pemeriksaan gula darah: sewaktu atau puasa.")
    if glucose is None and kind and "glucose_mg_dl" not in errors:
        kind = ""  # no value, no kind
    if not errors and systolic is None and glucose is None and hb is None and not notes:
        errors.add("systolic", "Isi paling sedikit satu hasil pemeriksaan.")
    errors.raise_if_any()

    exam.systolic, exam.diastolic = systolic, diastolic
    exam.glucose_mg_dl, exam.glucose_kind = glucose, kind
    exam.hb_g_dl, exam.notes = hb, notes
    exam.examined_by = user
    _examination_derive(exam, visit)
    _with_history_user(exam, user).save()
    return exam


# --------------------------------------------------------------------------
# Immunisation


def _schedule_dose(code: str, on: date) -> tuple[dict | None, dict]:
    payload = table("immunisation_schedule", on)
    wanted = (code or "").strip().upper()
    for dose in payload["doses"]:
        if dose["code"].upper() == wanted:
            return dose, payload
    return None, payload


@transaction.atomic
def immunisation_give(
    *, user, visit: Visit, vaccine: str, given_on: date | None = None, batch_no: str = ""
) -> Immunisation:
    """Record one vaccine dose for the visit's person. ``given_on`` defaults to
    the visit date; an earlier date records a dose given elsewhere (buku KIA)."""
    _require(user, visit.posyandu_id)
    visit = _lock_visit(visit)
    person = visit.person
    given_on = given_on or visit.date
    dose, _ = _schedule_dose(vaccine, given_on)
    errors = _Errors()
    if dose is None:
        errors.add("vaccine", "Jenis imunisasi tidak dikenal; pilih dari jadwal imunisasi.")
    if given_on < person.birth_date:
        errors.add("given_on", "Tanggal pemberian tidak boleh sebelum tanggal lahir.")
    elif given_on > _local_today(visit.posyandu.timezone):
        errors.add("given_on", "Tanggal pemberian tidak boleh di masa depan.")
    errors.raise_if_any()
    code = dose["code"]
    earlier = Immunisation.objects.filter(person=person, vaccine=code).first()
    if earlier is not None:
        raise ValidationError(
            {"vaccine": f"{dose['label']} sudah dicatat untuk {person.name} pada "
                        f"{earlier.given_on:%d-%m-%Y}; satu dosis hanya dicatat sekali."}
        )
    batch_no = (batch_no or "").strip()
    if len(batch_no) > Immunisation._meta.get_field("batch_no").max_length:
        raise ValidationError({"batch_no": "Nomor batch terlalu panjang."})
    shot = Immunisation(
        person=person, visit=visit, posyandu_id=visit.posyandu_id, vaccine=code,
        given_on=given_on, batch_no=batch_no, given_by=user,
    )
    try:
        with transaction.atomic():
            _with_history_user(shot, user).save()
    except IntegrityError as exc:  # the same dose saved concurrently
        raise ValidationError(
            {"vaccine": f"{dose['label']} sudah dicatat untuk {person.name}."}
        ) from exc
    return shot


def immunisation_status_for(*, person: Person, on: date, endemic_je: bool = False):
    """The immunisation status list of ``person`` on ``on`` (no permission
    check: callers pass a person they already fetched through scoping)."""
    given = dict(person.immunisations.values_list("vaccine", "given_on"))
    return screenings.immunisation_status(
        birth_date=person.birth_date, on=on, given=given,
        schedule_payload=table("immunisation_schedule", on), endemic_je=endemic_je,
    )


# --------------------------------------------------------------------------
# Supplements


def _check_vitamin_a(kind: str, person: Person, on: date, errors: _Errors) -> None:
    spec = table("immunisation_schedule", on)["vitamin_a"]
    months = completed_months(person.birth_date, on)
    wanted = {v: k for k, v in VITAMIN_A_KINDS.items()}[kind]
    band = next((d for d in spec["doses"] if d["code"] == wanted), None)
    if band and band["min_months"] <= months <= band["max_months"]:
        return
    if kind == Supplement.Kind.VITAMIN_A_MERAH and person.sex == "P":
        nifas_days = table("lifecycle_groups", on)["pregnancy"]["nifas_days"]
        delivered = Pregnancy.objects.filter(
            person=person, outcome_date__lte=on, outcome_date__gte=on - timedelta(days=nifas_days)
        ).exclude(outcome=Pregnancy.Outcome.ONGOING)
        if delivered.exists():
            return  # ibu nifas: two red capsules within 42 days of delivery
    if band:
        errors.add(
            "kind",
            f"{band['label']} untuk anak usia {band['min_months']}–{band['max_months']} bulan"
            + (" atau ibu nifas" if kind == Supplement.Kind.VITAMIN_A_MERAH else "")
            + f"; usia anak ini {months} bulan.",
        )


@transaction.atomic
def supplement_give(
    *, user, visit: Visit, kind: str, quantity: int | None = None, given_on: date | None = None
) -> Supplement:
    """Record a supplement given at the visit: vitamin A (by age band, or red
    for an ibu nifas), obat cacing, TTD or PMT. One row per kind per visit.
    Vitamin A outside February/August is accepted (it is also given for
    illness); the age band is checked."""
    _require(user, visit.posyandu_id)
    visit = _lock_visit(visit)
    person = visit.person
    given_on = given_on or visit.date
    errors = _Errors()
    if kind not in Supplement.Kind.values:
        errors.add("kind", "Pilih jenis: vitamin A biru, vitamin A merah, obat cacing, TTD, PMT.")
    if given_on < person.birth_date:
        errors.add("given_on", "Tanggal pemberian tidak boleh sebelum tanggal lahir.")
    elif given_on > _local_today(visit.posyandu.timezone):
        errors.add("given_on", "Tanggal pemberian tidak boleh di masa depan.")
    qty = _integer(quantity, "quantity", errors)
    if qty is not None and not 1 <= qty <= 200:
        errors.add("quantity", "Jumlah harus antara 1 dan 200.")
    errors.raise_if_any()
    if kind in VITAMIN_A_KINDS.values():
        _check_vitamin_a(kind, person, given_on, errors)
        errors.raise_if_any()
    if Supplement.objects.filter(visit=visit, kind=kind).exists():
        raise ValidationError(
            {"kind": f"{Supplement.Kind(kind).label} sudah dicatat pada kunjungan ini."}
        )
    item = Supplement(
        person=person, visit=visit, posyandu_id=visit.posyandu_id, kind=kind,
        given_on=given_on, quantity=qty, given_by=user,
    )
    _with_history_user(item, user).save()
    return item


# --------------------------------------------------------------------------
# ANC


@transaction.atomic
def anc_record(*, user, visit: Visit, data: Mapping) -> AncCheck:
    """Create or update the ANC check of ``visit``. The person must have a
    pregnancy ongoing on the visit date; the gestational age is derived from
    its HPHT."""
    _require(user, visit.posyandu_id)
    visit = _lock_visit(visit)
    person = visit.person
    pregnancy = _pregnancy_on(person, visit.date) if person.sex == "P" else None
    if pregnancy is None:
        raise ValidationError(
            {"pregnancy": "Tidak ada kehamilan yang tercatat berlangsung pada tanggal kunjungan "
                          "ini. Catat dulu kehamilannya (HPHT) di data sasaran."}
        )
    weeks = screenings.gestational_weeks(pregnancy.hpht, visit.date)
    if weeks > MAX_GESTATION_WEEKS:
        raise ValidationError(
            {"pregnancy": f"Usia kehamilan menurut HPHT {weeks} minggu; periksa HPHT atau "
                          "catat hasil kehamilan sebelumnya."}
        )
    unknown = set(data) - set(ANC_FIELDS)
    if unknown:
        raise ValidationError(f"Isian tidak dikenal: {', '.join(sorted(unknown))}.")
    check = AncCheck.objects.filter(visit=visit).first() or AncCheck(
        visit=visit, posyandu_id=visit.posyandu_id
    )
    current = {f: getattr(check, f) for f in ANC_FIELDS}
    raw = current | dict(data)
    errors = _Errors()
    tfu = _decimal(raw["tfu_cm"], "tfu_cm", errors)
    djj = _integer(raw["djj"], "djj", errors)
    ttd = _integer(raw["ttd_tablets"], "ttd_tablets", errors)
    _in_range(tfu, TFU_RANGE, "tfu_cm", "cm", errors)
    _in_range(djj, DJJ_RANGE, "djj", "per menit", errors)
    _in_range(ttd, TTD_RANGE, "ttd_tablets", "tablet", errors)
    errors.raise_if_any()
    check.pregnancy = pregnancy
    check.gestational_weeks = weeks
    check.tfu_cm = tfu.quantize(Decimal("0.1")) if tfu is not None else None
    check.djj = djj
    check.ttd_tablets = ttd or 0
    check.kelas_ibu = bool(raw["kelas_ibu"])
    check.notes = (raw["notes"] or "").strip()
    check.examined_by = user
    _with_history_user(check, user).save()
    return check


# --------------------------------------------------------------------------
# Screenings


@transaction.atomic
def screening_record(*, user, visit: Visit, instrument: str, answers: Mapping) -> Screening:
    """Score and store one screening of the visit (a repeat on the same visit
    replaces the answers; history keeps the old ones)."""
    _require(user, visit.posyandu_id)
    visit = _lock_visit(visit)
    person = visit.person
    payload = table("screenings", visit.date)
    if instrument not in Screening.Instrument.values or instrument not in payload:
        raise ValidationError({"instrument": "Jenis skrining tidak dikenal."})
    spec = payload[instrument]
    age = completed_years(person.birth_date, visit.date)
    min_age = spec.get("min_age_years")
    if min_age is not None and age < min_age:
        raise ValidationError(
            {"instrument": f"{spec['label']} untuk usia {min_age} tahun ke atas; "
                           f"{person.name} berusia {age} tahun."}
        )
    answers = dict(answers or {})
    if instrument == "puma":
        # Items 1 and 2 come from the register, never from a second typing.
        for code, actual in (("jenis_kelamin", person.sex), ("usia", age)):
            given = answers.get(code)
            if given not in (None, "") and str(given).strip().upper() != str(actual):
                raise ValidationError(
                    {code: f"Tidak sesuai data sasaran ({actual}); perbaiki data sasaran dulu "
                           "bila data itu yang salah."}
                )
            answers[code] = actual
    try:
        result = screenings.score(instrument, answers, payload)
    except screenings.AnswerError as exc:
        raise ValidationError({k: [v] for k, v in exc.errors.items()}) from exc
    row = Screening.objects.filter(visit=visit, instrument=instrument).first() or Screening(
        visit=visit, person=person, posyandu_id=visit.posyandu_id, instrument=instrument
    )
    row.answers = result.answers
    row.score = result.score
    row.outcome = result.outcome
    row.outcome_label = result.label[: Screening._meta.get_field("outcome_label").max_length]
    row.refer = result.refer
    row.details = result.details
    row.screened_by = user
    _with_history_user(row, user).save()
    return row


# --------------------------------------------------------------------------
# Referrals


@transaction.atomic
def referral_create(
    *, user, visit_or_person: Visit | Person, reason: str, flags: Iterable[str] = (),
    destination: str = Referral.Destination.PUSKESMAS, notes: str = "",
) -> Referral:
    """Refer the person of a visit (or a person outside a visit, e.g. after a
    home visit) to ``destination``. ``flags`` are the finding codes behind it."""
    if isinstance(visit_or_person, Visit):
        visit, person = visit_or_person, visit_or_person.person
        posyandu_id = visit.posyandu_id
    elif isinstance(visit_or_person, Person):
        visit, person = None, visit_or_person
        posyandu_id = person.posyandu_id
    else:
        raise TypeError("visit_or_person must be a Visit or a Person")
    _require(user, posyandu_id)
    errors = _Errors()
    reason = (reason or "").strip()
    if len(reason) < 3:
        errors.add("reason", "Tulis alasan rujukan.")
    if destination not in Referral.Destination.values:
        errors.add("destination", "Tujuan rujukan tidak dikenal.")
    if isinstance(flags, str):
        flags = [flags]
    flags = list(dict.fromkeys(str(f).strip() for f in flags if str(f).strip()))
    errors.raise_if_any()
    referral = Referral(
        person=person, visit=visit, posyandu_id=posyandu_id, destination=destination,
        reason=reason, flags=flags, status=Referral.Status.DIRUJUK,
        status_changed_at=timezone.now(), status_changed_by=user, made_by=user,
        notes=(notes or "").strip(),
    )
    _with_history_user(referral, user).save()
    return referral


@transaction.atomic
def referral_set_status(*, user, referral: Referral, status: str, notes: str = "") -> Referral:
    """Move a referral along dirujuk → diterima → ditindaklanjuti; an open
    referral may be cancelled (batal, with a reason). Nothing else. Needs
    ``referral.handle`` (the bidan of the posyandu or staff of its Puskesmas);
    a kader is refused."""
    if not has_perm(user, REFERRAL_PERM, referral.posyandu_id):
        raise PermissionDenied(REFERRAL_REFUSED)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if status not in Referral.Status.values:
        raise ValidationError({"status": "Status rujukan tidak dikenal."})
    current, target = Referral.Status(referral.status), Referral.Status(status)
    if target not in TRANSITIONS[current]:
        if current == target:
            message = f"Rujukan ini sudah berstatus \"{current.label}\"."
        elif not TRANSITIONS[current]:
            message = (
                f"Rujukan berstatus \"{current.label}\" sudah selesai dan tidak bisa diubah lagi."
            )
        else:
            allowed = " atau ".join(
                f"\"{s.label}\"" for s in map(Referral.Status, TRANSITIONS[current])
            )
            message = (
                f"Status \"{current.label}\" tidak bisa diubah menjadi \"{target.label}\"; "
                f"pilihan berikutnya: {allowed}."
            )
        raise ValidationError({"status": message})
    notes = (notes or "").strip()
    if target == Referral.Status.BATAL and not notes:
        raise ValidationError({"notes": "Tulis alasan rujukan dibatalkan."})
    referral.status = target
    referral.status_changed_at = timezone.now()
    referral.status_changed_by = user
    if notes:
        stamp = f"[{target.label} {timezone.localdate():%d-%m-%Y}] {notes}"
        referral.notes = f"{referral.notes}\n{stamp}" if referral.notes else stamp
    _with_history_user(referral, user).save()
    return referral
