"""Search ranks only what the index can reach cheaply: up to ``COUNT_LIMIT`` matches are
ranked (PostgreSQL) or listed in the type's order (SQLite); beyond, the matches are listed
newest first and the page says the count is capped.

The cap is lowered for these tests so that a handful of items go beyond it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from config import search
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def cap_of_three(monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)


def articles_published_days_ago(*days: int, text: str = "Quantum computing") -> None:
    for n, ago in enumerate(days):
        make_article(
            title=f"{text} report {ago}",
            slug=f"report-{n}",
            publish_at=timezone.now() - timedelta(days=ago),
        )


def test_beyond_the_cap_the_results_are_the_newest_matches(client, cap_of_three):
    articles_published_days_ago(30, 2, 50, 1, 9)
    response = client.get("/search/", {"q": "quantum", "type": "articles"})
    titles = [item.title for item in response.context["page"].object_list]
    assert titles == [
        "Quantum computing report 1",
        "Quantum computing report 2",
        "Quantum computing report 9",
    ]
    html = response.content.decode()
    assert "Journal articles: 3+ results for" in html
    assert "The most recent of 3+ matches, newest first" in html


def test_the_grouped_results_say_they_are_the_most_recent_beyond_the_cap(client, cap_of_three):
    articles_published_days_ago(30, 2, 50, 1)
    response = client.get("/search/", {"q": "quantum"})
    (group,) = response.context["groups"]
    assert str(group["count"]) == "3+"
    assert group["newest_first"]
    assert [item.title for item in group["items"]][:2] == [
        "Quantum computing report 1",
        "Quantum computing report 2",
    ]
    assert "The most recent of 3+ matches." in response.content.decode()


def test_at_the_cap_the_count_is_exact_and_nothing_says_most_recent(client, cap_of_three):
    articles_published_days_ago(30, 2, 50)
    response = client.get("/search/", {"q": "quantum", "type": "articles"})
    assert len(response.context["page"].object_list) == 3
    html = response.content.decode()
    assert "Journal articles: 3 results for" in html
    assert "most recent" not in html


def test_unpublished_matches_count_for_nothing(client, cap_of_three):
    from core.publishing import Status

    articles_published_days_ago(30, 2)
    for n in range(3):
        make_article(title=f"Quantum computing draft {n}", status=Status.DRAFT)
    counts = search.capped_counts(search.search_types(), "quantum")
    assert str(counts["articles"]) == "2"
    html = client.get("/search/", {"q": "quantum", "type": "articles"}).content.decode()
    assert "draft" not in html


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text ranking is PostgreSQL only"
)
def test_below_the_cap_the_matches_are_ranked_not_newest_first(client, cap_of_three):
    make_article(
        title="A survey of many things",
        abstract="<p>Among them, quantum computing.</p>",
        publish_at=timezone.now() - timedelta(hours=1),
    )
    make_article(
        title="Governing quantum computing", publish_at=timezone.now() - timedelta(days=40)
    )
    response = client.get("/search/", {"q": "quantum computing", "type": "articles"})
    titles = [item.title for item in response.context["page"].object_list]
    assert titles == ["Governing quantum computing", "A survey of many things"]
    assert "most recent" not in response.content.decode()
