"""Importing a programme from a frab or pretalx schedule: the published examples, our own
export, a second import, a changed source, a dry run, bad files, the admin page and the
command, and who may import."""

from __future__ import annotations

import copy
import json
import os
from datetime import datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import strip_tags

from core.publishing import Status
from events.models import Event, Person, Session, SessionParticipant, Track
from events.schedule_import import (
    CREATE,
    UNCHANGED,
    UPDATE,
    ScheduleError,
    import_schedule,
    read_schedule,
)
from tests.factories import (
    add_participant,
    make_event,
    make_member,
    make_person,
    make_session,
    make_track,
)

pytestmark = pytest.mark.django_db

# The published examples, kept beside the repository (../shared/schemas), not in it.
SCHEMAS = Path(
    os.environ.get("SCHEMAS_DIR", Path(__file__).resolve().parents[3] / "shared" / "schemas")
)
EXAMPLES = ["frab-camp2019.json", "pretalx-democon.json", "pretalx-rc3.json"]
PARIS = ZoneInfo("Europe/Paris")
IMPORT_URL = "/admin/events/event/import-schedule/"


@pytest.fixture
def examples() -> Path:
    folder = SCHEMAS / "examples"
    if not folder.is_dir():
        if os.environ.get("CI"):
            raise RuntimeError(f"The example schedules are missing from {folder}.")
        pytest.skip(f"the example schedules are not at {folder} (set SCHEMAS_DIR)")
    return folder


def talk(guid: str, title: str, when: str = "2025-02-10T10:00:00+01:00", **fields) -> dict:
    """A session as pretalx writes it in schedule.json."""
    persons = fields.pop("persons", [("ADA001", "Ada Lovelace")])
    return {
        "id": abs(hash(guid)) % 10000,
        "guid": guid,
        "date": when,
        "start": when[11:16],
        "duration": fields.pop("duration", "00:30"),
        "room": fields.pop("room", "Salle Bleue"),
        "slug": f"summit-{guid[:6]}",
        "url": f"https://talks.example.org/summit/talk/{guid[:6]}/",
        "title": title,
        "subtitle": "",
        "track": fields.pop("track", "Science"),
        "type": fields.pop("type", "Talk"),
        "language": "en",
        "abstract": fields.pop("abstract", "What it is about."),
        "description": fields.pop("description", "First paragraph.\n\nSecond one."),
        "persons": [
            {"code": code, "public_name": name, "biography": f"{name} writes.", "answers": []}
            for code, name in persons
        ],
        "links": fields.pop("links", []),
        "attachments": [],
        **fields,
    }


def schedule(*sessions: dict, time_zone: str = "Europe/Paris", acronym: str = "summit") -> dict:
    """A pretalx-shaped schedule.json holding ``sessions``, one day per date."""
    days: dict[str, dict] = {}
    for session in sessions:
        day = session["date"][:10]
        rooms = days.setdefault(day, {})
        rooms.setdefault(session["room"] or "Room", []).append(session)
    return {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "schedule": {
            "version": "1.0",
            "base_url": "https://talks.example.org/summit/schedule/",
            "conference": {
                "acronym": acronym,
                "title": "AI Summit",
                "start": "2025-02-10",
                "end": "2025-02-11",
                "daysCount": len(days),
                "time_zone_name": time_zone,
                "timeslot_duration": "00:05",
                "days": [
                    {
                        "index": index,
                        "date": day,
                        "day_start": f"{day}T04:00:00+01:00",
                        "day_end": f"{day}T23:59:00+01:00",
                        "rooms": rooms,
                    }
                    for index, (day, rooms) in enumerate(sorted(days.items()), start=1)
                ],
            },
        },
    }


def as_file(data: dict) -> bytes:
    return json.dumps(data).encode()


def run(data: dict | bytes, **kwargs):
    content = data if isinstance(data, bytes) else as_file(data)
    return import_schedule(schedule=read_schedule(content), **kwargs)


@pytest.fixture
def summit():
    return make_event(
        title="AI Summit",
        slug="summit",
        timezone="Europe/Paris",
        start=datetime(2025, 2, 10, 9, 0, tzinfo=PARIS),
        end=datetime(2025, 2, 11, 18, 0, tzinfo=PARIS),
    )


