"""Report charts as small, self-contained inline SVG strings (pure Python, no JS).

Used by the dashboards (HTML pages) and by the PDF reports (WeasyPrint), so:
no scripts, fonts, links or CSS classes from outside; a ``viewBox`` and
``width="100%"`` style so the chart scales down to a 360 px phone; every bar
and point carries its value as text, so the chart reads without colours.

* ``skdn_bars_svg(skdn)``: the classic SKDN bar chart, bars S, K, D, N
  (S red, K yellow, D green, N blue, as on the paper SKDN charts).
* ``trend_svg(points, series=("D/S", "N/D"))``: lines of indicator percentages
  over months (12 on the reports), Indonesian short month names, a gap where a
  value is None (nothing to divide by that month).
* ``bar_ranking_svg(rows)``: horizontal bars, one per posyandu/Puskesmas, for
  the participation ranking.

Bars and points carry ``data-*`` attributes (key, value, month) for tests.
"""

from __future__ import annotations

import math
from datetime import date
from html import escape

BULAN_PENDEK = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)

SKDN_COLOURS = {"S": "#d93025", "K": "#f2b705", "D": "#1e8e3e", "N": "#1a5fd0"}
SKDN_NAMES = {"S": "Sasaran", "K": "Punya KMS/KIA", "D": "Ditimbang", "N": "Naik"}
SERIES_COLOURS = {"D/S": "#1e8e3e", "N/D": "#1a5fd0", "K/S": "#b06000", "N/S": "#7b3fb5",
                  "D/K": "#00838f", "N/D′": "#5f6368", "BGM/D": "#b3261e", "2T/D": "#8a6100"}
_FALLBACK_COLOURS = ("#1e8e3e", "#1a5fd0", "#b06000", "#7b3fb5", "#b3261e")
_TEXT = "#1f2328"
_GRID = "#d5d9dc"


def _open(width: float, height: float, title: str, desc: str = "") -> list[str]:
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}" style="max-width:100%;height:auto" '
        f'font-family="DejaVu Sans,system-ui,sans-serif" font-size="11" fill="{_TEXT}">',
        f"<title>{escape(title)}</title>",
    ]
    if desc:
        out.append(f"<desc>{escape(desc)}</desc>")
    return out


def count_of(value) -> int:
    """A count from a SexCounts-like object (``.total`` attribute or method,
    else L + P) or a plain number."""
    if value is None:
        return 0
    if isinstance(value, (int, float)):
        return int(value)
    total = getattr(value, "total", None)
    if callable(total):
        total = total()
    if total is None:
        total = int(getattr(value, "l", 0) or 0) + int(getattr(value, "p", 0) or 0)
    return int(total)


def skdn_counts(skdn) -> dict[str, int]:
    """S, K, D, N totals from a ``Skdn`` (attributes S, K, D, N) or a mapping."""
    get = skdn.get if isinstance(skdn, dict) else (lambda k: getattr(skdn, k, None))
    return {k: count_of(get(k)) for k in "SKDN"}


