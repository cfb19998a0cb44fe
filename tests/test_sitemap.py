"""The sitemap index, its paginated sections (read back with xml.etree) and robots.txt."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from core import registry
from core.publishing import Status
from core.sitemaps import registry_sitemaps
from core.workflow import archive
from tests.factories import (
    make_article,
    make_collection,
    make_event,
    make_initiative,
    make_news_post,
    make_organisation,
    make_page,
    make_person,
    make_recording,
    make_session,
    make_staff,
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


def read_xml(client, url: str, root_tag: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own output, not untrusted)
    assert root.tag == f"{{http://www.sitemaps.org/schemas/sitemap/0.9}}{root_tag}"
    return root


def read_index(client) -> dict[str, str | None]:
    """{section page's address: lastmod} for every entry of the sitemap index."""
    root = read_xml(client, "/sitemap.xml", "sitemapindex")
    return {
        entry.findtext("sm:loc", namespaces=NS): entry.findtext("sm:lastmod", namespaces=NS)
        for entry in root.findall("sm:sitemap", NS)
    }


def read_section(client, url: str) -> dict[str, str | None]:
    """{location: lastmod} for every URL in one page of a section."""
    parts = urlsplit(url)
    root = read_xml(client, f"{parts.path}?{parts.query}" if parts.query else parts.path, "urlset")
    return {
        entry.findtext("sm:loc", namespaces=NS): entry.findtext("sm:lastmod", namespaces=NS)
        for entry in root.findall("sm:url", NS)
    }


def read_sitemap(client) -> dict[str, str | None]:
    """{location: lastmod} for every URL of every section the index names."""
    urls = {}
    for section_url in read_index(client):
        assert section_url.startswith(f"{SITE}/sitemap-"), section_url
        urls.update(read_section(client, section_url))
    return urls


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


def test_sitemap_index_names_one_section_per_registered_type(client):
    make_article()

    index = read_index(client)

    keys = [content_type.sitemap_key for content_type in registry.in_sitemap()]
    # Then the sections of pages that are not rows of one type: the country pages.
    assert list(index) == [f"{SITE}/sitemap-{key}.xml" for key in [*keys, "countries"]]
    # A section's lastmod is when its newest item changed; an empty section has none.
    assert index[f"{SITE}/sitemap-articles.xml"].startswith(timezone.now().date().isoformat())
    assert index[f"{SITE}/sitemap-news.xml"] is None


def test_a_section_is_split_into_pages_of_the_configured_size(client, settings):
    settings.SITEMAP_LIMIT = 2
    articles = [make_article() for _ in range(5)]

    index = read_index(client)

    section = f"{SITE}/sitemap-articles.xml"
    assert [url for url in index if url.startswith(section)] == [
        section,
        f"{section}?p=2",
        f"{section}?p=3",
    ]
    pages = [read_section(client, url) for url in (section, f"{section}?p=2", f"{section}?p=3")]
    assert [len(page) for page in pages] == [2, 2, 1]
    found = {loc for page in pages for loc in page}
    assert found == {f"{SITE}{article.get_absolute_url()}" for article in articles}
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404
    assert client.get("/sitemap-articles.xml?p=first").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemap_protocol_limit_is_the_default_page_size():
    assert registry_sitemaps()["articles"]().limit == 50_000


def test_an_archived_item_leaves_its_cached_section_at_once(client):
    article = make_article(slug="shown")
    make_article(slug="stays")
    assert f"{SITE}/journal/articles/shown/" in read_section(client, "/sitemap-articles.xml")

    archive(item=article, by=make_staff(superuser=True))

    urls = read_section(client, "/sitemap-articles.xml")
    assert f"{SITE}/journal/articles/shown/" not in urls
    assert f"{SITE}/journal/articles/stays/" in urls


def test_a_renamed_event_moves_its_sessions_in_the_cached_section(client):
    event = make_event(slug="summit")
    make_session(event=event, slug="panel")
    assert f"{SITE}/events/summit/sessions/panel/" in read_section(client, "/sitemap-sessions.xml")

    event.slug = "summit-2025"
    event.save()

    urls = read_section(client, "/sitemap-sessions.xml")
    assert list(urls) == [f"{SITE}/events/summit-2025/sessions/panel/"]


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
        make_page()
    sections = [content_type.sitemap_key for content_type in registry.in_sitemap()]
    # The country pages are listed once, then kept until content changes.
    read_index(client)

    # One aggregate (how many, latest change) per section.
    with django_assert_num_queries(len(sections)):
        read_index(client)
    # A page not yet cached: the aggregate, the next scheduled change, the page of items.
    for key in sections:
        with django_assert_num_queries(3):
            read_section(client, f"/sitemap-{key}.xml")
    # Cached: the aggregate alone, which shows that nothing has changed.
    with django_assert_num_queries(len(sections)):
        urls = {}
        for key in sections:
            urls.update(read_section(client, f"/sitemap-{key}.xml"))

    # Each round adds eleven pages: a session and its event, and one of each other type.
    assert len(urls) == count * 11


def test_robots_txt_allows_all_but_the_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert [line for line in lines if line.startswith("Disallow")] == ["Disallow: /admin/"]
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
