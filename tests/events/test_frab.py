"""The frab schedule (schedule.xml, schedule.json): valid against the c3voc schemas, in the
event's zone, published sessions and people only, the same in both files."""

from __future__ import annotations

import json
import os
from datetime import datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest
from django.core.management import call_command
from lxml import etree

from core.publishing import Status
from events.models import Event, Recording, Session
from tests.factories import add_participant, make_event, make_person, make_session, make_track

pytestmark = pytest.mark.django_db

# The published c3voc schemas, kept beside the repository (../shared/schemas), not in it.
SCHEMAS = Path(
    os.environ.get("SCHEMAS_DIR", Path(__file__).resolve().parents[3] / "shared" / "schemas")
)
if not SCHEMAS.is_dir():
    if os.environ.get("CI"):
        raise RuntimeError(f"The frab schemas are missing from {SCHEMAS}.")
    pytest.skip(
        f"the c3voc schemas are not at {SCHEMAS} (set SCHEMAS_DIR)", allow_module_level=True
    )
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(scope="module")
def xml_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "frab-schedule.xml.xsd")))


@pytest.fixture(scope="module")
def json_validator():
    schema = json.loads((SCHEMAS / "frab-schedule.schema.json").read_text())
    return jsonschema.Draft6Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://policy.example.org"


@pytest.fixture
def summit():
    event = make_event(
        title="AI Action Summit",
        slug="ai-action-summit",
        start=datetime(2025, 2, 10, 9, 0, tzinfo=PARIS),
        end=datetime(2025, 2, 11, 18, 0, tzinfo=PARIS),
        timezone="Europe/Paris",
    )
    science = make_track(event=event, title="Science", slug="science")
    opening = make_session(
        event=event,
        title="Opening",
        slug="opening",
        kind=Session.Kind.KEYNOTE,
        room="Grand Palais",
        track=science,
        start=datetime(2025, 2, 10, 9, 30, tzinfo=PARIS),
        end=datetime(2025, 2, 10, 10, 45, tzinfo=PARIS),
        summary="Welcome & <opening>",
        slides_url="https://example.org/slides.pdf",
    )
    add_participant(opening, make_person(name="Anne Bouverot", slug="anne"))
    add_participant(opening, make_person(name="Draft Person", status=Status.DRAFT))
    Recording.objects.create(
        title="Opening video",
        slug="opening-video",
        url="https://video.example.org/1",
        status=Status.PUBLISHED,
        publish_at=event.start,
    ).sessions.add(opening)
    Recording.objects.create(
        title="Draft video", slug="draft-video", url="https://video.example.org/2"
    ).sessions.add(opening)
    make_session(
        event=event,
        title="Open models",
        slug="open-models",
        programme=Session.Programme.SIDE,
        online_url="https://example.org/live",
        start=datetime(2025, 2, 11, 14, 0, tzinfo=PARIS),
        end=datetime(2025, 2, 11, 15, 0, tzinfo=PARIS),
    )
    make_session(event=event, title="Untimed", start=None)
    # A pasted control character, which XML cannot hold, must not break the export.
    make_session(
        event=event,
        title="Pasted\x0btitle",
        start=datetime(2025, 2, 11, 16, 0, tzinfo=PARIS),
        room="Grand Palais",
    )
    make_session(event=event, title="Draft session", status=Status.DRAFT)
    return event


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response


def test_schedule_xml_is_valid_against_the_c3voc_schema(client, summit, xml_schema):
    response = get(client, "/events/ai-action-summit/schedule.xml")
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    document = etree.fromstring(response.content)
    xml_schema.assertValid(document)

    assert document.findtext("conference/time_zone_name") == "Europe/Paris"
    assert document.findtext("conference/acronym") == "ai_action_summit"
    assert [d.get("date") for d in document.findall("day")] == ["2025-02-10", "2025-02-11"]
    (opening,) = document.findall("day[@index='1']/room[@name='Grand Palais']/event")
    assert opening.findtext("title") == "Opening"
    assert opening.findtext("date") == "2025-02-10T09:30:00+01:00"
    assert opening.findtext("start") == "09:30"
    assert opening.findtext("duration") == "01:15"
    assert opening.findtext("track") == "Science"
    assert opening.findtext("type") == "keynote"
    assert opening.findtext("abstract") == "Welcome & <opening>"
    assert [p.text for p in opening.findall("persons/person")] == ["Anne Bouverot"]
    assert [link.get("href") for link in opening.findall("links/link")] == [
        "https://example.org/slides.pdf",
        "https://video.example.org/1",
    ]
    assert opening.findtext("url") == (
        "https://policy.example.org/events/ai-action-summit/sessions/opening/"
    )
    (side,) = document.findall("day[@index='2']/room[@name='Online']/event")
    assert side.findtext("track") == "Side sessions"
    assert {t.get("name") for t in document.findall("conference/track")} == {
        "Science",
        "Side sessions",
    }
    assert b"Untimed" not in response.content
    assert b"Draft" not in response.content


