"""iCalendar exports, read back with icalendar's own parser."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from core.publishing import Status
from events.models import Event, Session, SessionParticipant
from tests.factories import (
    add_participant,
    make_event,
    make_organisation,
    make_person,
    make_session,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
DELHI = ZoneInfo("Asia/Kolkata")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://policy.example.org"


def read(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(calendar: Calendar) -> dict[str, object]:
    return {str(c["SUMMARY"]): c for c in calendar.walk("VEVENT")}


def make_summit(**kwargs) -> Event:
    return make_event(
        title="AI Action Summit",
        slug="summit",
        start=datetime(2025, 2, 10, 9, 0, tzinfo=PARIS),
        end=datetime(2025, 2, 11, 18, 0, tzinfo=PARIS),
        venue="Grand Palais",
        city="Paris",
        description="<p>Heads of state &amp; <strong>industry</strong>.</p><p>Second day.</p>",
        **kwargs,
    )


def test_event_calendar_has_the_event_and_its_published_sessions(client):
    summit = make_summit()
    make_session(event=summit, title="Opening plenary", room="Nef")
    make_session(event=summit, title="Draft panel", status=Status.DRAFT)
    make_session(
        event=summit,
        title="Scheduled panel",
        publish_at=timezone.now() + timedelta(days=1),
    )
    make_session(
        event=summit,
        title="Expired panel",
        publish_at=timezone.now() - timedelta(days=3),
        unpublish_at=timezone.now() - timedelta(days=1),
    )

    response = client.get("/events/summit/calendar.ics")

    assert response["Content-Disposition"] == 'attachment; filename="summit.ics"'
    assert set(vevents(read(response))) == {"AI Action Summit", "Opening plenary"}


def test_times_carry_the_event_zone_with_a_vtimezone(client):
    summit = make_summit()
    make_session(
        event=summit,
        title="Opening plenary",
        start=datetime(2025, 2, 10, 9, 30, tzinfo=PARIS),
        end=datetime(2025, 2, 10, 10, 15, tzinfo=PARIS),
    )

    calendar = read(client.get("/events/summit/calendar.ics"))

    session = vevents(calendar)["Opening plenary"]
    assert session["DTSTART"].params["TZID"] == "Europe/Paris"
    assert session["DTSTART"].dt == datetime(2025, 2, 10, 9, 30, tzinfo=PARIS)
    assert session["DTSTART"].dt.hour == 9
    assert session["DTEND"].dt == datetime(2025, 2, 10, 10, 15, tzinfo=PARIS)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert b"DTSTART;TZID=Europe/Paris:20250210T093000" in calendar.to_ical()


def test_event_fields_are_plain_and_absolute(client):
    summit = make_summit()
    organiser = make_organisation(name="Élysée", slug="elysee")
    summit.organisers.add(organiser, make_organisation(status=Status.DRAFT, name="Hidden"))

    event = vevents(read(client.get("/events/summit/calendar.ics")))["AI Action Summit"]

    assert str(event["UID"]) == f"event-{summit.pk}@policy.example.org"
    assert str(event["URL"]) == "https://policy.example.org/events/summit/"
    assert str(event["LOCATION"]) == "Grand Palais, Paris"
    assert str(event["DESCRIPTION"]) == "Heads of state & industry.\n\nSecond day."
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["ORGANIZER"]) == "https://policy.example.org/organisations/elysee/"
    assert event["ORGANIZER"].params["CN"] == "Élysée"


def test_uids_are_stable_between_downloads(client):
    summit = make_summit()
    make_session(event=summit, title="Opening plenary")

    first = read(client.get("/events/summit/calendar.ics"))
    second = read(client.get("/events/summit/calendar.ics"))

    assert [str(e["UID"]) for e in first.walk("VEVENT")] == [
        str(e["UID"]) for e in second.walk("VEVENT")
    ]


def test_cancelled_event_and_its_sessions_are_cancelled(client):
    summit = make_summit(event_status=Event.EventStatus.CANCELLED)
    make_session(event=summit, title="Opening plenary")

    calendar = read(client.get("/events/summit/calendar.ics"))

    assert {str(e["STATUS"]) for e in calendar.walk("VEVENT")} == {"CANCELLED"}


def test_postponed_event_is_tentative(client):
    make_summit(event_status=Event.EventStatus.POSTPONED)

    event = vevents(read(client.get("/events/summit/calendar.ics")))["AI Action Summit"]

    assert str(event["STATUS"]) == "TENTATIVE"


@pytest.mark.parametrize(
    "publishing",
    [
        {"status": Status.DRAFT},
        {"publish_at": timezone.now() + timedelta(days=1)},
        {
            "publish_at": timezone.now() - timedelta(days=3),
            "unpublish_at": timezone.now() - timedelta(days=1),
        },
    ],
    ids=["draft", "scheduled", "expired"],
)
def test_unpublished_event_has_no_calendar(client, publishing):
    summit = make_summit(**publishing)
    make_session(event=summit, slug="opening")

    assert client.get("/events/summit/calendar.ics").status_code == 404
    assert client.get("/events/summit/sessions/opening/calendar.ics").status_code == 404


def test_session_calendar_names_speakers_and_side_session_hosts(client):
    summit = make_summit()
    host = make_organisation(name="Inria", slug="inria")
    side = make_session(
        event=summit,
        title="Open models",
        slug="open-models",
        programme="side",
        room="Salle 2",
        description="<p>Why <em>open</em> matters.</p>",
    )
    side.hosts.add(host)
    add_participant(side, make_person(name="Ada Lovelace"), role=SessionParticipant.Role.MODERATOR)
    add_participant(side, make_person(name="Secret Person", status=Status.DRAFT))

    response = client.get("/events/summit/sessions/open-models/calendar.ics")

    assert response["Content-Disposition"] == 'attachment; filename="summit-open-models.ics"'
    (session,) = read(response).walk("VEVENT")
    description = str(session["DESCRIPTION"])
    assert "Why open matters." in description
    assert "Ada Lovelace (Moderator)" in description
    assert "Secret Person" not in description
    assert "<" not in description
    assert str(session["LOCATION"]) == "Salle 2, Grand Palais, Paris"
    assert session["ORGANIZER"].params["CN"] == "Inria"
    assert str(session["URL"]) == "https://policy.example.org/events/summit/sessions/open-models/"
    assert str(session["UID"]) == f"session-{side.pk}@policy.example.org"


def test_unpublished_session_has_no_calendar(client):
    summit = make_summit()
    make_session(event=summit, slug="draft", status=Status.DRAFT)

    assert client.get("/events/summit/sessions/draft/calendar.ics").status_code == 404


def test_person_calendar_spans_events_and_time_zones(client):
    person = make_person(name="Ada Lovelace", slug="ada")
    summit = make_summit()
    delhi = make_event(
        slug="delhi",
        timezone="Asia/Kolkata",
        start=datetime(2026, 2, 19, 10, 0, tzinfo=DELHI),
        end=datetime(2026, 2, 20, 17, 0, tzinfo=DELHI),
    )
    draft_event = make_event(status=Status.DRAFT)
    paris_talk = make_session(event=summit, title="Paris talk")
    delhi_talk = make_session(
        event=delhi, title="Delhi talk", start=datetime(2026, 2, 19, 11, 0, tzinfo=DELHI)
    )
    hidden = make_session(event=draft_event, title="Talk at a draft event")
    draft_talk = make_session(event=summit, title="Draft talk", status=Status.DRAFT)
    make_session(event=summit, title="Someone else's talk")
    for session in (paris_talk, delhi_talk, hidden, draft_talk):
        add_participant(session, person)
    # Two roles in one session must not list the session twice.
    add_participant(paris_talk, person, role=SessionParticipant.Role.CHAIR)

    response = client.get("/speakers/ada/calendar.ics")

    assert response["Content-Disposition"] == 'attachment; filename="ada.ics"'
    calendar = read(response)
    events = vevents(calendar)
    assert sorted(events) == ["Delhi talk", "Paris talk"]
    assert len(calendar.walk("VEVENT")) == 2
    assert events["Delhi talk"]["DTSTART"].params["TZID"] == "Asia/Kolkata"
    assert events["Delhi talk"]["DTSTART"].dt.hour == 11
    assert events["Paris talk"]["DTSTART"].params["TZID"] == "Europe/Paris"
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {
        "Asia/Kolkata",
        "Europe/Paris",
    }


def test_unpublished_person_has_no_calendar(client):
    make_person(slug="ada", status=Status.DRAFT)

    assert client.get("/speakers/ada/calendar.ics").status_code == 404


def test_untimed_session_is_left_out_of_the_calendar(client):
    summit = make_summit()
    untimed = make_session(event=summit, title="To be announced")
    Session.objects.filter(pk=untimed.pk).update(start=None, end=None)

    assert set(vevents(read(client.get("/events/summit/calendar.ics")))) == {"AI Action Summit"}


def _busy_sessions(event, count):
    for _ in range(count):
        session = make_session(event=event)
        session.hosts.add(make_organisation())
        add_participant(session, make_person(affiliation=make_organisation()))


@pytest.mark.parametrize("count", [1, 6])
def test_event_calendar_queries_do_not_grow(client, django_assert_num_queries, count):
    summit = make_summit()
    summit.organisers.add(make_organisation())
    _busy_sessions(summit, count)

    # Event with organisers (2), sessions with hosts and participants (3).
    with django_assert_num_queries(5):
        response = client.get("/events/summit/calendar.ics")

    assert len(read(response).walk("VEVENT")) == 1 + count


@pytest.mark.parametrize("count", [1, 6])
def test_person_calendar_queries_do_not_grow(client, django_assert_num_queries, count):
    person = make_person(slug="ada")
    for _ in range(count):
        event = make_event()
        event.organisers.add(make_organisation())
        session = make_session(event=event)
        session.hosts.add(make_organisation())
        add_participant(session, person)

    # Person, sessions, hosts, participants, event organisers.
    with django_assert_num_queries(5):
        response = client.get("/speakers/ada/calendar.ics")

    assert len(read(response).walk("VEVENT")) == count


def test_session_calendar_query_count(client, django_assert_num_queries):
    summit = make_summit()
    _busy_sessions(summit, 1)
    session = summit.sessions.get()

    with django_assert_num_queries(4):
        read(client.get(f"/events/summit/sessions/{session.slug}/calendar.ics"))
