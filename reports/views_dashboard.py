"""Dashboard pages and the CSV/XLSX downloads. Thin: the area comes from
``reports.areas`` (the scoping entry point: 404 outside the user's scope),
the figures from ``reports.dashboard`` / ``reports.figures.build``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import slugify

from reports import charts, exports
from reports import dashboard as data
from reports.areas import LEVEL_LABELS, LEVELS, Area, area_for_user, areas_for_user
from reports.forms import (
    DashboardFilter,
    area_from_key,
    area_key,
    area_title,
    current_month,
    month_param,
    parse_month,
)

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _build():
    # Imported on use: URL loading (and the schema) need not import every figure module.
    from reports.figures import build

    return build


def month_title(month) -> str:
    return charts.month_label(month, short=False)


def heading_lines(area: Area, month, title: str = "") -> list[str]:
    lines = [title] if title else []
    lines += [
        f"{LEVEL_LABELS[area.level]}: {area.name}",
        f"Bulan: {month_title(month)}",
        f"Diunduh: {timezone.localtime():%d-%m-%Y %H:%M}",
    ]
    return lines


def _picked(request) -> tuple[list[Area], Area | None, object, str]:
    """(the user's areas, the chosen area, month, month error) from ?area=&month=.
    An area outside the user's scope is a 404; a bad month falls back to the
    current month with the error shown."""
    areas = areas_for_user(request.user)
    key = request.GET.get("area")
    area = area_from_key(request.user, key) if key else (areas[0] if areas else None)
    month, error = current_month(), ""
    if request.GET.get("month"):
        try:
            month = parse_month(request.GET["month"])
        except ValidationError as exc:
            error = exc.messages[0]
    return areas, area, month, error


def _links(area: Area, month) -> dict:
    """Downloads for each report kind, and the PDF report page when it exists."""
    build = _build()
    args = {"level": area.level, "area": area.obj.pk, "month": month_param(month)}
    downloads = [
        {
            "label": label,
            "csv": reverse("reports:export", kwargs={**args, "kind": kind, "fmt": "csv"}),
            "xlsx": reverse("reports:export", kwargs={**args, "kind": kind, "fmt": "xlsx"}),
        }
        for kind, label in build.KINDS.items()
    ]
    try:
        pdf = reverse("reports:report-list")
    except NoReverseMatch:
        pdf = ""
    return {"downloads": downloads, "pdf_url": pdf}


@login_required
def dashboard(request):
    areas, area, month, month_error = _picked(request)
    context = {"areas": areas, "month_error": month_error}
    if area is None:
        return render(request, "reports/dashboard.html", context)
    form = DashboardFilter(
        initial={"area": area_key(area), "month": month_param(month)}, areas=areas
    )
    board = data.build(area, month)
    ind = board.indicators
    trend_rows = [
        {"month": month_title(m), "s": sk.S.total, "d": sk.D.total, "n": sk.N.total,
         "ds": charts.pct_label(sk.indicators()["D/S"]), "nd": charts.pct_label(sk.indicators()["N/D"])}
        for m, sk in reversed(board.trend)
    ]
    query = f"?area={area_key(area)}&month={month_param(month)}"
    context.update({
        "form": form, "area": area, "area_title": area_title(area),
        "level_label": LEVEL_LABELS[area.level], "month": month, "month_title": month_title(month),
        "board": board,
        "headline": [
            {"key": key, "label": data.INDICATOR_LABELS[key], "value": charts.pct_label(ind[key])}
            for key in ("D/S", "N/D")
        ],
        "indicators": [
            {"key": key, "label": label, "value": charts.pct_label(ind[key])}
            for key, label in data.INDICATOR_LABELS.items()
        ],
        "counts": list(data.counts(board.skdn).items()),
        "skdn_svg": charts.skdn_bars_svg(board.skdn, title=f"SKDN {area_title(area)}, {month_title(month)}"),
        "trend_svg": charts.trend_svg(
            board.trend_points(), title=f"D/S dan N/D, 12 bulan sampai {month_title(month)}"
        ),
        "trend_rows": trend_rows,
        "ranking": [
            {"name": r.name, "d": r.skdn.D.total, "s": r.skdn.S.total,
             "ds_label": charts.pct_label(r.ds), "nd_label": charts.pct_label(r.nd),
             "bar": round(min(100, r.ds or 0))}
            for r in board.ranking
        ],
        "followup": [{"label": reason, "n": n} for reason, n in board.followup.items()],
        "followup_url": reverse("reports:dashboard-followup") + query,
        **_links(area, month),
    })
    return render(request, "reports/dashboard.html", context)


@login_required
def followup(request):
    """The children to follow up in an area and month (the follow-up Table)."""
    areas, area, month, month_error = _picked(request)
    if area is None:
        raise Http404
    tables = data.followup_tables(area, month)
    query = f"?area={area_key(area)}&month={month_param(month)}"
    return render(request, "reports/dashboard_followup.html", {
        "area": area, "area_title": area_title(area), "month": month,
        "month_title": month_title(month), "month_error": month_error,
        "tables": [{"title": t.title, "tv": table_view(t)} for t in tables],
        "back_url": reverse("reports:dashboard") + query,
    })


def _cell(kind: str, value) -> dict:
    if kind == "pct":
        return {"text": charts.pct_label(value), "num": True}
    if kind == "text":
        return {"text": "" if value is None else str(value), "num": False}
    return {"text": "" if value is None else value, "num": True}


def table_view(table) -> dict:
    """A ``Table`` laid out for the HTML partial ``reports/_table.html``:
    grouped header cells (colspan) over their columns, ungrouped ones spanning
    both header rows, values formatted (percent with a comma, "–" for none).
    Rows of the follow-up list link to the child's page (scoped there too)."""
    two_rows = any(c.group for c in table.columns)
    head1, head2, i = [], [], 0
    for group, span in table.header_groups():
        cols = table.columns[i:i + span]
        i += span
        if group:
            head1.append({"label": group, "colspan": span, "rowspan": 1, "num": False})
            head2 += [c.label for c in cols]
        else:
            head1 += [{"label": c.label, "colspan": 1, "rowspan": 2 if two_rows else 1,
                       "num": c.kind != "text"} for c in cols]
    rows = [
        {"label": r.label, "is_total": r.is_total,
         "url": reverse("ilp:person-detail", kwargs={"uuid": r.key}) if table.code == "followup" else "",
         "cells": [_cell(c.kind, v) for c, v in zip(table.columns, r.values, strict=True)]}
        for r in table.rows
    ]
    return {"label_header": table.label_header, "two_rows": two_rows, "head1": head1,
            "head2": head2, "rows": rows, "notes": table.notes, "width": len(table.columns) + 1}


@login_required
def export(request, kind, level, area, month, fmt):
    """The report tables of an area and month as CSV or XLSX."""
    build = _build()
    if kind not in build.KINDS or level not in LEVELS or fmt not in FORMATS:
        raise Http404
    try:
        month_date = parse_month(month)
    except ValidationError:
        raise Http404 from None
    checked = area_for_user(request.user, level, area)
    tables = build.report_tables(kind, level, checked.posyandu_ids, month_date)
    title = build.KINDS[kind]
    heading = heading_lines(checked, month_date, title)
    body = (exports.tables_to_csv if fmt == "csv" else exports.tables_to_xlsx)(tables, heading=heading)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    filename = f"laporan-{kind}-{slugify(area_title(checked))}-{month_param(month_date)}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
