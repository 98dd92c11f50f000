"""Models: social — the kader's short social screen of a flagged person's
family and the referral to the Puskesos (two-way posyandu <-> Puskesos
referral, SEED-BRIN). Scoped by the person's posyandu; a Puskesos officer
reaches them through the desa of the posyandu (``social.view``)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ilp.models import Household, Person
from kader import social_rules as rules
from posyandu.models import Posyandu, TimeStamped
from posyandu.scoping import ScopedQuerySet


class YaTidak(models.TextChoices):
    YA = "ya", "Ya"
    TIDAK = "tidak", "Tidak"
    TIDAK_TAHU = "tidak_tahu", "Tidak tahu"


class Jkn(models.TextChoices):
    PBI = "pbi", "Ya, PBI"
    MANDIRI = "mandiri", "Ya, bukan PBI"
    YA_TIDAK_TAHU = "ya_tidak_tahu", "Ya, tidak tahu PBI atau bukan"
    TIDAK = "tidak", "Tidak punya"
    TIDAK_TAHU = "tidak_tahu", "Tidak tahu"


class SocialScreen(TimeStamped):
    """The family's social protection, asked by a kader in a minute: DT-SEN,
    PKH, BPNT, JKN (PBI or not). ``refer`` and ``unmet`` are the rule table's
    verdict on the screen date (kept, so a later table version does not
    rewrite what the kader was told)."""

    class Reason(models.TextChoices):
        STUNTING = "stunting", "Pendek / stunting"
        WASTING = "wasting", "Gizi kurang / gizi buruk"
        BGM = "bgm", "BGM"
        LAINNYA = "lainnya", "Temuan lain"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="social_screens")
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="keluarga (KK)",
    )
    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="+")
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="diskrining oleh",
    )
    date = models.DateField("tanggal skrining")
    reasons = models.JSONField("alasan skrining", default=list)
    reason_other = models.CharField("temuan lain", max_length=200, blank=True)
    flags = models.JSONField(
        default=list, blank=True, help_text="Kode temuan pengukuran terakhir saat skrining."
    )
    dtsen = models.CharField("terdaftar di DT-SEN", max_length=12, choices=YaTidak.choices)
    pkh = models.CharField("menerima PKH", max_length=12, choices=YaTidak.choices)
    bpnt = models.CharField("menerima BPNT", max_length=12, choices=YaTidak.choices)
    jkn = models.CharField("JKN", max_length=16, choices=Jkn.choices)
    notes = models.TextField("catatan", blank=True)
    refer = models.BooleanField("perlu dirujuk ke Puskesos", default=False)
    unmet = models.JSONField(
        "perlindungan yang belum ada", default=list, blank=True,
        help_text="[[kode, uraian], ...] dari tabel social_screen.",
    )
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    scope_path = "posyandu_id"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "skrining sosial"
        verbose_name_plural = "skrining sosial"
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["posyandu", "date"])]

    def __str__(self):
        return f"Skrining sosial {self.person} {self.date:%d-%m-%Y}"

    def reason_labels(self) -> list[str]:
        labels = dict(self.Reason.choices)
        out = [labels.get(r, r) for r in self.reasons]
        if self.reason_other:
            out.append(self.reason_other)
        return out


class SocialReferral(TimeStamped):
    """A family referred to the Puskesos of the desa, tracked Diajukan ->
    Diproses -> Disetujui (with the aid) / Ditolak (with the reason). One per
    screen; the history of changes is in ``events``."""

    class Status(models.TextChoices):
        DIAJUKAN = rules.DIAJUKAN, "Diajukan"
        DIPROSES = rules.DIPROSES, "Diproses"
        DISETUJUI = rules.DISETUJUI, "Disetujui"
        DITOLAK = rules.DITOLAK, "Ditolak"

    OPEN_STATUSES = rules.OPEN_STATUSES

    screen = models.OneToOneField(
        SocialScreen, on_delete=models.PROTECT, related_name="referral"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="social_referrals")
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DIAJUKAN)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="diajukan oleh",
    )
    notes = models.TextField("catatan pengaju", blank=True)
    status_changed_at = models.DateTimeField("status diubah", null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("diputuskan", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name="diputuskan oleh",
    )
    aid = models.JSONField("bantuan disetujui", default=list, blank=True)
    aid_other = models.CharField("bantuan lain", max_length=200, blank=True)
    reject_reason = models.TextField("alasan ditolak", blank=True)

    scope_path = "posyandu_id"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "rujukan Puskesos"
        verbose_name_plural = "rujukan Puskesos"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["posyandu", "status"])]

    def __str__(self):
        return f"Rujukan Puskesos {self.person} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def aid_labels(self) -> list[str]:
        out = [rules.AID_LABELS.get(a, a) for a in self.aid if a != "lainnya"]
        if "lainnya" in self.aid:
            out.append(self.aid_other or rules.AID_LABELS["lainnya"])
        return out

    @property
    def outcome(self) -> str:
        """The result in words, for lists: the aid, the reason, or empty."""
        if self.status == self.Status.DISETUJUI:
            return ", ".join(self.aid_labels())
        if self.status == self.Status.DITOLAK:
            return self.reject_reason
        return ""


class SocialReferralEvent(models.Model):
    """One step of a referral: who moved it from which status to which, when,
    with which note."""

    referral = models.ForeignKey(SocialReferral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, choices=SocialReferral.Status.choices)
    note = models.TextField("catatan", blank=True)
    at = models.DateTimeField("waktu")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "referral__posyandu_id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "riwayat rujukan Puskesos"
        verbose_name_plural = "riwayat rujukan Puskesos"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.from_status or '-'} -> {self.to_status}"

    @property
    def to_label(self) -> str:
        return rules.STATUS_LABELS.get(self.to_status, self.to_status)
