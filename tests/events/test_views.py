"""Public pages for events, sessions, speakers, organisations and topics."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from core.publishing import Status
from events.models import Event, Session
from tests.factories import (
    add_participant,
    make_event,
    make_initiative,
    make_organisation,
    make_person,
    make_recording,
    make_session,
    make_signatory,
    make_topic,
    make_track,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def jsonld(response) -> dict:
    """The page's JSON-LD, read back with the standard JSON parser."""
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def summit(**kwargs) -> Event:
    kwargs.setdefault("title", "AI Action Summit")
    kwargs.setdefault("slug", "ai-action-summit")
    kwargs.setdefault("start", datetime(2025, 2, 10, 9, 0, tzinfo=PARIS))
    kwargs.setdefault("end", datetime(2025, 2, 11, 18, 0, tzinfo=PARIS))
    kwargs.setdefault("venue", "Grand Palais")
    kwargs.setdefault("city", "Paris")
    kwargs.setdefault("country", "FR")
    return make_event(**kwargs)


# --- URL scheme ------------------------------------------------------------------------------


def test_url_scheme_matches_the_published_addresses():
    event = summit()
    session = make_session(event=event, slug="opening")
    assert event.get_absolute_url() == "/events/ai-action-summit/"
    assert session.get_absolute_url() == "/events/ai-action-summit/sessions/opening/"
    assert make_person(slug="ada").get_absolute_url() == "/speakers/ada/"
    assert make_organisation(slug="unesco").get_absolute_url() == "/organisations/unesco/"
    assert make_topic(slug="safety").get_absolute_url() == "/topics/safety/"


# --- event list ------------------------------------------------------------------------------


