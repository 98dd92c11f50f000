"""KMS-style growth chart as a small, self-contained SVG string (pure Python, no Django).

``kms_chart_svg()`` draws, like the KMS in Buku KIA: colour bands, the WHO SD
lines (-3, -2, 0, +2, +3; +1 too where it is a Permenkes cut-off) as polylines,
and the child's measurements joined by a line with circles.

* The SD lines come from the LMS tables in ``data/`` (WHO 2006, see
  ``data/SOURCE.md``): SD(n) = M (1 + L S n)^(1/L), via ``zscore.sd_value``.
  Age charts are sampled every 0.5 month on 0-24 months and every month on
  0-60 months, at the completed day floor(month * 30.4375); weight-for-length
  and weight-for-height every 1 cm.
* Colour bands follow the Permenkes 2/2020 cut-offs of the index, so a point's
  colour agrees with the category label shown beside the chart: red below -3,
  yellow -3..-2, green from -2 up to the upper "normal" limit (+1 for BB/U and
  BB/PB-TB, +3 for PB-TB/U, +2 for LK/U); above it yellow (BB/U "risiko BB
  lebih", LK/U "makrosefali"), grey (PB-TB/U "tinggi"), or for BB/PB-TB yellow,
  orange and red for berisiko gizi lebih, gizi lebih and obesitas.
* No external fonts, links or scripts; coordinates rounded to 0.1 px; about
  7-8 KB for a 0-24 month chart. The SVG scales down with its container.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from . import tables as t
from .age import DAYS_PER_MONTH
from .tables import get_table
from .zscore import sd_value

RED = "#f3c3bd"
YELLOW = "#fbe6a0"
GREEN = "#cde8d2"
ORANGE = "#f7c99a"
NEUTRAL = "#eef1f3"  # beyond the chart's cut-offs but not a nutrition problem ("tinggi")

# Plot area inside the default 360 x 260 box, scaled with width/height.
_LEFT, _RIGHT, _TOP, _BOTTOM = 38, 20, 8, 34


@dataclass(frozen=True)
class _Spec:
    code: str  # shown as "BB/U"
    name: str  # for the default title
    y_label: str
    lines: tuple[int, ...]
    # (upper SD edge, colour) from the bottom up; the last band has no upper edge.
    bands: tuple[tuple[int | None, str], ...]


_SPECS = {
    "bbu": _Spec(
        "BB/U", "berat badan menurut umur", "Berat badan (kg)", (-3, -2, 0, 1, 2, 3),
        ((-3, RED), (-2, YELLOW), (1, GREEN), (None, YELLOW)),
    ),
    "tbu": _Spec(
        "PB-TB/U", "panjang/tinggi badan menurut umur", "Panjang badan (cm)",
        (-3, -2, 0, 2, 3),
        ((-3, RED), (-2, YELLOW), (3, GREEN), (None, NEUTRAL)),
    ),
    "lku": _Spec(
        "LK/U", "lingkar kepala menurut umur", "Lingkar kepala (cm)", (-3, -2, 0, 2, 3),
        ((-3, RED), (-2, YELLOW), (2, GREEN), (None, YELLOW)),
    ),
    "bbtb": _Spec(
        "BB/PB", "berat badan menurut panjang badan", "Berat badan (kg)",
        (-3, -2, 0, 1, 2, 3),
        ((-3, RED), (-2, YELLOW), (1, GREEN), (2, YELLOW), (3, ORANGE), (None, RED)),
    ),
}
_AGE_TABLES = {"bbu": t.WFA_DAY, "tbu": t.LHFA_DAY, "lku": t.HCFA_DAY}
_SEX_WORDS = {"L": "laki-laki", "P": "perempuan"}
_LINE_STYLE = {
    0: 'stroke="#116149" stroke-width="1.6"',
    1: 'stroke="#6b6f73" stroke-dasharray="4 3"',
    2: 'stroke="#8a6100"',
    3: 'stroke="#b3261e"',
}


def kms_chart_svg(
    *,
    sex: str,
    index: str,
    points: list[tuple[float, float]],
    width: int = 360,
    height: int = 260,
    title: str = "",
    basis: str = "PB",
) -> str:
    """An SVG growth chart of ``index`` ("bbu", "tbu", "lku" or "bbtb") for sex "L"/"P".

    ``points`` are (x, value): x is age in months (fractions allowed) for the age
    indices and length/height in cm for "bbtb"; the value is in kg or cm. Age
    charts span 0-24 months when no point is older than 24 months, else 0-60;
    points outside the chart's x range are left out. ``basis`` ("PB" length or
    "TB" height) picks the BB/PB (45-110 cm) or BB/TB (65-120 cm) table for "bbtb".
    """
    if sex not in _SEX_WORDS:
        raise ValueError(f"unknown sex {sex!r}: use 'L' or 'P'")
    if index not in _SPECS:
        raise ValueError(f"unknown index {index!r}: use one of {sorted(_SPECS)}")
    spec = _SPECS[index]
    clean = [(float(x), float(y)) for x, y in points if _finite(x) and _finite(y) and y > 0]

    if index == "bbtb":
        if basis not in ("PB", "TB"):
            raise ValueError(f"unknown basis {basis!r}: use 'PB' or 'TB'")
        table = get_table(t.WFL_CM if basis == "PB" else t.WFH_CM, sex)
        x_min, x_max = table.first, table.last
        xs = [float(x) for x in range(math.ceil(x_min), math.floor(x_max) + 1)]
        lms_at = table.at
        x_label = "Panjang badan (cm)" if basis == "PB" else "Tinggi badan (cm)"
        code = "BB/PB" if basis == "PB" else "BB/TB"
        grid_step, label_step = 5, 10
    else:
        oldest = max((x for x, _ in clean), default=0.0)
        x_min, x_max = 0.0, 24.0 if oldest <= 24 else 60.0
        step = 0.5 if x_max == 24 else 1.0
        xs = [i * step for i in range(int(x_max / step) + 1)]
        day_table = get_table(_AGE_TABLES[index], sex)

        def lms_at(month: float):
            return day_table.at(math.floor(month * DAYS_PER_MONTH + 1e-9))

        x_label = "Umur (bulan)"
        code = spec.code
        grid_step, label_step = (1, 3) if x_max == 24 else (3, 6)
    y_label = spec.y_label
    if index == "tbu" and x_max > 24:
        y_label = "Panjang/tinggi badan (cm)"

    clean = [(x, y) for x, y in clean if x_min <= x <= x_max]
    lms_rows = [lms_at(x) for x in xs]
    curves = {n: [sd_value(lms, n) for lms in lms_rows] for n in spec.lines}

    low = min(curves[min(spec.lines)] + [y for _, y in clean])
    high = max(curves[max(spec.lines)] + [y for _, y in clean])
    y_step = _nice_step(high - low)
    y_min = math.floor(low / y_step) * y_step
    y_max = math.ceil(high / y_step) * y_step

    sx = width / 360
    sy = height / 260
    left, right = _LEFT * sx, width - _RIGHT * sx
    top, bottom = _TOP * sy, height - _BOTTOM * sy

    def px(x: float) -> float:
        return left + (x - x_min) / (x_max - x_min) * (right - left)

    def py(y: float) -> float:
        return bottom - (y - y_min) / (y_max - y_min) * (bottom - top)

    def coords(values: list[float]) -> str:
        return " ".join(f"{_n(px(x))},{_n(py(y))}" for x, y in zip(xs, values, strict=True))

    sex_word = _SEX_WORDS[sex]
    if not title:
        span = f"{_n(x_min)}–{_n(x_max)} cm" if index == "bbtb" else f"0–{int(x_max)} bulan"
        title = f"Grafik {code} ({_name(spec, basis)}), {sex_word}, {span}"

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" style="max-width:100%;height:auto" '
        f'font-family="system-ui,sans-serif" font-size="11" fill="#1f2328">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(_describe(spec, clean, index, sex_word))}</desc>",
    ]

    # Colour bands: fill the plot with the top band, then paint "below edge k"
    # for each edge from the top down, so each band needs one curve only.
    box = f"{_n(left)},{_n(top)} {_n(right)},{_n(top)}"
    out.append(f'<polygon fill="{spec.bands[-1][1]}" points="{box} {_n(right)},{_n(bottom)} '
               f'{_n(left)},{_n(bottom)}"/>')
    corners = f"{_n(right)},{_n(bottom)} {_n(left)},{_n(bottom)}"
    for edge, colour in reversed(spec.bands[:-1]):
        assert edge is not None
        out.append(f'<polygon fill="{colour}" points="{coords(curves[edge])} {corners}"/>')

    # Grid and axes.
    grid = []
    tick_labels = []
    x = math.ceil(x_min / grid_step) * grid_step
    while x <= x_max + 1e-9:
        grid.append(f"M{_n(px(x))} {_n(top)}V{_n(bottom)}")
        if abs(x / label_step - round(x / label_step)) < 1e-9:
            tick_labels.append(f'<text x="{_n(px(x))}" y="{_n(bottom + 12)}">{_n(x)}</text>')
        x += grid_step
    y_labels = []
    y = y_min
    while y <= y_max + 1e-9:
        grid.append(f"M{_n(left)} {_n(py(y))}H{_n(right)}")
        y_labels.append(f'<text x="{_n(left - 3)}" y="{_n(py(y) + 3.5)}">{_id(y)}</text>')
        y += y_step
    out.append(f'<path fill="none" stroke="#fff" stroke-width=".7" d="{"".join(grid)}"/>')
    out.append(f'<rect fill="none" stroke="#5f6368" x="{_n(left)}" y="{_n(top)}" '
               f'width="{_n(right - left)}" height="{_n(bottom - top)}"/>')
    out.append(f'<g text-anchor="middle">{"".join(tick_labels)}</g>')
    out.append(f'<g text-anchor="end">{"".join(y_labels)}</g>')
    mid_x, mid_y = (left + right) / 2, (top + bottom) / 2
    out.append(f'<text x="{_n(mid_x)}" y="{_n(height - 4)}" text-anchor="middle" '
               f'font-weight="600">{x_label}</text>')
    out.append(f'<text transform="rotate(-90)" x="{_n(-mid_y)}" y="11" text-anchor="middle" '
               f'font-weight="600">{escape(y_label)}</text>')

    # WHO SD lines, labelled at the right edge.
    lines = []
    sd_labels = []
    for n in spec.lines:
        lines.append(f'<polyline data-sd="{n}" {_LINE_STYLE[abs(n)]} points="{coords(curves[n])}"/>')
        sd_labels.append(f'<text x="{_n(right + 2)}" y="{_n(py(curves[n][-1]) + 3)}">'
                         f"{_signed(n)}</text>")
    out.append(f'<g fill="none">{"".join(lines)}</g>')
    out.append(f'<g font-size="10">{"".join(sd_labels)}</g>')

    # The child's measurements.
    if clean:
        clean.sort()
        dots = "".join(f'<circle cx="{_n(px(x))}" cy="{_n(py(y))}" r="3.5"/>' for x, y in clean)
        line = ""
        if len(clean) > 1:
            joined = " ".join(f"{_n(px(x))},{_n(py(y))}" for x, y in clean)
            line = f'<polyline fill="none" stroke-width="2" points="{joined}"/>'
        out.append(f'<g class="anak" fill="#1a4fa0" stroke="#1a4fa0">{line}'
                   f'<g stroke="#fff" stroke-width="1.2">{dots}</g></g>')
    out.append("</svg>")
    return "".join(out)


def _name(spec: _Spec, basis: str) -> str:
    if spec.code == "BB/PB" and basis == "TB":
        return "berat badan menurut tinggi badan"
    return spec.name


def _describe(spec: _Spec, points: list[tuple[float, float]], index: str, sex_word: str) -> str:
    unit = "kg" if index in ("bbu", "bbtb") else "cm"
    lines = ", ".join(_signed(n) for n in spec.lines)
    text = f"Garis standar WHO {lines} SD untuk anak {sex_word}."
    if points:
        x, y = max(points)
        where = f"{_id(x)} cm" if index == "bbtb" else f"umur {_id(x)} bulan"
        text += f" {len(points)} titik pengukuran; terakhir {where}: {_id(y)} {unit}."
    else:
        text += " Belum ada titik pengukuran."
    return text


def _nice_step(span: float) -> float:
    for step in (0.5, 1, 2, 5, 10, 20, 50):
        if span / step <= 9:
            return step
    return 100


def _finite(value: float) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _n(value: float) -> str:
    """A coordinate rounded to 0.1, without a trailing ".0"."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _id(value: float) -> str:
    """A number for people: up to 1 decimal, Indonesian decimal comma."""
    return _n(value).replace(".", ",")


def _signed(n: int) -> str:
    return "0" if n == 0 else f"{'+' if n > 0 else '−'}{abs(n)}"
