"""Keyboard use and WCAG 2.2 AA checks (axe-core, run inside Chromium) on every page type.

axe runs on each page type in the light and the dark colour scheme (``prefers-color-scheme``)
at a desktop width (1280 px) and a phone width (375 px): colour contrast, names, landmarks
and heading order must hold in all four.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

PAGES = {
    "home": "/",
    "event": "/events/paris-ai-action-summit-2025/",
    "session": "/events/paris-ai-action-summit-2025/sessions/"
    "future-of-ai-governance-in-search-of-a-balance/",
    "person": "/speakers/stefaan-verhulst/",
    "initiative list": "/initiatives/",
    "initiative": "/initiatives/paris-statement-inclusive-sustainable-ai/",
    "article": "/journal/articles/ai-for-peace-mitigating-risks-enhancing-opportunities/",
    "news": "/news/paris-ai-action-summit-2025-what-was-agreed/",
    "search": "/search/?q=AI",
    "conference": "/events/data-for-policy-2024/",
    "organisation": "/organisations/european-commission/",
    "event list": "/events/",
    "journal": "/journal/",
    "news list": "/news/",
    "speakers": "/speakers/",
    "organisations": "/organisations/",
    "topic": "/topics/ai-governance/",
    "collection": "/journal/collections/ai-ethics-and-policy-governance-in-africa/",
    "recordings": "/recordings/",
    "search without results": "/search/?q=nothing+matches+this",
    "not found": "/no-such-page/",
}
SCHEMES = ("light", "dark")
WIDTHS = {"1280 px": DESKTOP, "375 px": PHONE}
BLOCKING = {"serious", "critical"}
# Page structure the site promises (landmarks, headings in order), whatever axe's impact rating.
STRUCTURE = {
    "heading-order",
    "page-has-heading-one",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "region",
}

FOCUS_STYLE = """el => {
  const s = getComputedStyle(el);
  return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow};
}"""


def active(page, expression: str):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {expression}; }})()")


def tab_to(page, selector: str, limit: int = 30) -> None:
    """Press Tab until the element matching selector has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if active(page, f"el.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def assert_focus_is_visible(page, selector: str) -> None:
    style = page.locator(selector).first.evaluate(FOCUS_STYLE)
    outlined = style["outline"] != "none" and style["width"] >= 2
    assert outlined or style["shadow"] != "none", f"no visible focus on {selector}: {style}"


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(demo, page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert active(page, "el.className") == "skip-link"
    skip = page.locator(".skip-link")
    expect(skip).to_have_text("Skip to main content")
    expect(skip).to_be_in_viewport()
    assert_focus_is_visible(page, ".skip-link")

    page.keyboard.press("Enter")
    assert active(page, "el.id") == "main"
    assert page.url.endswith("#main")
    # The next Tab continues inside the main content, past the header and its navigation.
    page.keyboard.press("Tab")
    assert active(page, "!!el.closest('main') && el.tagName") == "A"


def test_keyboard_focus_is_visible_on_links_fields_and_buttons(demo, page):
    page.goto("/")
    for selector in (
        ".site-name a",
        "nav a",
        ".site-search input",
        ".site-search button",
        "main a",
    ):
        tab_to(page, selector)
        assert_focus_is_visible(page, f"{selector}:focus")


def axe_problems(axe: Axe, page, label: str) -> list[str]:
    found = []
    for name, path in PAGES.items():
        page.goto(path)
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in BLOCKING or violation["id"] in STRUCTURE:
                targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
                rule = f"{violation['id']} ({violation['impact']})"
                found.append(f"{label} {name} {path}: {rule} {targets}")
    return found


def test_every_page_type_has_no_serious_violations_in_light_and_dark_at_1280_and_375(demo, browser):
    axe = Axe()
    problems = []
    backgrounds = {}
    for scheme in SCHEMES:
        for width, viewport in WIDTHS.items():
            phone = viewport is PHONE
            context = browser.new_context(
                base_url=demo,
                viewport=viewport,
                color_scheme=scheme,
                is_mobile=phone,
                has_touch=phone,
            )
            page = context.new_page()
            page.set_default_timeout(15_000)
            problems += axe_problems(axe, page, f"{scheme} {width}")
            backgrounds[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
            context.close()
    assert not problems, "\n".join(problems)
    # The dark scheme is a scheme of its own, not the light one checked twice.
    assert backgrounds["light"] != backgrounds["dark"], backgrounds
