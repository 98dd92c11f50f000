"""The KMS-style SVG chart (pure: run with ``-p no:django --noconftest``).

The WHO values are read straight from the CSV here, not through the chart code
or ``ilp.growth.tables``, so a wrong row or axis in the chart shows up.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ilp.growth.chart import kms_chart_svg

from .helpers import sd

DATA = Path(__file__).resolve().parents[2] / "ilp" / "growth" / "data"
NS = {"svg": "http://www.w3.org/2000/svg"}
SIZE_TARGET = 12_000  # bytes, for 24 months of monthly weights


def csv_row(name: str, sex_code: int, x: float) -> tuple[float, float, float]:
    with open(DATA / f"{name}.csv", newline="", encoding="ascii") as handle:
        for row in csv.DictReader(handle):
            if int(row["sex"]) == sex_code and abs(float(row["x"]) - x) < 1e-9:
                return float(row["l"]), float(row["m"]), float(row["s"])
    raise LookupError(f"{name}: no row sex={sex_code} x={x}")


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def polyline_points(element: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in element.get("points").split()]


def sd_lines(root: ET.Element) -> dict[int, list[tuple[float, float]]]:
    return {
        int(p.get("data-sd")): polyline_points(p)
        for p in root.iter(f"{{{NS['svg']}}}polyline")
        if p.get("data-sd") is not None
    }


def child_circles(root: ET.Element) -> list[tuple[float, float]]:
    group = next(g for g in root.iter(f"{{{NS['svg']}}}g") if g.get("class") == "anak")
    return [
        (float(c.get("cx")), float(c.get("cy"))) for c in group.iter(f"{{{NS['svg']}}}circle")
    ]


def y_on(line: list[tuple[float, float]], x: float) -> float:
    for (x0, y0), (x1, y1) in zip(line, line[1:], strict=False):
        if x0 <= x <= x1:
            return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    raise AssertionError(f"x={x} is outside the line")


def monthly_weights() -> list[tuple[int, float]]:
    return [(m, round(3.3 + 0.45 * m - 0.006 * m * m, 1)) for m in range(25)]


@pytest.mark.parametrize(
    "index, lines",
    [
        ("bbu", {-3, -2, 0, 1, 2, 3}),
        ("tbu", {-3, -2, 0, 2, 3}),
        ("lku", {-3, -2, 0, 2, 3}),
        ("bbtb", {-3, -2, 0, 1, 2, 3}),
    ],
)
@pytest.mark.parametrize("sex", ["L", "P"])
def test_svg_parses_and_has_a_polyline_per_sd_line(sex, index, lines):
    point = (75.0, 9.5) if index == "bbtb" else (12, 9.5 if index == "bbu" else 45.0)
    root = parse(kms_chart_svg(sex=sex, index=index, points=[point]))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    assert root.find("svg:title", NS).text
    found = sd_lines(root)
    assert set(found) == lines
    for points in found.values():
        assert len(points) > 20


def test_axis_labels_are_indonesian():
    svg = kms_chart_svg(sex="L", index="bbu", points=monthly_weights())
    assert "Umur (bulan)" in svg and "Berat badan (kg)" in svg


@pytest.mark.parametrize("sex, code", [("L", 1), ("P", 2)])
def test_point_on_the_who_median_at_12_months_sits_on_the_median_line(sex, code):
    # 12 months = 365.25 days: the chart samples the completed day, row 365.
    _, m, _ = csv_row("who2006_wfa_day", code, 365)
    root = parse(kms_chart_svg(sex=sex, index="bbu", points=[(12, m)]))
    [(cx, cy)] = child_circles(root)
    assert abs(cy - y_on(sd_lines(root)[0], cx)) <= 0.5


def test_sd_lines_follow_the_lms_formula():
    """The -2 and +3 lines at 12 months agree with SD(n) = M (1 + L S n)^(1/L)."""
    lam, m, s = csv_row("who2006_wfa_day", 1, 365)
    for n in (-2, 3):
        root = parse(kms_chart_svg(sex="L", index="bbu", points=[(12, sd(lam, m, s, n))]))
        [(cx, cy)] = child_circles(root)
        assert abs(cy - y_on(sd_lines(root)[n], cx)) <= 0.5


def test_weight_for_length_point_on_the_median():
    _, m, _ = csv_row("who2006_wfl_cm", 2, 80.0)
    root = parse(kms_chart_svg(sex="P", index="bbtb", points=[(80.0, m)]))
    [(cx, cy)] = child_circles(root)
    assert abs(cy - y_on(sd_lines(root)[0], cx)) <= 0.5


def test_x_axis_is_24_or_60_months():
    young = kms_chart_svg(sex="P", index="bbu", points=[(3, 5.5), (24, 11.5)])
    older = kms_chart_svg(sex="P", index="bbu", points=[(3, 5.5), (25, 11.8)])
    assert ">24</text>" in young and ">60</text>" not in young
    assert ">60</text>" in older


def test_child_points_are_joined_by_a_line_with_circles():
    points = monthly_weights()
    root = parse(kms_chart_svg(sex="L", index="bbu", points=points))
    circles = child_circles(root)
    assert len(circles) == len(points)
    assert [c[0] for c in circles] == sorted(c[0] for c in circles)
    group = next(g for g in root.iter(f"{{{NS['svg']}}}g") if g.get("class") == "anak")
    assert len(polyline_points(group.find("svg:polyline", NS))) == len(points)


def test_title_is_escaped():
    title = 'Budi <script>alert("x")</script> & Ani'
    svg = kms_chart_svg(sex="L", index="bbu", points=[(6, 7.9)], title=title)
    assert "<script" not in svg
    assert parse(svg).find("svg:title", NS).text == title


def test_no_external_references():
    svg = kms_chart_svg(sex="P", index="tbu", points=[(30, 88.0)])
    for marker in ("href", "url(", "@import", "<script", "<image", "@font-face"):
        assert marker not in svg


def test_size_is_small_for_24_months_of_data():
    svg = kms_chart_svg(sex="L", index="bbu", points=monthly_weights())
    assert len(svg.encode()) < SIZE_TARGET
    coordinates = [p for line in sd_lines(parse(svg)).values() for xy in line for p in xy]
    assert all(round(v, 1) == v for v in coordinates)


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        kms_chart_svg(sex="X", index="bbu", points=[])
    with pytest.raises(ValueError):
        kms_chart_svg(sex="L", index="imtu", points=[])
