"""What each read endpoint shows, and that nothing unpublished shows through it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.publishing import Status
from tests.factories import (
    add_author,
    add_participant,
    make_article,
    make_collection,
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

DRAFT = {"status": Status.DRAFT}


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def test_event_detail_embeds_summaries_and_links(client):
    host = make_organisation(name="Élysée", slug="elysee", country="FR")
    topic = make_topic(name="Public interest AI", slug="public-interest-ai")
    summit = make_event(title="AI Action Summit", slug="ai-action-summit", city="Paris")
    summit.hosts.add(host)
    summit.topics.add(topic)
    track = make_track(event=summit, title="Science days", slug="science")
    session = make_session(event=summit, slug="opening", track=track)
    side = make_event(slug="side", parent=summit)

    data = client.get("/api/v1/events/ai-action-summit/").json()

    assert data["title"] == "AI Action Summit"
    assert data["url"] == "http://testserver/api/v1/events/ai-action-summit/"
    assert data["page_url"] == "https://site.example" + summit.get_absolute_url()
    assert data["hosts"][0]["slug"] == "elysee"
    assert data["hosts"][0]["url"] == "http://testserver/api/v1/organisations/elysee/"
    assert data["hosts"][0]["country"] == "FR"
    assert data["topics"][0]["slug"] == "public-interest-ai"
    assert data["tracks"][0]["slug"] == "science"
    assert data["sessions"][0]["url"] == (
        f"http://testserver/api/v1/sessions/ai-action-summit/{session.slug}/"
    )
    assert data["side_events"][0]["slug"] == side.slug
    assert data["sessions_url"].endswith("/api/v1/sessions/?event=ai-action-summit")


def test_events_list_and_detail_name_the_people_who_host_them(client):
    summit = make_event(slug="summit")
    summit.host_people.add(
        make_person(name="Emmanuel Macron", slug="macron", role="President of France"),
        make_person(slug="draft-co-chair", **DRAFT),
    )
    expected = [
        {
            "url": "http://testserver/api/v1/people/macron/",
            "slug": "macron",
            "name": "Emmanuel Macron",
            "honorific": "",
            "role": "President of France",
            "page_url": "https://site.example/speakers/macron/",
        }
    ]
    assert client.get("/api/v1/events/summit/").json()["host_people"] == expected
    assert client.get("/api/v1/events/").json()["results"][0]["host_people"] == expected


def test_published_event_never_shows_draft_related_items(client):
    event = make_event(slug="summit")
    event.hosts.add(make_organisation(slug="draft-host", **DRAFT))
    event.host_people.add(make_person(slug="draft-host-person", **DRAFT))
    make_session(event=event, slug="draft-session", **DRAFT)
    make_event(slug="draft-side", parent=event, **DRAFT)
    public = make_session(event=event, slug="public-session")
    add_participant(public, make_person(slug="draft-speaker", **DRAFT))

    data = client.get("/api/v1/events/summit/").json()
    assert data["hosts"] == []
    assert data["host_people"] == []
    assert [s["slug"] for s in data["sessions"]] == ["public-session"]
    assert data["side_events"] == []
    session = client.get("/api/v1/sessions/summit/public-session/").json()
    assert session["participants"] == []


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/api/v1/events/", lambda **kw: make_event(**kw)),
        ("/api/v1/organisations/", lambda **kw: make_organisation(**kw)),
        ("/api/v1/people/", lambda **kw: make_person(**kw)),
        ("/api/v1/initiatives/", lambda **kw: make_initiative(**kw)),
        ("/api/v1/collections/", lambda **kw: make_collection(**kw)),
        ("/api/v1/articles/", lambda **kw: make_article(**kw)),
        ("/api/v1/news/", lambda **kw: make_news_post(**kw)),
    ],
)
def test_drafts_scheduled_and_expired_items_are_not_listed_or_found(client, partner, url, make):
    now = timezone.now()
    make(slug="public")
    make(slug="draft", **DRAFT)
    make(slug="in-review", status=Status.REVIEW)
    make(slug="scheduled", publish_at=now + timedelta(days=1))
    make(slug="expired", publish_at=now - timedelta(days=2), unpublish_at=now - timedelta(days=1))

    hidden_slugs = {"draft", "in-review", "scheduled", "expired"}
    for caller in (client, partner.client):
        listed = slugs(caller.get(url))
        assert "public" in listed
        assert not hidden_slugs & set(listed)
        for hidden in hidden_slugs:
            response = caller.get(f"{url}{hidden}/")
            assert response.status_code == 404
            assert response.json()["error"]["code"] == "not_found"


def test_session_of_a_draft_event_is_hidden(client):
    event = make_event(slug="draft-event", **DRAFT)
    make_session(event=event, slug="published-session")
    assert slugs(client.get("/api/v1/sessions/")) == []
    assert client.get("/api/v1/sessions/draft-event/published-session/").status_code == 404


def test_session_detail_is_addressed_by_event_and_session_slug(client):
    first, second = make_event(slug="first"), make_event(slug="second")
    make_session(event=first, slug="opening", title="First opening")
    make_session(event=second, slug="opening", title="Second opening")
    assert client.get("/api/v1/sessions/second/opening/").json()["title"] == "Second opening"
    assert client.get("/api/v1/sessions/first/nope/").status_code == 404


def test_session_detail_lists_participants_hosts_and_track(client):
    event = make_event(slug="summit")
    track = make_track(event=event, slug="science", organiser=make_organisation(slug="inria"))
    session = make_session(event=event, slug="panel", track=track, room="Salle 1")
    session.hosts.add(make_organisation(slug="mozilla"))
    add_participant(session, make_person(slug="speaker", name="Ada Speaker"), role="moderator")

    data = client.get("/api/v1/sessions/summit/panel/").json()
    assert data["event"]["slug"] == "summit"
    assert data["track"]["organiser"]["slug"] == "inria"
    assert data["hosts"][0]["slug"] == "mozilla"
    assert data["participants"] == [
        {
            "person": {
                "url": "http://testserver/api/v1/people/speaker/",
                "slug": "speaker",
                "name": "Ada Speaker",
                "honorific": "",
                "role": "",
                "page_url": "https://site.example" + session.participants.get().get_absolute_url(),
            },
            "role": "moderator",
            "affiliation_text": "",
        }
    ]


def test_person_detail_hides_draft_affiliation_and_lists_public_sessions(client):
    person = make_person(slug="ada", affiliation=make_organisation(**DRAFT))
    add_participant(make_session(slug="talk"), person)
    add_participant(make_session(slug="secret", **DRAFT), person)
    data = client.get("/api/v1/people/ada/").json()
    assert data["affiliation"] is None
    assert [s["slug"] for s in data["sessions"]] == ["talk"]


def test_organisation_detail_lists_public_units_and_people(client):
    org = make_organisation(slug="un")
    make_organisation(slug="unesco", parent=org)
    make_organisation(slug="draft-unit", parent=org, **DRAFT)
    make_person(slug="guterres", affiliation=org)
    make_person(slug="draft-person", affiliation=org, **DRAFT)
    data = client.get("/api/v1/organisations/un/").json()
    assert [u["slug"] for u in data["units"]] == ["unesco"]
    assert [p["slug"] for p in data["people"]] == ["guterres"]


def test_topics_are_listed_with_their_page(client):
    topic = make_topic(slug="safety", name="Safety")
    data = client.get("/api/v1/topics/safety/").json()
    assert data["name"] == "Safety"
    assert data["page_url"] == "https://site.example" + topic.get_absolute_url()
    assert slugs(client.get("/api/v1/topics/")) == ["safety"]


def test_initiative_detail_has_amount_jurisdictions_and_public_signatories(client):
    lead = make_organisation(slug="elysee")
    initiative = make_initiative(
        slug="current-ai",
        title="Current AI",
        amount="2500000000",
        currency="USD",
        amount_qualifier="initial",
        jurisdictions=["FR", "EU"],
    )
    initiative.lead_organisations.add(lead, make_organisation(slug="hidden", **DRAFT))
    make_signatory(initiative, country="FR", stance="signed")
    make_signatory(initiative, country="US", stance="declined")
    make_signatory(initiative, organisation=make_organisation(slug="draft-org", **DRAFT))

    data = client.get("/api/v1/initiatives/current-ai/").json()
    assert data["amount"] == "2500000000.00"
    assert data["currency"] == "USD"
    assert data["amount_qualifier"] == "initial"
    assert data["jurisdictions"] == ["EU", "FR"]
    assert [o["slug"] for o in data["lead_organisations"]] == ["elysee"]
    assert {(s["country"], s["stance"]) for s in data["signatories"]} == {
        ("FR", "signed"),
        ("US", "declined"),
    }


def test_signatories_list_filters_by_stance(client):
    declaration = make_initiative(slug="declaration", kind="declaration")
    make_signatory(declaration, country="FR", stance="signed")
    make_signatory(declaration, country="GB", stance="declined")
    make_signatory(make_initiative(status=Status.DRAFT), country="DE", stance="declined")

    response = client.get("/api/v1/signatories/?stance=declined")
    results = response.json()["results"]
    assert [(r["country"], r["initiative"]["slug"]) for r in results] == [("GB", "declaration")]


def test_article_detail_embeds_authors_journal_and_related_items(client):
    journal = make_journal(slug="dap", title="Data & Policy")
    article = make_article(slug="paper", journal=journal, doi="10.1017/dap.2025.1")
    add_author(article, make_person(slug="author"), affiliation_text="University of Oxford")
    add_author(article, make_person(slug="draft-author", **DRAFT))
    article.collections.add(make_collection(slug="special", journal=journal))
    article.related_events.add(make_event(slug="summit"), make_event(slug="hidden", **DRAFT))

    data = client.get("/api/v1/articles/paper/").json()
    assert data["journal"]["slug"] == "dap"
    assert data["doi_url"] == "https://doi.org/10.1017/dap.2025.1"
    assert [(a["person"]["slug"], a["affiliation"]) for a in data["authors"]] == [
        ("author", "University of Oxford")
    ]
    assert [c["slug"] for c in data["collections"]] == ["special"]
    assert [e["slug"] for e in data["related_events"]] == ["summit"]


def test_collection_detail_lists_public_articles_and_journal(client):
    collection = make_collection(slug="special")
    make_article(slug="public", journal=collection.journal).collections.add(collection)
    make_article(slug="draft", journal=collection.journal, **DRAFT).collections.add(collection)
    data = client.get("/api/v1/collections/special/").json()
    assert [a["slug"] for a in data["articles"]] == ["public"]
    assert client.get(f"/api/v1/journals/{collection.journal.slug}/").status_code == 200


def test_news_detail_embeds_related_items(client):
    post = make_news_post(slug="summit-news")
    post.related_initiatives.add(make_initiative(slug="roost"))
    post.related_people.add(make_person(slug="hidden", **DRAFT))
    data = client.get("/api/v1/news/summit-news/").json()
    assert data["body"] == "<p>Body text.</p>"
    assert [i["slug"] for i in data["related_initiatives"]] == ["roost"]
    assert data["related_people"] == []


def test_read_endpoints_refuse_writes_with_405(client, partner):
    make_event(slug="summit")
    for caller in (client, partner.client):
        response = caller.post("/api/v1/events/", {}, format="json")
        assert response.status_code == 405
        assert response.json()["error"]["code"] == "method_not_allowed"
        assert caller.delete("/api/v1/events/summit/").status_code == 405


def test_unknown_api_address_is_a_json_404(client):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_initiative_and_session_details_name_each_other_when_published(client):
    event = make_event(slug="summit")
    shown = make_session(event=event, slug="panel")
    hidden = make_session(event=event, slug="hidden-panel", status=Status.DRAFT)
    initiative = make_initiative(slug="declaration")
    initiative.related_sessions.add(shown, hidden)
    make_initiative(slug="hidden-declaration", status=Status.DRAFT).related_sessions.add(shown)
    data = client.get("/api/v1/initiatives/declaration/").json()
    assert [s["slug"] for s in data["related_sessions"]] == ["panel"]
    data = client.get("/api/v1/sessions/summit/panel/").json()
    assert [i["slug"] for i in data["related_initiatives"]] == ["declaration"]
    assert data["related_initiatives"][0]["url"].endswith("/api/v1/initiatives/declaration/")