def two_talks() -> dict:
    return schedule(
        talk("a0000000-0000-4000-8000-000000000001", "Opening", persons=[("ADA001", "Ada")]),
        talk(
            "a0000000-0000-4000-8000-000000000002",
            "Open models",
            "2025-02-11T14:00:00+01:00",
            duration="01:15",
            room="Salle Rouge",
            track="Policy",
            type="Workshop 90 min",
            persons=[("ADA001", "Ada"), ("GRC002", "Grace Hopper")],
        ),
    )


def counts() -> tuple[int, ...]:
    return (
        Event.objects.count(),
        Session.objects.count(),
        Person.objects.count(),
        Track.objects.count(),
        SessionParticipant.objects.count(),
    )


# --- The published examples -----------------------------------------------------------------


def events_in(data: dict) -> list[dict]:
    return [
        session
        for day in data["schedule"]["conference"]["days"]
        for sessions in day["rooms"].values()
        for session in sessions
    ]


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_schedule_imports_as_drafts_and_a_second_import_changes_nothing(
    examples, name
):
    content = (examples / name).read_bytes()
    data = json.loads(content)
    result = run(content)

    event = result.event
    assert result.event_created
    assert event.status == Status.DRAFT
    assert event.title == data["schedule"]["conference"]["title"]
    source = events_in(data)
    sessions = {s.source_id: s for s in event.sessions.select_related("track")}
    assert len(sessions) == len(source)
    assert {s.status for s in sessions.values()} == {Status.DRAFT}
    assert set(Person.objects.values_list("status", flat=True)) == {Status.DRAFT}
    first = source[0]
    imported = sessions[first["guid"]]
    assert imported.title == first["title"].strip()
    assert imported.start == datetime.fromisoformat(first["date"])
    assert imported.room == first["room"]
    assert imported.track.title == first["track"]
    assert [a.person.name for a in imported.appearances.select_related("person")] == [
        p["public_name"] for p in first["persons"]
    ]

    before = counts()
    again = run(content)
    assert counts() == before
    assert not again.has_changes
    assert {c.action for c in again.changes} == {UNCHANGED}
    assert again.event == event


def test_what_the_examples_cannot_give_us_is_reported(examples):
    result = run((examples / "frab-camp2019.json").read_bytes())
    notes = " ".join(result.notes)
    assert "subtitle" in notes
    assert "language" in notes
    assert "“Other”: performance (1)" in notes
    rc3 = run((examples / "pretalx-rc3.json").read_bytes())
    assert rc3.event.timezone == "UTC"
    assert any("names no time zone" in note for note in rc3.notes)


# --- Formats: XML and JSON give the same schedule -------------------------------------------

XML = """<?xml version="1.0" encoding="utf-8"?>
<schedule>
  <generator name="pretalx" version="2024.1"/>
  <version>1.0</version>
  <conference>
    <acronym>summit</acronym>
    <title>AI Summit</title>
    <start>2025-02-10</start>
    <end>2025-02-11</end>
    <days>2</days>
    <timeslot_duration>00:05</timeslot_duration>
    <base_url>https://talks.example.org/summit/schedule/</base_url>
    <time_zone_name>Europe/Paris</time_zone_name>
    <track name="Science" color="#112233"/>
  </conference>
  <day index="1" date="2025-02-10"
       start="2025-02-10T04:00:00+01:00" end="2025-02-11T03:59:00+01:00">
    <room name="Salle Bleue" guid="b379c473-93b9-4eae-9a09-d482e86cede3">
      <event guid="a0000000-0000-4000-8000-000000000001" id="1">
        <date>2025-02-10T10:00:00+01:00</date>
        <start>10:00</start>
        <duration>00:30</duration>
        <room>Salle Bleue</room>
        <slug>summit-1-opening</slug>
        <url>https://talks.example.org/summit/talk/OPEN01/</url>
        <recording><license></license><optout>false</optout></recording>
        <title>Opening</title>
        <subtitle></subtitle>
        <track>Science</track>
        <type>Talk</type>
        <language>en</language>
        <abstract>What it is about.</abstract>
        <description>First paragraph.

Second one.</description>
        <logo></logo>
        <persons><person id="7" code="ADA001">Ada</person></persons>
        <links><link href="https://example.org/slides.pdf">Slides</link></links>
        <attachments></attachments>
      </event>
    </room>
  </day>
</schedule>
"""


def test_xml_and_json_schedules_read_into_the_same_structure():
    session = talk(
        "a0000000-0000-4000-8000-000000000001",
        "Opening",
        persons=[("ADA001", "Ada")],
        links=[{"url": "https://example.org/slides.pdf", "title": "Slides"}],
    )
    for person in session["persons"]:
        del person["biography"]
    from_json = read_schedule(as_file(schedule(session)))
    from_xml = read_schedule(XML.encode())
    assert from_xml.format == "XML"
    assert from_xml.sessions == from_json.sessions
    assert from_xml.persons == from_json.persons
    assert from_xml.source == from_json.source == "talks.example.org"
    assert from_xml.tracks == ["Science"]


