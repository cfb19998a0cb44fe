"""A visitor's journeys through the demo site, clicking as a person would."""

import re
from pathlib import Path

import bibtexparser
import icalendar
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SUMMIT = "/events/paris-ai-action-summit-2025/"
SIDE_SESSION = SUMMIT + "sessions/future-of-ai-governance-in-search-of-a-balance/"
ARTICLE = "/journal/articles/ai-for-peace-mitigating-risks-enhancing-opportunities/"
ARTICLE_TITLE = "AI for Peace: Mitigating the Risks and Enhancing Opportunities"


def at(path: str) -> re.Pattern:
    """The page's URL is exactly this path (with no query string)."""
    return re.compile(re.escape(path) + "$")


def download(page, link) -> str:
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_text(encoding="utf-8")


def test_visitor_goes_from_home_to_summit_side_session_speaker_and_article(demo, page):
    page.goto("/")
    page.get_by_role("region", name="Recent events").get_by_role(
        "link", name="Paris AI Action Summit 2025"
    ).click()
    expect(page).to_have_url(at(SUMMIT))
    expect(page.get_by_role("heading", level=1)).to_have_text("Paris AI Action Summit 2025")
    expect(page.locator(".facts")).to_contain_text("(Europe/Paris, CET)")

    ics = download(page, page.get_by_role("link", name="Add the programme to your calendar"))
    calendar = icalendar.Calendar.from_ical(ics)
    events = calendar.walk("VEVENT")
    (summit,) = [e for e in events if e["SUMMARY"] == "Paris AI Action Summit 2025"]
    start = summit.decoded("DTSTART")
    assert (start.isoformat(), str(start.tzinfo)) == ("2025-02-10T09:00:00+01:00", "Europe/Paris")
    assert summit.decoded("DTEND").isoformat() == "2025-02-11T18:00:00+01:00"
    assert str(summit["URL"]).endswith(SUMMIT)
    assert "Paris" in str(summit["LOCATION"])

    page.get_by_role("region", name="Side sessions").get_by_role(
        "link", name="The Future of AI Governance: In Search of a Balance", exact=True
    ).click()
    expect(page).to_have_url(at(SIDE_SESSION))
    expect(page.locator(".kicker")).to_contain_text("side session at Paris AI Action Summit 2025")

    page.get_by_role("region", name="Speakers").get_by_role("link", name="Stefaan Verhulst").click()
    expect(page).to_have_url(at("/speakers/stefaan-verhulst/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stefaan Verhulst")
    expect(page.get_by_role("region", name="Sessions")).to_contain_text("Panellist")

    page.get_by_role("region", name="In the news").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/news/[\w-]+/$"))
    page.get_by_role("region", name="Mentioned in this story").get_by_role(
        "link", name=ARTICLE_TITLE
    ).click()
    expect(page).to_have_url(at(ARTICLE))
    expect(page.get_by_role("heading", level=1)).to_have_text(ARTICLE_TITLE)

    cite = page.get_by_role("region", name="How to cite")
    expect(cite.locator(".citation")).to_contain_text(ARTICLE_TITLE)
    bib = download(page, cite.get_by_role("link", name="BibTeX"))
    library = bibtexparser.parse_string(bib)
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "article"
    assert entry["title"].strip("{}") == ARTICLE_TITLE
    assert entry["journal"] == r"Data \& Policy"
    assert entry["issn"] == "2632-3249"
    assert entry["url"].endswith(ARTICLE)


def test_visitor_searches_for_an_initiative_then_filters_the_list(demo, page):
    page.goto("/")
    search = page.get_by_role("search")
    search.get_by_role("combobox", name="Search").fill("ROOST")
    search.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=ROOST$"))
    results = page.get_by_role("region", name=re.compile(r"^Initiatives \(\d+\)$"))
    results.get_by_role("link", name="Robust Open Online Safety Tools").click()
    expect(page).to_have_url(at("/initiatives/roost/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Robust Open Online Safety Tools")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Initiatives").click()
    expect(page).to_have_url(at("/initiatives/"))
    chart = page.get_by_role("region", name="Funding compared")
    # Every amount in the demo has a reference rate, Current AI's dollars included.
    expect(chart.locator(".bar-row")).to_have_count(4)
    expect(chart.locator(".bar-row").first).to_contain_text("InvestAI")
    expect(chart.locator(".bar-row").first).to_contain_text("EUR 200 billion")
    expect(chart).to_contain_text("USD 400 million")
    widest = chart.locator(".bar").first.evaluate("bar => bar.getBoundingClientRect().width")
    assert widest > 100, "the largest amount draws a visible bar"

    filters = page.get_by_role("form", name="Filter initiatives")
    filters.get_by_label("Kind").select_option(label="Declaration or statement")
    filters.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/initiatives/\?.*\bkind=declaration\b"))
    expect(page.get_by_label("Kind")).to_have_value("declaration")
    cards = page.get_by_role("region", name=re.compile(r"^\d+ initiatives?$")).locator(".card")
    expect(cards.first).to_be_visible()
    titles = cards.get_by_role("heading").all_inner_texts()
    assert "The Bletchley Declaration" in titles
    assert "InvestAI" not in titles
    for meta in cards.locator(".meta").all_inner_texts():
        assert meta.startswith("Declaration or statement")
    expect(page.get_by_role("heading", level=2, name=f"{len(titles)} initiatives")).to_be_visible()
    # Declarations carry no amounts, so there is nothing to compare.
    expect(page.get_by_role("region", name="Funding compared")).to_have_count(0)

    page.get_by_label("Kind").select_option(label="Investment programme")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"\bkind=investment\b"))
    bars = page.get_by_role("region", name="Funding compared").locator(".bar-label")
    expect(bars).to_have_text(["InvestAI", "Private investment in France's AI sector"])
