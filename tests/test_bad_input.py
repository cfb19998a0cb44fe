"""Odd input from the outside world gets a 4xx answer (or is ignored), never a server error."""

from __future__ import annotations

import pytest

from .factories import make_article, make_event, make_initiative, make_news_post, make_session

BAD_VALUES = [
    "%00",
    "a%00b",
    "%FF%FE",
    "-1",
    "0",
    "99999999999999999999999",
    "1e400",
    "NaN",
    "'%3B--",
    "%F0%9F%92%A9",
    "x" * 3000,
    "2025-02-30",
    "2025-02-10T25:00:00Z",
    "[]",
]

PAGES = [
    "/events/",
    "/speakers/",
    "/organisations/",
    "/initiatives/",
    "/journal/",
    "/news/",
    "/search/",
    "/events/feed/",
    "/api/v1/events/",
    "/api/v1/sessions/",
    "/api/v1/people/",
    "/api/v1/organisations/",
    "/api/v1/topics/",
    "/api/v1/initiatives/",
    "/api/v1/signatories/",
    "/api/v1/journals/",
    "/api/v1/collections/",
    "/api/v1/articles/",
    "/api/v1/news/",
]

# Each request sets one of these (the filters all at once: a filter set checks every field).
FILTERS = [
    "kind", "type", "year", "event", "organisation", "topic", "person", "collection",
    "jurisdiction", "country", "status", "stance", "currency", "amount_min", "date_from",
    "date_to", "updated_since", "track", "parent", "initiative", "journal",
]  # fmt: skip
PARAMS = [("page",), ("page_size",), ("q",), ("search",), ("ordering",), tuple(FILTERS)]


@pytest.fixture(autouse=True)
def _content(db, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute", "partner": "1000000/minute"},
    }
    event = make_event(slug="summit")
    make_session(event=event, slug="talk")
    make_initiative(amount=5, currency="EUR")
    make_article()
    make_news_post()


@pytest.mark.parametrize("page", PAGES)
def test_odd_query_values_never_cause_a_server_error(client, page):
    failures = []
    for names in PARAMS:
        for value in BAD_VALUES:
            url = page + "?" + "&".join(f"{name}={value}" for name in names)
            status = client.get(url).status_code
            if status >= 500:
                failures.append((url[:120], status))
    assert not failures


@pytest.mark.parametrize(
    "url",
    [
        "/events/summit%00/",
        "/events/%F0%9F%92%A9/",
        "/events/summit/sessions/talk%00/",
        "/events/summit/sessions/talk/calendar.ics?x=%00",
        "/api/v1/events/summit%00/",
        "/api/v1/sessions/summit/talk%00/",
        "/api/v1/events/%FF/",
        "/search/?q=%00&type=%00",
        "/search/?q=a&type=nonsense",
        "/search/?q=a&topic=%00&country=%00&year=%00",
        "/search/?q=a&type=events&topic=a%00b&country=%FF%FF&year=99999",
        "/search/?q=safety&type=events&year=%C2%B2%C2%B2%C2%B2%C2%B2",
        "/search/?q=" + "word " * 2000,
        "/initiatives/?" + "&".join(f"kind={i}" for i in range(500)),
    ],
)
def test_odd_paths_and_queries_are_not_server_errors(client, url):
    assert client.get(url).status_code < 500


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/events/",
        "/events/summit/",
        "/events/summit/calendar.ics",
        "/events/summit/programme.json",
        "/events/feed/",
        "/sitemap.xml",
        "/robots.txt",
        "/search/?q=summit",
        "/api/v1/events/",
        "/api/v1/events/summit/",
        "/api/v1/open-data/initiatives.csv",
    ],
)
def test_head_and_options_requests_are_answered(client, url):
    assert client.head(url).status_code == 200
    assert client.options(url).status_code < 500
