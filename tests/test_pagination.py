"""Every long public list is split into pages that a visitor can walk through.

The first page holds ``PAGE_SIZE`` items, the second the rest; a page number past the end
(or below the start) shows the last page and one that is not a whole number shows the first
(Django's ``Paginator.get_page``),
so a mistyped or stale link never fails. Each list has a labelled pagination landmark.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.pages import PAGE_SIZE
from tests.factories import (
    make_article,
    make_collection,
    make_event,
    make_initiative,
    make_news_post,
    make_organisation,
    make_person,
)

pytestmark = pytest.mark.django_db

EXTRA = 3
TOTAL = PAGE_SIZE + EXTRA
NAV = '<nav class="pagination" aria-label="Pages">'


def speakers() -> str:
    for n in range(TOTAL):
        make_person(name=f"Speaker {n:03d}")
    return "/speakers/"


def organisations() -> str:
    for n in range(TOTAL):
        make_organisation(name=f"Organisation {n:03d}")
    return "/organisations/"


def initiatives() -> str:
    for _ in range(TOTAL):
        make_initiative()
    return "/initiatives/"


def journal() -> str:
    for _ in range(TOTAL):
        make_article()
    return "/journal/"


def news() -> str:
    for _ in range(TOTAL):
        make_news_post()
    return "/news/"


def collection() -> str:
    special = make_collection(slug="special")
    for _ in range(TOTAL):
        make_article(journal=special.journal).collections.add(special)
    return special.get_absolute_url()


def past_events() -> str:
    paris = ZoneInfo("Europe/Paris")
    for n in range(TOTAL):
        make_event(start=datetime(2020, 1, 1, 9, 0, tzinfo=paris) + timedelta(days=n))
    return "/events/"


# list, how it is filled, the context name of its page
LISTS: list[tuple[str, Callable[[], str], str]] = [
    ("speakers", speakers, "page"),
    ("organisations", organisations, "page"),
    ("initiatives", initiatives, "page"),
    ("journal", journal, "page"),
    ("news", news, "page"),
    ("collection", collection, "page"),
    ("past-events", past_events, "past"),
]


def get_page(client, url: str, key: str, page: str | None = None):
    response = client.get(url, {"page": page} if page is not None else {})
    assert response.status_code == 200, (url, page)
    return response, response.context[key]


def names(page) -> list[str]:
    return [str(item) for item in page.object_list]


@pytest.mark.parametrize(("name", "fill", "key"), LISTS, ids=[name for name, _, _ in LISTS])
def test_long_list_is_split_into_pages(client, name, fill, key):
    url = fill()

    response, first = get_page(client, url, key)
    assert len(first.object_list) == PAGE_SIZE
    html = response.content.decode()
    assert NAV in html
    assert "page=2" in html and 'rel="next"' in html

    response, second = get_page(client, url, key, "2")
    assert second.number == 2
    assert len(second.object_list) == EXTRA
    assert set(names(first)).isdisjoint(names(second))
    html = response.content.decode()
    assert NAV in html and 'rel="prev"' in html
    assert all(title in html for title in names(second))


@pytest.mark.parametrize(("name", "fill", "key"), LISTS, ids=[name for name, _, _ in LISTS])
def test_page_past_the_end_shows_the_last_and_a_bad_number_the_first(client, name, fill, key):
    url = fill()
    _, first = get_page(client, url, key)

    for out_of_range in ("999", "0", "-1"):
        _, beyond = get_page(client, url, key, out_of_range)
        assert beyond.number == beyond.paginator.num_pages == 2, out_of_range
        assert len(beyond.object_list) == EXTRA

    for nonsense in ("abc", "1.5", "", "2abc"):
        _, page = get_page(client, url, key, nonsense)
        assert names(page) == names(first), nonsense


def test_short_list_shows_no_pagination(client):
    make_person()
    html = client.get("/speakers/").content.decode()
    assert NAV not in html
