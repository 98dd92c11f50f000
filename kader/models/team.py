"""Models: the posyandu team — kader profiles and the RT/RW area each kader
monitors (PWS). Skills, training, allocation and assignments are added here
by the team feature."""

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
