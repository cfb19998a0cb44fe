"""A visitor's agenda as a calendar: /events/<slug>/agenda.ics?sessions=1,2,3."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from core.publishing import Status
from tests.factories import add_participant, make_event, make_person, make_session

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
URL = "/events/summit/agenda.ics"


@pytest.fixture
def summit():
    return make_event(
        title="AI Action Summit",
        slug="summit",
        start=datetime(2025, 2, 10, 9, 0, tzinfo=PARIS),
        end=datetime(2025, 2, 11, 18, 0, tzinfo=PARIS),
    )


def summaries(response) -> list[str]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="summit-agenda.ics"'
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "My agenda: AI Action Summit"
    return sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))


def ids(*sessions) -> str:
    return ",".join(str(s.pk) for s in sessions)


def test_agenda_holds_the_chosen_published_timed_sessions_only(client, summit):
    chosen = make_session(event=summit, title="Opening plenary")
    other = make_session(event=summit, title="Data panel")
    make_session(event=summit, title="Not chosen")
    draft = make_session(event=summit, title="Draft panel", status=Status.DRAFT)
    later = make_session(
        event=summit, title="Embargoed panel", publish_at=timezone.now() + timedelta(hours=1)
    )
    untimed = make_session(event=summit, title="Undated workshop", start=None, end=None)
    elsewhere = make_session(title="Another event's session")
    url = f"{URL}?sessions={ids(chosen, other, draft, later, untimed, elsewhere)},999999"
    assert summaries(client.get(url)) == ["Data panel", "Opening plenary"]


def test_agenda_entries_carry_time_zone_and_speakers(client, summit):
    session = make_session(event=summit, title="Opening plenary", room="Nef")
    add_participant(session, make_person(name="Ada Lovelace"))
    add_participant(session, make_person(name="Hidden Person", status=Status.DRAFT))
    body = client.get(f"{URL}?sessions={session.pk}").content.decode()
    assert "DTSTART;TZID=Europe/Paris:20250210T100000" in body
    assert "BEGIN:VTIMEZONE" in body
    assert "Ada Lovelace" in body and "Hidden Person" not in body
    assert "LOCATION:Nef" in body


def test_repeated_ids_and_stray_commas_are_forgiven(client, summit):
    session = make_session(event=summit, title="Opening plenary")
    assert summaries(client.get(f"{URL}?sessions=,{session.pk},{session.pk},")) == [
        "Opening plenary"
    ]


@pytest.mark.parametrize(
    "query",
    ["", "?sessions=", "?sessions=abc", "?sessions=1,,2", "?sessions=1;2", "?sessions=-1",
     "?sessions=1.5", "?sessions=1%202", "?sessions=" + "9" * 40],
)  # fmt: skip
def test_a_malformed_list_is_a_400_with_a_plain_message(client, summit, query):
    response = client.get(URL + query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "?sessions=1,2,3" in response.content.decode()


def test_too_many_sessions_is_a_400(client, summit):
    response = client.get(URL + "?sessions=" + ",".join(str(n) for n in range(1, 202)))
    assert response.status_code == 400
    assert "at most 200 sessions" in response.content.decode()


def test_ids_too_large_for_any_row_are_ignored_not_an_error(client, summit):
    session = make_session(event=summit, title="Opening plenary")
    url = f"{URL}?sessions={session.pk},99999999999"
    assert summaries(client.get(url)) == ["Opening plenary"]


def test_no_calendar_when_nothing_chosen_is_public_and_timed(client, summit):
    draft = make_session(event=summit, status=Status.DRAFT)
    untimed = make_session(event=summit, start=None, end=None)
    assert client.get(f"{URL}?sessions={ids(draft, untimed)},424242").status_code == 404


def test_a_draft_event_has_no_agenda(client):
    event = make_event(slug="summit", status=Status.DRAFT)
    session = make_session(event=event)
    assert client.get(f"{URL}?sessions={session.pk}").status_code == 404


def test_only_get_and_head(client, summit):
    session = make_session(event=summit)
    assert client.post(f"{URL}?sessions={session.pk}").status_code == 405
    assert client.head(f"{URL}?sessions={session.pk}").status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_agenda_queries_do_not_grow(client, summit, django_assert_num_queries, count):
    sessions = []
    for n in range(count):
        session = make_session(event=summit, start=summit.start + timedelta(minutes=30 * n))
        add_participant(session, make_person())
        sessions.append(session)
    with django_assert_num_queries(5):
        assert client.get(f"{URL}?sessions={ids(*sessions)}").status_code == 200
