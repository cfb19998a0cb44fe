"""The event page costs the same with 100 sessions as with one: queries and URL look-ups."""

from collections import Counter
from datetime import timedelta

import pytest
from django.urls.resolvers import URLResolver

from core.publishing import Status
from tests.factories import (
    add_participant,
    make_event,
    make_member,
    make_organisation,
    make_person,
    make_session,
    make_track,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reverse_calls(monkeypatch) -> Counter:
    """Counts URL look-ups: every reverse() and {% url %} ends in the resolver's reverse."""
    calls: Counter = Counter()
    original = URLResolver._reverse_with_prefix

    def counting(self, lookup_view, _prefix, *args, **kwargs):
        calls[str(lookup_view)] += 1
        return original(self, lookup_view, _prefix, *args, **kwargs)

    monkeypatch.setattr(URLResolver, "_reverse_with_prefix", counting)
    return calls


def add_sessions(event, track, count: int) -> None:
    for n in range(count):
        start = event.start + timedelta(minutes=30 * (n % 16))
        session = make_session(
            event=event,
            track=None if n % 2 else track,
            start=start,
            end=start + timedelta(minutes=45),
            room=f"Room {n % 3}",
        )
        session.hosts.add(make_organisation())
        add_participant(session, make_person())
        add_participant(session, make_person(), role="moderator")


@pytest.fixture
def summit():
    event = make_event(slug="summit")
    return event, make_track(event=event, organiser=make_organisation())


def test_event_page_queries_do_not_grow_from_1_to_100_sessions(
    client, summit, django_assert_num_queries
):
    event, track = summit
    add_sessions(event, track, 1)
    client.get("/events/summit/")
    with django_assert_num_queries(13):
        assert client.get("/events/summit/").status_code == 200
    add_sessions(event, track, 99)
    # The writes made the cached menus out of date: rebuild them, then measure the page alone.
    client.get("/events/summit/")
    with django_assert_num_queries(13):
        html = client.get("/events/summit/").content.decode()
    assert html.count('class="session-title"') == 100
    assert html.count('class="tt-session') == 100


def test_event_page_url_lookups_do_not_grow_with_sessions(client, summit, reverse_calls):
    event, track = summit
    add_sessions(event, track, 1)
    client.get("/events/summit/")
    reverse_calls.clear()
    client.get("/events/summit/")
    with_one = sum(reverse_calls.values())

    add_sessions(event, track, 99)
    reverse_calls.clear()
    html = client.get("/events/summit/").content.decode()

    # Each URL name is looked up once per process (core.paths), then filled in per row.
    assert sum(reverse_calls.values()) == with_one, reverse_calls
    assert with_one < 40
    assert html.count("/events/summit/sessions/") >= 200  # the programme and the timetable


def test_programme_entry_shows_times_room_kind_hosts_people_and_draft_badges(client, summit):
    event, track = summit
    host = make_organisation(name="Inria")
    session = make_session(event=event, title="Opening panel", room="Salle 1", track=track)
    session.hosts.add(host)
    add_participant(session, make_person(name="Ada Lovelace"), role="moderator")
    draft_person = make_person(name="Draft Speaker", status=Status.DRAFT)
    add_participant(session, draft_person)

    html = client.get("/events/summit/").content.decode()
    entry = html.split('<li class="session" id="session-')[1].split("</li>\n")[0]
    assert f'<a href="/events/summit/sessions/{session.slug}/">Opening panel</a>' in entry
    assert '<time datetime="2025-02-10T10:00:00+01:00">10:00</time>' in entry
    assert '–<time datetime="2025-02-10T11:00:00+01:00">11:00</time> CET' in entry
    assert " · Salle 1 · " in entry
    assert f'Hosted by <a href="/organisations/{host.slug}/">Inria</a>' in entry
    assert '<span class="role">(Moderator)</span>' in entry
    assert "Draft Speaker" not in html
    assert "Not public" not in html

    client.force_login(make_member(username="ed", group="Editors"))
    html = client.get("/events/summit/").content.decode()
    assert "Draft Speaker</a> <span" in html and "Not public" in html