def skdn_bars_svg(skdn, *, title: str = "", width: int = 360, height: int = 210) -> str:
    """Bars S, K, D, N of one month, heights proportional to the counts (the
    tallest bar fills the plot), each with its count above it."""
    counts = skdn_counts(skdn)
    top_value = max(counts.values()) or 1
    title = title or "Grafik SKDN"
    desc = ", ".join(f"{k} ({SKDN_NAMES[k]}) {v}" for k, v in counts.items())
    out = _open(width, height, title, desc)
    left, right, top, bottom = 12, width - 12, 20, height - 38
    slot = (right - left) / 4
    bar_w = slot * 0.56
    out.append(f'<path stroke="{_TEXT}" d="M{_n(left)} {_n(bottom)}H{_n(right)}"/>')
    for i, (key, value) in enumerate(counts.items()):
        h = (bottom - top) * value / top_value
        x = left + slot * i + (slot - bar_w) / 2
        cx = x + bar_w / 2
        out.append(
            f'<rect data-key="{key}" data-value="{value}" x="{_n(x)}" y="{_n(bottom - h)}" '
            f'width="{_n(bar_w)}" height="{_n(h)}" fill="{SKDN_COLOURS[key]}"/>'
        )
        out.append(f'<text x="{_n(cx)}" y="{_n(bottom - h - 5)}" text-anchor="middle" '
                   f'font-size="13" font-weight="700">{value}</text>')
        out.append(f'<text x="{_n(cx)}" y="{_n(bottom + 16)}" text-anchor="middle" '
                   f'font-size="14" font-weight="700">{key}</text>')
        out.append(f'<text x="{_n(cx)}" y="{_n(bottom + 30)}" text-anchor="middle" '
                   f'font-size="10">{escape(SKDN_NAMES[key])}</text>')
    out.append("</svg>")
    return "".join(out)


def month_label(month: date, *, short: bool = True) -> str:
    names = BULAN_PENDEK if short else BULAN
    return f"{names[month.month - 1]} {month.year}"


def trend_svg(
    points: list[tuple[date, dict]],
    series: tuple[str, ...] = ("D/S", "N/D"),
    *,
    title: str = "",
    width: int = 360,
    height: int = 230,
    values: bool = True,
) -> str:
    """Lines of indicator percentages by month. ``points`` is a list of
    (first of month, {indicator: percent or None}); a None breaks the line.
    The y axis runs 0-100 % (higher when a value is above 100)."""
    n = len(points)
    highest = max(
        (v for _, d in points for k in series if (v := d.get(k)) is not None), default=0
    )
    y_max = max(100, math.ceil(highest / 20) * 20)
    title = title or "Tren " + " dan ".join(series)
    desc_parts = []
    for key in series:
        vals = [f"{month_label(m)} {pct_label(d.get(key))}" for m, d in points]
        desc_parts.append(f"{key}: " + ", ".join(vals))
    out = _open(width, height, title, "; ".join(desc_parts))

    left, right, top, bottom = 34, width - 10, 30, height - 34

    def px(i: int) -> float:
        if n <= 1:
            return (left + right) / 2
        return left + 8 + i * (right - left - 16) / (n - 1)

    def py(v: float) -> float:
        return bottom - v / y_max * (bottom - top)

    # Legend on top.
    lx = left
    for idx, key in enumerate(series):
        colour = _colour(key, idx)
        out.append(f'<path stroke="{colour}" stroke-width="3" d="M{_n(lx)} 12H{_n(lx + 18)}"/>')
        out.append(f'<text x="{_n(lx + 22)}" y="16" font-weight="700">{escape(key)} (%)</text>')
        lx += 22 + 7 * (len(key) + 4) + 16
    # Grid: 0, 25, 50, 75, 100 (and above).
    step = 25 if y_max <= 100 else 50
    grid, labels = [], []
    for v in range(0, y_max + 1, step):
        grid.append(f"M{_n(left)} {_n(py(v))}H{_n(right)}")
        labels.append(f'<text x="{_n(left - 4)}" y="{_n(py(v) + 4)}">{v}</text>')
    out.append(f'<path stroke="{_GRID}" fill="none" d="{"".join(grid)}"/>')
    out.append(f'<g text-anchor="end" font-size="10">{"".join(labels)}</g>')
    # Month labels, the year under the first month and under each January.
    months = []
    for i, (m, _) in enumerate(points):
        months.append(f'<text x="{_n(px(i))}" y="{_n(bottom + 14)}">{BULAN_PENDEK[m.month - 1]}</text>')
        if i == 0 or m.month == 1:
            months.append(f'<text x="{_n(px(i))}" y="{_n(bottom + 27)}" fill="#5f6368">{m.year}</text>')
    out.append(f'<g text-anchor="middle" font-size="10">{"".join(months)}</g>')

    for idx, key in enumerate(series):
        colour = _colour(key, idx)
        segments: list[list[tuple[float, float]]] = [[]]
        dots, texts = [], []
        for i, (m, d) in enumerate(points):
            v = d.get(key)
            if v is None:
                if segments[-1]:
                    segments.append([])
                continue
            x, y = px(i), py(v)
            segments[-1].append((x, y))
            dots.append(f'<circle data-series="{escape(key)}" data-month="{m:%Y-%m}" '
                        f'data-value="{_n(v)}" cx="{_n(x)}" cy="{_n(y)}" r="3"/>')
            if values:
                # Above the point when it is the highest of the month (or
                # there is no room under it), else below: labels of two
                # lines do not sit on each other or on the month names.
                others = [d.get(k) for k in series if k != key and d.get(k) is not None]
                below = others and (v, -idx) < (max(others), 0) and py(v) + 13 < bottom - 2
                dy = 13 if below else -6
                texts.append(f'<text x="{_n(x)}" y="{_n(y + dy)}">{_pct_short(v)}</text>')
        lines = "".join(
            f'<polyline data-series="{escape(key)}" points="'
            + " ".join(f"{_n(x)},{_n(y)}" for x, y in seg) + '"/>'
            for seg in segments if len(seg) > 1
        )
        out.append(f'<g fill="none" stroke="{colour}" stroke-width="2">{lines}</g>')
        out.append(f'<g fill="{colour}">{"".join(dots)}</g>')
        if texts:
            out.append(f'<g fill="{colour}" font-size="9" text-anchor="middle" '
                       f'font-weight="700">{"".join(texts)}</g>')
    out.append("</svg>")
    return "".join(out)


