"""The event programme as JSON: local times with the zone named, published items only."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.publishing import Status
from events.models import Session, SessionParticipant
from tests.factories import (
    add_participant,
    make_event,
    make_organisation,
    make_person,
    make_session,
    make_track,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://policy.example.org"


@pytest.fixture
def summit():
    return make_event(
        title="AI Action Summit",
        slug="summit",
        start=datetime(2025, 2, 10, 9, 0, tzinfo=PARIS),
        end=datetime(2025, 2, 11, 18, 0, tzinfo=PARIS),
    )


def get_programme(client, slug="summit") -> dict:
    response = client.get(f"/events/{slug}/programme.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_programme_groups_official_sessions_by_local_day(client, summit):
    track = make_track(event=summit, title="Science", slug="science")
    # 23:30 UTC on the 10th is already the 11th in Paris.
    late = make_session(
        event=summit,
        title="Late",
        track=track,
        start=datetime(2025, 2, 10, 23, 30, tzinfo=ZoneInfo("UTC")),
        end=datetime(2025, 2, 11, 0, 30, tzinfo=ZoneInfo("UTC")),
    )
    make_session(event=summit, title="Opening", start=datetime(2025, 2, 10, 9, 30, tzinfo=PARIS))

    data = get_programme(client)

    assert data["event"]["timezone"] == "Europe/Paris"
    assert data["event"]["start"] == "2025-02-10T09:00:00+01:00"
    assert data["event"]["calendar_url"] == (
        "https://policy.example.org/events/summit/calendar.ics"
    )
    assert data["tracks"] == [
        {"slug": "science", "title": "Science", "is_special": False, "organiser": None}
    ]
    days = {day["date"]: [s["title"] for s in day["sessions"]] for day in data["days"]}
    assert days == {"2025-02-10": ["Opening"], "2025-02-11": ["Late"]}
    (late_data,) = data["days"][1]["sessions"]
    assert late_data["start"] == "2025-02-11T00:30:00+01:00"
    assert late_data["timezone"] == "Europe/Paris"
    assert late_data["track"] == "science"
    assert late_data["url"] == f"https://policy.example.org/events/summit/sessions/{late.slug}/"


def test_side_sessions_are_listed_apart_with_their_published_hosts(client, summit):
    side = make_session(event=summit, title="Open models", programme=Session.Programme.SIDE)
    side.hosts.add(make_organisation(name="Inria"), make_organisation(status=Status.DRAFT))

    data = get_programme(client)

    assert all(not day["sessions"] for day in data["days"])
    (side_data,) = data["side_sessions"]
    assert side_data["title"] == "Open models"
    assert [host["name"] for host in side_data["hosts"]] == ["Inria"]


def test_participants_come_with_roles_and_drafts_are_left_out(client, summit):
    session = make_session(event=summit)
    inria = make_organisation(name="Inria")
    add_participant(session, make_person(name="Ada Lovelace", affiliation=inria), order=2)
    add_participant(
        session,
        make_person(name="Grace Hopper"),
        role=SessionParticipant.Role.MODERATOR,
        affiliation_text="US Navy",
        order=1,
    )
    add_participant(session, make_person(name="Hidden", status=Status.DRAFT))

    (day, _) = get_programme(client)["days"]
    participants = day["sessions"][0]["participants"]

    assert [(p["name"], p["role"], p["affiliation"]) for p in participants] == [
        ("Grace Hopper", "moderator", "US Navy"),
        ("Ada Lovelace", "speaker", "Inria"),
    ]


def test_unpublished_sessions_are_not_in_the_programme(client, summit):
    make_session(event=summit, title="Draft", status=Status.DRAFT)
    make_session(event=summit, title="Shown")

    data = get_programme(client)

    titles = [s["title"] for day in data["days"] for s in day["sessions"]]
    assert titles == ["Shown"]


def test_unpublished_event_has_no_programme(client):
    make_event(slug="draft", status=Status.DRAFT)

    assert client.get("/events/draft/programme.json").status_code == 404


@pytest.mark.parametrize("count", [1, 6])
def test_programme_queries_do_not_grow(client, summit, django_assert_num_queries, count):
    make_track(event=summit, organiser=make_organisation())
    for _ in range(count):
        session = make_session(event=summit)
        session.hosts.add(make_organisation())
        add_participant(session, make_person(affiliation=make_organisation()))

    # Event, tracks, sessions, hosts, participants.
    with django_assert_num_queries(5):
        data = get_programme(client)

    assert sum(len(day["sessions"]) for day in data["days"]) == count


def test_page_and_json_arrange_the_programme_alike(client, summit):
    """The page's days and the export's days list the same sessions in the same order."""
    late = make_session(
        event=summit, title="Closing plenary", start=datetime(2025, 2, 11, 16, 0, tzinfo=PARIS)
    )
    early = make_session(
        event=summit, title="Opening plenary", start=datetime(2025, 2, 10, 9, 30, tzinfo=PARIS)
    )
    make_session(
        event=summit,
        title="Evening debate",
        start=datetime(2025, 2, 10, 19, 0, tzinfo=PARIS),
        track=make_track(event=summit),
    )
    make_session(event=summit, title="Undated workshop", start=None, end=None)
    make_session(event=summit, title="Partner breakfast", programme=Session.Programme.SIDE)

    data = get_programme(client)
    page = client.get(summit.get_absolute_url()).content.decode()
    programme = page[
        page.index('id="programme-heading"') : page.index("</section>\n  \n")
        if "</section>\n  \n" in page
        else None
    ]
    days = programme.split('<section class="day">')[1:]

    json_days = [[s["title"] for s in day["sessions"]] for day in data["days"] if day["sessions"]]
    page_days = [
        [
            title
            for title in ("Opening plenary", "Evening debate", "Closing plenary")
            if title in day
        ]
        for day in days[:2]
    ]
    assert json_days == [["Opening plenary", "Evening debate"], ["Closing plenary"]]
    assert page_days == json_days
    assert "Time to be announced" in days[2] and "Undated workshop" in days[2]
    assert [s["title"] for s in data["unscheduled_sessions"]] == ["Undated workshop"]
    assert [s["title"] for s in data["side_sessions"]] == ["Partner breakfast"]
    assert "Partner breakfast" not in "".join(days)
    assert early.title in days[0] and late.title in days[1]
