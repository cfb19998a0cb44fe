"""The signatory map on a declaration's page, and the tracker's timeline."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from core.publishing import Status
from initiatives.maps import world
from tests.factories import make_event, make_initiative, make_organisation, make_signatory

pytestmark = pytest.mark.django_db


def signatory_map(html: str) -> str:
    match = re.search(r'<figure class="signatory-map">.*?</figure>', html, re.S)
    assert match, "the page has no signatory map"
    return match.group(0)


def drawn(svg: str) -> dict[str, str]:
    """Each drawn country's title mapped to its class (its stance's fill)."""
    return {
        title: cls
        for cls, title in re.findall(
            r'<(?:path|circle) class="([^"]+)"[^>]*><title>([^<]+)</title>', svg
        )
    }


def test_map_fills_a_signed_and_a_declining_country_by_stance_and_names_them(client):
    declaration = make_initiative(kind="declaration")
    make_signatory(declaration, country="FR")
    make_signatory(declaration, country="GB", stance="declined")
    make_signatory(declaration, country="SG")
    make_signatory(declaration, country="BR", stance="supports")
    html = client.get(declaration.get_absolute_url()).content.decode()
    figure = signatory_map(html)
    countries = drawn(figure)
    assert countries["France: Signed"] == "map-country map-signed"
    assert countries["United Kingdom: Declined to sign"] == "map-country map-declined"
    # Singapore is too small to see as a shape; a marker carries its stance.
    assert countries["Singapore: Signed"] == "map-marker map-signed"
    assert countries["Brazil: Supports"] == "map-country map-supports"
    # The legend counts each stance, and the map points to the table as its text equivalent.
    assert "Signed: 2 countries" in figure and "Declined to sign: 1 country" in figure
    assert "Supports: 1 country" in figure
    assert 'href="#signatories-table"' in figure and 'id="signatories-table"' in html
    assert 'aria-describedby="signatory-map-desc"' in figure
    # France is drawn once, over the plain land.
    assert figure.count(world()["countries"]["FR"]) == 1 and 'class="map-land"' in figure


def test_the_eu_is_listed_not_drawn_and_a_country_with_no_outline_stays_in_the_table(client):
    assert "TV" not in world()["countries"] and "TV" not in world()["points"]
    declaration = make_initiative(kind="declaration")
    make_signatory(declaration, country="EU")
    make_signatory(declaration, country="TV")
    make_signatory(declaration, country="DE")
    html = client.get(declaration.get_absolute_url()).content.decode()
    figure = signatory_map(html)
    assert "Not on the map: European Union (signed), Tuvalu (signed)." in figure
    assert set(drawn(figure)) == {"Germany: Signed"}
    assert "Signed: 1 country" in figure
    table = html.split('id="signatories-table"')[1]
    assert "European Union" in table and "Tuvalu" in table


def test_organisations_are_not_on_the_map_and_a_draft_one_appears_nowhere(client):
    declaration = make_initiative(kind="declaration")
    make_signatory(declaration, country="CA")
    make_signatory(declaration, organisation=make_organisation(name="Open Body"))
    make_signatory(declaration, organisation=make_organisation(name="Hidden Body", status="draft"))
    html = client.get(declaration.get_absolute_url()).content.decode()
    figure = signatory_map(html)
    assert set(drawn(figure)) == {"Canada: Signed"}
    assert "Organisations are not on the map" in figure
    assert "Open Body" in html and "Hidden Body" not in html


def test_a_draft_declaration_has_no_public_map_and_a_page_without_countries_has_none(client):
    draft = make_initiative(kind="declaration", status=Status.DRAFT)
    make_signatory(draft, country="FR")
    assert client.get(draft.get_absolute_url()).status_code == 404
    only_organisations = make_initiative(kind="declaration")
    make_signatory(only_organisations, organisation=make_organisation())
    html = client.get(only_organisations.get_absolute_url()).content.decode()
    assert "signatory-map" not in html


@pytest.mark.parametrize("count", [1, 12])
def test_map_adds_no_query_however_many_countries_signed(client, django_assert_num_queries, count):
    declaration = make_initiative(kind="declaration")
    for code in ["FR", "DE", "IT", "ES", "PT", "NL", "BE", "PL", "SE", "FI", "DK", "IE"][:count]:
        make_signatory(declaration, country=code)
    with django_assert_num_queries(14):
        html = client.get(declaration.get_absolute_url()).content.decode()
    assert len(drawn(signatory_map(html))) == count


def test_the_map_stays_light(client):
    declaration = make_initiative(kind="declaration")
    for code in ["FR", "DE", "US", "CN", "IN", "BR", "RU", "CA", "AU", "GB"]:
        make_signatory(declaration, country=code)
    figure = signatory_map(client.get(declaration.get_absolute_url()).content.decode())
    assert len(figure.encode()) < 60_000


# --- the tracker's timeline -----------------------------------------------------------------


def timeline(html: str) -> str:
    match = re.search(r'<section aria-labelledby="timeline-heading".*?</section>', html, re.S)
    assert match, "the tracker has no timeline"
    return match.group(0)


def test_timeline_shows_published_items_in_date_order_with_builds_on_links(client):
    summit = make_event(
        title="Seoul Summit",
        start=datetime(2024, 5, 21, 9, tzinfo=UTC),
        end=datetime(2024, 5, 22, 17, tzinfo=UTC),
    )
    make_event(title="Draft Forum", start=datetime(2024, 1, 5, 9, tzinfo=UTC), status="draft")
    first = make_initiative(title="First Declaration", announced_on=date(2023, 11, 1))
    second = make_initiative(title="Summit Commitments", announced_at=summit)
    third = make_initiative(title="Third Statement", announced_on=date(2025, 2, 11))
    third.builds_on.add(first, second)
    make_initiative(title="Secret Plan", announced_on=date(2024, 3, 1), status="draft")
    make_initiative(title="Undated Idea")
    make_initiative(
        title="At a Hidden Event",
        announced_at=make_event(title="Hidden Event", status="draft"),
    )
    section = timeline(client.get("/initiatives/").content.decode())
    svg, listed = section.split("</svg>")
    titles = ["First Declaration", "Seoul Summit", "Summit Commitments", "Third Statement"]
    for part in (svg, listed):
        order = [part.index(title) for title in titles]
        assert order == sorted(order)
        for hidden in ("Draft Forum", "Secret Plan", "Undated Idea", "Hidden Event"):
            assert hidden not in part
    # An undated initiative announced at an event takes the event's day.
    assert '<time datetime="2024-05-21">21 May 2024</time> <a href="/initiatives/' in listed
    assert f'<a href="{second.get_absolute_url()}" class="tl-item tl-initiative">' in svg
    assert f'<a href="{summit.get_absolute_url()}" class="tl-item tl-event">' in svg
    # Two "builds on" arrows, and the list names what the third builds on, with links.
    assert svg.count('class="tl-arc"') == 2
    assert f'Builds on <a href="{first.get_absolute_url()}">First Declaration</a>' in listed
    assert '<title id="tl-title">' in svg and '<desc id="tl-desc">' in svg


def test_no_timeline_when_nothing_is_dated(client):
    make_initiative(title="Undated Idea")
    make_event(title="A Conference")
    html = client.get("/initiatives/").content.decode()
    assert 'aria-labelledby="timeline-heading"' not in html


def test_timeline_follows_the_tracker_filters(client):
    make_initiative(title="A Fund", kind="fund", announced_on=date(2024, 1, 1))
    make_initiative(title="A Report", kind="report", announced_on=date(2024, 2, 1))
    section = timeline(client.get("/initiatives/?kind=fund").content.decode())
    assert "A Fund" in section and "A Report" not in section
