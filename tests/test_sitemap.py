"""The sitemap (read back with xml.etree) and robots.txt."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from core.publishing import Status
from tests.factories import (
    make_article,
    make_collection,
    make_event,
    make_initiative,
    make_news_post,
    make_organisation,
    make_person,
    make_recording,
    make_session,
    make_topic,
)

pytestmark = pytest.mark.django_db

SITE = "https://policy.example.org"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}

UNPUBLISHED = [
    {"status": Status.DRAFT},
    {"publish_at": timezone.now() + timedelta(days=1)},
    {
        "publish_at": timezone.now() - timedelta(days=3),
        "unpublish_at": timezone.now() - timedelta(days=1),
    },
]


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def read_sitemap(client) -> dict[str, str | None]:
    """{location: lastmod} for every URL in the sitemap."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own output, not untrusted)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.findall("sm:url", NS)
    }


def make_one_of_each(**publishing) -> None:
    event = make_event(slug="summit", **publishing)
    make_session(event=event if not publishing else make_event(), slug="panel", **publishing)
    make_person(slug="ada", **publishing)
    make_organisation(slug="inria", **publishing)
    make_initiative(slug="current-ai", **publishing)
    make_article(slug="data-governance", **publishing)
    make_collection(slug="track-papers", **publishing)
    make_news_post(slug="summit-ends", **publishing)
    make_topic(slug="safety", **publishing)


def test_sitemap_lists_every_published_page_type_with_lastmod(client):
    make_one_of_each()

    urls = read_sitemap(client)

    expected = {
        "/events/summit/",
        "/events/summit/sessions/panel/",
        "/speakers/ada/",
        "/organisations/inria/",
        "/initiatives/current-ai/",
        "/journal/articles/data-governance/",
        "/journal/collections/track-papers/",
        "/news/summit-ends/",
        "/topics/safety/",
    }
    assert {f"{SITE}{path}" for path in expected} <= set(urls)
    today = timezone.now().date().isoformat()
    for loc, lastmod in urls.items():
        assert lastmod == today, loc


@pytest.mark.parametrize("publishing", UNPUBLISHED, ids=["draft", "scheduled", "expired"])
def test_sitemap_leaves_out_unpublished_pages(client, publishing):
    make_one_of_each(**publishing)

    urls = read_sitemap(client)

    # Only the published stand-in event made for the session remains.
    assert all(loc.startswith(f"{SITE}/events/event-") for loc in urls), urls


def test_sitemap_leaves_out_sessions_of_unpublished_events(client):
    draft = make_event(slug="draft", status=Status.DRAFT)
    make_session(event=draft, slug="panel")

    assert read_sitemap(client) == {}


@pytest.mark.parametrize("count", [1, 5])
def test_sitemap_queries_do_not_grow(client, django_assert_num_queries, count):
    for _ in range(count):
        make_session()
        make_person()
        make_organisation()
        make_initiative()
        make_article()
        make_collection()
        make_news_post()
        make_topic()
        make_recording()

    # A count and a page of items for each of the ten sections.
    with django_assert_num_queries(20):
        urls = read_sitemap(client)

    # Each round adds ten pages: a session and its event, and one of each other type.
    assert len(urls) == count * 10


def test_robots_txt_allows_all_but_the_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert [line for line in lines if line.startswith("Disallow")] == ["Disallow: /admin/"]
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
