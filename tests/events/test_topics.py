"""Topics carry a publication status: a draft topic appears on no public page, export or API."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from core.publishing import Status
from events.models import Topic
from tests.factories import (
    make_article,
    make_event,
    make_initiative,
    make_member,
    make_news_post,
    make_session,
    make_topic,
)

pytestmark = pytest.mark.django_db


def test_a_new_topic_starts_as_a_draft():
    topic = Topic.objects.create(name="Compute", slug="compute")
    assert topic.status == Status.DRAFT
    assert not Topic.objects.published().exists()


def test_the_migration_keeps_existing_topics_on_the_site():
    migration = importlib.import_module("events.migrations.0005_topic_publishable")
    Topic.objects.create(name="Compute", slug="compute")
    migration.publish_existing(apps, None)
    topic = Topic.objects.get()
    assert topic.is_published
    assert topic.publish_at is not None


def test_draft_topic_page_is_not_found_but_an_editor_may_preview_it(client):
    topic = make_topic(status=Status.DRAFT)
    assert client.get(topic.get_absolute_url()).status_code == 404
    client.force_login(make_member(username="ed", group="Editors"))
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store")


@pytest.mark.parametrize(
    "make",
    [make_event, make_session, make_initiative, make_article, make_news_post],
    ids=["event", "session", "initiative", "article", "news"],
)
def test_detail_pages_link_published_topics_only(client, make):
    item = make()
    item.topics.add(
        make_topic(name="Shown subject", slug="shown-subject"),
        make_topic(name="Hidden subject", slug="hidden-subject", status=Status.DRAFT),
    )
    html = client.get(item.get_absolute_url()).content.decode()
    assert "/topics/shown-subject/" in html
    assert "Hidden subject" not in html
    assert "/topics/hidden-subject/" not in html


def test_draft_topic_is_not_in_the_sitemap_search_or_feeds(client):
    event = make_event()
    event.topics.add(make_topic(name="Hidden subject", status=Status.DRAFT))
    assert "Hidden subject" not in client.get("/search/?q=Hidden").content.decode()
    assert "Hidden subject" not in client.get("/events/feed/").content.decode()
    assert "/topics/topic-" not in client.get("/sitemap-topics.xml").content.decode()


def test_api_lists_and_embeds_published_topics_only(client):
    event = make_event()
    event.topics.add(make_topic(slug="shown"), make_topic(slug="hidden", status=Status.DRAFT))
    listed = [t["slug"] for t in client.get("/api/v1/topics/").json()["results"]]
    assert listed == ["shown"]
    assert client.get("/api/v1/topics/hidden/").status_code == 404
    embedded = client.get(f"/api/v1/events/{event.slug}/").json()["topics"]
    assert [t["slug"] for t in embedded] == ["shown"]


def test_api_filter_by_a_draft_topic_is_refused_like_an_unknown_one(client):
    make_event().topics.add(make_topic(slug="hidden", status=Status.DRAFT))
    assert client.get("/api/v1/events/?topic=hidden").status_code == 400
    assert client.get("/api/v1/events/?topic=no-such").status_code == 400
