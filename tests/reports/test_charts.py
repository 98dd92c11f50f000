"""The report charts are well-formed SVG whose geometry follows the numbers."""

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date

import pytest

from reports.charts import bar_ranking_svg, pct_label, skdn_bars_svg, trend_svg

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox")
    assert "<script" not in svg and "href" not in svg
    return root


@dataclass
class FakeSexCounts:
    l: int  # noqa: E741
    p: int

    @property
    def total(self):
        return self.l + self.p


@dataclass
class FakeSkdn:
    S: FakeSexCounts
    K: FakeSexCounts
    D: FakeSexCounts
    N: FakeSexCounts


def test_skdn_bars_heights_are_proportional_to_the_counts():
    skdn = FakeSkdn(FakeSexCounts(20, 20), FakeSexCounts(18, 12), FakeSexCounts(10, 10), FakeSexCounts(5, 5))
    root = parse(skdn_bars_svg(skdn))
    bars = {r.get("data-key"): r for r in root.iter("{http://www.w3.org/2000/svg}rect")}
    assert list(bars) == ["S", "K", "D", "N"]
    heights = {k: float(r.get("height")) for k, r in bars.items()}
    # S 40, K 30, D 20, N 10: S is the tallest; the others are 3/4, 1/2, 1/4 of it.
    assert heights["S"] > 100
    assert heights["K"] / heights["S"] == pytest.approx(0.75, abs=0.01)
    assert heights["D"] / heights["S"] == pytest.approx(0.5, abs=0.01)
    assert heights["N"] / heights["S"] == pytest.approx(0.25, abs=0.01)
    # bars stand on the same base line
    bases = {round(float(r.get("y")) + float(r.get("height")), 1) for r in bars.values()}
    assert len(bases) == 1
    # colours of the paper SKDN chart: S red, K yellow, D green, N blue
    assert bars["S"].get("fill") == "#d93025"
    assert bars["N"].get("fill") == "#1a5fd0"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    for value in ("40", "30", "20", "10"):
        assert value in texts


def test_skdn_bars_take_a_mapping_and_all_zero():
    root = parse(skdn_bars_svg({"S": 0, "K": 0, "D": 0, "N": 0}, title="Posyandu <Melati>"))
    heights = [float(r.get("height")) for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert heights == [0, 0, 0, 0]
    assert root.find("s:title", NS).text == "Posyandu <Melati>"


def _months(n, start=date(2025, 11, 1)):
    out, y, m = [], start.year, start.month
    for _ in range(n):
        out.append(date(y, m, 1))
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def test_trend_lines_follow_the_values_and_break_at_none():
    months = _months(12)
    ds = [50, 60, None, 80, 80, 90, 100, 70, 75, 40, 45, 50]
    nd = [40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, None]
    points = [(m, {"D/S": a, "N/D": b}) for m, a, b in zip(months, ds, nd, strict=True)]
    root = parse(trend_svg(points))
    circles = [c for c in root.iter("{http://www.w3.org/2000/svg}circle") if c.get("data-series") == "D/S"]
    assert [c.get("data-month") for c in circles] == [f"{m:%Y-%m}" for m, v in zip(months, ds, strict=True) if v is not None]
    ys = {c.get("data-month"): float(c.get("cy")) for c in circles}
    # y is linear in the value: 50 -> 100 spans twice 50 -> 75 (same axis)
    y50, y75, y100 = ys["2025-11"], ys["2026-07"], ys["2026-05"]
    assert y100 < y75 < y50
    assert (y50 - y100) == pytest.approx(2 * (y50 - y75), abs=0.2)
    # the None month (January 2026) splits D/S into two lines; N/D ends early
    lines = [p for p in root.iter("{http://www.w3.org/2000/svg}polyline") if p.get("data-series") == "D/S"]
    assert [len(p.get("points").split()) for p in lines] == [2, 9]
    nd_lines = [p for p in root.iter("{http://www.w3.org/2000/svg}polyline") if p.get("data-series") == "N/D"]
    assert [len(p.get("points").split()) for p in nd_lines] == [11]
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts.count("Jan") == 1 and "Agu" in texts and "Des" in texts and "Okt" in texts
    assert "2025" in texts and "2026" in texts  # the year under the first month and January
    assert "90" in texts  # value labels


def test_trend_with_no_values_draws_no_line():
    points = [(m, {"D/S": None, "N/D": None}) for m in _months(3)]
    root = parse(trend_svg(points))
    assert list(root.iter("{http://www.w3.org/2000/svg}polyline")) == []
    assert list(root.iter("{http://www.w3.org/2000/svg}circle")) == []


def test_ranking_bars_are_proportional_and_none_has_no_bar():
    root = parse(bar_ranking_svg([("Melati", 80.0), ("Mawar", 40.0), ("Anggrek", None)]))
    bars = {r.get("data-key"): float(r.get("width")) for r in root.iter("{http://www.w3.org/2000/svg}rect")
            if r.get("data-key")}
    assert set(bars) == {"Melati", "Mawar"}
    assert bars["Melati"] == pytest.approx(2 * bars["Mawar"], abs=0.2)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "80 %" in texts and "–" in texts and "Anggrek" in texts


def test_pct_label():
    assert pct_label(None) == "–"
    assert pct_label(75.0) == "75 %"
    assert pct_label(66.666) == "66,7 %"
