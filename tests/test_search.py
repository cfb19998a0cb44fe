"""Site search: every content type, grouped, published items only, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.publishing import Status
from tests.factories import (
    make_article,
    make_event,
    make_initiative,
    make_news_post,
    make_organisation,
    make_person,
    make_session,
    make_topic,
)

pytestmark = pytest.mark.django_db


def search(client, query: str, **params) -> str:
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_search_finds_every_content_type_grouped_by_type(client):
    make_event(title="Governance Summit")
    make_session(title="Governance roundtable")
    make_initiative(title="Governance fund")
    make_article(title="Governance of algorithms")
    make_news_post(title="Governance news")
    make_person(name="Ada Governance")
    make_organisation(name="Governance Lab")
    make_topic(name="Governance")
    html = search(client, "governance")
    for heading in ("Events (1)", "Sessions (1)", "Initiatives (1)", "Journal articles (1)",
                    "News (1)", "People (1)", "Organisations (1)", "Topics (1)"):  # fmt: skip
        assert heading in html


def test_search_matches_words_in_summaries_and_bodies(client):
    make_initiative(title="ROOST", summary="Robust open online safety tools for everyone.")
    make_news_post(title="Closing day", body="<p>Leaders discussed gigafactories.</p>")
    assert "ROOST" in search(client, "safety tools")
    assert "Closing day" in search(client, "gigafactories")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"status": Status.DRAFT},
        {"status": Status.REVIEW},
        {"status": Status.ARCHIVED},
        {"publish_at": timezone.now() + timedelta(hours=3)},
        {"publish_at": timezone.now() - timedelta(days=3), "unpublish_at": timezone.now()},
    ],
)
def test_search_never_returns_unpublished_items(client, kwargs):
    make_event(title="Zanzibar conference", **kwargs)
    make_initiative(title="Zanzibar fund", **kwargs)
    make_article(title="Zanzibar paper", **kwargs)
    make_news_post(title="Zanzibar news", **kwargs)
    make_person(name="Zanzibar Person", **kwargs)
    make_organisation(name="Zanzibar Org", **kwargs)
    html = search(client, "zanzibar")
    assert "Zanzibar" not in html.split("<h1>Search</h1>")[1].replace('value="zanzibar"', "")
    assert "Nothing matches" in html


def test_search_hides_sessions_of_unpublished_events(client):
    make_session(title="Zanzibar side session", event=make_event(status=Status.DRAFT))
    assert "Nothing matches" in search(client, "zanzibar")


def test_search_by_type_is_paginated(client):
    for n in range(25):
        make_article(title=f"Compute paper {n}")
    html = search(client, "compute")
    assert "Journal articles (25)" in html
    assert "All 25 journal articles" in html
    html = search(client, "compute", type="articles")
    assert "Page 1 of 2" in html
    assert search(client, "compute", type="articles", page=2).count('<li class="result">') == 5


def test_empty_and_odd_queries_do_not_break_search(client):
    assert "Nothing matches" not in search(client, "")
    for query in ("'", '"unclosed', "a & b | !c", "<script>", "x" * 1000, "OR", "-"):
        html = search(client, query)
        assert "<script>alert" not in html
    assert search(client, "safety", type="no-such-type")


@pytest.mark.parametrize("count", [1, 4])
def test_search_query_count_does_not_grow(client, django_assert_num_queries, count):
    for n in range(count):
        make_event(title=f"Paris event {n}")
        make_session(title=f"Paris session {n}")
        make_article(title=f"Paris article {n}")
    # The countries a query may name and the menus are built once, then kept until content
    # changes.
    search(client, "paris")
    # One query counts the matches of every searchable type (core.registry), then one per
    # type with matches (events, sessions, articles) reads its first rows, and one counts
    # their topics and countries (config.search_facets).
    with django_assert_num_queries(5):
        search(client, "paris")


def test_results_show_a_date_and_a_short_summary(client):
    from tests.factories import make_initiative

    make_initiative(
        title="Robust Open Online Safety Tools",
        summary="Free, open-source safety tools for organisations of every size.",
        announced_on=date(2025, 2, 10),
    )
    html = client.get("/search/", {"q": "safety tools"}).content.decode()
    assert "Free, open-source <mark>safety</mark> <mark>tools</mark>" in html
    assert "10 February 2025" in html
