"""The sasaran registry: people, households (KK) and pregnancy episodes.

A person's life-cycle group is derived from the birth date at a given date
(``ilp.lifecycle``), never stored. A person merged into another keeps the row
(``merged_into``) so old references still resolve; selectors hide it.
"""

from datetime import date, timedelta

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from posyandu.models import Posyandu, TimeStamped
from posyandu.scoping import ScopedQuerySet

DIGITS_16 = RegexValidator(r"^\d{16}$", "Harus 16 angka.")
DIGITS_13 = RegexValidator(r"^\d{13}$", "Harus 13 angka.")
RT_RW = RegexValidator(r"^\d{1,3}$", "RT/RW diisi angka, misalnya 003.")


class Sex(models.TextChoices):
    L = "L", "Laki-laki"
    P = "P", "Perempuan"


class PersonQuerySet(ScopedQuerySet):
    def active(self):
        """Not merged away. (Moved and died people stay visible: their history counts.)"""
        return self.filter(merged_into__isnull=True)

    def living_in_area_on(self, on: date):
        return self.active().filter(
            Q(moved_on__isnull=True) | Q(moved_on__gt=on),
            Q(died_on__isnull=True) | Q(died_on__gt=on),
        )


class Household(TimeStamped):
    """A family as on the Kartu Keluarga."""

    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="households")
    no_kk = models.CharField(
        "nomor KK", max_length=16, null=True, blank=True, validators=[DIGITS_16]
    )
    kepala_keluarga = models.CharField("nama kepala keluarga", max_length=120)
    alamat = models.CharField(max_length=200, blank=True)
    rt = models.CharField("RT", max_length=3, blank=True, validators=[RT_RW])
    rw = models.CharField("RW", max_length=3, blank=True, validators=[RT_RW])

    scope_path = "posyandu_id"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "keluarga (KK)"
        verbose_name_plural = "keluarga (KK)"
        ordering = ["kepala_keluarga"]
        constraints = [
            models.UniqueConstraint(
                fields=["no_kk"], condition=Q(no_kk__isnull=False), name="household_unique_kk"
            )
        ]

    def __str__(self):
        return f"KK {self.kepala_keluarga}"

    def get_absolute_url(self):
        return reverse("ilp:household-detail", kwargs={"uuid": self.uuid})


