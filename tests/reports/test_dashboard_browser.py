"""The dashboard on a 360 px phone in real Chromium: it fits the screen, the
charts scale down, and the area picker works without JavaScript."""

import pytest

from posyandu.reference import sync_shipped_tables
from tests.browser.fixtures import login
from tests.reports.dashboard_data import MONTH, build_area_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]




def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_puskesmas_dashboard_on_a_phone(world, phone, shots):
    sync_shipped_tables()
    build_area_data(world)
    page = phone
    login(page, "staff_a")
    page.goto(f"{page.base}/laporan/dasbor/?month={MONTH}")
    assert page.locator("h2.dash-title", has_text="Puskesmas Kencong").is_visible()
    assert page.locator(".kpi-value").first.inner_text() == "85,7 %"
    assert _fits(page)
    for svg in page.locator(".dash-chart svg").all():
        box = svg.bounding_box()
        assert 250 < box["width"] <= 340
    assert page.locator(".rank-name").all_inner_texts() == ["1. Mawar", "2. Melati"]
    page.screenshot(path=f"{shots}/dashboard-puskesmas.png", full_page=True)

    # pick one posyandu with the form (no JS): the page reloads for it
    page.select_option("#id_area", label="Posyandu Melati")
    page.click("button:has-text('Tampilkan')")
    assert page.locator("h2.dash-title", has_text="Posyandu Melati").is_visible()
    assert page.locator(".kpi-value").first.inner_text() == "83,3 %"
    assert page.locator(".rank-name").count() == 0
    assert _fits(page)
    page.locator("summary", has_text="Angka per bulan").click()
    assert page.locator("td", has_text="Juli 2026").is_visible()
    assert _fits(page)
    page.screenshot(path=f"{shots}/dashboard-posyandu.png", full_page=True)

    page.click("text=Daftar anak yang perlu ditindaklanjuti")
    assert page.locator("h1", has_text="Tindak lanjut balita").is_visible()
    assert _fits(page)
    page.screenshot(path=f"{shots}/dashboard-followup.png", full_page=True)
