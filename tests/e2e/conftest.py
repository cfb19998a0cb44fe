"""Real-browser journeys: Playwright drives Debian's Chromium against the live test server."""

import os
import shutil
from contextlib import suppress
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing (see .ci/browser).")
        pytest.skip(f"no Chromium at {CHROMIUM}; install Debian's chromium to run these")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; the ORM calls made by the test itself are
    # ordinary synchronous calls in this thread.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db, live_server) -> str:
    """The demo content in the live server's database; returns the server's address.

    live_server needs a transactional database (the server thread must see committed
    rows), which is emptied after each test, so every journey loads the demo afresh.
    """
    call_command("demo", "--no-serve", verbosity=0, stdout=StringIO())
    return live_server.url


def _new_page(browser, base_url: str, viewport: dict, **options):
    context = browser.new_context(
        base_url=base_url, accept_downloads=True, viewport=viewport, **options
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _close(context, page) -> None:
    """Close the browser once the page's own requests have been answered: a request the live
    server is still handling (an editor page's heartbeat, a preview) holds SQLite's shared
    in-memory tables, and the flush that empties the database after the test would fail."""
    with suppress(PlaywrightError):
        page.wait_for_load_state("networkidle", timeout=5_000)
        page.goto("about:blank")  # stops the page's timers before anything else is sent
    context.close()


@pytest.fixture
def page(browser, live_server):
    context, page = _new_page(browser, live_server.url, DESKTOP)
    yield page
    _close(context, page)


@pytest.fixture
def phone_page(browser, live_server):
    """A small phone: 375 CSS pixels wide, touch, mobile viewport meta honoured."""
    context, page = _new_page(browser, live_server.url, PHONE, is_mobile=True, has_touch=True)
    yield page
    _close(context, page)


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    """Where screenshots go: $E2E_SCREENSHOTS to keep them for a look, else a temporary folder."""
    kept = os.environ.get("E2E_SCREENSHOTS")
    folder = Path(kept) if kept else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
