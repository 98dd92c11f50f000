"""The tenancy core: the wilayah hierarchy, users, roles (as membership rows)
and the versioned reference tables.

Kabupaten/Kota -> Kecamatan -> Puskesmas -> Desa/Kelurahan -> Posyandu -> RT/RW.
A desa belongs to a kecamatan administratively and to the Puskesmas whose
working area covers it; both links are kept because they differ in practice.
"""

import uuid

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from posyandu.scoping import ScopedQuerySet

ZONES = [
    ("Asia/Jakarta", "WIB"),
    ("Asia/Makassar", "WITA"),
    ("Asia/Jayapura", "WIT"),
]


class TimeStamped(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    """A person who logs in: kader, bidan, Puskesmas or Dinkes staff, admin.
    What they may see comes only from their Membership rows."""

    phone = models.CharField("nomor HP", max_length=20, blank=True)

    class Meta:
        verbose_name = "pengguna"
        verbose_name_plural = "pengguna"

    def __str__(self):
        return self.get_full_name() or self.username


def _code_validator(pattern: str, example: str) -> RegexValidator:
    return RegexValidator(pattern, f"Kode wilayah harus berbentuk {example}.")


class Kabupaten(TimeStamped):
    kode = models.CharField(
        max_length=5, unique=True, validators=[_code_validator(r"^\d{2}\.\d{2}$", "PP.KK")]
    )
    nama = models.CharField(max_length=100)
    provinsi = models.CharField(max_length=100)

    class Meta:
        verbose_name = "kabupaten/kota"
        verbose_name_plural = "kabupaten/kota"
        ordering = ["kode"]

    def __str__(self):
        return self.nama


class Kecamatan(TimeStamped):
    kabupaten = models.ForeignKey(Kabupaten, on_delete=models.PROTECT, related_name="kecamatan")
    kode = models.CharField(
        max_length=8,
        unique=True,
        validators=[_code_validator(r"^\d{2}\.\d{2}\.\d{2}$", "PP.KK.CC")],
    )
    nama = models.CharField(max_length=100)

    class Meta:
        verbose_name = "kecamatan"
        verbose_name_plural = "kecamatan"
        ordering = ["kode"]

    def __str__(self):
        return self.nama

    def clean(self):
        if self.kabupaten_id and not self.kode.startswith(self.kabupaten.kode + "."):
            raise ValidationError({"kode": "Kode kecamatan harus diawali kode kabupatennya."})


class Puskesmas(TimeStamped):
    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, related_name="puskesmas")
    kode = models.CharField("kode Puskesmas (Kemenkes)", max_length=20, unique=True)
    nama = models.CharField(max_length=100)

    class Meta:
        verbose_name = "Puskesmas"
        verbose_name_plural = "Puskesmas"
        ordering = ["nama"]

    def __str__(self):
        return f"Puskesmas {self.nama}"


