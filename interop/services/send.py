"""Sending visits to SATUSEHAT: queue a Puskesmas's month, send the pending
ones (through the Celery task ``interop.send_pending``), resend a failure.

Every visit has one Submission row: Belum dikirim (pending), Terkirim (sent)
or Gagal (failed, with the reason). A sent visit whose Bundle has not changed
is not sent again; a resent Bundle makes no second resource in SATUSEHAT
because every entry is a conditional create on our identifier.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ilp.models import Visit
from interop.client import Client, SatusehatError
from interop.fhir import visit_bundle
from interop.models import SatusehatSettings, Submission
from interop.services.bundles import context_for, month_visits, prefetch
from interop.validation import InvalidResource, validate
from posyandu.models import Posyandu
from posyandu.scoping import posyandu_ids_for

# Held by bidan, Puskesmas staff and administrators (not kader, not Dinkes):
# sending upward is the health staff's job.
SEND_PERM = "referral.handle"


def puskesmas_posyandu_ids(puskesmas) -> list[int]:
    return list(Posyandu.objects.filter(desa__puskesmas=puskesmas, is_active=True)
                .values_list("pk", flat=True))


def require_send(user, puskesmas) -> list[int]:
    ids = puskesmas_posyandu_ids(puskesmas)
    if not ids or not set(ids) <= posyandu_ids_for(user, SEND_PERM):
        raise PermissionDenied("Anda tidak berwenang mengirim data Puskesmas ini.")
    return ids


def settings_for(puskesmas) -> SatusehatSettings:
    s = SatusehatSettings.objects.filter(puskesmas=puskesmas).first()
    if s is None or not s.enabled:
        raise ValidationError(
            "Pengaturan SATUSEHAT Puskesmas ini belum diisi atau belum aktif. "
            "Minta administrator mengisinya di Admin > Pengaturan SATUSEHAT."
        )
    return s


def queue_month(*, user, puskesmas, month: date, enqueue: bool = True) -> list[int]:
    """Mark the month's visits with data as pending (new ones and failures; a
    sent visit stays sent unless its data changed) and start the task.
    Returns the ids of the submissions queued."""
    ids = require_send(user, puskesmas)
    s = settings_for(puskesmas)
    queued = []
    with transaction.atomic():
        for visit in month_visits(ids, month):
            sub, _ = Submission.objects.get_or_create(
                visit=visit, defaults={"posyandu_id": visit.posyandu_id}
            )
            if sub.status == Submission.Status.SENT:
                continue  # sent once is enough: conditional creates do not update
            if sub.status == Submission.Status.FAILED:
                sub.status, sub.reason = Submission.Status.PENDING, ""
                sub.save(update_fields=["status", "reason", "updated_at"])
            queued.append(sub.pk)
    if enqueue and queued:
        _enqueue(s.pk, queued)
    return queued


def resend(*, user, submission: Submission) -> Submission:
    """'Kirim ulang' of one visit (failed, or sent and changed since)."""
    puskesmas = submission.posyandu.desa.puskesmas
    require_send(user, puskesmas)
    s = settings_for(puskesmas)
    Submission.objects.filter(pk=submission.pk).update(
        status=Submission.Status.PENDING, reason="", updated_at=timezone.now()
    )
    _enqueue(s.pk, [submission.pk])
    submission.refresh_from_db()
    return submission


def _enqueue(settings_id: int, submission_ids: list[int]) -> None:
    from interop.tasks import send_pending

    transaction.on_commit(lambda: send_pending.delay(settings_id, submission_ids))


def _hash(bundle: dict) -> str:
    return hashlib.sha256(json.dumps(bundle, sort_keys=True).encode()).hexdigest()


def send(settings_id: int, submission_ids: list[int], *, client: Client | None = None) -> dict:
    """Send these submissions (the task's body). Returns counts by outcome."""
    s = SatusehatSettings.objects.select_related("puskesmas").get(pk=settings_id)
    client = client or Client(s)
    allowed = set(puskesmas_posyandu_ids(s.puskesmas))
    subs = list(
        Submission.objects.filter(pk__in=submission_ids, posyandu_id__in=allowed)
        .exclude(status=Submission.Status.SENT).order_by("pk")
    )
    visits = {v.pk: v for v in prefetch(Visit.objects.filter(pk__in=[x.visit_id for x in subs]))}
    ctx = context_for(s.organization_id, visits.values())
    counts = {"sent": 0, "failed": 0, "unchanged": 0, "deferred": []}
    for index, sub in enumerate(subs):
        visit = visits.get(sub.visit_id)
        sub.attempts += 1
        sub.last_attempt_at = timezone.now()
        if not s.enabled:
            _fail(sub, "Pengiriman SATUSEHAT Puskesmas ini dimatikan.")
            counts["failed"] += 1
            continue
        built = visit_bundle(visit, ctx)
        try:
            validate(built.bundle)
        except InvalidResource as exc:
            _fail(sub, f"Data tidak sesuai FHIR R4: {exc}"[:1000])
            counts["failed"] += 1
            continue
        digest = _hash(built.bundle)
        try:
            response = client.post_bundle(built.bundle)
        except SatusehatError as exc:
            _fail(sub, exc.reason)
            counts["failed"] += 1
            if exc.retryable:
                # SATUSEHAT is down or throttling even after the back-off: stop this
                # batch instead of waiting out every visit; the task tries again later.
                rest = subs[index + 1:]
                for other in rest:
                    _fail(other, f"{exc.reason} Kiriman dihentikan sementara.")
                counts["failed"] += len(rest)
                counts["deferred"] = [x.pk for x in subs[index:]]
                break
            continue
        ids = {}
        for key, entry in zip(built.keys, response.get("entry", []), strict=False):
            location = (entry.get("response") or {}).get("location", "")
            if location:
                ids[key] = location.split("/_history")[0]
        sub.status, sub.reason = Submission.Status.SENT, ""
        sub.sent_at, sub.bundle_hash, sub.returned_ids = timezone.now(), digest, ids
        sub.save()
        counts["sent"] += 1
    return counts


def _fail(sub: Submission, reason: str) -> None:
    sub.status, sub.reason = Submission.Status.FAILED, reason
    sub.save(update_fields=["status", "reason", "attempts", "last_attempt_at", "updated_at"])


def month_status(posyandu_ids, month: date) -> dict:
    """Counts per status of the month's visits with data (belum dikirim
    includes visits without a Submission row yet)."""
    visits = month_visits(posyandu_ids, month).values_list("pk", flat=True)
    total = len(visits)
    rows = Submission.objects.filter(visit_id__in=list(visits))
    counts = {k: rows.filter(status=k).count() for k in Submission.Status.values}
    counts[Submission.Status.PENDING] += total - sum(counts.values())
    counts["total"] = total
    return counts