def test_an_xml_schedule_imports_its_sessions_people_and_links(summit):
    result = run(XML.encode(), event=summit)
    (session,) = summit.sessions.all()
    assert session.title == "Opening"
    assert session.start == datetime(2025, 2, 10, 10, 0, tzinfo=PARIS)
    assert session.end == datetime(2025, 2, 10, 10, 30, tzinfo=PARIS)
    assert session.kind == Session.Kind.TALK
    assert session.slides_url == "https://example.org/slides.pdf"
    assert session.description == "<p>First paragraph.</p><p>Second one.</p>"
    assert session.status == Status.DRAFT
    assert [p.name for p in session.participants.all()] == ["Ada"]
    assert result.counts()["session"][CREATE] == 1


# --- Idempotence, updates, dry runs ---------------------------------------------------------


def test_a_second_import_matches_on_the_sources_ids_and_changes_nothing(summit):
    run(two_talks(), event=summit)
    before = counts()
    assert before[1:] == (2, 2, 2, 3)
    again = run(two_talks(), event=summit)
    assert counts() == before
    assert again.summary() == [
        "tracks: 2 unchanged",
        "people: 2 unchanged",
        "sessions: 2 unchanged",
    ]


def test_a_changed_source_updates_the_right_rows_and_says_what_changed(summit):
    run(two_talks(), event=summit)
    untouched = Session.objects.get(title="Opening")
    changed = copy.deepcopy(two_talks())
    day2 = changed["schedule"]["conference"]["days"][1]["rooms"]["Salle Rouge"][0]
    day2["title"] = "Open models, revised"
    day2["duration"] = "01:30"
    day2["persons"] = [{"code": "GRC002", "public_name": "Grace Brewster Hopper"}]
    before = counts()

    result = run(changed, event=summit)

    assert counts()[:4] == before[:4]
    (session_change,) = [c for c in result.of(UPDATE) if c.kind == "session"]
    assert session_change.label == "Open models"
    fields = {f.name: (f.old, f.new) for f in session_change.fields}
    assert fields["title"] == ("Open models", "Open models, revised")
    assert fields["end"] == ("Tue 11 Feb 2025 15:15", "Tue 11 Feb 2025 15:30")
    assert fields["speakers"] == ("Ada, Grace Hopper", "Grace Brewster Hopper")
    (person_change,) = [c for c in result.of(UPDATE) if c.kind == "person"]
    assert [(f.name, f.old, f.new) for f in person_change.fields] == [
        ("name", "Grace Hopper", "Grace Brewster Hopper")
    ]
    session = Session.objects.get(source_id=day2["guid"])
    assert session.title == "Open models, revised"
    assert session.end == datetime(2025, 2, 11, 15, 30, tzinfo=PARIS)
    assert [p.name for p in session.participants.all()] == ["Grace Brewster Hopper"]
    assert Session.objects.get(pk=untouched.pk).updated_at == untouched.updated_at


def test_a_change_of_speakers_alone_marks_the_session_changed(summit):
    run(two_talks(), event=summit)
    session = Session.objects.get(title="Opening")
    changed = two_talks()
    opening = changed["schedule"]["conference"]["days"][0]["rooms"]["Salle Bleue"][0]
    opening["persons"] = [{"code": "GRC002", "public_name": "Grace Hopper"}]

    result = run(changed, event=summit)

    (change,) = [c for c in result.of(UPDATE) if c.kind == "session"]
    assert [(f.name, f.old, f.new) for f in change.fields] == [("speakers", "Ada", "Grace Hopper")]
    fresh = Session.objects.get(pk=session.pk)
    assert fresh.updated_at > session.updated_at
    assert [p.name for p in fresh.participants.all()] == ["Grace Hopper"]


def test_a_published_session_keeps_its_state_and_an_editors_own_speaker(summit):
    run(two_talks(), event=summit)
    session = Session.objects.get(title="Opening")
    session.status, session.publish_at = Status.PUBLISHED, summit.start
    session.save()
    moderator = make_person(name="Mod Erator")
    add_participant(session, moderator, role="moderator", order=5)
    changed = two_talks()
    changed["schedule"]["conference"]["days"][0]["rooms"]["Salle Bleue"][0]["room"] = "Amphi"

    run(changed, event=summit)

    session.refresh_from_db()
    assert session.room == "Amphi"
    assert session.status == Status.PUBLISHED
    assert moderator in session.participants.all()


