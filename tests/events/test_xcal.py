"""xCal (RFC 6321): an event's programme as XML, in the event's zone, published sessions only."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from core.publishing import Status
from tests.factories import make_event, make_session

pytestmark = pytest.mark.django_db
NS = {"x": "urn:ietf:params:xml:ns:icalendar-2.0"}
PARIS = ZoneInfo("Europe/Paris")


def sessions_by_summary(document) -> dict:
    return {
        vevent.findtext("x:properties/x:summary/x:text", namespaces=NS): vevent
        for vevent in document.iterfind("x:vcalendar/x:components/x:vevent", NS)
    }


def test_an_events_xcal_holds_its_published_sessions_in_its_time_zone(client):
    event = make_event(
        title="AI Action Summit",
        slug="summit",
        timezone="Europe/Paris",
        start=datetime(2025, 2, 10, 9, 0, tzinfo=PARIS),
        end=datetime(2025, 2, 11, 18, 0, tzinfo=PARIS),
    )
    make_session(
        event=event,
        title="Opening",
        room="Grand Palais",
        start=datetime(2025, 2, 10, 9, 30, tzinfo=PARIS),
        end=datetime(2025, 2, 10, 10, 45, tzinfo=PARIS),
    )
    make_session(event=event, title="Secret draft", status=Status.DRAFT)
    make_session(event=event, title="Untimed", start=None)

    response = client.get("/events/summit/calendar.xcs")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/calendar+xml; charset=utf-8"
    document = etree.fromstring(response.content)
    assert document.tag == "{urn:ietf:params:xml:ns:icalendar-2.0}icalendar"
    assert document.findtext("x:vcalendar/x:properties/x:version/x:text", namespaces=NS) == "2.0"
    vevents = sessions_by_summary(document)
    assert set(vevents) == {"AI Action Summit", "Opening"}
    opening = vevents["Opening"].find("x:properties", NS)
    start = opening.find("x:dtstart", NS)
    assert start.findtext("x:parameters/x:tzid/x:text", namespaces=NS) == "Europe/Paris"
    assert start.findtext("x:date-time", namespaces=NS) == "2025-02-10T09:30:00"
    assert opening.findtext("x:dtend/x:date-time", namespaces=NS) == "2025-02-10T10:45:00"
    assert opening.findtext("x:dtstamp/x:date-time", namespaces=NS).endswith("Z")
    assert opening.findtext("x:location/x:text", namespaces=NS).startswith("Grand Palais")
    assert "/events/summit/sessions/" in opening.findtext("x:url/x:uri", namespaces=NS)
    (zone,) = document.iterfind("x:vcalendar/x:components/x:vtimezone", NS)
    assert zone.findtext("x:properties/x:tzid/x:text", namespaces=NS) == "Europe/Paris"
    offsets = {
        e.text for e in zone.iterfind("x:components/*/x:properties/x:tzoffsetto/x:utc-offset", NS)
    }
    assert offsets == {"+01:00", "+02:00"}
    assert b"Secret draft" not in response.content
    assert b"Untimed" not in response.content


def test_a_draft_event_has_no_xcal(client):
    make_event(slug="hidden", status=Status.DRAFT)
    assert client.get("/events/hidden/calendar.xcs").status_code == 404


def test_the_event_page_offers_the_xcal(client):
    make_event(slug="summit")
    assert 'href="/events/summit/calendar.xcs"' in client.get("/events/summit/").content.decode()
