"""The site on a 375px phone and on a desktop: no sideways scrolling, a usable navigation."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PAGES = {
    "home": "/",
    "event": "/events/paris-ai-action-summit-2025/",
    "initiatives": "/initiatives/",
}
MORE_PAGES = (
    "/events/paris-ai-action-summit-2025/sessions/future-of-ai-governance-in-search-of-a-balance/",
    "/speakers/stefaan-verhulst/",
    "/initiatives/paris-statement-inclusive-sustainable-ai/",
    "/journal/articles/ai-for-peace-mitigating-risks-enhancing-opportunities/",
    "/news/paris-ai-action-summit-2025-what-was-agreed/",
    "/search/?q=AI",
    "/events/data-for-policy-2024/",
    "/organisations/european-commission/",
    "/journal/",
    "/news/",
)
NAV_LINKS = ["Events", "Speakers", "Organisations", "Initiatives", "Journal", "News"]
# WCAG 2.2 success criterion 2.5.8: pointer targets at least 24 by 24 CSS pixels.
MIN_TARGET = 24


def horizontal_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_phone_pages_do_not_scroll_sideways(demo, phone_page, screenshot_dir):
    assert phone_page.viewport_size["width"] == 375
    for name, path in PAGES.items():
        phone_page.goto(path)
        assert horizontal_overflow(phone_page) <= 0, f"{path} scrolls sideways on a phone"
        phone_page.screenshot(path=screenshot_dir / f"phone-{name}.png", full_page=True)
    for path in MORE_PAGES:
        phone_page.goto(path)
        assert horizontal_overflow(phone_page) <= 0, f"{path} scrolls sideways on a phone"


def test_phone_navigation_and_search_are_usable(demo, phone_page):
    phone_page.goto("/events/paris-ai-action-summit-2025/")
    nav = phone_page.get_by_role("navigation", name="Main")
    for label in NAV_LINKS:
        link = nav.get_by_role("link", name=label, exact=True)
        expect(link).to_be_in_viewport(ratio=1)
        box = link.bounding_box()
        assert box["height"] >= MIN_TARGET and box["width"] >= MIN_TARGET, (label, box)

    nav.get_by_role("link", name="Initiatives").tap()
    expect(phone_page).to_have_url(re.compile(r"/initiatives/$"))
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Initiatives")

    search = phone_page.get_by_role("search")
    field = search.get_by_role("combobox", name="Search")
    button = search.get_by_role("button", name="Search")
    expect(field).to_be_in_viewport(ratio=1)
    expect(button).to_be_in_viewport(ratio=1)
    field.fill("InvestAI")
    button.tap()
    expect(phone_page).to_have_url(re.compile(r"/search/\?q=InvestAI$"))
    expect(phone_page.get_by_role("link", name="InvestAI", exact=True).first).to_be_visible()


def test_desktop_header_fits_on_one_line(demo, page, screenshot_dir):
    for name, path in PAGES.items():
        page.goto(path)
        assert horizontal_overflow(page) <= 0
        page.screenshot(path=screenshot_dir / f"desktop-{name}.png", full_page=True)
    tops = page.evaluate(
        """['.site-name', 'nav[aria-label="Main"]', '.site-search']
             .map(s => document.querySelector(s).getBoundingClientRect())
             .map(r => r.top + r.height / 2)"""
    )
    assert max(tops) - min(tops) < 12, f"the header wraps at 1280px: {tops}"