class Person(TimeStamped):
    """Anyone the posyandu serves, from newborn to lansia."""

    posyandu = models.ForeignKey(
        Posyandu, on_delete=models.PROTECT, related_name="persons",
        verbose_name="posyandu tempat tinggal",
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="members",
        verbose_name="keluarga (KK)",
    )
    name = models.CharField("nama lengkap", max_length=120)
    name_key = models.CharField(max_length=120, db_index=True, editable=False)
    sex = models.CharField("jenis kelamin", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("tanggal lahir")
    birth_date_estimated = models.BooleanField("tanggal lahir perkiraan", default=False)
    nik = models.CharField("NIK", max_length=16, null=True, blank=True, validators=[DIGITS_16])
    mother = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children",
        verbose_name="ibu",
    )
    mother_name = models.CharField("nama ibu", max_length=120, blank=True)
    mother_nik = models.CharField(
        "NIK ibu", max_length=16, blank=True, validators=[DIGITS_16],
        help_text="Untuk bayi/anak yang belum punya NIK.",
    )
    bpjs_number = models.CharField(
        "nomor kartu BPJS/JKN", max_length=13, blank=True, validators=[DIGITS_13]
    )
    address = models.CharField("alamat", max_length=200, blank=True)
    rt = models.CharField("RT", max_length=3, blank=True, validators=[RT_RW])
    rw = models.CharField("RW", max_length=3, blank=True, validators=[RT_RW])
    phone = models.CharField("nomor HP", max_length=16, blank=True)
    has_buku_kia = models.BooleanField("punya buku KIA/KMS", default=False)
    moved_on = models.DateField("tanggal pindah", null=True, blank=True)
    moved_to = models.CharField("pindah ke", max_length=200, blank=True)
    died_on = models.DateField("tanggal meninggal", null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from",
        editable=False,
    )

    scope_path = "posyandu_id"
    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "name_key"])

    class Meta:
        verbose_name = "sasaran"
        verbose_name_plural = "sasaran"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["nik"],
                condition=Q(nik__isnull=False, merged_into__isnull=True),
                name="person_unique_nik",
                violation_error_message="NIK ini sudah terdaftar.",
            ),
            models.CheckConstraint(
                condition=Q(died_on__isnull=True) | Q(died_on__gte=models.F("birth_date")),
                name="person_died_after_birth",
            ),
            models.CheckConstraint(
                condition=Q(moved_on__isnull=True) | Q(moved_on__gte=models.F("birth_date")),
                name="person_moved_after_birth",
            ),
        ]
        indexes = [models.Index(fields=["posyandu", "birth_date"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("ilp:person-detail", kwargs={"uuid": self.uuid})

    def save(self, *args, **kwargs):
        from ilp.identity import normalise_name

        self.name_key = normalise_name(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    @property
    def has_nik(self) -> bool:
        return bool(self.nik)

    def is_present_on(self, on: date) -> bool:
        """Living in the area on that date (not moved away, not died, not merged)."""
        return (
            self.merged_into_id is None
            and (self.moved_on is None or self.moved_on > on)
            and (self.died_on is None or self.died_on > on)
        )

    def lifecycle_groups(self, on: date | None = None, pregnancies=None) -> list[str]:
        """The life-cycle groups on ``on``. ``pregnancies``: this person's
        pregnancies when the caller loaded them in bulk (else they are read)."""
        from ilp.lifecycle import PregnancySpan, groups_on
        from posyandu.reference import table

        on = on or timezone.localdate()
        if pregnancies is None:
            pregnancies = self.pregnancies.all()
        spans = [PregnancySpan(p.hpht, p.outcome_date) for p in pregnancies]
        return groups_on(
            birth_date=self.birth_date, on=on, bands=table("lifecycle_groups", on),
            pregnancies=spans,
        )


class Pregnancy(TimeStamped):
    """One pregnancy episode of a woman, from HPHT to its outcome."""

    class Outcome(models.TextChoices):
        ONGOING = "berlangsung", "Masih hamil"
        LIVE_BIRTH = "lahir_hidup", "Lahir hidup"
        STILLBIRTH = "lahir_mati", "Lahir mati"
        MISCARRIAGE = "keguguran", "Keguguran"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="pregnancies")
    hpht = models.DateField("HPHT (hari pertama haid terakhir)")
    due_date = models.DateField("taksiran persalinan (HPL)")
    gravida = models.PositiveSmallIntegerField("kehamilan ke-", null=True, blank=True)
    outcome = models.CharField(
        "hasil", max_length=16, choices=Outcome.choices, default=Outcome.ONGOING
    )
    outcome_date = models.DateField("tanggal persalinan/berakhir", null=True, blank=True)
    notes = models.TextField("catatan", blank=True)

    scope_path = "person__posyandu_id"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "kehamilan"
        verbose_name_plural = "kehamilan"
        ordering = ["-hpht"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="berlangsung", outcome_date__isnull=True)
                | (~Q(outcome="berlangsung") & Q(outcome_date__isnull=False)),
                name="pregnancy_outcome_has_date",
                violation_error_message="Isi tanggal berakhirnya kehamilan bersama hasilnya.",
            ),
            models.CheckConstraint(
                condition=Q(outcome_date__isnull=True) | Q(outcome_date__gte=models.F("hpht")),
                name="pregnancy_ends_after_hpht",
                violation_error_message="Tanggal persalinan tidak boleh sebelum HPHT.",
            ),
        ]

    def __str__(self):
        return f"Kehamilan {self.person} (HPHT {self.hpht:%d-%m-%Y})"

    @staticmethod
    def naegele(hpht: date) -> date:
        """HPL by Naegele's rule: HPHT + 280 days."""
        return hpht + timedelta(days=280)