def bar_ranking_svg(
    rows: list[tuple[str, float | None]],
    *,
    title: str = "Peringkat partisipasi D/S",
    width: int = 360,
    max_value: float = 100,
) -> str:
    """One horizontal bar per (label, percent or None), in the given order.
    None (nobody to weigh) shows "–" and no bar."""
    row_h, label_w, value_w = 22, 118, 46
    height = 8 + row_h * max(len(rows), 1)
    top_value = max([max_value] + [v for _, v in rows if v is not None])
    out = _open(width, height, title, "; ".join(f"{lab} {pct_label(v)}" for lab, v in rows))
    x0, x1 = label_w, width - value_w
    bars = []
    for i, (label, value) in enumerate(rows):
        y = 4 + i * row_h
        short = label if len(label) <= 16 else label[:15] + "…"
        bars.append(f'<text x="{_n(x0 - 4)}" y="{_n(y + 15)}" text-anchor="end">{escape(short)}</text>')
        bars.append(f'<rect x="{_n(x0)}" y="{_n(y + 3)}" width="{_n(x1 - x0)}" height="{row_h - 6}" '
                    f'fill="#eef1f3"/>')
        if value is not None:
            w = (x1 - x0) * max(value, 0) / top_value
            bars.append(f'<rect data-key="{escape(label)}" data-value="{_n(value)}" x="{_n(x0)}" '
                        f'y="{_n(y + 3)}" width="{_n(w)}" height="{row_h - 6}" '
                        f'fill="{SKDN_COLOURS["D"]}"/>')
        bars.append(f'<text x="{_n(x1 + 4)}" y="{_n(y + 15)}" font-weight="700">{pct_label(value)}</text>')
    out.append("".join(bars))
    out.append("</svg>")
    return "".join(out)


def pct_label(value: float | None) -> str:
    """75.0 -> "75 %", 66.67 -> "66,7 %", None -> "–"."""
    if value is None:
        return "–"
    return f"{_pct_short(value)} %"


def _pct_short(value: float) -> str:
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",")


def _colour(key: str, idx: int) -> str:
    return SERIES_COLOURS.get(key) or _FALLBACK_COLOURS[idx % len(_FALLBACK_COLOURS)]


def _n(value: float) -> str:
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text
