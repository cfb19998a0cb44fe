"""Atom feeds of news, articles and events, read back with feedparser."""

from datetime import date, timedelta

import feedparser
import pytest
from django.utils import timezone

from core.publishing import Status
from tests.factories import (
    add_author,
    make_article,
    make_event,
    make_image,
    make_news_post,
    make_person,
    make_topic,
)

pytestmark = pytest.mark.django_db

SITE = "https://policy.example.org"

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
    settings.SITE_NAME = "Data for Policy"


def read(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def ago(days: int):
    return timezone.now() - timedelta(days=days)


def test_news_feed_lists_published_posts_newest_first(client):
    make_news_post(title="Older", publish_at=ago(5))
    make_news_post(title="Newest", publish_at=ago(1))
    make_news_post(title="Middle", publish_at=ago(3))
    for publishing in UNPUBLISHED:
        make_news_post(title="Hidden", **publishing)

    feed = read(client, "/news/feed/")

    assert [entry.title for entry in feed.entries] == ["Newest", "Middle", "Older"]
    assert feed.feed.title == "Data for Policy: news"
    assert feed.feed.link == f"{SITE}/news/"
    assert feed.feed.author == "Data for Policy"


def test_news_entry_has_links_dates_authors_and_topics(client):
    ada = make_person(name="Ada Lovelace", slug="ada")
    post = make_news_post(
        title="Summit ends", slug="summit-ends", standfirst="It ended.", publish_at=ago(2)
    )
    post.authors.add(ada, make_person(name="Grace Hopper"), make_person(status=Status.DRAFT))
    post.topics.add(make_topic(name="Safety"))

    (entry,) = read(client, "/news/feed/").entries

    assert entry.link == f"{SITE}/news/summit-ends/"
    assert entry.id == f"tag:policy.example.org,2025:publications.newspost:{post.pk}"
    assert entry.summary == "It ended."
    assert sorted(author.name for author in entry.authors) == ["Ada Lovelace", "Grace Hopper"]
    assert f"{SITE}/speakers/ada/" in [author.get("href") for author in entry.authors]
    assert [tag.term for tag in entry.tags] == ["Safety"]
    assert entry.published_parsed[:3] == post.publish_at.utctimetuple()[:3]
    assert entry.updated_parsed[:5] == post.updated_at.utctimetuple()[:5]


def test_article_feed_is_newest_first_with_authors_in_order(client):
    old = make_article(title="Old", published_on=date(2024, 1, 1))
    new = make_article(title="New", slug="new", published_on=date(2025, 2, 1))
    add_author(new, make_person(name="Second Author"), order=2)
    add_author(new, make_person(name="First Author"), order=1)
    add_author(new, make_person(name="Draft Author", status=Status.DRAFT), order=3)
    add_author(old, make_person(name="Someone Else"))
    for publishing in UNPUBLISHED:
        make_article(title="Hidden", **publishing)

    feed = read(client, "/journal/feed/")

    assert [entry.title for entry in feed.entries] == ["New", "Old"]
    first = feed.entries[0]
    assert [author.name for author in first.authors] == ["First Author", "Second Author"]
    assert first.link == f"{SITE}/journal/articles/new/"
    assert first.published_parsed[:3] == (2025, 2, 1)
    assert feed.feed.link == f"{SITE}/journal/"


def test_event_feed_lists_published_events_with_local_times(client):
    make_event(title="Summit", slug="summit", venue="Grand Palais", publish_at=ago(1))
    make_event(title="Earlier", publish_at=ago(4))
    for publishing in UNPUBLISHED:
        make_event(title="Hidden", **publishing)

    feed = read(client, "/events/feed/")

    assert [entry.title for entry in feed.entries] == ["Summit", "Earlier"]
    summit = feed.entries[0]
    assert summit.link == f"{SITE}/events/summit/"
    assert "10 February 2025, 09:00" in summit.summary
    assert "(Europe/Paris)" in summit.summary
    assert "Grand Palais" in summit.summary


@pytest.mark.parametrize("count", [1, 6])
@pytest.mark.parametrize("url", ["/news/feed/", "/journal/feed/", "/events/feed/"])
def test_feed_queries_do_not_grow(client, django_assert_num_queries, count, url):
    for _ in range(count):
        topic = make_topic()
        person = make_person()
        post = make_news_post()
        post.authors.add(person)
        post.topics.add(topic)
        article = make_article()
        add_author(article, person)
        article.topics.add(topic)
        make_event().topics.add(topic)

    # Items, topics and (for news and articles) authors.
    with django_assert_num_queries(2 if url == "/events/feed/" else 3):
        feed = read(client, url)

    assert len(feed.entries) == count


@pytest.mark.parametrize("count", [1, 5])
def test_journal_feed_resolves_every_abstracts_images_and_links_at_once(
    client, django_assert_num_queries, count
):
    from tests.core.test_rich_text_images import upload

    image = make_image(file=upload(size=(400, 300)), alt_text="The hall")
    event = make_event(slug="summit")
    for n in range(count):
        make_article(
            slug=f"article-{n}",
            abstract=(
                f'<p>At <a data-ref="events.event:{event.pk}">the summit</a>.</p>'
                f'<figure><img data-ref="core.image:{image.pk}"></figure>'
            ),
        )
    # Items, topics, authors; then the linked events and the images, once for all entries.
    with django_assert_num_queries(5):
        feed = read(client, "/journal/feed/")
    assert len(feed.entries) == count
    assert all('alt="The hall"' in entry.summary for entry in feed.entries)
    assert all(f"{SITE}/events/summit/" in entry.summary for entry in feed.entries)
