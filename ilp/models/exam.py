"""Step 4, pemeriksaan: what the bidan examines, gives, screens and refers.

Every row carries the scope key ``posyandu`` (denormalised from the visit, or
from the person when there is no visit) so scoped queries are one hop. Values
the rules derive (blood-pressure class, anaemia, gestational age, screening
score and outcome) are stored beside the inputs and recomputed by the
services in ``ilp.services.exam`` whenever the inputs change.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ilp.models.registry import Person, Pregnancy
from ilp.models.service import Visit
from posyandu.models import Posyandu, TimeStamped
from posyandu.scoping import ScopedQuerySet


class Level(models.TextChoices):
    RENDAH = "rendah", "Rendah"
    NORMAL = "normal", "Normal"
    TINGGI = "tinggi", "Tinggi"


class Examination(TimeStamped):
    """Blood pressure, blood glucose and Hb taken by the bidan at one visit."""

    class GlucoseKind(models.TextChoices):
        SEWAKTU = "sewaktu", "Gula darah sewaktu (GDS)"
        PUASA = "puasa", "Gula darah puasa (GDP)"

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="examination")
    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="examinations")

    systolic = models.PositiveSmallIntegerField("sistolik (mmHg)", null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField("diastolik (mmHg)", null=True, blank=True)
    glucose_mg_dl = models.PositiveSmallIntegerField("gula darah (mg/dL)", null=True, blank=True)
    glucose_kind = models.CharField(
        "jenis pemeriksaan gula darah", max_length=10, choices=GlucoseKind.choices, blank=True
    )
    hb_g_dl = models.DecimalField(
        "Hb (g/dL)", max_digits=3, decimal_places=1, null=True, blank=True
    )
    notes = models.TextField("catatan", blank=True)

    # Derived from the adult_thresholds table on the visit date.
    bp_class = models.CharField("tekanan darah", max_length=10, choices=Level.choices, blank=True)
    glucose_class = models.CharField(
        "gula darah", max_length=10, choices=Level.choices, blank=True
    )
    anaemia = models.BooleanField("anemia", null=True, blank=True)
    hb_threshold = models.DecimalField(
        "batas Hb anemia (g/dL)", max_digits=3, decimal_places=1, null=True, blank=True
    )

    examined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "posyandu_id"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "pemeriksaan"
        verbose_name_plural = "pemeriksaan"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(systolic__isnull=True, diastolic__isnull=True)
                | Q(systolic__gt=models.F("diastolic")),
                name="exam_systolic_above_diastolic",
            ),
            models.CheckConstraint(
                condition=Q(glucose_mg_dl__isnull=True) | ~Q(glucose_kind=""),
                name="exam_glucose_has_kind",
            ),
        ]

    def __str__(self):
        return f"Pemeriksaan {self.visit}"


class Immunisation(TimeStamped):
    """One vaccine dose of a person. A dose is recorded once (per person and
    code); doses given elsewhere (Puskesmas, bidan praktik) have no visit."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="immunisations")
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="immunisations"
    )
    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="+")
    vaccine = models.CharField(
        "imunisasi", max_length=20, help_text="Kode dari tabel acuan immunisation_schedule."
    )
    given_on = models.DateField("tanggal pemberian")
    batch_no = models.CharField("nomor batch", max_length=40, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "posyandu_id"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "imunisasi"
        verbose_name_plural = "imunisasi"
        ordering = ["given_on", "vaccine"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "vaccine"], name="one_dose_per_vaccine",
                violation_error_message="Imunisasi ini sudah dicatat untuk orang ini.",
            )
        ]
        indexes = [models.Index(fields=["posyandu", "given_on"])]

    def __str__(self):
        return f"{self.vaccine} {self.person} {self.given_on:%d-%m-%Y}"


