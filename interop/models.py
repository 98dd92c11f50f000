"""SATUSEHAT settings per Puskesmas, the SATUSEHAT ids of our posyandu,
bidan and people, and the sending status of each visit.

Secrets: the client secret is read from the environment variable named in the
settings (preferred) or, failing that, from the value an administrator typed in
the admin. The access token is kept on the settings row until it expires; it is
never shown in the admin nor written to a log.
"""

from __future__ import annotations

import os

from django.conf import settings as django_settings
from django.db import models

from ilp.models import Person, Visit
from posyandu.models import Posyandu, Puskesmas, TimeStamped
from posyandu.scoping import ScopedQuerySet

SANDBOX = "sandbox"
PRODUCTION = "production"
CUSTOM = "custom"
BASE_URLS = {
    SANDBOX: (
        "https://api-satusehat-stg.dto.kemkes.go.id/oauth2/v1",
        "https://api-satusehat-stg.dto.kemkes.go.id/fhir-r4/v1",
    ),
    PRODUCTION: (
        "https://api-satusehat.kemkes.go.id/oauth2/v1",
        "https://api-satusehat.kemkes.go.id/fhir-r4/v1",
    ),
}


class SatusehatSettings(TimeStamped):
    """How one Puskesmas sends to SATUSEHAT (one client id serves one Organization)."""

    ENVIRONMENTS = [
        (SANDBOX, "Sandbox (uji coba)"),
        (PRODUCTION, "Produksi"),
        (CUSTOM, "Alamat lain (mis. server uji lokal)"),
    ]

    puskesmas = models.OneToOneField(
        Puskesmas, on_delete=models.CASCADE, related_name="satusehat_settings"
    )
    enabled = models.BooleanField("aktif", default=False)
    environment = models.CharField(
        "lingkungan", max_length=12, choices=ENVIRONMENTS, default=SANDBOX
    )
    custom_auth_url = models.URLField(
        "alamat OAuth2 (jika 'alamat lain')", blank=True,
        help_text="Tanpa /accesstoken, mis. http://127.0.0.1:8099/oauth2/v1",
    )
    custom_fhir_url = models.URLField(
        "alamat FHIR (jika 'alamat lain')", blank=True,
        help_text="mis. http://127.0.0.1:8099/fhir-r4/v1",
    )
    organization_id = models.CharField("Organization ID (IHS) Puskesmas", max_length=64)
    client_id = models.CharField("client ID", max_length=200)
    client_secret_env = models.CharField(
        "nama variabel lingkungan client secret", max_length=100, blank=True,
        help_text="Dianjurkan: rahasia disimpan di server, mis. SATUSEHAT_SECRET_PKM_KENCONG.",
    )
    client_secret = models.CharField(
        "client secret", max_length=300, blank=True,
        help_text="Dipakai hanya jika variabel lingkungan di atas kosong.",
    )
    # The cached token (never shown).
    access_token = models.TextField(blank=True, editable=False)
    token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "pengaturan SATUSEHAT"
        verbose_name_plural = "pengaturan SATUSEHAT"

    def __str__(self):
        return f"SATUSEHAT {self.puskesmas}"

    @property
    def auth_url(self) -> str:
        if self.environment == CUSTOM:
            return self.custom_auth_url.rstrip("/")
        return BASE_URLS[self.environment][0]

    @property
    def fhir_url(self) -> str:
        if self.environment == CUSTOM:
            return self.custom_fhir_url.rstrip("/")
        return BASE_URLS[self.environment][1]

    def secret(self) -> str:
        if self.client_secret_env:
            value = os.environ.get(self.client_secret_env, "")
            if value:
                return value
        return self.client_secret


class PosyanduLocation(models.Model):
    """The SATUSEHAT Location id of a posyandu (a Location of its Puskesmas)."""

    posyandu = models.OneToOneField(
        Posyandu, on_delete=models.CASCADE, related_name="satusehat_location"
    )
    location_id = models.CharField("Location ID (SATUSEHAT)", max_length=64)

    class Meta:
        verbose_name = "Location SATUSEHAT posyandu"
        verbose_name_plural = "Location SATUSEHAT posyandu"

    def __str__(self):
        return f"{self.posyandu}: {self.location_id}"


class PractitionerId(models.Model):
    """The IHS number of a bidan/perawat (kader are not nakes: never a performer)."""

    user = models.OneToOneField(
        django_settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="satusehat"
    )
    ihs_number = models.CharField("IHS Practitioner ID", max_length=64)

    class Meta:
        verbose_name = "IHS nakes"
        verbose_name_plural = "IHS nakes"

    def __str__(self):
        return f"{self.user}: {self.ihs_number}"


class PatientInfo(models.Model):
    """What SATUSEHAT needs of a person that the registry does not hold."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="satusehat")
    ihs_number = models.CharField("IHS Patient ID", max_length=64, blank=True)
    multiple_birth_order = models.PositiveSmallIntegerField(
        "urutan kelahiran kembar", default=0, help_text="0 jika bukan kelahiran kembar."
    )

    scope_path = "person__posyandu_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "data SATUSEHAT sasaran"
        verbose_name_plural = "data SATUSEHAT sasaran"

    def __str__(self):
        return str(self.person)


class Submission(TimeStamped):
    """The sending state of one visit to SATUSEHAT."""

    class Status(models.TextChoices):
        PENDING = "pending", "Belum dikirim"
        SENT = "sent", "Terkirim"
        FAILED = "failed", "Gagal"

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="satusehat")
    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField("alasan gagal", blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    bundle_hash = models.CharField(max_length=64, blank=True)
    # Our resource key (e.g. "Observation/weight") -> "Observation/<SATUSEHAT id>".
    returned_ids = models.JSONField(default=dict, blank=True)

    scope_path = "posyandu_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "kiriman SATUSEHAT"
        verbose_name_plural = "kiriman SATUSEHAT"
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["posyandu", "status"])]

    def __str__(self):
        return f"{self.visit}: {self.get_status_display()}"
