"""Search narrowed by topic and by country: counts over the published matches, links that
narrow, combined with the type and the year, in a number of queries that does not grow.

Each runs on SQLite and on PostgreSQL (full-text search).
"""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest

from core.publishing import Status
from tests.factories import (
    make_event,
    make_initiative,
    make_news_post,
    make_organisation,
    make_person,
    make_session,
    make_topic,
)

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def search(client, query: str, **params) -> str:
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def facet(html: str, name: str) -> dict[str, int]:
    """{label: count} of one facet's list ("topic", "country", "year", "type")."""
    match = re.search(rf'<nav class="facets" aria-label="Results by {name}">(.*?)</nav>', html)
    if match is None:
        return {}
    return {
        unescape(label): int(count)
        for label, count in re.findall(r">([^<>]+) \((\d+)\)</(?:a|strong)>", match.group(1))
    }


def links(html: str, name: str) -> dict[str, str]:
    """{label: address} of one facet's links."""
    match = re.search(rf'<nav class="facets" aria-label="Results by {name}">(.*?)</nav>', html)
    return {
        unescape(label): unescape(href)
        for href, label in re.findall(r'<a href="([^"]+)">([^<>]+) \(\d+\)</a>', match.group(1))
    }


def titles(html: str) -> set[str]:
    text = html.replace("<mark>", "").replace("</mark>", "")
    return set(re.findall(r'<li class="result"><a href="[^"]+">([^<]+)</a>', text))


@pytest.fixture
def world():
    safety = make_topic(name="Safety", slug="safety")
    ethics = make_topic(name="Ethics", slug="ethics")
    summit = make_event(
        title="Safety summit", country="FR", start=datetime(2024, 6, 3, 9, tzinfo=PARIS)
    )
    summit.topics.add(safety)
    forum = make_event(
        title="Safety forum", country="DE", start=datetime(2025, 2, 10, 9, tzinfo=PARIS)
    )
    forum.topics.add(safety, ethics)
    fund = make_initiative(title="Safety fund", jurisdictions=["FR", "EU"])
    fund.topics.add(ethics)
    make_person(name="Ada Safety", affiliation=make_organisation(name="Lab", country="GB"))
    make_news_post(title="Safety news").topics.add(safety)
    return {"safety": safety, "ethics": ethics}


def test_search_offers_the_topics_and_countries_of_its_matches_with_counts(client, world):
    html = search(client, "safety")
    assert facet(html, "topic") == {"Safety": 3, "Ethics": 2}
    # An event's country, an initiative's jurisdictions, a person's affiliation's country.
    assert facet(html, "country") == {
        "France": 2,
        "European Union": 1,
        "Germany": 1,
        "United Kingdom": 1,
    }
    assert list(facet(html, "topic")) == ["Safety", "Ethics"]  # the most frequent first


def test_choosing_a_topic_narrows_every_type_and_can_be_removed(client, world):
    address = links(search(client, "safety"), "topic")["Ethics"]
    assert "topic=ethics" in address
    html = client.get(address).content.decode()
    assert titles(html) == {"Safety forum", "Safety fund"}
    assert facet(html, "type") == {"Events": 1, "Initiatives": 1}
    assert '<strong aria-current="true">Ethics (2)</strong>' in html
    # The countries are those of the narrowed matches.
    assert facet(html, "country") == {"France": 1, "European Union": 1, "Germany": 1}
    assert "Narrowed to" in html and "Topic: <strong>Ethics</strong>" in html
    remove = re.search(r'<a href="([^"]+)" aria-label="Remove topic Ethics">', html).group(1)
    assert "topic=" not in unescape(remove)
    assert "Safety news" in titles(client.get(unescape(remove)).content.decode())


