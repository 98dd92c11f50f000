"""The service day (hari buka), the visits on it and their measurements.

The scope key ``posyandu`` is denormalised onto Visit and Measurement so every
scoped query is one hop. A measurement's month is the calendar month of its
date (the service date, or the home-visit date), never the save time.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ilp.models.registry import Person
from posyandu.models import Posyandu, TimeStamped
from posyandu.scoping import ScopedQuerySet


class ServiceDay(TimeStamped):
    class Status(models.TextChoices):
        PLANNED = "planned", "Direncanakan"
        OPEN = "open", "Berlangsung"
        CLOSED = "closed", "Selesai"

    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="service_days")
    date = models.DateField("tanggal")
    place = models.CharField("tempat", max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    scope_path = "posyandu_id"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "hari buka posyandu"
        verbose_name_plural = "hari buka posyandu"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["posyandu", "date"], name="one_service_day_per_date")
        ]

    def __str__(self):
        return f"{self.posyandu} {self.date:%d-%m-%Y}"


class Step(models.IntegerChoices):
    """The five steps (5 langkah) of a service day, plus the end states."""

    REGISTER = 1, "1. Pendaftaran"
    MEASURE = 2, "2. Penimbangan & pengukuran"
    RECORD = 3, "3. Pencatatan"
    EXAMINE = 4, "4. Pemeriksaan (bidan)"
    COUNSEL = 5, "5. Penyuluhan"
    DONE = 6, "Selesai"
    LEFT = 9, "Pulang sebelum selesai"


class Visit(TimeStamped):
    """One person's contact on one day: at the posyandu (on a service day) or
    a home visit. One visit per person per day."""

    class Kind(models.TextChoices):
        POSYANDU = "posyandu", "Hari buka posyandu"
        HOME = "rumah", "Kunjungan rumah"

    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="visits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="visits")
    service_day = models.ForeignKey(
        ServiceDay, null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.POSYANDU)
    date = models.DateField("tanggal")
    client_id = models.UUIDField(
        null=True, blank=True, unique=True, help_text="Id from the phone; a repeat saves once."
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Where the person is in the five steps (step 1, registration, creates the visit).
    step = models.PositiveSmallIntegerField(choices=Step.choices, default=Step.MEASURE)
    step_changed_at = models.DateTimeField(null=True, blank=True)

    scope_path = "posyandu_id"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "kunjungan"
        verbose_name_plural = "kunjungan"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["person", "date"], name="one_visit_per_person_per_day"),
            models.CheckConstraint(
                condition=Q(kind="rumah") | Q(service_day__isnull=False),
                name="posyandu_visit_has_service_day",
            ),
        ]
        indexes = [models.Index(fields=["posyandu", "date"])]

    def __str__(self):
        return f"{self.person} {self.date:%d-%m-%Y}"


class LengthMethod(models.TextChoices):
    LYING = "lying", "Telentang (PB)"
    STANDING = "standing", "Berdiri (TB)"


class Measurement(TimeStamped):
    """The measurement set of one visit (step 2) with what step 3 derives from it.

    Derived values are stored so bidan lists and monthly figures are plain SQL;
    they are recomputed whenever the measurement or an earlier one changes.
    A correction edits this row (with history), never adds a second one."""

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="measurement")
    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="measurements")
    measured_on = models.DateField("tanggal ukur")

    weight_kg = models.DecimalField("BB (kg)", max_digits=5, decimal_places=2, null=True)
    length_cm = models.DecimalField("PB/TB (cm)", max_digits=4, decimal_places=1, null=True)
    length_method = models.CharField(max_length=10, choices=LengthMethod.choices, blank=True)
    head_cm = models.DecimalField("lingkar kepala (cm)", max_digits=4, decimal_places=1, null=True)
    muac_cm = models.DecimalField("LiLA (cm)", max_digits=4, decimal_places=1, null=True)
    waist_cm = models.DecimalField("lingkar perut (cm)", max_digits=4, decimal_places=1, null=True)
    systolic = models.PositiveSmallIntegerField("sistolik", null=True)
    diastolic = models.PositiveSmallIntegerField("diastolik", null=True)

    # Derived (step 3). Children: WHO z-scores and Permenkes 2/2020 categories.
    age_days = models.PositiveIntegerField(null=True)
    age_months = models.PositiveSmallIntegerField(null=True)
    bbu_z = models.FloatField(null=True)
    tbu_z = models.FloatField(null=True)
    bbtb_z = models.FloatField(null=True)
    imtu_z = models.FloatField(null=True)
    lku_z = models.FloatField(null=True)
    bbu_cat = models.CharField(max_length=32, blank=True)
    tbu_cat = models.CharField(max_length=32, blank=True)
    bbtb_cat = models.CharField(max_length=32, blank=True)
    imtu_cat = models.CharField(max_length=32, blank=True)
    lku_cat = models.CharField(max_length=32, blank=True)
    # KMS trend for the month: N, T, O or B; an override wins over the computed one.
    trend = models.CharField(max_length=1, blank=True)
    trend_override = models.CharField(max_length=1, blank=True)
    trend_override_reason = models.CharField(max_length=200, blank=True)
    trend_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    is_bgm = models.BooleanField(default=False)
    is_2t = models.BooleanField(default=False)
    # Adults: IMT and classes from the adult_thresholds table.
    imt = models.FloatField(null=True)
    imt_cat = models.CharField(max_length=32, blank=True)
    flags = models.JSONField(default=list, blank=True)

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "posyandu_id"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "pengukuran"
        verbose_name_plural = "pengukuran"
        ordering = ["-measured_on"]
        indexes = [
            models.Index(fields=["posyandu", "measured_on"]),
            models.Index(fields=["person", "measured_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_kg__isnull=True) | Q(weight_kg__gt=0), name="weight_positive"
            ),
        ]

    def __str__(self):
        return f"Pengukuran {self.person} {self.measured_on:%d-%m-%Y}"

    @property
    def final_trend(self) -> str:
        return self.trend_override or self.trend
