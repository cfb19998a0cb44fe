"""On PostgreSQL, search ranks a match in the title above a match only in the text.

Full-text ranking only exists on PostgreSQL; SQLite lists matches in the model's own order,
so these tests are skipped there. Each item matching only in its text is created first, so
that an ordering by primary key alone would put it first and fail the test.
"""

from __future__ import annotations

import pytest
from django.db import connection

from tests.factories import make_article, make_event, make_news_post, make_person

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="full-text ranking is PostgreSQL only; SQLite has no rank to order by",
    ),
]

TEXT = "<p>A long report on many things, among them quantum computing and its policy.</p>"


def ranked(client, query: str, search_type: str) -> list[str]:
    response = client.get("/search/", {"q": query, "type": search_type})
    assert response.status_code == 200
    return [str(item) for item in response.context["page"].object_list]


def grouped(client, query: str) -> dict[str, list[str]]:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return {
        group["type"].key: [str(item) for item in group["items"]]
        for group in response.context["groups"]
    }


@pytest.mark.parametrize(
    ("search_type", "make_body_match", "make_title_match"),
    [
        (
            "news",
            lambda: make_news_post(title="Weekly digest", body=TEXT),
            lambda: make_news_post(title="Quantum computing rules agreed"),
        ),
        (
            "articles",
            lambda: make_article(title="A survey of many things", abstract=TEXT),
            lambda: make_article(title="Governing quantum computing"),
        ),
        (
            "events",
            lambda: make_event(title="Annual forum", description=TEXT),
            lambda: make_event(title="Quantum computing summit"),
        ),
        (
            "people",
            lambda: make_person(name="Ada Lovelace", bio=TEXT),
            lambda: make_person(name="Quantum Computing"),
        ),
    ],
)
def test_title_match_ranks_before_a_match_only_in_the_text(
    client, search_type, make_body_match, make_title_match
):
    body_match = str(make_body_match())
    title_match = str(make_title_match())

    assert ranked(client, "quantum computing", search_type) == [title_match, body_match]
    assert grouped(client, "quantum computing")[search_type] == [title_match, body_match]
