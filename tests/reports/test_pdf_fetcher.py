"""WeasyPrint's URL fetcher reads the project's static files and nothing else."""

from __future__ import annotations

import pytest

from reports.pdf import BASE_URL, RefusedURL, StaticOnlyFetcher, html_to_pdf, static_path_for

STATIC = BASE_URL + "static/"


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/css/report-print.css",
    "https://example.org/static/css/report-print.css",
    "http://laporan.posyandu.invalid/static/css/report-print.css",  # right host, wrong scheme
    "file:///etc/passwd",
    "file:///work/main/static/css/report-print.css",
    "data:text/css,body%7Bcolor:red%7D",
    "ftp://example.org/x.css",
    STATIC + "../../etc/passwd",
    STATIC + "css/../../../etc/passwd",
    STATIC + "css/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    STATIC + "css/..%2f..%2f..%2fetc/passwd",
    STATIC + "css//report-print.css",
    STATIC + "css\\..\\..\\settings.py",
    BASE_URL + "media/reports/x.pdf",
    BASE_URL + "etc/passwd",
    STATIC + "css/tidak-ada.css",
])
def test_everything_but_project_static_files_is_refused(url):
    with pytest.raises(RefusedURL):
        static_path_for(url)
    with pytest.raises(RefusedURL):
        StaticOnlyFetcher().fetch(url)


def test_project_static_files_are_served():
    response = StaticOnlyFetcher().fetch(STATIC + "css/report-print.css")
    body = response.read()
    assert b"@page" in body and b"A4" in body
    assert response.content_type == "text/css"


def test_weasyprint_does_not_read_refused_files(tmp_path):
    """A stylesheet outside static that would make the page A6 is not read;
    the project's own print stylesheet is (its @page makes the page A4)."""
    evil = tmp_path / "evil.css"
    evil.write_text("@page { size: A6 } body { color: red }")
    html = (
        f'<link rel="stylesheet" href="{evil.as_uri()}">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">'
        '<img src="file:///etc/passwd"><p>Uji</p>'
    )
    pdf, pages = html_to_pdf(html)
    assert pdf.startswith(b"%PDF") and pages == 1
    from weasyprint import HTML

    doc = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).render()
    width_mm = doc.pages[0].width * 25.4 / 96
    assert round(width_mm) == 210  # A4 (WeasyPrint's default), not A6 (105 mm)

    ours = '<link rel="stylesheet" href="/static/css/report-print.css"><section class="wide">x</section>'
    doc = HTML(string=ours, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).render()
    # the print CSS was read: its named "wide" page is A4 landscape
    assert round(doc.pages[0].width * 25.4 / 96) == 297


def test_wide_tables_are_split_at_group_boundaries_into_even_parts():
    from reports.figures.tables import Column, Table
    from reports.pdf import column_parts

    skdn_like = Table("x", "X", "Posyandu", [Column(f"{g}{s}", s, g) for g in "SKDBONT'2G"
                                              for s in "LPJ"])
    parts = column_parts(skdn_like, 28)
    assert [len(p) for p in parts] == [15, 15]  # 30 columns: two halves, 5 groups each
    assert sum(parts, []) == list(range(30))
    narrow = Table("y", "Y", "Bulan", [Column(str(i), str(i)) for i in range(6)])
    assert column_parts(narrow, 28) == [list(range(6))]
    one_huge_group = Table("z", "Z", "P", [Column(str(i), str(i), "G") for i in range(40)])
    assert [len(p) for p in column_parts(one_huge_group, 28)] == [28, 12]
    # 21 vaccines by L/P: two parts of 22 and 20, not 20 + 20 + 2.
    vaccines = Table("v", "V", "P", [Column(f"{v}{s}", s, f"V{v}") for v in range(21)
                                     for s in "LP"])
    assert [len(p) for p in column_parts(vaccines, 28)] == [22, 20]
