"""Step 5, Penyuluhan: the topics given to a person at a visit."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ilp.models.registry import Person
from ilp.models.service import Visit
from posyandu.models import Posyandu, TimeStamped
from posyandu.scoping import ScopedQuerySet


class Counselling(TimeStamped):
    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="counselling")
    posyandu = models.ForeignKey(Posyandu, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="counsellings")
    topics = models.JSONField("topik", default=list)
    notes = models.TextField("catatan", blank=True)
    counselled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_path = "posyandu_id"
    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "penyuluhan"
        verbose_name_plural = "penyuluhan"

    def __str__(self):
        return f"Penyuluhan {self.person}"