def test_a_topic_and_a_country_combine_with_the_type_and_the_year(client, world):
    html = search(client, "safety", type="events", topic="safety")
    assert titles(html) == {"Safety summit", "Safety forum"}
    assert facet(html, "country") == {"France": 1, "Germany": 1}
    assert facet(html, "year") == {"2025": 1, "2024": 1}
    france = links(html, "country")["France"]
    assert "type=events" in france and "topic=safety" in france
    html = client.get(france).content.decode()
    assert titles(html) == {"Safety summit"}
    assert facet(html, "year") == {"2024": 1}
    # The year keeps both choices, and the topic's count is over what the country leaves.
    assert facet(html, "topic") == {"Safety": 1}
    html = client.get(links(html, "year")["2024"]).content.decode()
    assert titles(html) == {"Safety summit"}
    assert "on Safety in France in 2024" in html
    assert (
        search(client, "safety", type="events", country="fr", year="2025").count(
            '<li class="result">'
        )
        == 0
    )


def test_choosing_a_facet_a_type_lacks_leaves_that_type_out(client, world):
    html = search(client, "safety", country="fr")
    assert titles(html) == {"Safety summit", "Safety fund"}
    assert "Safety news" not in html  # news has no country
    news = search(client, "safety", type="news", country="fr")
    assert titles(news) == set() and "News: 0 results" in news
    assert "Nothing matches “safety” once narrowed this way" in search(
        client, "safety", topic="ethics", country="gb"
    )


def test_drafts_change_no_count(client, world):
    before = search(client, "safety")
    draft_topic = make_topic(name="Hidden Topic", slug="hidden", status=Status.DRAFT)
    draft_event = make_event(title="Safety secret", country="JP", status=Status.DRAFT)
    draft_event.topics.add(world["safety"], draft_topic)
    published = make_event(title="Safety talk", country="FR")
    published.topics.add(draft_topic)
    make_person(
        name="Bo Safety",
        affiliation=make_organisation(name="Quiet Lab", country="JP", status=Status.DRAFT),
    )
    make_session(title="Safety session", event=make_event(country="JP", status=Status.DRAFT))
    after = search(client, "safety")
    assert "Hidden Topic" not in after and "Japan" not in after
    assert facet(after, "topic") == facet(before, "topic")
    # The one new published match counts for its own country, and for nothing of a draft.
    assert facet(after, "country") == {**facet(before, "country"), "France": 3}
    assert search(client, "safety", topic="hidden").count("no topic “hidden”") == 1


def test_an_unknown_topic_or_country_is_said_and_ignored(client, world):
    html = search(client, "safety", topic="no-such-topic", country="zz")
    assert "There is no topic “no-such-topic”" in html
    assert "is not a country code" in html
    assert "Safety news" in titles(html)
    assert search(client, "safety", topic="x" * 500, country="<script>")


def test_facets_work_without_javascript_as_plain_links(client, world):
    html = search(client, "safety", topic="safety")
    # The search box keeps the choices for a new query.
    assert '<input type="hidden" name="topic" value="safety">' in html
    assert "Any topic</a>" in html


@pytest.mark.parametrize("count", [1, 4])
def test_facet_counts_take_queries_that_do_not_grow(client, django_assert_num_queries, count):
    topic = make_topic(name="Safety", slug="safety")
    for n in range(count):
        event = make_event(title=f"Safety event {n}", country="FR")
        event.topics.add(topic, make_topic())
        make_initiative(title=f"Safety fund {n}", jurisdictions=["DE", "EU"]).topics.add(topic)
        make_person(name=f"Safety Person {n}", affiliation=make_organisation(country="GB"))
    search(client, "safety")  # the menus are built once, then kept until content changes
    # Counts, the first rows of each of the four types (the topic matches too), and one
    # query for every facet.
    with django_assert_num_queries(6):
        search(client, "safety")
    # Also the topic the reader chose; topics and people have no match on a topic.
    with django_assert_num_queries(5):
        search(client, "safety", topic="safety")
    # One type: the topic, its count, its years, its facets, and a page (counted, then read).
    with django_assert_num_queries(6):
        search(client, "safety", type="events", topic="safety", country="fr", year="2025")
