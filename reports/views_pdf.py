"""Report PDF pages: the user's reports with a request form, one report's
progress, retry/regenerate, and the download. Thin: reads through
``reports.selectors``, writes through ``reports.services``."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from posyandu.forms_util import add_service_errors
from reports.areas import LEVEL_LABELS, areas_for_user
from reports.charts import month_label
from reports.models import Kind, Status
from reports.selectors import (
    display_status,
    is_stale,
    is_stuck,
    report_for_user_or_404,
    reports_for_user,
)
from reports.services import (
    ERROR_WORKER_LOST,
    download_name,
    local_month,
    previous_month,
    report_request,
)

LIST_LIMIT = 120


class ReportRequestForm(forms.Form):
    area = forms.ChoiceField(label="Wilayah")
    month = forms.CharField(
        label="Bulan", widget=forms.DateInput(attrs={"type": "month"}),
        help_text="Bulan ini atau bulan yang lalu.",
    )
    kind = forms.ChoiceField(label="Jenis laporan", choices=Kind.choices)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = {f"{a.level}:{a.obj.pk}": a for a in areas}
        self.fields["area"].choices = [
            (key, f"{LEVEL_LABELS[a.level]}: {a.name}" if a.level == "kabupaten" else a.name)
            for key, a in self.areas.items()
        ]

    def clean_month(self):
        value = (self.cleaned_data.get("month") or "").strip()
        try:
            year, month = value.split("-")[:2]
            return date(int(year), int(month), 1)
        except (ValueError, TypeError):
            raise ValidationError("Pilih bulan, misalnya 2026-09.") from None


def _month_groups(reports):
    groups: list[dict] = []
    for r in reports:
        r.shown_status = display_status(r)
        r.stale = is_stale(r)
        if not groups or groups[-1]["month"] != r.month:
            groups.append({"month": r.month, "label": month_label(r.month, short=False),
                           "reports": []})
        groups[-1]["reports"].append(r)
    return groups


@login_required
def report_list(request):
    areas = areas_for_user(request.user)
    form = None
    if areas:
        initial = {"month": f"{previous_month():%Y-%m}", "kind": Kind.SKDN}
        form = ReportRequestForm(request.POST or None, areas=areas, initial=initial)
        if request.method == "POST" and form.is_valid():
            area = form.areas[form.cleaned_data["area"]]
            try:
                report = report_request(
                    user=request.user, level=area.level, area_id=area.obj.pk,
                    month=form.cleaned_data["month"], kind=form.cleaned_data["kind"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect(report)
    reports = list(reports_for_user(request.user)[:LIST_LIMIT])
    return render(request, "reports/report_list.html", {
        "form": form, "groups": _month_groups(reports), "has_areas": bool(areas),
        "current_month": local_month(),
    })


@login_required
def report_detail(request, uuid):
    report = report_for_user_or_404(request.user, uuid)
    shown = display_status(report)
    stale = is_stale(report)
    return render(request, "reports/report_detail.html", {
        "report": report,
        "shown_status": shown,
        "status_label": Status(shown).label,
        "stale": stale,
        "stuck": is_stuck(report),
        "worker_lost": ERROR_WORKER_LOST,
        "in_progress": shown in (Status.QUEUED, Status.RUNNING),
        "month_label": month_label(report.month, short=False),
        "level_label": LEVEL_LABELS[report.level],
    })


@login_required
@require_POST
def report_retry(request, uuid):
    """Coba lagi (failed) / Buat ulang (out of date): the same request again."""
    report = report_for_user_or_404(request.user, uuid)
    try:
        again = report_request(
            user=request.user, level=report.level, area_id=report.area_id,
            month=report.month, kind=report.kind,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(report)
    if again.status == Status.QUEUED:
        messages.success(request, "Laporan dimasukkan ke antrian untuk dibuat ulang.")
    return redirect(again)


@login_required
def report_download(request, uuid):
    report = report_for_user_or_404(request.user, uuid)
    if not report.file:
        raise Http404
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=download_name(report),
        content_type="application/pdf",
    )
