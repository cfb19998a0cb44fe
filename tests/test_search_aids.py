"""Search that finds: marked matches, facets, prefixes, "did you mean", suggestions as you type.

Each runs on SQLite and on PostgreSQL (full-text search, trigram indexes).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.publishing import Status
from tests.factories import make_event, make_initiative, make_news_post

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def search(client, query: str, **params) -> str:
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_matches_are_marked_in_titles_and_snippets(client):
    make_news_post(
        title="Summit <closing> day",
        standfirst=(
            "A long opening that says nothing about the subject at all, only words to fill "
            "the space before it, and more of them, until the summit is named at last."
        ),
    )
    html = search(client, "summit")
    assert "<mark>Summit</mark> &lt;closing&gt; day" in html
    # The snippet starts near the match, not at the start of a long text.
    assert "…" in html
    assert "<mark>summit</mark> is named at last." in html


def test_the_start_of_a_word_finds_the_whole_word(client):
    make_initiative(title="Data regulation tracker", slug="tracker")
    html = search(client, "regul")
    assert "Initiatives (1)" in html
    assert "<mark>Regul</mark>ation" in html or "<mark>regul</mark>ation" in html


def test_a_misspelt_query_shows_results_for_the_closest_words(client):
    make_event(title="Paris Action Summit", slug="summit")
    html = search(client, "actoin sumit")
    assert "Nothing matches “actoin sumit”" in html
    assert "Showing results for <strong>“action summit”</strong>" in html
    assert 'href="/events/summit/"' in html
    # The reader can insist on what they typed.
    exact = search(client, "actoin sumit", exact="1")
    assert 'href="/events/summit/"' not in exact
    assert "Check the spelling" in exact


def test_did_you_mean_never_suggests_words_of_unpublished_items(client):
    make_event(title="Confidential Gathering", slug="secret", status=Status.DRAFT)
    html = search(client, "confidentail")
    assert "Showing results for" not in html
    assert "Confidential" not in html


def test_results_of_several_types_offer_a_facet_per_type_with_counts(client):
    make_event(title="Governance Summit")
    make_news_post(title="Governance news one")
    make_news_post(title="Governance news two")
    html = search(client, "governance")
    assert 'aria-label="Results by type"' in html
    assert "News (2)</a>" in html
    assert "Events (1)</a>" in html


def test_results_of_one_type_facet_by_year_and_filter_on_one(client):
    make_event(title="Data summit one", start=datetime(2024, 7, 9, 9, tzinfo=PARIS))
    make_event(title="Data summit two", start=datetime(2025, 2, 10, 9, tzinfo=PARIS))
    html = search(client, "data summit", type="events")
    assert "2025 (1)" in html and "2024 (1)" in html
    filtered = search(client, "data summit", type="events", year="2024")
    assert "Data summit one" in filtered.replace("<mark>", "").replace("</mark>", "")
    assert "summit two" not in filtered.replace("<mark>", "").replace("</mark>", "")
    assert "in 2024" in filtered
    assert "Any year" in filtered


def test_the_search_box_suggests_published_titles_as_the_reader_types(client):
    make_event(title="Paris Action Summit", slug="summit")
    make_initiative(title="Paris statement", slug="statement")
    make_initiative(title="Paris draft plan", slug="draft", status=Status.DRAFT)
    results = client.get("/search/suggest/", {"q": "pari"}).json()["results"]
    values = [result["value"] for result in results]
    assert sorted(values) == ["Paris Action Summit", "Paris statement"]
    assert "Paris Action Summit (Events)" in [result["label"] for result in results]
    assert client.get("/search/suggest/", {"q": "p"}).json() == {"results": []}
    assert client.get("/search/suggest/", {"q": "\x00"}).status_code == 200


def test_every_page_offers_suggestions_in_the_header_search_box(client):
    html = client.get("/").content.decode()
    assert 'data-suggest="/search/suggest/"' in html
    assert 'list="site-search-suggestions"' in html
    assert '<datalist id="site-search-suggestions">' in html
