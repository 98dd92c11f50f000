"""Models: the posyandu team. Kader profiles with the RT/RW area each kader
monitors (PWS), bidan/perawat profiles, verified skills and trainings, who
staffs each step of a service day, and assignments outside the service day."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from posyandu.models import Posyandu, RtRw, TimeStamped
from posyandu.scoping import ScopedQuerySet


class KaderProfile(TimeStamped):
    """A kader of one posyandu: position, phone, the RT/RW they monitor."""

    class Position(models.TextChoices):
        KETUA = "ketua", "Ketua (koordinator kader)"
        SEKRETARIS = "sekretaris", "Sekretaris"
        BENDAHARA = "bendahara", "Bendahara"
        KADER = "kader", "Kader"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="kader_profiles"
    )
    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="kader_profiles")
    position = models.CharField("jabatan", max_length=12, choices=Position.choices,
                                default=Position.KADER)
    phone = models.CharField("nomor HP", max_length=16, blank=True)
    areas = models.ManyToManyField(RtRw, blank=True, related_name="kader_profiles",
                                   verbose_name="wilayah pantauan (RT/RW)")
    is_active = models.BooleanField("aktif", default=True)
    active_since = models.DateField("aktif sejak", null=True, blank=True)

    scope_path = "posyandu_id"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "kader"
        verbose_name_plural = "kader"
        ordering = ["posyandu", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "posyandu"], name="kader_profile_unique"),
            models.UniqueConstraint(
                fields=["posyandu"], condition=Q(position="ketua", is_active=True),
                name="one_active_ketua_per_posyandu",
                violation_error_message="Posyandu ini sudah punya ketua kader aktif.",
            ),
        ]

    def __str__(self):
        return self.user.get_full_name() or self.user.username


class StaffProfile(TimeStamped):
    """A bidan or perawat. The posyandu they cover are their active bidan
    Membership rows (posyandu.models.Membership, role "bidan")."""

    class Kind(models.TextChoices):
        BIDAN = "bidan", "Bidan"
        PERAWAT = "perawat", "Perawat"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    kind = models.CharField("profesi", max_length=10, choices=Kind.choices, default=Kind.BIDAN)
    phone = models.CharField("nomor HP", max_length=16, blank=True)
    nip = models.CharField("NIP (bila ASN)", max_length=18, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "profil bidan/perawat"
        verbose_name_plural = "profil bidan/perawat"

    def __str__(self):
        return f"{self.get_kind_display()} {self.user}"


class SkillVerification(TimeStamped):
    """One of the 25 basic skills (reference table ``kader_skills``), verified
    for a kader by a bidan or the ketua kader."""

    kader = models.ForeignKey(KaderProfile, on_delete=models.CASCADE, related_name="skills")
    skill_code = models.CharField("kode keterampilan", max_length=8)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="diverifikasi oleh",
    )
    verified_on = models.DateField("tanggal verifikasi")
    note = models.CharField("catatan", max_length=200, blank=True)

    scope_path = "kader__posyandu_id"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "verifikasi keterampilan"
        verbose_name_plural = "verifikasi keterampilan"
        ordering = ["kader", "skill_code"]
        constraints = [
            models.UniqueConstraint(fields=["kader", "skill_code"], name="skill_verified_once",
                                    violation_error_message="Keterampilan ini sudah diverifikasi."),
        ]

    def __str__(self):
        return f"{self.kader} {self.skill_code}"


class TrainingRecord(TimeStamped):
    """A training a kader attended (e.g. Plataran Sehat online course)."""

    kader = models.ForeignKey(KaderProfile, on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField("nama pelatihan", max_length=200)
    provider = models.CharField("penyelenggara", max_length=120, blank=True,
                                help_text="Misalnya Plataran Sehat, Puskesmas, Dinas Kesehatan.")
    date = models.DateField("tanggal")
    certificate_no = models.CharField("nomor sertifikat", max_length=80, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "kader__posyandu_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "pelatihan kader"
        verbose_name_plural = "pelatihan kader"
        ordering = ["-date"]

    def __str__(self):
        return f"{self.title} ({self.date:%d-%m-%Y})"


class ServiceDayStaff(TimeStamped):
    """Who staffs a step of a service day: steps 1, 2, 3 and 5 by kader of the
    posyandu, step 4 by a bidan/perawat covering it. Several people per step."""

    service_day = models.ForeignKey(
        "ilp.ServiceDay", on_delete=models.CASCADE, related_name="staff"
    )
    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="+")
    step = models.PositiveSmallIntegerField("langkah")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="service_day_steps",
        verbose_name="petugas",
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "posyandu_id"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "petugas hari buka"
        verbose_name_plural = "petugas hari buka"
        ordering = ["service_day", "step", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["service_day", "step", "user"],
                                    name="staff_once_per_step",
                                    violation_error_message="Petugas ini sudah direncanakan di langkah ini."),
            models.CheckConstraint(condition=Q(step__gte=1, step__lte=5), name="staff_step_1_to_5"),
        ]

    def __str__(self):
        return f"{self.service_day} langkah {self.step}: {self.user}"


class Assignment(TimeStamped):
    """A task outside the service day from the seeds' allocation table
    (perencanaan, sosialisasi, pendataan & pelaporan, PWS ...), with a due date."""

    class Kind(models.TextChoices):
        PERENCANAAN = "perencanaan", "Perencanaan kegiatan"
        SOSIALISASI = "sosialisasi", "Sosialisasi / penggerakan masyarakat"
        PENDATAAN = "pendataan", "Pendataan dan pelaporan"
        PWS = "pws", "Pemantauan wilayah setempat (PWS)"
        KUNJUNGAN = "kunjungan", "Kunjungan rumah"
        LAINNYA = "lainnya", "Lainnya"

    class Status(models.TextChoices):
        OPEN = "open", "Belum selesai"
        DONE = "done", "Selesai"
        CANCELLED = "cancelled", "Dibatalkan"

    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="assignments")
    kind = models.CharField("jenis tugas", max_length=16, choices=Kind.choices)
    title = models.CharField("uraian", max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_assignments",
        verbose_name="petugas",
    )
    due_on = models.DateField("batas waktu")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    cancel_reason = models.CharField("alasan batal", max_length=200, blank=True)
    result_note = models.CharField("catatan hasil", max_length=200, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "posyandu_id"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "penugasan"
        verbose_name_plural = "penugasan"
        ordering = ["due_on", "created_at"]
        indexes = [models.Index(fields=["posyandu", "status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="assignment_cancel_has_reason",
            ),
        ]

    def __str__(self):
        return self.title
