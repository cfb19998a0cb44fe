"""HTTP caching: visitors get short public caching and 304s; staff and previews are never stored."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.publishing import Status
from tests.factories import (
    add_author,
    make_article,
    make_event,
    make_news_post,
    make_person,
    make_session,
    make_staff,
)

# With the server-side page cache on, as in production: the headers must not depend on it.
pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]


def directives(response) -> set[str]:
    return {d.strip() for d in response["Cache-Control"].split(",")}


def export_urls() -> list[str]:
    event = make_event(slug="summit")
    make_session(event=event, slug="opening")
    article = make_article(slug="paper")
    add_author(article, make_person())
    return [
        reverse("home"),
        event.get_absolute_url(),
        reverse("event-calendar", kwargs={"slug": "summit"}),
        reverse("session-calendar", kwargs={"event_slug": "summit", "slug": "opening"}),
        reverse("event-programme-json", kwargs={"slug": "summit"}),
        reverse("article-cite-bib", kwargs={"slug": "paper"}),
        reverse("event-feed"),
        reverse("news-feed"),
        reverse("sitemap"),
        reverse("robots-txt"),
    ]


def test_anonymous_visitors_get_public_short_lived_caching_on_pages_and_exports(client):
    for url in export_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "public, max-age=60", url
        assert response.has_header("ETag"), url
        assert "Cookie" in response["Vary"], url


def test_max_age_comes_from_the_setting(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 300
    response = client.get(reverse("event-list"))
    assert response["Cache-Control"] == "public, max-age=300"


def test_unchanged_page_answers_304_to_if_none_match(client):
    event = make_event()
    first = client.get(event.get_absolute_url())
    again = client.get(event.get_absolute_url(), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["Cache-Control"] == "public, max-age=60"


def test_changed_page_answers_200_to_an_old_etag(client):
    event = make_event(title="Before")
    first = client.get(event.get_absolute_url())
    event.title = "After"
    event.save()
    again = client.get(event.get_absolute_url(), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert "After" in again.content.decode()


def test_signed_in_staff_get_private_no_store_on_public_pages(client):
    event = make_event()
    client.force_login(make_staff(username="reader"))
    response = client.get(event.get_absolute_url())
    assert directives(response) == {"private", "no-store"}
    assert not response.has_header("ETag")


def test_preview_stays_private_no_store_without_an_etag(client):
    draft = make_event(status=Status.DRAFT)
    client.force_login(make_staff(username="editor", perms=["events.view_event"]))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert directives(response) == {"private", "no-store"}
    assert not response.has_header("ETag")


def test_not_found_is_not_marked_public(client):
    response = client.get(make_event(status=Status.DRAFT).get_absolute_url())
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


def test_api_keeps_its_own_caching_rules(client):
    make_event()
    response = client.get("/api/v1/events/")
    assert response["Cache-Control"] == "public, no-cache"


def test_pages_and_api_validate_alike_with_one_mechanism(client):
    """The same body-derived ETag rule and 304 for a page, an export and an API item."""
    event = make_event(slug="validated")
    urls = [
        event.get_absolute_url(),
        f"/events/{event.slug}/calendar.ics",
        "/api/v1/events/validated/",
    ]
    for url in urls:
        first = client.get(url)
        etag = first["ETag"]
        assert etag.startswith('"') and len(etag) == 34, url
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url
        assert client.head(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url
        assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200, url


def test_feed_answers_if_modified_since_with_its_own_last_modified(client):
    make_news_post(title="Dated")
    first = client.get("/news/feed/")
    assert first.status_code == 200 and first.has_header("Last-Modified")
    again = client.get("/news/feed/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304
