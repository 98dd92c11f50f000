"""Generated report files and the change log that tells when they are out of date.

``Report``: one row per report (level + area, month, kind), whatever how often
it is requested; a Celery task fills in the PDF. ``DataChange``: which months of
which posyandu changed, and when; a ready report whose month and posyandu saw a
change after its ``data_as_of`` is out of date (``reports.selectors``).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from posyandu.models import Kabupaten, Posyandu, Puskesmas, TimeStamped

# month_to of a change that reaches every later month (a person's data).
OPEN_END = date(9999, 12, 1)


class Level(models.TextChoices):
    POSYANDU = "posyandu", "Posyandu"
    PUSKESMAS = "puskesmas", "Puskesmas"
    KABUPATEN = "kabupaten", "Kabupaten/Kota"


class Kind(models.TextChoices):
    SKDN = "skdn", "SKDN (penimbangan balita)"
    SIP = "sip", "SIP (format 6 dan 7)"
    ILP = "ilp", "Rekapitulasi ILP"


class Status(models.TextChoices):
    QUEUED = "queued", "Menunggu"
    RUNNING = "running", "Sedang dibuat"
    READY = "ready", "Siap"
    FAILED = "failed", "Gagal"


def report_upload_to(report: Report, filename: str) -> str:
    return f"reports/{report.month:%Y/%m}/{filename}"


class ReportQuerySet(models.QuerySet):
    def with_stale(self):
        """Annotate ``is_stale_db``: a change to the report's month in one of its
        posyandu after the figures were read."""
        changes = DataChange.objects.filter(
            month_from__lte=models.OuterRef("month"),
            month_to__gte=models.OuterRef("month"),
            changed_at__gt=models.OuterRef("data_as_of"),
        ).filter(
            Q(posyandu_id=models.OuterRef("posyandu_id"))
            | Q(posyandu__desa__puskesmas_id=models.OuterRef("puskesmas_id"))
            | Q(posyandu__desa__kecamatan__kabupaten_id=models.OuterRef("kabupaten_id"))
        )
        return self.annotate(is_stale_db=models.Exists(changes))


class Report(TimeStamped):
    level = models.CharField("tingkat", max_length=10, choices=Level.choices)
    posyandu = models.ForeignKey(
        Posyandu, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    puskesmas = models.ForeignKey(
        Puskesmas, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    kabupaten = models.ForeignKey(
        Kabupaten, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    month = models.DateField("bulan", help_text="Tanggal 1 bulan laporan.")
    kind = models.CharField("jenis", max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="Kosong: dibuat oleh jadwal otomatis.",
    )
    requested_at = models.DateTimeField("diminta")
    started_at = models.DateTimeField("mulai dibuat", null=True, blank=True)
    finished_at = models.DateTimeField("selesai", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("percobaan", default=0)
    error = models.TextField("alasan gagal", blank=True)
    file = models.FileField(upload_to=report_upload_to, blank=True)
    pages = models.PositiveSmallIntegerField("halaman", null=True, blank=True)
    size = models.PositiveIntegerField("ukuran (byte)", null=True, blank=True)
    data_as_of = models.DateTimeField("data per", null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "laporan"
        verbose_name_plural = "laporan"
        ordering = ["-month", "level", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level="posyandu", posyandu__isnull=False, puskesmas__isnull=True,
                      kabupaten__isnull=True)
                    | Q(level="puskesmas", posyandu__isnull=True, puskesmas__isnull=False,
                        kabupaten__isnull=True)
                    | Q(level="kabupaten", posyandu__isnull=True, puskesmas__isnull=True,
                        kabupaten__isnull=False)
                ),
                name="report_area_matches_level",
            ),
            *[
                models.UniqueConstraint(
                    fields=[level, "month", "kind"], condition=Q(level=level),
                    name=f"report_unique_{level}_month_kind",
                )
                for level in ("posyandu", "puskesmas", "kabupaten")
            ],
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.area} {self.month:%m-%Y}"

    def get_absolute_url(self):
        return reverse("reports:report-detail", kwargs={"uuid": self.uuid})

    @property
    def area(self):
        return getattr(self, self.level)

    @property
    def area_id(self) -> int:
        return getattr(self, f"{self.level}_id")


class DataChange(models.Model):
    """Months ``month_from``..``month_to`` (first days, inclusive; OPEN_END for
    "and every later month") of a posyandu changed at ``changed_at``. One row per
    posyandu and range; a later change bumps ``changed_at``."""

    posyandu = models.ForeignKey(Posyandu, on_delete=models.CASCADE, related_name="+")
    month_from = models.DateField()
    month_to = models.DateField()
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "perubahan data"
        verbose_name_plural = "perubahan data"
        constraints = [
            models.UniqueConstraint(
                fields=["posyandu", "month_from", "month_to"], name="datachange_unique_range"
            ),
        ]
        indexes = [models.Index(fields=["posyandu", "changed_at"])]

    def __str__(self):
        to = "seterusnya" if self.month_to == OPEN_END else f"{self.month_to:%m-%Y}"
        return f"{self.posyandu_id}: {self.month_from:%m-%Y} s.d. {to} ({self.changed_at})"