def test_a_dry_run_writes_nothing_and_reports_what_it_would_do(summit):
    before = counts()
    result = run(two_talks(), event=summit, dry_run=True)
    assert counts() == before
    assert result.dry_run
    assert result.counts()["session"][CREATE] == 2
    assert result.counts()["person"][CREATE] == 2


def test_an_unchanged_reimport_reads_in_a_fixed_number_of_queries(django_assert_num_queries):
    def event_with(n: int) -> tuple[Event, dict]:
        event = make_event(
            slug=f"summit-{n}",
            timezone="Europe/Paris",
            start=datetime(2025, 2, 10, 9, tzinfo=PARIS),
        )
        data = schedule(
            *(
                talk(
                    f"b{n:07d}-0000-4000-8000-{i:012d}",
                    f"Talk {i}",
                    persons=[(f"P{i:05d}", f"Person {i}")],
                )
                for i in range(n)
            )
        )
        run(data, event=event)
        return event, data

    for n in (1, 6):
        event, data = event_with(n)
        with django_assert_num_queries(11):
            result = run(data, event=event, dry_run=True)
        assert not result.has_changes


# --- Our own export, round trip -------------------------------------------------------------


@pytest.fixture
def published_programme(settings):
    settings.SITE_URL = "https://policy.example.org"
    event = make_event(
        title="AI Action Summit",
        slug="ai-action-summit",
        start=datetime(2025, 2, 10, 9, 0, tzinfo=PARIS),
        end=datetime(2025, 2, 11, 18, 0, tzinfo=PARIS),
        timezone="Europe/Paris",
    )
    science = make_track(event=event, title="Science", slug="science")
    make_track(event=event, title="Policy", slug="policy")
    opening = make_session(
        event=event,
        title="Opening",
        kind=Session.Kind.KEYNOTE,
        room="Grand Palais",
        track=science,
        start=datetime(2025, 2, 10, 9, 30, tzinfo=PARIS),
        end=datetime(2025, 2, 10, 10, 45, tzinfo=PARIS),
        summary="Welcome & <opening>",
        description="<p>Hello <strong>world</strong>.</p>",
        slides_url="https://example.org/slides.pdf",
    )
    add_participant(opening, make_person(name="Anne Bouverot"))
    add_participant(opening, make_person(name="Yann LeCun"), order=1)
    make_session(
        event=event,
        title="Open models",
        kind=Session.Kind.WORKSHOP,
        programme=Session.Programme.SIDE,
        online_url="https://example.org/live",
        start=datetime(2025, 2, 11, 14, 0, tzinfo=PARIS),
        end=datetime(2025, 2, 11, 15, 0, tzinfo=PARIS),
    )
    make_session(
        event=event,
        title="Closing",
        room="Grand Palais",
        start=datetime(2025, 2, 11, 16, 0, tzinfo=PARIS),
        end=None,
    )
    return event


def programme(event: Event) -> set[tuple]:
    return {
        (
            s.title,
            s.start,
            s.end,
            s.room,
            s.track.title if s.track else None,
            s.kind,
            s.programme,
            s.summary,
            strip_tags(s.description),
            s.online_url,
            s.slides_url,
            tuple(a.person.name for a in s.appearances.select_related("person")),
        )
        for s in event.sessions.select_related("track")
    }


@pytest.mark.parametrize("format", ["json", "xml"])
def test_our_own_export_imports_into_a_fresh_event_with_the_same_programme(
    client, published_programme, format
):
    exported = client.get(f"/events/ai-action-summit/schedule.{format}").content
    fresh = make_event(
        slug="copy",
        status=Status.DRAFT,
        timezone="Europe/Paris",
        start=published_programme.start,
        end=published_programme.end,
    )

    result = run(exported, event=fresh)

    assert programme(fresh) == programme(published_programme)
    assert {t.title for t in fresh.tracks.all()} == {"Science", "Policy"}
    assert not any("Side sessions" in t.title for t in fresh.tracks.all())
    assert result.counts()["person"][CREATE] == 2
    assert {c.action for c in run(exported, event=fresh).changes} == {UNCHANGED}


# --- Drafts stay private --------------------------------------------------------------------


