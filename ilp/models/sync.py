"""The ledger of batch sync (``POST /api/v1/sync/``): one row per operation
that the server applied, keyed by the client id made on the phone.

The unique client id is what makes a batch idempotent: an operation claims
its client id by inserting this row first, so a repeat (or the same batch
sent twice at once) finds the row, or waits on the unique index until the
first one commits, and answers "duplicate" with the stored ids and result.
Refused operations leave no row: the corrected entry is sent again with the
same client id.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from posyandu.models import Posyandu
from posyandu.scoping import ScopedQuerySet


class SyncOperation(models.Model):
    client_id = models.UUIDField("kode kiriman", unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    posyandu = models.ForeignKey(
        Posyandu, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        editable=False,
    )
    kind = models.CharField("jenis", max_length=32, editable=False)
    payload_hash = models.CharField(
        max_length=64, editable=False, help_text="SHA-256 of the canonical JSON of kind + payload."
    )
    taken_at = models.DateTimeField("dicatat di HP", null=True, blank=True, editable=False)
    received_at = models.DateTimeField("diterima server", default=timezone.now, editable=False)
    ids = models.JSONField(default=dict, blank=True, editable=False)
    result = models.JSONField(default=dict, blank=True, editable=False)

    scope_path = "posyandu_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "kiriman sinkron"
        verbose_name_plural = "kiriman sinkron"
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["user", "received_at"])]

    def __str__(self):
        return f"{self.kind} {self.client_id}"
