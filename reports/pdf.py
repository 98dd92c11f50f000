"""Report PDF: figures -> HTML (Django templates, print CSS) -> WeasyPrint.

WeasyPrint gets ``StaticOnlyFetcher``: it serves the project's own static files
(found through the staticfiles finders, else under STATIC_ROOT) and refuses
everything else (http, https to other hosts, file:, data:, ``..`` paths), so a
report never reaches the network or the server's files. Fonts are the local
DejaVu Sans (fonts-dejavu-core); nothing is embedded from the network. Charts
are inline SVG from ``reports.charts``.
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from reports.charts import month_label, skdn_bars_svg, trend_svg
from reports.figures.tables import Table

# The made-up origin the report HTML is rendered at; only its static path is served.
BASE_URL = "https://laporan.posyandu.invalid/"
WIDE_COLUMNS = 11  # more value columns than this: a landscape page
XWIDE_COLUMNS = 20  # smaller type as well
MAX_PART_COLUMNS = 28  # wider tables are printed in parts (landscape A4)
TREND_MONTHS = 12
# WeasyPrint logs every rendering step at INFO; keep its warnings only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class RefusedURL(ValueError):
    pass


def _static_prefix() -> str:
    prefix = urlsplit(settings.STATIC_URL).path or "/static/"
    if not prefix.startswith("/"):
        prefix = "/" + prefix
    return prefix if prefix.endswith("/") else prefix + "/"


def static_path_for(url: str) -> Path:
    """The file behind a report URL, or RefusedURL. Only
    ``BASE_URL + STATIC_URL + <relative path>`` is accepted."""
    base = urlsplit(BASE_URL)
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        raise RefusedURL(f"refused (not a project static file): {url[:80]}")
    path = unquote(parts.path)
    prefix = _static_prefix()
    if not path.startswith(prefix) or "\\" in path or "\x00" in path:
        raise RefusedURL(f"refused (outside static): {url[:80]}")
    relative = path[len(prefix):]
    segments = relative.split("/")
    if not relative or any(s in ("", ".", "..") for s in segments):
        raise RefusedURL(f"refused (path): {url[:80]}")
    relative = posixpath.normpath(relative)
    found = finders.find(relative)
    if found:
        return Path(found)
    root = Path(settings.STATIC_ROOT).resolve()
    candidate = (root / relative).resolve()
    if root in candidate.parents and candidate.is_file():
        return candidate
    raise RefusedURL(f"not found: {url[:80]}")


try:
    from weasyprint.urls import URLFetcher, URLFetcherResponse
except ImportError:  # pragma: no cover - weasyprint is a dependency
    URLFetcher = object
    URLFetcherResponse = None


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that reads only the project's static files."""

    def __init__(self):
        super().__init__(fail_on_errors=False)

    def fetch(self, url, headers=None):
        path = static_path_for(url)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """PDF bytes and page count."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).render()
    return document.write_pdf(), len(document.pages)


# --------------------------------------------------------------------------- content

@dataclass
class Cell:
    text: str
    num: bool = True


def format_value(value, kind: str) -> str:
    if value is None or value == "":
        return "–"
    if kind == "pct":
        text = f"{float(value):.1f}"
        return text.replace(".", ",")
    if kind == "int":
        return f"{int(value):,}".replace(",", ".")
    return str(value)


def column_parts(table: Table, limit: int) -> list[list[int]]:
    """Column indexes split into as few parts of at most ``limit`` columns as
    possible, of about equal width, cut at header-group boundaries (a group
    wider than ``limit`` is cut inside)."""
    n = len(table.columns)
    if n <= limit:
        return [list(range(n))]
    # Group ends, with over-wide groups cut into chunks of ``limit``.
    ends: list[int] = []
    i = 0
    for _group, span in table.header_groups():
        while span > limit:
            i += limit
            span -= limit
            ends.append(i)
        i += span
        ends.append(i)
    k = -(-n // limit)
    while True:
        cuts, last = [], 0
        for j in range(1, k):
            options = [e for e in ends if last < e < n and e - last <= limit]
            if not options:
                break
            cut = min(options, key=lambda e, t=j * n / k: (abs(e - t), -e))
            cuts.append(cut)
            last = cut
        bounds = [0, *cuts, n]
        if all(b - a <= limit for a, b in zip(bounds, bounds[1:], strict=False)):
            return [list(range(a, b)) for a, b in zip(bounds, bounds[1:], strict=False)]
        k += 1


def _part_context(table: Table, idx: list[int]) -> dict:
    columns = [table.columns[i] for i in idx]
    groups: list[tuple[str, int]] = []
    for c in columns:
        if groups and groups[-1][0] == c.group:
            groups[-1] = (c.group, groups[-1][1] + 1)
        else:
            groups.append((c.group, 1))
    two_rows = any(g for g, _ in groups)
    # Header cells as on the paper forms: (text, colspan, rowspan); a column
    # with no group spans both header rows.
    top: list[tuple[str, int, int]] = [(table.label_header, 1, 2 if two_rows else 1)]
    bottom: list[str] = []
    k = 0
    for group, span in groups:
        cols = columns[k:k + span]
        k += span
        if group:
            top.append((group, span, 1))
            bottom += [c.label for c in cols]
        else:
            top += [(c.label, 1, 2 if two_rows else 1) for c in cols]
    rows = []
    for row in table.rows:
        cells = [Cell(format_value(row.values[i] if i < len(row.values) else None,
                                   table.columns[i].kind), table.columns[i].kind != "text")
                 for i in idx]
        rows.append({"label": row.label, "cells": cells, "is_total": row.is_total})
    return {"header_top": top, "header_bottom": bottom, "rows": rows, "width": len(idx)}


def table_context(table: Table) -> dict:
    """A Table for the template; a table wider than a landscape page can hold
    is printed as consecutive parts, each repeating the first column."""
    n = len(table.columns)
    parts = [_part_context(table, idx) for idx in column_parts(table, MAX_PART_COLUMNS)]
    widest = max(p["width"] for p in parts)
    return {
        "code": table.code,
        "title": table.title,
        "parts": parts,
        "columns": table.columns,
        "notes": table.notes,
        "wide": n > WIDE_COLUMNS,
        "xwide": widest > XWIDE_COLUMNS,
    }


SIGNATURES = {
    "posyandu": (("Mengetahui,", "Bidan Desa/Kelurahan"), ("", "Koordinator Kader Posyandu")),
    "puskesmas": (("Mengetahui,", "Kepala Puskesmas"), ("", "Petugas Gizi/Pengelola ILP")),
    "kabupaten": (("Mengetahui,", "Kepala Dinas Kesehatan"), ("", "Pengelola Program Gizi/ILP")),
}
KIND_TITLES = {
    "skdn": "Laporan Bulanan Penimbangan Balita (SKDN)",
    "sip": "Laporan Sistem Informasi Posyandu (SIP)",
    "ilp": "Rekapitulasi Bulanan Hasil Pelayanan Posyandu ILP",
}


def header_context(report) -> tuple[list[tuple[str, str]], str]:
    """The header lines (label, value) as on the paper forms, and the place
    for the signature date line."""
    month = month_label(report.month, short=False)
    if report.level == "posyandu":
        p = report.posyandu
        desa, kec = p.desa, p.desa.kecamatan
        return [
            ("Posyandu", p.nama),
            ("Desa/Kelurahan", desa.nama),
            ("Kecamatan", kec.nama),
            ("Puskesmas", desa.puskesmas.nama),
            ("Kabupaten/Kota", kec.kabupaten.nama),
            ("Bulan", month),
        ], desa.nama
    if report.level == "puskesmas":
        pkm = report.puskesmas
        kec = pkm.kecamatan
        return [
            ("Puskesmas", pkm.nama),
            ("Kecamatan", kec.nama),
            ("Kabupaten/Kota", kec.kabupaten.nama),
            ("Provinsi", kec.kabupaten.provinsi),
            ("Bulan", month),
        ], kec.nama
    kab = report.kabupaten
    return [
        ("Kabupaten/Kota", kab.nama),
        ("Provinsi", kab.provinsi),
        ("Bulan", month),
    ], kab.nama


def css_string(text: str) -> str:
    """A double-quoted CSS string, safe inside a <style> element."""
    out = []
    for ch in str(text):
        if ch in '\\"<>&' or ord(ch) < 32:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return mark_safe('"' + "".join(out) + '"')  # noqa: S308


def _long_date(day) -> str:
    from reports.charts import BULAN

    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


SKDN_SUMMARY = (
    ("S", "S", "Balita yang ada (sasaran)"),
    ("K", "K", "Punya KMS/buku KIA"),
    ("D", "D", "Ditimbang bulan ini"),
    ("N", "N", "Naik berat badannya"),
    ("T", "T", "Tidak naik"),
    ("O", "O", "Tidak ditimbang bulan lalu"),
    ("B", "B", "Baru pertama ditimbang"),
    ("D_prime", "D′", "Ditimbang bulan lalu & ini"),
    ("T2", "2T", "Tidak naik 2 kali berturut"),
    ("BGM", "BGM", "Di bawah garis merah"),
)


def skdn_rows(totals) -> list[tuple[str, str, str, str, str]]:
    """(code, label, L, P, Jumlah) of the page-1 SKDN table, formatted."""
    out = []
    for attr, code, label in SKDN_SUMMARY:
        c = getattr(totals, attr)
        out.append((code, label, *(format_value(v, "int") for v in (c.L, c.P, c.total))))
    return out


def indicator_rows(totals) -> list[tuple[str, str, str, str, str]]:
    """(key, label, L, P, Jumlah) of the SKDN indicators, formatted."""
    from reports.figures.skdn import INDICATORS

    by = {sex: totals.indicators(sex) for sex in ("L", "P", None)}
    return [(key, label.split(" (")[0], *(format_value(by[s][key], "pct") for s in ("L", "P", None)))
            for key, label, _n, _d in INDICATORS]


def trend_points(tables: list[Table]) -> list[tuple] | None:
    """The D/S and N/D points from the report's own 12-month SKDN table (code
    "skdn_trend", rows keyed "YYYY-MM", columns "ds" and "nd"), so the chart
    does not compute the trend a second time; None when it has none."""
    table = next((t for t in tables if t.code == "skdn_trend"), None)
    if table is None:
        return None
    keys = [c.key for c in table.columns]
    if "ds" not in keys or "nd" not in keys:
        return None
    ds, nd = keys.index("ds"), keys.index("nd")
    points = []
    for row in table.rows:
        try:
            month = date.fromisoformat(row.key + "-01")
        except ValueError:
            return None
        points.append((month, {"D/S": row.values[ds], "N/D": row.values[nd]}))
    return points


# Tables of report_tables that page 1 already shows for a single posyandu.
PAGE_ONE_CODES = {"skdn", "skdn_indikator"}


def report_context(report, posyandu_ids, tables: list[Table]) -> dict:
    from reports.figures.skdn import add_all, skdn, skdn_trend

    totals = add_all(skdn(posyandu_ids, report.month).values())
    points = trend_points(tables)
    if points is None:
        points = [(m, s.indicators()) for m, s in
                  skdn_trend(posyandu_ids, report.month, TREND_MONTHS)]
    lines, place = header_context(report)
    now = timezone.localtime()
    title = KIND_TITLES.get(report.kind, report.get_kind_display())
    return {
        "report": report,
        "css_url": BASE_URL + _static_prefix().lstrip("/") + "css/report-print.css",
        "title": title,
        "page_top_left": css_string(title),
        "page_top_right": css_string(f"{report.area} · {month_label(report.month, short=False)}"),
        "area_name": str(report.area),
        "month_label": month_label(report.month, short=False),
        "header": lines,
        "skdn": totals,
        "skdn_rows": skdn_rows(totals),
        "indicators": indicator_rows(totals),
        "skdn_svg": mark_safe(skdn_bars_svg(totals, title="Grafik SKDN " + month_label(report.month))),  # noqa: S308
        "trend_svg": mark_safe(trend_svg(points, ("D/S", "N/D"), width=520, height=230,  # noqa: S308
                                         title="Tren D/S dan N/D 12 bulan")),
        "tables": [table_context(t) for t in tables
                   if not (report.level == "posyandu" and t.code in PAGE_ONE_CODES)],
        "signatures": SIGNATURES[report.level],
        "place_date": f"{place}, {_long_date(now.date())}",
        "generated_at": now,
        "data_as_of": timezone.localtime(report.data_as_of) if report.data_as_of else now,
    }


def render_report_html(report, posyandu_ids) -> str:
    from reports.figures.build import report_tables

    tables = report_tables(report.kind, report.level, list(posyandu_ids), report.month)
    return render_to_string("reports/pdf/report.html", report_context(report, posyandu_ids, tables))


def render_report_pdf(report, posyandu_ids) -> tuple[bytes, int]:
    return html_to_pdf(render_report_html(report, posyandu_ids))
