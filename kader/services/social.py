"""Writes of the social feature: the social screen, the referral to the
Puskesos and its status changes.

Who: a kader or bidan (``social.refer`` on the person's posyandu) screens and
refers; only the Puskesos officer of the posyandu's desa (``social.handle``)
moves a referral along. Each service runs in one transaction, records who did
it, and raises ValidationError keyed by field with messages in Bahasa
Indonesia. A repeated client_id (a double tap on a weak connection) returns
the first row; a second referral from the same screen returns the first one.
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Iterable, Mapping
from datetime import date
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ilp.models import Measurement, Person
from kader import social_rules as rules
from kader.models.social import SocialReferral, SocialReferralEvent, SocialScreen
from posyandu.reference import table
from posyandu.scoping import has_perm

REFER_PERM = "social.refer"
HANDLE_PERM = "social.handle"
REFER_REFUSED = "Hanya kader atau bidan posyandu ini yang boleh melakukan skrining dan rujukan sosial."
HANDLE_REFUSED = "Hanya petugas Puskesos desa ini yang boleh memproses rujukan sosial."


def _local_today(tz_name: str) -> date:
    return timezone.localtime(timezone.now(), ZoneInfo(tz_name or "Asia/Jakarta")).date()


def latest_flags(person: Person) -> tuple[list[str], date | None]:
    """The flags of the person's latest measurement and its date."""
    row = (
        Measurement.objects.filter(person=person)
        .order_by("-measured_on", "-created_at")
        .values_list("flags", "measured_on")
        .first()
    )
    return (list(row[0] or []), row[1]) if row else ([], None)


def screen_create(
    *, user, person: Person, reasons: Iterable[str], answers: Mapping[str, str],
    reason_other: str = "", notes: str = "", client_id: uuidlib.UUID | None = None,
    on: date | None = None,
) -> tuple[SocialScreen, bool]:
    """Record a social screen of ``person``'s family and the rule table's
    verdict. Returns (screen, created); a repeated ``client_id`` returns the
    first screen."""
    if not has_perm(user, REFER_PERM, person.posyandu_id):
        raise PermissionDenied(REFER_REFUSED)
    if client_id and (found := SocialScreen.objects.filter(client_id=client_id).first()):
        if found.person_id != person.pk:
            raise ValidationError("Kode kiriman ini sudah dipakai untuk data lain.")
        return found, False
    if person.merged_into_id:
        raise ValidationError("Data ini sudah digabung ke data lain; buka data yang dipakai.")
    on = on or _local_today(person.posyandu.timezone)
    payload = table("social_screen", on)
    errors: dict[str, list[str]] = {}
    known = {code for code, _ in rules.reason_choices(payload)}
    reasons = list(dict.fromkeys(r for r in (reasons or ()) if r))
    reason_other = (reason_other or "").strip()
    if not reasons:
        errors["reasons"] = ["Pilih alasan skrining (pendek, gizi kurang/buruk, BGM atau lainnya)."]
    elif any(r not in known for r in reasons):
        errors["reasons"] = ["Alasan skrining tidak dikenal."]
    elif "lainnya" in reasons and not reason_other:
        errors["reason_other"] = ["Tulis temuan lainnya."]
    answers = {f: (answers.get(f) or "") for f in rules.ANSWER_FIELDS}
    for field, message in rules.answer_errors(answers, payload).items():
        errors.setdefault(field, []).append(message)
    if errors:
        raise ValidationError(errors)
    verdict = rules.evaluate(answers, payload)
    flags, _ = latest_flags(person)
    screen = SocialScreen(
        person=person, household_id=person.household_id, posyandu_id=person.posyandu_id,
        screened_by=user, date=on, reasons=reasons, reason_other=reason_other, flags=flags,
        notes=(notes or "").strip(), refer=verdict.refer,
        unmet=[list(u) for u in verdict.unmet], client_id=client_id, **answers,
    )
    screen._history_user = user
    try:
        with transaction.atomic():
            screen.save()
    except IntegrityError:  # a concurrent double tap with the same client_id won
        found = SocialScreen.objects.filter(client_id=client_id).first() if client_id else None
        if found is None:
            raise
        return found, False
    return screen, True


def _event(referral: SocialReferral, user, from_status: str, note: str) -> SocialReferralEvent:
    return SocialReferralEvent.objects.create(
        referral=referral, from_status=from_status, to_status=referral.status,
        note=note, at=referral.status_changed_at, by=user,
    )


@transaction.atomic
def referral_create(*, user, screen: SocialScreen, notes: str = "") -> tuple[SocialReferral, bool]:
    """Refer the screened family to the Puskesos (status Diajukan). Only a
    screen whose verdict is "refer" may be sent; one referral per screen (a
    second tap returns the first), and no second open referral per person."""
    if not has_perm(user, REFER_PERM, screen.posyandu_id):
        raise PermissionDenied(REFER_REFUSED)
    screen = SocialScreen.objects.select_for_update().select_related("person").get(pk=screen.pk)
    if existing := SocialReferral.objects.filter(screen=screen).first():
        return existing, False
    if not screen.refer:
        raise ValidationError(
            "Menurut skrining ini keluarga sudah terlindungi (DT-SEN, bansos, JKN); "
            "tidak perlu dirujuk ke Puskesos."
        )
    open_one = (
        SocialReferral.objects.filter(person_id=screen.person_id, status__in=rules.OPEN_STATUSES)
        .order_by("created_at").first()
    )
    if open_one:
        raise ValidationError(
            f"{screen.person.name} sudah punya rujukan Puskesos yang belum selesai "
            f"(diajukan {timezone.localdate(open_one.created_at):%d-%m-%Y}, "
            f"status {open_one.get_status_display()})."
        )
    now = timezone.now()
    notes = (notes or "").strip()
    referral = SocialReferral(
        screen=screen, person_id=screen.person_id, household_id=screen.household_id,
        posyandu_id=screen.posyandu_id, status=SocialReferral.Status.DIAJUKAN, made_by=user,
        notes=notes, status_changed_at=now, status_changed_by=user,
    )
    referral._history_user = user
    referral.save()
    _event(referral, user, "", notes)
    return referral, True


@transaction.atomic
def referral_set_status(
    *, user, referral: SocialReferral, status: str, note: str = "",
    aid: Iterable[str] = (), aid_other: str = "",
) -> SocialReferral:
    """The Puskesos officer moves a referral: Diajukan -> Diproses ->
    Disetujui (with the aid: PKH, BPNT, PBI-JKN, other) or Ditolak (with the
    reason). Every change is kept with its note and time."""
    if not has_perm(user, HANDLE_PERM, referral.posyandu_id):
        raise PermissionDenied(HANDLE_REFUSED)
    referral = SocialReferral.objects.select_for_update().get(pk=referral.pk)
    note = (note or "").strip()
    aid = list(dict.fromkeys(a for a in (aid or ()) if a))
    aid_other = (aid_other or "").strip()
    errors = rules.transition_errors(referral.status, status, note=note, aid=aid,
                                     aid_other=aid_other)
    if errors:
        raise ValidationError(errors)
    previous = referral.status
    now = timezone.now()
    referral.status = status
    referral.status_changed_at = now
    referral.status_changed_by = user
    if status in (rules.DISETUJUI, rules.DITOLAK):
        referral.decided_at = now
        referral.decided_by = user
    if status == rules.DISETUJUI:
        referral.aid = aid
        referral.aid_other = aid_other if "lainnya" in aid else ""
    if status == rules.DITOLAK:
        referral.reject_reason = note
    referral._history_user = user
    referral.save()
    _event(referral, user, previous, note)
    return referral
