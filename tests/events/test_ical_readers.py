"""Calendars read back by vobject, a parser independent of the icalendar library that writes them.

Each VEVENT must keep its summary, its start and end as the same instants in the event's own
zone (named by TZID), a UID found nowhere else in the file and the address of its page.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import vobject

from tests.factories import add_participant, make_event, make_person, make_session

pytestmark = pytest.mark.django_db

SITE = "https://policy.example.org"
PARIS = ZoneInfo("Europe/Paris")
DELHI = ZoneInfo("Asia/Kolkata")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def read(client, url: str) -> list:
    response = client.get(url)
    assert response.status_code == 200
    calendar = vobject.readOne(response.content.decode())
    assert calendar.name == "VCALENDAR"
    zones = {vtimezone.tzid.value for vtimezone in getattr(calendar, "vtimezone_list", [])}
    vevents = list(getattr(calendar, "vevent_list", []))
    # Every zone named by an entry is defined in the file.
    assert {tzid(vevent.dtstart)[0] for vevent in vevents} <= zones
    uids = [vevent.uid.value for vevent in vevents]
    assert len(uids) == len(set(uids)), uids
    return vevents


def by_summary(vevents: list) -> dict:
    return {vevent.summary.value: vevent for vevent in vevents}


def tzid(prop) -> list[str]:
    """The TZID a property was written with (vobject keeps it aside once it has resolved it)."""
    return prop.params.get("TZID") or prop.params.get("X-VOBJ-ORIGINAL-TZID")


def assert_times(vevent, *, zone: str, start: datetime, end: datetime) -> None:
    assert tzid(vevent.dtstart) == [zone]
    assert tzid(vevent.dtend) == [zone]
    assert vevent.dtstart.value.astimezone(UTC) == start.astimezone(UTC)
    assert vevent.dtend.value.astimezone(UTC) == end.astimezone(UTC)
    # The wall-clock time a reader sees is the event's local time.
    assert vevent.dtstart.value.replace(tzinfo=None) == start.replace(tzinfo=None)


@pytest.fixture
def summit():
    summit = make_event(
        title="AI Action Summit",
        slug="summit",
        start=datetime(2025, 2, 10, 9, 0, tzinfo=PARIS),
        end=datetime(2025, 2, 11, 18, 0, tzinfo=PARIS),
        timezone="Europe/Paris",
    )
    make_session(
        event=summit,
        title="Opening plenary",
        slug="opening",
        start=datetime(2025, 2, 10, 9, 30, tzinfo=PARIS),
        end=datetime(2025, 2, 10, 11, 0, tzinfo=PARIS),
    )
    make_session(
        event=summit,
        title="Closing plenary",
        slug="closing",
        start=datetime(2025, 2, 11, 16, 0, tzinfo=PARIS),
        end=datetime(2025, 2, 11, 17, 30, tzinfo=PARIS),
    )
    return summit


def test_event_calendar_reads_back_with_an_independent_parser(client, summit):
    vevents = by_summary(read(client, "/events/summit/calendar.ics"))

    assert set(vevents) == {"AI Action Summit", "Opening plenary", "Closing plenary"}
    assert_times(
        vevents["AI Action Summit"],
        zone="Europe/Paris",
        start=datetime(2025, 2, 10, 9, 0, tzinfo=PARIS),
        end=datetime(2025, 2, 11, 18, 0, tzinfo=PARIS),
    )
    assert_times(
        vevents["Closing plenary"],
        zone="Europe/Paris",
        start=datetime(2025, 2, 11, 16, 0, tzinfo=PARIS),
        end=datetime(2025, 2, 11, 17, 30, tzinfo=PARIS),
    )
    assert vevents["AI Action Summit"].url.value == f"{SITE}/events/summit/"
    assert vevents["Opening plenary"].url.value == f"{SITE}/events/summit/sessions/opening/"


def test_session_calendar_reads_back_with_an_independent_parser(client, summit):
    (vevent,) = read(client, "/events/summit/sessions/opening/calendar.ics")

    assert vevent.summary.value == "Opening plenary"
    assert_times(
        vevent,
        zone="Europe/Paris",
        start=datetime(2025, 2, 10, 9, 30, tzinfo=PARIS),
        end=datetime(2025, 2, 10, 11, 0, tzinfo=PARIS),
    )
    assert vevent.url.value == f"{SITE}/events/summit/sessions/opening/"
    assert vevent.uid.value.endswith("@policy.example.org")


def test_person_calendar_keeps_each_session_in_its_own_zone(client, summit):
    ada = make_person(name="Ada Lovelace", slug="ada")
    add_participant(summit.sessions.get(slug="opening"), ada)
    delhi = make_event(
        title="AI Impact Summit",
        slug="delhi",
        start=datetime(2026, 2, 19, 9, 0, tzinfo=DELHI),
        end=datetime(2026, 2, 20, 18, 0, tzinfo=DELHI),
        timezone="Asia/Kolkata",
    )
    add_participant(
        make_session(
            event=delhi,
            title="Impact keynote",
            slug="keynote",
            start=datetime(2026, 2, 19, 10, 0, tzinfo=DELHI),
            end=datetime(2026, 2, 19, 11, 0, tzinfo=DELHI),
        ),
        ada,
    )

    vevents = by_summary(read(client, "/speakers/ada/calendar.ics"))

    assert set(vevents) == {"Opening plenary", "Impact keynote"}
    assert_times(
        vevents["Opening plenary"],
        zone="Europe/Paris",
        start=datetime(2025, 2, 10, 9, 30, tzinfo=PARIS),
        end=datetime(2025, 2, 10, 11, 0, tzinfo=PARIS),
    )
    assert_times(
        vevents["Impact keynote"],
        zone="Asia/Kolkata",
        start=datetime(2026, 2, 19, 10, 0, tzinfo=DELHI),
        end=datetime(2026, 2, 19, 11, 0, tzinfo=DELHI),
    )
    assert vevents["Impact keynote"].url.value == f"{SITE}/events/delhi/sessions/keynote/"