def test_imported_sessions_are_drafts_not_on_the_event_page_or_in_the_api(client, summit):
    run(two_talks(), event=summit)
    page = client.get("/events/summit/").content.decode()
    assert "Open models" not in page
    assert "Grace Hopper" not in page
    assert "Open models" not in client.get("/api/v1/sessions/").content.decode()
    assert "Grace" not in client.get("/api/v1/people/").content.decode()
    assert "Open models" not in client.get("/events/summit/schedule.json").content.decode()


# --- What cannot be mapped, and files that are not schedules --------------------------------


def test_unmappable_parts_are_reported_and_the_rest_imported(summit):
    data = schedule(
        talk("c0000000-0000-4000-8000-000000000001", "Far away", "2025-06-01T10:00:00+02:00"),
        talk("c0000000-0000-4000-8000-000000000002", "Nameless", persons=[("X00001", "")]),
        talk("c0000000-0000-4000-8000-000000000003", "Show", type="Performance"),
        time_zone="Mars/Olympus",
    )
    result = run(data, event=summit)
    notes = "\n".join(result.notes)
    assert "“Mars/Olympus” is not a time zone" in notes
    assert "“Far away” (day 2, Salle Bleue): its time" in notes
    assert "outside the event's dates; imported without a time" in notes
    assert "a person without a name was left out" in notes
    assert "Performance (1)" in notes
    far = Session.objects.get(title="Far away")
    assert far.start is None and far.end is None
    assert not Session.objects.get(title="Nameless").participants.exists()


def test_html_in_descriptions_and_biographies_is_sanitised_on_the_way_in(summit):
    session = talk(
        "e0000000-0000-4000-8000-000000000001",
        "Scripted",
        room="",
        description='<p>Hello</p><script>alert(1)</script><a href="javascript:alert(2)">x</a>',
    )
    session["persons"][0]["biography"] = '<p onclick="steal()">Writes <b>code</b>.</p>'
    data = schedule(session)
    data["schedule"]["conference"]["days"][0]["rooms"] = {"": [session]}

    result = run(data, event=summit)

    stored = Session.objects.get(title="Scripted")
    assert "script" not in stored.description
    assert "javascript" not in stored.description
    assert "<p>Hello</p>" in stored.description
    bio = Person.objects.get(name="Ada Lovelace").bio
    assert bio == "<p>Writes <b>code</b>.</p>"
    assert stored.room == ""
    assert "“Scripted” (day 1, no room): no room." in result.notes


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Title,Start\nOpening,10:00\n", "neither JSON nor XML"),
        (b'{"schedule": ', "not valid JSON"),
        (b'{"meetings": []}', "no schedule.conference object"),
        (b'{"schedule": {"conference": {"title": "x"}}}', "no list of days"),
        (b"<rss><channel/></rss>", "its root element is <rss>"),
        (b"<schedule><conference>", "not well-formed XML"),
        (
            json.dumps(
                schedule({**talk("d0000000-0000-4000-8000-000000000001", "x"), "title": ""})
            ).encode(),
            "a session has no title",
        ),
        (
            json.dumps(schedule({**talk("", "No id"), "id": None})).encode(),
            "the session “No id” has neither a guid nor an id",
        ),
    ],
)
def test_a_file_that_is_not_a_schedule_gets_a_clear_error_and_nothing_is_written(
    summit, content, message
):
    before = counts()
    with pytest.raises(ScheduleError) as error:
        run(content, event=summit)
    assert message in " ".join(error.value.messages)
    assert counts() == before


# --- The admin ------------------------------------------------------------------------------


def upload(client, data: bytes, name: str = "schedule.json", **fields):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data), **fields})


def test_an_editor_previews_an_upload_then_applies_it(client, summit):
    client.force_login(make_member(username="editor", group="Editors"))
    changelist = client.get(reverse("admin:events_event_changelist")).content.decode()
    assert f'href="{IMPORT_URL}"' in changelist

    change_page = client.get(reverse("admin:events_event_change", args=[summit.pk]))
    assert f'href="{IMPORT_URL}?event={summit.pk}"' in change_page.content.decode()
    form = client.get(f"{IMPORT_URL}?event={summit.pk}")
    assert form.context["form"]["event"].value() == str(summit.pk)

    preview = upload(client, as_file(two_talks()), event=summit.pk)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Nothing has been written yet" in page
    assert "sessions: 2 new" in page
    assert "Open models" in page
    assert Session.objects.count() == 0

    applied = client.post(IMPORT_URL, {"payload": preview.context["payload"]})
    assert applied.status_code == 302
    assert applied["Location"].startswith(reverse("admin:events_session_changelist"))
    assert set(summit.sessions.values_list("status", flat=True)) == {Status.DRAFT}
    assert summit.sessions.count() == 2

    changed = copy.deepcopy(two_talks())
    changed["schedule"]["conference"]["days"][0]["rooms"]["Salle Bleue"][0]["title"] = "Welcome"
    page = upload(client, as_file(changed), event=summit.pk).content.decode()
    assert "Changed" in page
    assert "Opening" in page and "Welcome" in page
    assert "unchanged" in page


