"""A visitor misspells a search, takes the suggestion, reads a declaration's map of stances and
goes on to a country that signed it."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

STATEMENT = (
    "Statement on Inclusive and Sustainable Artificial Intelligence for People and the Planet"
)


def test_visitor_finds_the_statement_despite_a_typo_reads_its_map_and_visits_a_signatory(
    demo, page
):
    page.goto("/")
    search = page.get_by_role("combobox", name="Search")
    search.fill("sustainible statment")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=sustainible\+statment"))
    # The misspelt word is corrected ("statment"); PostgreSQL's stemming may keep the other.
    expect(page.locator(".notice[role=status]")).to_contain_text(
        re.compile(r"Showing results for “sustain[ai]ble statement”")
    )
    page.get_by_role("link", name=STATEMENT).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(STATEMENT)

    map_ = page.get_by_role("img", name=f"Map of the countries' stances on {STATEMENT}")
    expect(map_).to_be_visible()
    assert map_.bounding_box()["width"] > 600  # the map spans the column at 1280 px
    expect(map_.locator("path.map-signed title", has_text="France: Signed")).to_have_count(1)
    expect(
        map_.locator("title", has_text=re.compile(r"^United States.*: Declined to sign$"))
    ).to_have_count(1)
    expect(page.locator(".signatory-map figcaption")).to_contain_text(
        "Organisations are not on the map"
    )

    page.get_by_role("link", name="Every signatory is in the table below").click()
    expect(page).to_have_url(re.compile(r"#signatories-table$"))
    table = page.locator("#signatories-table")
    expect(table).to_contain_text("European Union")  # an organisation: in the table, not drawn
    table.get_by_role("link", name="France", exact=True).click()
    expect(page).to_have_url(re.compile(r"/countries/fr/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("France")
    expect(page.get_by_role("region", name="Declarations")).to_contain_text(STATEMENT)
