"""The lean read path renders byte for byte what DRF's own serializer code renders."""

import pytest
from django.core.cache import cache
from rest_framework import serializers

from core.api.serializers import LeanListSerializer, ModelSerializer
from core.publishing import Status
from tests.factories import (
    add_author,
    add_participant,
    make_article,
    make_event,
    make_initiative,
    make_journal,
    make_news_post,
    make_organisation,
    make_person,
    make_session,
    make_signatory,
    make_topic,
    make_track,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_archive():
    draft_org = make_organisation(status=Status.DRAFT)
    draft_person = make_person(status=Status.DRAFT)
    draft_topic = make_topic(status=Status.DRAFT)
    orgs = [make_organisation(country="FR"), make_organisation(acronym="ABC"), draft_org]
    people = [make_person(honorific="Dr", role="Minister") for _ in range(4)]
    topics = [make_topic(), make_topic(), draft_topic]
    event = make_event(parent=make_event(), city="Paris", country="FR")
    event.hosts.add(*orgs)
    event.host_people.add(people[0], draft_person)
    event.topics.add(*topics)
    track = make_track(event=event, organiser=orgs[0])
    for n in range(3):
        session = make_session(
            event=event,
            track=track if n else None,
            summary="" if n == 1 else "Why it matters.",
            room="Room A",
            online_url="" if n else "https://meet.example/x",
        )
        session.hosts.add(*orgs)
        session.topics.add(*topics)
        add_participant(session, people[n], affiliation_text="Ministry")
        add_participant(session, people[n + 1], role="moderator")
        add_participant(session, draft_person)
    make_session(event=event, status=Status.DRAFT)
    journal = make_journal(issn="1234-5678", publisher=orgs[0])
    for n in range(3):
        article = make_article(
            journal=journal,
            doi="" if n == 1 else f"10.1234/a{n}",
            volume="3",
            abstract='<p>See <a href="https://example.org/">this</a> &amp; more.</p>',
        )
        add_author(article, people[0], affiliation=orgs[0], is_corresponding=True)
        add_author(article, people[1], affiliation=draft_org, affiliation_text="Old name")
        add_author(article, people[2], affiliation_text="")
        add_author(article, draft_person)
        article.topics.add(*topics)
    parent = make_initiative()
    for n in range(3):
        initiative = make_initiative(
            announced_at=event if n else None,
            part_of=parent if n != 1 else None,
            amount="1234.5" if n else None,
            currency="EUR" if n else "",
            jurisdictions=["FR", "DE"] if n else [],
        )
        initiative.lead_organisations.add(orgs[0], draft_org)
        initiative.partner_organisations.add(*orgs)
        initiative.topics.add(*topics)
        make_signatory(initiative, country="FR", statement="We sign.")
        make_signatory(initiative, organisation=orgs[1])
        make_signatory(initiative, organisation=draft_org)
    news = make_news_post()
    news.authors.add(people[0], draft_person)
    news.topics.add(*topics)
    news.related_events.add(event)
    return {"event": event, "article": article, "initiative": initiative, "news": news}


def drf_reference(monkeypatch):
    """Render with DRF's own to_representation for every serializer and list."""
    monkeypatch.setattr(
        ModelSerializer, "to_representation", serializers.ModelSerializer.to_representation
    )
    monkeypatch.setattr(
        LeanListSerializer, "to_representation", serializers.ListSerializer.to_representation
    )
    monkeypatch.setattr(
        LeanListSerializer, "get_attribute", serializers.ListSerializer.get_attribute
    )


def paths(archive):
    session = archive["event"].sessions.filter(status=Status.PUBLISHED).first()
    return [
        "/api/v1/articles/",
        f"/api/v1/articles/{archive['article'].slug}/",
        "/api/v1/sessions/",
        f"/api/v1/sessions/{archive['event'].slug}/{session.slug}/",
        "/api/v1/initiatives/",
        f"/api/v1/initiatives/{archive['initiative'].slug}/",
        "/api/v1/signatories/",
        "/api/v1/events/",
        f"/api/v1/events/{archive['event'].slug}/",
        "/api/v1/news/",
        f"/api/v1/news/{archive['news'].slug}/",
        "/api/v1/people/",
        "/api/v1/organisations/",
        "/api/v1/journals/",
    ]


def test_lean_path_renders_the_same_bytes_as_drf(client, rich_archive, monkeypatch):
    lean = {}
    for path in paths(rich_archive):
        response = client.get(path)
        assert response.status_code == 200, path
        lean[path] = response.content
    cache.clear()
    drf_reference(monkeypatch)
    for path in paths(rich_archive):
        cache.clear()
        response = client.get(path)
        assert response.content == lean[path], path


def test_lean_lists_show_published_children_only(client, rich_archive):
    body = client.get("/api/v1/articles/").json()
    for article in body["results"]:
        names = [a["person"]["name"] for a in article["authors"]]
        assert len(names) == 3
        assert len(article["topics"]) == 2
        # A draft organisation is shown as the text kept with the authorship.
        assert article["authors"][1]["affiliation"] == "Old name"
        assert article["authors"][1]["affiliation_organisation"] is None
    sessions = client.get("/api/v1/sessions/").json()["results"]
    assert len(sessions) == 3
    assert all(len(s["participants"]) == 2 for s in sessions)
    assert all(len(s["hosts"]) == 2 for s in sessions)
