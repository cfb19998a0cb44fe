"""The tracker's controls stay the same size as the archive grows: filter boxes suggest a
few choices and match typed names on the server; the chart draws the largest amounts."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from core.choosers import SUGGESTIONS
from core.publishing import Status
from tests.factories import (
    make_article,
    make_event,
    make_initiative,
    make_organisation,
    make_signatory,
    make_topic,
)

pytestmark = pytest.mark.django_db


def options_of(html: str, list_id: str) -> list[str]:
    """The values of the options in the ``<datalist>`` (or ``<select>``) with ``list_id``."""
    match = re.search(rf'<datalist id="{list_id}">(.*?)</datalist>', html, re.S)
    assert match, list_id
    return re.findall(r'<option value="([^"]*)"', match.group(1))


def test_initiative_filters_offer_a_bounded_number_of_choices(client):
    busy = make_organisation(name="Busy Agency", slug="busy")
    for n in range(300):
        organisation = make_organisation(name=f"Agency {n:03}")
        initiative = make_initiative(announced_at=make_event(), slug=f"initiative-{n}")
        initiative.lead_organisations.add(organisation, busy)
        initiative.topics.add(make_topic())

    html = client.get("/initiatives/").content.decode()

    # The kind, status and jurisdiction lists, and twenty suggestions per box, of 301 choices.
    assert html.count("<option") < 100
    organisations = options_of(html, "id_organisation-suggestions")
    assert len(organisations) == SUGGESTIONS
    assert organisations[0] == "busy"  # the most used first
    assert len(options_of(html, "id_event-suggestions")) == SUGGESTIONS
    assert len(options_of(html, "id_topic-suggestions")) == SUGGESTIONS
    assert 'data-suggest="/initiatives/filters/organisation/"' in html
    assert "js/suggest" in html


@pytest.mark.parametrize("typed", ["inria", "Inria", "INRIA", "French Institute", "institute comp"])
def test_an_organisation_is_found_by_slug_name_or_acronym_without_javascript(client, typed):
    inria = make_organisation(name="French Institute for Computing", acronym="INRIA", slug="inria")
    other = make_organisation(name="Other Agency")
    make_initiative(title="Led by Inria").lead_organisations.add(inria)
    make_initiative(title="Led by another").lead_organisations.add(other)

    html = client.get("/initiatives/", {"organisation": typed}).content.decode()

    assert "Led by Inria" in html
    assert "Led by another" not in html
    assert "could not be used" not in html


def test_a_name_matching_several_organisations_is_reported_and_ignored(client):
    for name in ("Data Agency North", "Data Agency South"):
        make_initiative().lead_organisations.add(make_organisation(name=name))

    html = client.get("/initiatives/", {"organisation": "Data Agency"}).content.decode()

    assert "could not be used" in html
    assert "No single organisation matches what was typed" in html
    assert 'name="organisation" value=' not in html  # the box is emptied, as the filter was
    assert "2 initiatives" in html


def test_suggestions_endpoint_searches_published_choices_only(client):
    shown = make_organisation(name="Open Data Institute", slug="odi")
    hidden = make_organisation(name="Open Draft Office", status=Status.DRAFT)
    idle = make_organisation(name="Open Idle Society")  # leads nothing: not a useful choice
    for organisation in (shown, hidden):
        make_initiative().lead_organisations.add(organisation)
    make_signatory(make_initiative(), organisation=make_organisation(name="Open Signer"))

    response = client.get("/initiatives/filters/organisation/", {"q": "open"})

    assert response.status_code == 200
    labels = [result["label"] for result in response.json()["results"]]
    assert labels == ["Open Data Institute", "Open Signer"]
    assert idle.name not in labels
    assert client.get("/initiatives/filters/kind/").status_code == 404
    assert client.get("/initiatives/filters/nothing/").status_code == 404


def test_suggestions_are_capped(client):
    for n in range(SUGGESTIONS + 5):
        make_initiative().lead_organisations.add(make_organisation(name=f"Agency {n}"))
    results = client.get("/initiatives/filters/organisation/", {"q": "agency"}).json()["results"]
    assert len(results) == SUGGESTIONS


def test_journal_topic_filter_is_a_box_with_suggestions(client):
    topics = [make_topic(name=f"Subject {n:03}") for n in range(60)]
    for topic in topics:
        make_article().topics.add(topic)
    make_article(title="On safety").topics.add(make_topic(name="AI safety", slug="safety"))

    html = client.get("/journal/").content.decode()
    assert len(options_of(html, "id_topic-suggestions")) == SUGGESTIONS

    html = client.get("/journal/", {"topic": "AI safety"}).content.decode()
    assert "could not be used" not in html
    assert "On safety" in html and html.count('href="/journal/articles/') == 1
    results = client.get("/journal/filters/topic/", {"q": "safe"}).json()["results"]
    assert results == [{"value": "safety", "label": "AI safety"}]


def test_funding_chart_draws_the_largest_amounts_and_pages_the_rest(client):
    for n in range(1, 46):
        make_initiative(
            title=f"Fund {n:02}",
            short_title=f"Fund {n:02}",
            amount=Decimal(n * 1000),
            currency="EUR",
        )

    html = client.get("/initiatives/").content.decode()
    funding = html.split('id="funding-heading"')[1].split('id="results-heading"')[0]
    assert funding.count('class="bar-row"') == 20
    assert "Fund 45" in funding.split("<table")[0] and "Fund 26" in funding.split("<table")[0]
    table = funding.split("<table")[1].split("</table>")[0]
    assert "<td>21</td>" in table and "Fund 25" in table
    assert "Fund 06" in table and "Fund 05" not in table  # on the second page of the table
    assert "funding=2" in funding

    html = client.get("/initiatives/", {"funding": "2"}).content.decode()
    table = html.split("<table")[1].split("</table>")[0]
    assert "Fund 05" in table and "Fund 01" in table and "Fund 25" not in table
    assert "<td>41</td>" in table


def test_most_used_topic_suggestions_follow_published_content_changes(client):
    from core import workflow
    from tests.factories import make_staff

    rare, common = make_topic(name="Rare subject"), make_topic(name="Common subject")
    make_article().topics.add(rare)
    for _ in range(3):
        make_article(status=Status.DRAFT).topics.add(common)  # drafts count for nothing
    html = client.get("/journal/").content.decode()
    assert options_of(html, "id_topic-suggestions")[:2] == [rare.slug, common.slug]

    for _ in range(2):
        make_article().topics.add(common)
    html = client.get("/journal/").content.decode()
    assert options_of(html, "id_topic-suggestions")[:2] == [common.slug, rare.slug]

    # Archiving (through the workflow) is a content change too.
    editor = make_staff(superuser=True)
    for article in common.articles.filter(status=Status.PUBLISHED):
        workflow.archive(item=article, by=editor)
    html = client.get("/journal/").content.decode()
    assert options_of(html, "id_topic-suggestions")[:2] == [rare.slug, common.slug]


def test_a_scheduled_article_counts_for_its_topic_once_it_goes_live(client, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    rare, later = make_topic(name="Rare subject"), make_topic(name="Later subject")
    make_article().topics.add(rare)
    for _ in range(2):
        make_article(publish_at=timezone.now() + timedelta(hours=1)).topics.add(later)
    html = client.get("/journal/").content.decode()
    assert options_of(html, "id_topic-suggestions")[:2] == [rare.slug, later.slug]

    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(hours=2))
    html = client.get("/journal/").content.decode()
    assert options_of(html, "id_topic-suggestions")[:2] == [later.slug, rare.slug]
