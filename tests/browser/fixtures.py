"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright, at phone size.

A plugin loaded by tests/conftest.py (pytest_plugins), so browser tests in any
folder share ONE session-wide Playwright: importing these fixtures into a test
module would start a second one inside the first one's event loop.

Playwright's own browser download is never used. If Chromium is missing the
tests fail (make test installs it), they are not skipped."""

import os
import shutil
import tempfile

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM) or os.path.exists(CHROMIUM), (
        f"Chromium not found at {CHROMIUM}: run `make test`, which installs Debian's chromium"
    )
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM use beside Playwright's loop
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    yield page
    context.close()


@pytest.fixture
def shots():
    """Where screenshots go (kept for a look after a run)."""
    path = os.environ.get("SCREENSHOT_DIR") or tempfile.mkdtemp(prefix="posyandu-shots-")
    os.makedirs(path, exist_ok=True)
    return path


def login(page, username, password="rahasia-123", landing="/"):
    """Log in through the real form and wait for the landing page."""
    page.goto(page.base + "/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(page.base + landing)