def test_an_apply_refuses_when_the_programme_changed_since_the_preview(client, summit):
    client.force_login(make_member(username="editor", group="Editors"))
    run(two_talks(), event=summit)
    changed = copy.deepcopy(two_talks())
    changed["schedule"]["conference"]["days"][0]["rooms"]["Salle Bleue"][0]["title"] = "Welcome"
    preview = upload(client, as_file(changed), event=summit.pk)
    Session.objects.filter(title="Opening").update(room="Elsewhere")

    response = client.post(IMPORT_URL, {"payload": preview.context["payload"]})

    assert response.status_code == 200
    assert "changed since the preview" in response.content.decode()
    assert Session.objects.filter(title="Opening").exists()


def test_a_tampered_preview_is_refused(client, summit):
    client.force_login(make_member(username="editor", group="Editors"))
    response = client.post(IMPORT_URL, {"payload": "not-signed"}, follow=True)
    assert "expired or was altered" in response.content.decode()
    assert Session.objects.count() == 0


def test_a_bad_upload_shows_a_clear_message_and_writes_nothing(client, summit):
    client.force_login(make_member(username="editor", group="Editors"))
    before = counts()
    response = upload(client, b"<html><body>Our programme</body></html>", name="programme.html")
    assert response.status_code == 200
    assert "its root element is &lt;html&gt;, not &lt;schedule&gt;" in response.content.decode()
    assert counts() == before


def test_a_contributor_cannot_import(client, summit):
    client.force_login(make_member(username="contributor", group="Contributors"))
    changelist = client.get(reverse("admin:events_event_changelist")).content.decode()
    assert IMPORT_URL not in changelist
    change_page = client.get(reverse("admin:events_event_change", args=[summit.pk]))
    assert IMPORT_URL not in change_page.content.decode()
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, as_file(two_talks()), event=summit.pk).status_code == 403
    assert Session.objects.count() == 0


def test_the_upload_form_is_protected_against_cross_site_posts(summit):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_member(username="editor", group="Editors"))
    assert upload(client, as_file(two_talks()), event=summit.pk).status_code == 403


# --- The command ----------------------------------------------------------------------------


def test_the_command_shows_a_dry_run_then_imports(tmp_path, summit):
    path = tmp_path / "schedule.json"
    path.write_bytes(as_file(two_talks()))
    out = StringIO()
    call_command("import_schedule", str(path), "--event", "summit", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Would import schedule.json (JSON) into “AI Summit” (summit)." in text
    assert "sessions: 2 new" in text
    assert "+ session “Open models”: Tue 11 Feb 2025 14:00 · Salle Rouge · Policy" in text
    assert "Dry run: nothing was written." in text
    assert Session.objects.count() == 0

    out = StringIO()
    call_command("import_schedule", str(path), "--event", "summit", stdout=out)
    assert "New sessions and people are drafts for review." in out.getvalue()
    assert summit.sessions.count() == 2

    out = StringIO()
    call_command("import_schedule", str(path), stdout=out)  # the acronym is the event's slug
    assert "Nothing changed." in out.getvalue()


def test_the_command_creates_a_draft_event_for_a_new_schedule(tmp_path):
    path = tmp_path / "schedule.json"
    path.write_bytes(as_file(two_talks()))
    call_command("import_schedule", str(path), "--event", "new-summit", stdout=StringIO())
    event = Event.objects.get(slug="new-summit")
    assert event.status == Status.DRAFT
    assert event.timezone == "Europe/Paris"
    assert event.start == datetime(2025, 2, 10, 10, 0, tzinfo=PARIS)
    assert event.sessions.count() == 2


def test_the_command_refuses_a_bad_file_with_the_reason(tmp_path):
    path = tmp_path / "schedule.json"
    path.write_text("{}")
    with pytest.raises(CommandError, match=r"no schedule\.conference object"):
        call_command("import_schedule", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_schedule", str(tmp_path / "missing.json"), stdout=StringIO())
