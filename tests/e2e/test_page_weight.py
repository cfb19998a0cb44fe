"""The page-weight budget, measured in Chromium: what a first visit downloads for each page type.

Every response the browser receives while loading the page (HTML, CSS, JavaScript, fonts, the
site's own images and icons) is counted at its full, uncompressed size, so the figure is an
upper bound of what travels over the wire (WhiteNoise and the web server compress text).
Content images uploaded by editors (``/media/``) are left out: they are the page's content,
sized by responsive ``srcset`` renditions. The budget is stated in the README.
"""

import pytest

from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

BUDGET = 128 * 1024  # bytes per page type, before content images
HOME_BUDGET = 100 * 1024  # the page most visitors see first
PAGES = {
    "home": "/",
    "event": "/events/paris-ai-action-summit-2025/",
    "session": "/events/paris-ai-action-summit-2025/sessions/"
    "future-of-ai-governance-in-search-of-a-balance/",
    "person": "/speakers/stefaan-verhulst/",
    "organisation": "/organisations/european-commission/",
    "initiative list": "/initiatives/",
    "initiative": "/initiatives/paris-statement-inclusive-sustainable-ai/",
    "journal": "/journal/",
    "article": "/journal/articles/ai-for-peace-mitigating-risks-enhancing-opportunities/",
    "news": "/news/paris-ai-action-summit-2025-what-was-agreed/",
    "search": "/search/?q=AI",
}


def downloaded(browser, base_url: str, path: str, viewport: dict) -> dict[str, int]:
    """Bytes of each resource a fresh browser (empty cache) fetches to show ``path``."""
    context = browser.new_context(base_url=base_url, viewport=viewport)
    page = context.new_page()
    sizes: dict[str, int] = {}
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(path, wait_until="networkidle")
    for response in responses:
        if "/media/" in response.url or response.status in (301, 302, 304):
            continue
        sizes[response.url] = len(response.body())
    context.close()
    return sizes


def test_each_page_type_downloads_less_than_the_budget_before_content_images(demo, browser):
    over = {}
    kinds = set()
    for name, path in PAGES.items():
        for viewport in (DESKTOP, PHONE):
            sizes = downloaded(browser, demo, path, viewport)
            total = sum(sizes.values())
            # The document itself is counted, and more than the document.
            assert sizes.get(demo + path, 0) > 2_000 and total > sizes[demo + path], name
            kinds |= {url.rsplit(".", 1)[-1] for url in sizes if "/static/" in url}
            if total > (HOME_BUDGET if path == "/" else BUDGET):
                biggest = sorted(sizes.items(), key=lambda item: -item[1])[:5]
                over[f"{name} at {viewport['width']} px"] = (total, biggest)
    assert over == {}, over
    # The measure counts what the design loads: its stylesheet and its fonts.
    assert {"css", "woff2"} <= kinds, kinds