class Supplement(TimeStamped):
    """Vitamin A, obat cacing, tablet tambah darah or PMT given at a visit."""

    class Kind(models.TextChoices):
        VITAMIN_A_BIRU = "vitamin_a_biru", "Vitamin A biru (100.000 IU)"
        VITAMIN_A_MERAH = "vitamin_a_merah", "Vitamin A merah (200.000 IU)"
        OBAT_CACING = "obat_cacing", "Obat cacing"
        TTD = "ttd", "Tablet tambah darah (TTD)"
        PMT = "pmt", "Pemberian makanan tambahan (PMT)"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="supplements")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="supplements")
    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("jenis", max_length=20, choices=Kind.choices)
    given_on = models.DateField("tanggal pemberian")
    quantity = models.PositiveSmallIntegerField(
        "jumlah", null=True, blank=True, help_text="Kapsul, tablet atau paket."
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "posyandu_id"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "suplemen"
        verbose_name_plural = "suplemen"
        ordering = ["given_on", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "kind"], name="one_supplement_kind_per_visit")
        ]
        indexes = [models.Index(fields=["posyandu", "given_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.person} {self.given_on:%d-%m-%Y}"


class AncCheck(TimeStamped):
    """The antenatal check of an ibu hamil at one visit."""

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="anc_check")
    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.PROTECT, related_name="anc_checks")
    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="+")
    gestational_weeks = models.PositiveSmallIntegerField(
        "usia kehamilan (minggu)", help_text="Dihitung dari HPHT pada tanggal kunjungan."
    )
    tfu_cm = models.DecimalField(
        "tinggi fundus uteri (cm)", max_digits=3, decimal_places=1, null=True, blank=True
    )
    djj = models.PositiveSmallIntegerField(
        "denyut jantung janin (per menit)", null=True, blank=True
    )
    ttd_tablets = models.PositiveSmallIntegerField("TTD diberikan (tablet)", default=0)
    kelas_ibu = models.BooleanField("ikut kelas ibu hamil", default=False)
    notes = models.TextField("catatan", blank=True)
    examined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "posyandu_id"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "pemeriksaan kehamilan (ANC)"
        verbose_name_plural = "pemeriksaan kehamilan (ANC)"
        ordering = ["-created_at"]

    def __str__(self):
        return f"ANC {self.visit} ({self.gestational_weeks} minggu)"


class Screening(TimeStamped):
    """One screening instrument filled in at a visit, with its stored result."""

    class Instrument(models.TextChoices):
        SRQ20 = "srq20", "SRQ-20 (kesehatan jiwa)"
        PUMA = "puma", "PUMA (PPOK)"
        SKILAS = "skilas", "SKILAS (skrining lansia sederhana)"
        ADL = "adl", "AKS/ADL (indeks Barthel)"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="screenings")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="screenings")
    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="+")
    instrument = models.CharField("instrumen", max_length=10, choices=Instrument.choices)
    answers = models.JSONField("jawaban", default=dict)
    score = models.SmallIntegerField("skor")
    outcome = models.CharField("hasil (kode)", max_length=32)
    outcome_label = models.CharField("hasil", max_length=300)
    refer = models.BooleanField("perlu dirujuk", default=False)
    details = models.JSONField(
        default=dict, blank=True,
        help_text="Rincian hasil: skor per butir, bungkus-tahun, domain positif, kategori ADL.",
    )
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "posyandu_id"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "skrining"
        verbose_name_plural = "skrining"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "instrument"], name="one_screening_per_instrument_per_visit"
            )
        ]

    def __str__(self):
        return f"{self.get_instrument_display()} {self.person}: {self.outcome_label}"


class Referral(TimeStamped):
    """A referral made at step 4, tracked until it is followed up."""

    class Destination(models.TextChoices):
        PUSKESMAS = "puskesmas", "Puskesmas"

    class Status(models.TextChoices):
        DIRUJUK = "dirujuk", "Dirujuk"
        DITERIMA = "diterima", "Diterima"
        DITINDAKLANJUTI = "ditindaklanjuti", "Ditindaklanjuti"
        BATAL = "batal", "Batal"

    OPEN_STATUSES = (Status.DIRUJUK, Status.DITERIMA)

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="+")
    destination = models.CharField(
        "tujuan", max_length=20, choices=Destination.choices, default=Destination.PUSKESMAS
    )
    reason = models.TextField("alasan rujukan")
    flags = models.JSONField(
        default=list, blank=True, help_text="Kode temuan yang menjadi alasan, mis. bp_tinggi."
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DIRUJUK
    )
    status_changed_at = models.DateTimeField("status diubah", null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField("catatan", blank=True)

    scope_path = "posyandu_id"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "rujukan"
        verbose_name_plural = "rujukan"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["posyandu", "status"])]

    def __str__(self):
        return (
            f"Rujukan {self.person} ke {self.get_destination_display()} "
            f"({self.get_status_display()})"
        )

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
