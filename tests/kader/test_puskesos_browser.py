"""On a phone (360 px): a kader screens the family of a stunted child and
refers it; the Puskesos officer handles the referral; the kader sees the
outcome."""

import pytest

from tests.browser.fixtures import login
from tests.kader.social_support import stunted_child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]




def logout(page):
    page.click("header.top button:has-text('Keluar')")


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_kader_refers_and_puskesos_handles(world, phone, shots):
    page = phone
    child = stunted_child(world.a1)

    login(page, "kader_a1")
    page.goto(page.base + child.get_absolute_url())
    assert page.locator("#sosial .tag", has_text="Pendek / stunting").is_visible()
    page.click("#sosial a:has-text('Skrining sosial')")
    assert page.locator("h1", has_text="Skrining sosial").is_visible()
    # the reasons come ticked from the weighing
    assert page.is_checked("input[name=reasons][value=stunting]")
    assert page.is_checked("input[name=reasons][value=bgm]")
    page.click("button:has-text('Simpan skrining')")  # nothing answered yet
    assert page.locator(".errorlist", has_text="Pilih salah satu jawaban.").count() == 4
    page.check("input[name=dtsen][value=tidak]")
    page.check("input[name=pkh][value=tidak]")
    page.check("input[name=bpnt][value=ya]")
    page.check("input[name=jkn][value=tidak]")
    no_sideways_scroll(page)
    page.screenshot(path=f"{shots}/social-1-screen.png", full_page=True)
    page.click("button:has-text('Simpan skrining')")
    assert page.locator(".tag", has_text="Belum terlindungi").is_visible()
    assert page.locator("text=Belum terdaftar di DT-SEN").is_visible()
    assert page.locator("text=Tidak punya JKN").is_visible()
    page.screenshot(path=f"{shots}/social-2-result.png", full_page=True)
    page.fill("textarea[name=notes]", "Ayah buruh harian, belum punya KIS")
    page.click("button:has-text('Ajukan ke Puskesos')")
    assert page.locator(".tag", has_text="Diajukan").first.is_visible()
    logout(page)

    login(page, "puskesos_a", landing="/kader/sosial/rujukan/")
    assert page.locator(".tabs a[aria-current]", has_text="Diajukan (1)").is_visible()
    no_sideways_scroll(page)
    page.screenshot(path=f"{shots}/social-3-puskesos-list.png", full_page=True)
    page.click(f".item:has-text('{child.name}')")
    assert page.locator("text=Catatan pengajuan: Ayah buruh harian").is_visible()
    page.click("button:has-text('Mulai proses')")
    assert page.locator(".messages", has_text="Diproses").is_visible()
    page.click("summary:has-text('Setujui bantuan')")
    page.check("input[name=aid][value=pbi_jkn]")
    page.fill("#note-setuju", "Diusulkan PBI lewat SIKS-NG")
    no_sideways_scroll(page)
    page.screenshot(path=f"{shots}/social-4-puskesos-detail.png", full_page=True)
    page.click("button:has-text('Simpan: disetujui')")
    assert page.locator("text=Bantuan disetujui").is_visible()
    assert page.locator(".history li").count() == 3
    # health pages stay closed to the officer
    response = page.goto(page.base + child.get_absolute_url())
    assert response.status == 404
    page.goto(page.base + "/")
    logout(page)

    login(page, "kader_a1")
    page.click("a:has-text('Rujukan saya')")
    item = page.locator(".item", has_text=child.name)
    assert item.locator(".tag", has_text="Disetujui").is_visible()
    assert item.locator("text=PBI-JKN").is_visible()
    page.screenshot(path=f"{shots}/social-5-kader-outcome.png", full_page=True)
