"""Report filters shared by the export views, the API and the dashboards:
the month ("2026-10") and the area ("puskesmas-3" in the dashboard picker)."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from reports.areas import LEVEL_LABELS, LEVELS, Area, area_for_user, areas_for_user

_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
MONTH_HELP = "Bulan berbentuk TTTT-BB, misalnya 2026-10."


def parse_month(text) -> date:
    """"2026-10" -> date(2026, 10, 1); a ValidationError in Bahasa Indonesia otherwise."""
    match = _MONTH_RE.match(str(text or ""))
    if not match:
        raise ValidationError(f"Bulan \"{text}\" tidak dikenali. {MONTH_HELP}", code="invalid")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise ValidationError(f"Bulan {month} tidak ada: pilih 01 sampai 12.", code="invalid")
    if not 2000 <= year <= 2100:
        raise ValidationError(f"Tahun {year} di luar jangkauan (2000–2100).", code="invalid")
    return date(year, month, 1)


def month_param(month: date) -> str:
    return f"{month:%Y-%m}"


def current_month() -> date:
    return timezone.localdate().replace(day=1)


def area_key(area: Area) -> str:
    return f"{area.level}-{area.obj.pk}"


def area_title(area: Area) -> str:
    """"Posyandu Melati", "Puskesmas Kencong", "Kabupaten/Kota Jember"."""
    return f"{LEVEL_LABELS[area.level]} {area.name}" if area.level == "kabupaten" else area.name


def area_from_key(user, key: str) -> Area:
    """"puskesmas-3" -> the Area, checked with ``area_for_user`` (404 outside scope)."""
    level, _, pk = str(key).partition("-")
    if level not in LEVELS:
        raise Http404
    return area_for_user(user, level, pk)


def default_area(user) -> Area:
    """The user's widest area (kabupaten, then Puskesmas, then posyandu); 404 when none."""
    areas = areas_for_user(user)
    if not areas:
        raise Http404
    return areas[0]


class DashboardFilter(forms.Form):
    """The small picker on top of the dashboard. ``area`` choices are the
    user's own areas only; any other value is refused by the form and, when
    typed into the URL, by ``area_from_key`` (404)."""

    area = forms.ChoiceField(label="Wilayah", required=False)
    month = forms.CharField(
        label="Bulan", required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-10"}),
    )

    def __init__(self, *args, areas: list[Area], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(area_key(a), area_title(a)) for a in areas]

    def clean_month(self):
        text = self.cleaned_data.get("month")
        return parse_month(text) if text else current_month()