class Desa(TimeStamped):
    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, related_name="desa")
    puskesmas = models.ForeignKey(Puskesmas, on_delete=models.PROTECT, related_name="desa")
    kode = models.CharField(
        max_length=13,
        unique=True,
        validators=[_code_validator(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$", "PP.KK.CC.DDDD")],
    )
    nama = models.CharField(max_length=100)
    is_kelurahan = models.BooleanField("kelurahan", default=False)

    class Meta:
        verbose_name = "desa/kelurahan"
        verbose_name_plural = "desa/kelurahan"
        ordering = ["kode"]

    def __str__(self):
        return ("Kel. " if self.is_kelurahan else "Desa ") + self.nama

    def clean(self):
        if self.kecamatan_id and not self.kode.startswith(self.kecamatan.kode + "."):
            raise ValidationError({"kode": "Kode desa harus diawali kode kecamatannya."})


class Posyandu(TimeStamped):
    desa = models.ForeignKey(Desa, on_delete=models.PROTECT, related_name="posyandu")
    nama = models.CharField(max_length=100)
    alamat = models.CharField(max_length=200, blank=True)
    timezone = models.CharField(
        "zona waktu", max_length=32, choices=ZONES, default="Asia/Jakarta",
        help_text="Batas bulan laporan dihitung dalam zona waktu posyandu.",
    )
    measures_blood_pressure = models.BooleanField("mengukur tekanan darah", default=True)
    is_active = models.BooleanField(default=True)

    scope_path = "id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "posyandu"
        verbose_name_plural = "posyandu"
        ordering = ["nama"]
        constraints = [
            models.UniqueConstraint(fields=["desa", "nama"], name="posyandu_unique_name_in_desa")
        ]

    def __str__(self):
        return f"Posyandu {self.nama}"


class RtRw(models.Model):
    """An RT/RW inside a posyandu's area; kader monitoring areas are built from these."""

    posyandu = models.ForeignKey(Posyandu, on_delete=models.CASCADE, related_name="rt_rw")
    rw = models.CharField("RW", max_length=3)
    rt = models.CharField("RT", max_length=3)

    scope_path = "posyandu_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "RT/RW"
        verbose_name_plural = "RT/RW"
        ordering = ["rw", "rt"]
        constraints = [
            models.UniqueConstraint(fields=["posyandu", "rw", "rt"], name="rtrw_unique")
        ]

    def __str__(self):
        return f"RT {self.rt}/RW {self.rw}"


class Role(models.TextChoices):
    KADER = "kader", "Kader"
    BIDAN = "bidan", "Bidan/perawat"
    PUSKESMAS = "puskesmas", "Petugas Puskesmas"
    DINKES = "dinkes", "Dinas Kesehatan"
    PUSKESOS = "puskesos", "Petugas Puskesos"
    ADMIN = "admin", "Administrator"


# Which scope field each role's membership row must carry (and only that one).
ROLE_SCOPE_FIELD = {
    Role.KADER: "posyandu",
    Role.BIDAN: "posyandu",
    Role.PUSKESMAS: "puskesmas",
    Role.DINKES: "kabupaten",
    Role.PUSKESOS: "desa",
    Role.ADMIN: None,
}
SCOPE_FIELDS = ("posyandu", "puskesmas", "kabupaten", "desa")


def _only(field: str | None) -> Q:
    q = Q()
    for f in SCOPE_FIELDS:
        q &= Q(**{f"{f}__isnull": f != field})
    return q


class Membership(TimeStamped):
    """One role of one user over one scope. A bidan has one row per posyandu
    she covers; a kader has exactly one active posyandu; a Puskesos officer
    (Kemensos, not health) has one desa and sees only its social referrals."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    posyandu = models.ForeignKey(
        Posyandu, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    puskesmas = models.ForeignKey(
        Puskesmas, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    kabupaten = models.ForeignKey(
        Kabupaten, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    desa = models.ForeignKey(
        Desa, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "keanggotaan"
        verbose_name_plural = "keanggotaan"
        constraints = [
            models.CheckConstraint(
                condition=(
                    (Q(role__in=[Role.KADER, Role.BIDAN]) & _only("posyandu"))
                    | (Q(role=Role.PUSKESMAS) & _only("puskesmas"))
                    | (Q(role=Role.DINKES) & _only("kabupaten"))
                    | (Q(role=Role.PUSKESOS) & _only("desa"))
                    | (Q(role=Role.ADMIN) & _only(None))
                ),
                name="membership_scope_matches_role",
                violation_error_message="Cakupan keanggotaan tidak sesuai dengan perannya.",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role=Role.KADER, is_active=True),
                name="kader_one_active_posyandu",
                violation_error_message="Seorang kader hanya aktif di satu posyandu.",
            ),
            *[
                models.UniqueConstraint(
                    fields=["user", "role", field],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"membership_unique_{field}",
                    violation_error_message="Keanggotaan ini sudah ada.",
                )
                for field in SCOPE_FIELDS
            ],
        ]

    def __str__(self):
        scope = self.posyandu or self.puskesmas or self.kabupaten or self.desa or "semua wilayah"
        return f"{self.get_role_display()} – {scope}"


class ReferenceTable(models.Model):
    """A versioned rule table (KBM, adult thresholds, immunisation schedule,
    life-cycle bands...). The shipped versions are loaded from
    posyandu/reference/*.json; a Dinas Kesehatan corrects a table by adding a
    row with a later valid_from, without a release."""

    code = models.CharField(max_length=50)
    valid_from = models.DateField()
    source = models.TextField()
    payload = models.JSONField()
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tabel acuan"
        verbose_name_plural = "tabel acuan"
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="reference_version_unique")
        ]

    def __str__(self):
        return f"{self.code} (berlaku {self.valid_from})"