def test_event_list_shows_published_upcoming_and_past_events(client):
    summit()
    make_event(
        title="Future Forum",
        start=timezone.now() + timedelta(days=30),
        end=timezone.now() + timedelta(days=31),
    )
    make_event(title="Hidden Draft", status=Status.DRAFT)
    make_event(title="Later Scheduled", publish_at=timezone.now() + timedelta(days=1))
    make_event(
        title="Gone Expired",
        publish_at=timezone.now() - timedelta(days=5),
        unpublish_at=timezone.now() - timedelta(days=1),
    )
    response = client.get("/events/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "AI Action Summit" in html
    assert "Future Forum" in html
    for hidden in ("Hidden Draft", "Later Scheduled", "Gone Expired"):
        assert hidden not in html


def test_event_list_is_paginated(client):
    for n in range(21):
        make_event(title=f"Past event {n:02}")
    first = client.get("/events/").content.decode()
    assert "Page 1 of 2" in first
    assert client.get("/events/?page=2").status_code == 200
    assert client.get("/events/?page=nonsense").status_code == 200


@pytest.mark.parametrize("count", [1, 4])
def test_event_list_query_count_does_not_grow(client, django_assert_num_queries, count):
    for _ in range(count):
        make_event()
        make_event(start=timezone.now() + timedelta(days=3), end=timezone.now() + timedelta(days=4))
    with django_assert_num_queries(4):
        assert client.get("/events/").status_code == 200


# --- event detail ----------------------------------------------------------------------------


def build_programme(event: Event, *, n: int = 1) -> None:
    track = make_track(event=event, title="Science track", order=1)
    host = make_organisation(name="UNESCO IFAP")
    for i in range(n):
        session = make_session(
            event=event,
            title=f"Panel {i}",
            track=track,
            room=f"Room {i % 2}",
            start=datetime(2025, 2, 10, 10 + i, 0, tzinfo=PARIS),
            end=datetime(2025, 2, 10, 11 + i, 0, tzinfo=PARIS),
        )
        add_participant(session, make_person(name=f"Speaker Person{i}"), role="moderator")
        side = make_session(
            event=event,
            title=f"Fringe {i}",
            programme=Session.Programme.SIDE,
            start=datetime(2025, 2, 11, 14, 0, tzinfo=PARIS),
            end=datetime(2025, 2, 11, 15, 0, tzinfo=PARIS),
        )
        side.hosts.add(host)


def test_event_page_shows_programme_in_local_time_with_zone_named(client):
    event = summit()
    build_programme(event)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Europe/Paris" in html
    assert "CET" in html
    assert "10:00" in html  # Paris time, not UTC (09:00)
    assert "Monday 10 February 2025" in html
    assert "Science track" in html
    assert "Speaker Person0" in html and "Moderator" in html


def test_event_page_lists_side_sessions_apart_with_hosts(client):
    event = summit()
    build_programme(event)
    html = client.get(event.get_absolute_url()).content.decode()
    side_part = html.split('id="side-heading"')[1]
    assert "Fringe 0" in side_part
    assert "Hosted by" in side_part and "UNESCO IFAP" in side_part
    assert "Fringe 0" not in html.split('id="side-heading"')[0].split('id="timetable-heading"')[0]


def test_event_page_has_a_timetable_grid_of_rooms(client):
    event = summit()
    build_programme(event, n=2)
    html = client.get(event.get_absolute_url()).content.decode()
    assert '<table class="timetable">' in html
    assert '<th scope="col" id="tt-2025-02-10-room-1">Room 0</th>' in html
    assert '<th scope="col" id="tt-2025-02-10-room-2">Room 1</th>' in html
    assert 'headers="tt-2025-02-10-room-2 tt-2025-02-10-at-2"' in html


def test_event_page_hides_draft_sessions_speakers_and_hosts(client):
    event = summit()
    make_session(event=event, title="Secret Session", status=Status.DRAFT)
    session = make_session(event=event, title="Open Session")
    add_participant(session, make_person(name="Hidden Speaker", status=Status.DRAFT))
    add_participant(session, make_person(name="Visible Speaker"))
    session.hosts.add(make_organisation(name="Draft Host Org", status=Status.DRAFT))
    event.organisers.add(make_organisation(name="Draft Organiser", status=Status.DRAFT))
    make_initiative(title="Draft Initiative", announced_at=event, status=Status.REVIEW)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Open Session" in html and "Visible Speaker" in html
    for hidden in (
        "Secret Session",
        "Hidden Speaker",
        "Draft Host Org",
        "Draft Organiser",
        "Draft Initiative",
    ):
        assert hidden not in html


@pytest.mark.parametrize(
    "kwargs",
    [
        {"status": Status.DRAFT},
        {"status": Status.REVIEW},
        {"publish_at": timezone.now() + timedelta(hours=1)},
        {
            "publish_at": timezone.now() - timedelta(days=2),
            "unpublish_at": timezone.now() - timedelta(hours=1),
        },
    ],
)
def test_unpublished_event_is_not_found(client, kwargs):
    event = make_event(**kwargs)
    assert client.get(event.get_absolute_url()).status_code == 404


def test_event_jsonld_describes_the_event(client):
    event = summit(attendance_mode=Event.AttendanceMode.HYBRID, website="https://example.org/s")
    event.organisers.add(make_organisation(name="Élysée"))
    build_programme(event)
    data = jsonld(client.get(event.get_absolute_url()))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "AI Action Summit"
    assert data["startDate"] == "2025-02-10T09:00:00+01:00"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    place, virtual = data["location"]
    assert place["name"] == "Grand Palais"
    assert place["address"]["addressCountry"] == "FR"
    assert virtual["@type"] == "VirtualLocation"
    assert data["organizer"][0]["name"] == "Élysée"
    assert data["performer"][0]["name"] == "Speaker Person0"
    assert data["url"] == "http://testserver-site.example/events/ai-action-summit/"


def test_jsonld_cannot_be_broken_out_of(client):
    event = summit(title="</script><script>alert(1)</script>")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert jsonld(client.get(event.get_absolute_url()))["name"].startswith("</script>")


def test_every_page_has_canonical_and_open_graph(client):
    event = summit()
    html = client.get(event.get_absolute_url()).content.decode()
    url = "http://testserver-site.example/events/ai-action-summit/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:title" content="AI Action Summit">' in html
    list_html = client.get("/events/?page=1&utm=x").content.decode()
    assert '<link rel="canonical" href="http://testserver-site.example/events/">' in list_html


def test_event_page_links_to_its_calendar(client):
    event = summit()
    html = client.get(event.get_absolute_url()).content.decode()
    assert 'href="/events/ai-action-summit/calendar.ics"' in html


@pytest.mark.parametrize("count", [1, 5])
def test_event_detail_query_count_does_not_grow(client, django_assert_num_queries, count):
    event = summit()
    event.organisers.add(make_organisation())
    build_programme(event, n=count)
    with django_assert_num_queries(14):
        assert client.get(event.get_absolute_url()).status_code == 200


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver-site.example"


# --- session detail --------------------------------------------------------------------------


def test_session_page_shows_speakers_roles_and_time(client):
    event = summit()
    session = make_session(
        event=event,
        title="Governing in the Age of AI",
        room="Salon 1",
        start=datetime(2025, 2, 10, 14, 30, tzinfo=PARIS),
        end=datetime(2025, 2, 10, 16, 0, tzinfo=PARIS),
    )
    add_participant(session, make_person(name="Alexander Iosad"), role="panellist")
    add_participant(session, make_person(name="Draft Person", status=Status.DRAFT))
    response = client.get(session.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Alexander Iosad" in html and "Panellist" in html
    assert "Draft Person" not in html
    assert "14:30" in html and "Europe/Paris" in html
    data = jsonld(response)
    assert data["@type"] == "Event"
    assert data["superEvent"]["name"] == "AI Action Summit"
    assert [p["name"] for p in data["performer"]] == ["Alexander Iosad"]


def test_session_of_a_draft_event_is_not_found(client):
    event = make_event(status=Status.DRAFT)
    session = make_session(event=event)
    assert client.get(session.get_absolute_url()).status_code == 404


def test_draft_session_is_not_found(client):
    session = make_session(status=Status.DRAFT)
    assert client.get(session.get_absolute_url()).status_code == 404


def test_session_under_the_wrong_event_is_not_found(client):
    session = make_session()
    other = make_event()
    assert client.get(f"/events/{other.slug}/sessions/{session.slug}/").status_code == 404


@pytest.mark.parametrize("count", [1, 4])
def test_session_detail_query_count_does_not_grow(client, django_assert_num_queries, count):
    session = make_session()
    for _ in range(count):
        add_participant(session, make_person(affiliation=make_organisation()))
        session.hosts.add(make_organisation())
        make_initiative().related_sessions.add(session)
        session.topics.add(make_topic())
        make_recording().sessions.add(session)
    with django_assert_num_queries(10):
        assert client.get(session.get_absolute_url()).status_code == 200


# --- speakers --------------------------------------------------------------------------------


def test_speaker_list_shows_only_published_people(client):
    make_person(name="Stefaan Verhulst", affiliation=make_organisation(name="Data for Policy"))
    make_person(name="Drafty McDraft", status=Status.DRAFT)
    make_person(
        name="Hidden Affiliated",
        affiliation=make_organisation(name="Secret Org", status=Status.DRAFT),
    )
    html = client.get("/speakers/").content.decode()
    assert "Stefaan Verhulst" in html and "Data for Policy" in html
    assert "Drafty McDraft" not in html
    assert "Hidden Affiliated" in html and "Secret Org" not in html


@pytest.mark.parametrize("count", [1, 5])
def test_speaker_list_query_count_does_not_grow(client, django_assert_num_queries, count):
    for _ in range(count):
        make_person(affiliation=make_organisation())
    with django_assert_num_queries(3):
        assert client.get("/speakers/").status_code == 200


def test_speaker_page_shows_sessions_with_roles_across_events(client):
    person = make_person(name="Stefaan Verhulst", orcid="0000-0002-1825-0097")
    first = make_session(event=summit(), title="The Future of AI Governance")
    second = make_session(title="Transforming Governance")
    hidden = make_session(title="Draft Roundtable", status=Status.DRAFT)
    hidden_event = make_session(event=make_event(status=Status.DRAFT), title="Draft Event Talk")
    add_participant(first, person, role="panellist")
    add_participant(second, person, role="chair")
    add_participant(hidden, person)
    add_participant(hidden_event, person)
    response = client.get(person.get_absolute_url())
    html = response.content.decode()
    assert "The Future of AI Governance" in html and "Panellist" in html
    assert "Transforming Governance" in html and "Chair" in html
    assert "Draft Roundtable" not in html and "Draft Event Talk" not in html
    data = jsonld(response)
    assert data["@type"] == "Person"
    assert data["sameAs"] == "https://orcid.org/0000-0002-1825-0097"


def test_draft_speaker_is_not_found(client):
    assert client.get(make_person(status=Status.DRAFT).get_absolute_url()).status_code == 404


@pytest.mark.parametrize("count", [1, 4])
def test_speaker_detail_query_count_does_not_grow(client, django_assert_num_queries, count):
    person = make_person(affiliation=make_organisation())
    for _ in range(count):
        add_participant(make_session(), person)
        make_recording().people.add(person)
    with django_assert_num_queries(9):
        assert client.get(person.get_absolute_url()).status_code == 200


# --- organisations ---------------------------------------------------------------------------


def test_organisation_list_shows_only_published(client):
    make_organisation(name="UNESCO")
    make_organisation(name="Stealth Startup", status=Status.DRAFT)
    html = client.get("/organisations/").content.decode()
    assert "UNESCO" in html and "Stealth Startup" not in html


@pytest.mark.parametrize("count", [1, 5])
def test_organisation_list_query_count_does_not_grow(client, django_assert_num_queries, count):
    for _ in range(count):
        make_organisation()
    with django_assert_num_queries(3):
        assert client.get("/organisations/").status_code == 200


def test_organisation_page_lists_events_sessions_initiatives_and_people(client):
    org = make_organisation(name="Tony Blair Institute", country="GB")
    event = make_event(title="Governing in the Age of AI")
    event.hosts.add(org)
    make_event(title="Draft Hosted", status=Status.DRAFT).hosts.add(org)
    session = make_session(title="Fringe Panel")
    session.hosts.add(org)
    led = make_initiative(title="Led Initiative")
    led.lead_organisations.add(org)
    make_initiative(title="Draft Led", status=Status.DRAFT).lead_organisations.add(org)
    declaration = make_initiative(title="Paris Statement", kind="declaration")
    make_signatory(declaration, organisation=org, stance="declined")
    make_person(name="Alexander Iosad", affiliation=org)
    make_person(name="Hidden Staffer", affiliation=org, status=Status.DRAFT)
    response = client.get(org.get_absolute_url())
    html = response.content.decode()
    for shown in (
        "Governing in the Age of AI",
        "Fringe Panel",
        "Led Initiative",
        "Paris Statement",
        "Declined to sign",
        "Alexander Iosad",
    ):
        assert shown in html
    for hidden in ("Draft Hosted", "Draft Led", "Hidden Staffer"):
        assert hidden not in html
    data = jsonld(response)
    assert data["@type"] == "Organization"
    assert data["name"] == "Tony Blair Institute"


@pytest.mark.parametrize("count", [1, 4])
def test_organisation_detail_query_count_does_not_grow(client, django_assert_num_queries, count):
    org = make_organisation()
    for _ in range(count):
        make_event().hosts.add(org)
        make_session().hosts.add(org)
        make_initiative().lead_organisations.add(org)
        make_person(affiliation=org)
    with django_assert_num_queries(9):
        assert client.get(org.get_absolute_url()).status_code == 200


# --- topics ----------------------------------------------------------------------------------


def test_topic_page_lists_published_items_only(client):
    topic = make_topic(name="AI safety", slug="ai-safety")
    make_event(title="Safety Summit").topics.add(topic)
    make_event(title="Draft Safety Event", status=Status.DRAFT).topics.add(topic)
    make_initiative(title="ROOST").topics.add(topic)
    make_initiative(title="Draft Tools", status=Status.DRAFT).topics.add(topic)
    response = client.get("/topics/ai-safety/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Safety Summit" in html and "ROOST" in html
    assert "Draft Safety Event" not in html and "Draft Tools" not in html
    assert jsonld(response)["name"] == "AI safety"


def test_unknown_topic_is_not_found_with_a_helpful_page(client):
    response = client.get("/topics/nothing-here/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'action="/search/"' in response.content.decode()


@pytest.mark.parametrize("count", [1, 4])
def test_topic_detail_query_count_does_not_grow(client, django_assert_num_queries, count):
    topic = make_topic()
    for _ in range(count):
        make_event().topics.add(topic)
        make_session().topics.add(topic)
        make_initiative().topics.add(topic)
    with django_assert_num_queries(8):
        assert client.get(topic.get_absolute_url()).status_code == 200


def test_server_error_page_renders_without_any_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html and 'href="/"' in html


def test_special_track_names_its_organiser_and_its_published_collection(client):
    from tests.factories import make_collection, make_track

    event = summit()
    organiser = make_organisation(name="Global Center on AI Governance")
    track = make_track(event=event, title="Special Track on AI in Africa", organiser=organiser)
    make_session(event=event, track=track)
    make_collection(title="AI in Africa collection", track=track)
    make_collection(title="Unfinished collection", track=track, status=Status.DRAFT)

    html = client.get(event.get_absolute_url()).content.decode()
    assert "Organised by" in html and "Global Center on AI Governance" in html
    assert "AI in Africa collection" in html
    assert "Unfinished collection" not in html


def test_people_without_a_portrait_get_an_initials_avatar_hidden_from_screen_readers(client):
    person = make_person(name="Dr Jennifer Prendki", slug="jennifer-prendki")
    make_person(name="Ursula von der Leyen")
    listing = client.get("/speakers/").content.decode()
    assert '<span class="avatar" aria-hidden="true">JP</span>' in listing
    assert '<span class="avatar" aria-hidden="true">UL</span>' in listing
    page = client.get(person.get_absolute_url()).content.decode()
    assert 'class="avatar avatar--large" aria-hidden="true">JP</span>' in page