def test_schedule_json_is_valid_against_the_c3voc_schema(client, summit, json_validator):
    response = get(client, "/events/ai-action-summit/schedule.json")
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    json_validator.validate(data)

    conference = data["schedule"]["conference"]
    assert conference["time_zone_name"] == "Europe/Paris"
    assert conference["daysCount"] == 2
    assert [room["name"] for room in conference["rooms"]] == ["Grand Palais", "Online"]
    (opening,) = conference["days"][0]["rooms"]["Grand Palais"]
    assert opening["persons"][0]["name"] == "Anne Bouverot"
    assert opening["end"] == "2025-02-10T10:45:00+01:00"
    assert [link["type"] for link in opening["links"]] == ["slides", "media"]
    assert "Draft" not in response.content.decode()
    assert "Untimed" not in response.content.decode()


def test_xml_and_json_list_the_same_sessions_with_the_same_ids(client, summit):
    xml = etree.fromstring(get(client, "/events/ai-action-summit/schedule.xml").content)
    data = json.loads(get(client, "/events/ai-action-summit/schedule.json").content)
    from_xml = {(e.get("guid"), e.findtext("slug")) for e in xml.iter("event")}
    from_json = {
        (s["guid"], s["slug"])
        for day in data["schedule"]["conference"]["days"]
        for sessions in day["rooms"].values()
        for s in sessions
    }
    assert from_xml == from_json
    assert len(from_json) == 3


def test_the_validator_accepts_a_real_pretalx_schedule(json_validator):
    # The validator accepts a schedule pretalx really publishes and refuses a broken one, so
    # our passing means something. (The older frab and rc3 examples break its newer rules.)
    json_validator.validate(json.loads((SCHEMAS / "examples" / "pretalx-democon.json").read_text()))
    assert not json_validator.is_valid({"schedule": {"version": "1"}})


def test_an_event_in_another_zone_keeps_its_own_times(client, xml_schema, json_validator):
    zone = ZoneInfo("America/New_York")
    event = make_event(
        slug="un",
        timezone="America/New_York",
        start=datetime(2025, 9, 22, 9, 0, tzinfo=zone),
        end=datetime(2025, 9, 22, 18, 0, tzinfo=zone),
    )
    make_session(event=event, title="Late", start=datetime(2025, 9, 22, 23, 0, tzinfo=zone))
    xml = etree.fromstring(get(client, "/events/un/schedule.xml").content)
    xml_schema.assertValid(xml)
    assert xml.findtext("day/room/event/date") == "2025-09-22T23:00:00-04:00"
    assert xml.findtext("conference/acronym") == "un__"
    json_validator.validate(json.loads(get(client, "/events/un/schedule.json").content))


def test_draft_event_has_no_schedule(client):
    make_event(slug="hidden", status=Status.DRAFT)
    assert client.get("/events/hidden/schedule.xml").status_code == 404
    assert client.get("/events/hidden/schedule.json").status_code == 404


def test_schedule_queries_do_not_grow(client, django_assert_num_queries):
    event = make_event(slug="busy")
    track = make_track(event=event)

    def add():
        session = make_session(event=event, track=track)
        add_participant(session, make_person())

    add()
    with django_assert_num_queries(6):
        get(client, "/events/busy/schedule.xml")
    for _ in range(4):
        add()
    with django_assert_num_queries(6):
        get(client, "/events/busy/schedule.json")


def test_the_event_page_offers_the_schedule_to_conference_apps(client, summit):
    page = get(client, "/events/ai-action-summit/").content.decode()
    assert 'href="/events/ai-action-summit/schedule.xml"' in page
    assert 'href="/events/ai-action-summit/schedule.json"' in page


def test_every_demo_event_has_a_valid_schedule(client, xml_schema, json_validator):
    call_command("demo", "--no-serve", stdout=StringIO())
    events = list(Event.objects.published())
    assert events
    for event in events:
        xml = etree.fromstring(get(client, f"/events/{event.slug}/schedule.xml").content)
        assert xml_schema.validate(xml), (event.slug, xml_schema.error_log)
        json_validator.validate(
            json.loads(get(client, f"/events/{event.slug}/schedule.json").content)
        )
