"""Pages link to their exports (calendars, programme, citations, feeds) by URL name."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import (
    add_author,
    add_participant,
    make_article,
    make_event,
    make_person,
    make_session,
)

pytestmark = pytest.mark.django_db


def hrefs(response) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', response.content.decode()))


def test_every_page_announces_the_three_atom_feeds(client):
    html = client.get(reverse("home")).content.decode()
    alternates = re.findall(
        r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', html
    )
    assert alternates == [reverse("news-feed"), reverse("article-feed"), reverse("event-feed")]
    for url in alternates:
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("page", "feed"),
    [("event-list", "event-feed"), ("news-list", "news-feed"), ("article-list", "article-feed")],
)
def test_list_pages_link_their_feed(client, page, feed):
    html = client.get(reverse(page)).content.decode()
    assert f'<a href="{reverse(feed)}" type="application/atom+xml">' in html


def test_event_session_and_person_pages_link_their_exports(client):
    event = make_event(slug="summit")
    session = make_session(event=event, slug="opening")
    person = make_person(slug="ada")
    add_participant(session, person)  # a speaker with a timed session has a calendar to offer
    expected = {
        event.get_absolute_url(): [
            reverse("event-calendar", kwargs={"slug": "summit"}),
            reverse("event-programme-json", kwargs={"slug": "summit"}),
        ],
        session.get_absolute_url(): [
            reverse("session-calendar", kwargs={"event_slug": "summit", "slug": "opening"}),
        ],
        person.get_absolute_url(): [reverse("person-calendar", kwargs={"slug": "ada"})],
    }
    for page, exports in expected.items():
        links = hrefs(client.get(page))
        for export in exports:
            assert export in links
            assert client.get(export).status_code == 200


def test_article_page_links_its_citation_downloads(client):
    article = make_article(slug="paper")
    add_author(article, make_person())
    links = hrefs(client.get(article.get_absolute_url()))
    for fmt in ("bib", "ris", "json"):
        url = reverse(f"article-cite-{fmt}", kwargs={"slug": "paper"})
        assert url in links
        assert client.get(url).status_code == 200
