"""The events app's downloads: iCalendar files of events, sessions and speakers (an event's
also in xCal), the programme as JSON and the schedule in the frab format, in the one export
pattern of ``core.exports``.

Each loader reads what it shows in a fixed number of queries, whatever the number of
sessions, and only ever what the public may see: the event, its sessions, their speakers and
hosts all go through ``published()``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from core.exports import Export
from core.publishing import prefetch_published

from . import frab, xcal
from .ical import build_calendar
from .models import Event, Organisation, Person, Recording, Session, SessionParticipant
from .programme import arrange, programme_data


def public_events() -> QuerySet[Event]:
    """Published events with their published organisers (``public_organisers``)."""
    return Event.objects.published().prefetch_related(
        prefetch_published("organisers", Organisation, to_attr="public_organisers")
    )


def with_session_details(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Sessions with their published hosts and published participants, in programme order."""
    return (
        sessions.select_related("track__organiser")
        .prefetch_related(
            prefetch_published("hosts", Organisation, to_attr="public_hosts"),
            Prefetch(
                "appearances",
                queryset=SessionParticipant.objects.published()
                .select_related("person__affiliation")
                .order_by("order", "id"),
                to_attr="public_appearances",
            ),
        )
        .order_by("start", "title", "pk")
    )


@dataclass
class Calendar:
    """What a calendar file holds: its name, file name, events and sessions."""

    name: str
    filename: str
    events: list[Event]
    sessions: QuerySet[Session] | list[Session]


def _with_event_organisers(sessions: QuerySet[Session]) -> QuerySet[Session]:
    return sessions.select_related("event").prefetch_related(
        prefetch_published("event__organisers", Organisation, to_attr="public_organisers")
    )


def event_calendar(*, slug: str) -> Calendar:
    """The event itself and every published session of it."""
    event = get_object_or_404(public_events(), slug=slug)
    # Going through the reverse manager gives every session this very event object.
    sessions = with_session_details(event.sessions.published())
    return Calendar(event.title, event.slug, [event], sessions)


def session_calendar(*, event_slug: str, slug: str) -> Calendar:
    session = get_object_or_404(
        _with_event_organisers(with_session_details(Session.objects.published())),
        event__slug=event_slug,
        slug=slug,
    )
    return Calendar(
        f"{session.title} ({session.event.title})",
        f"{session.event.slug}-{session.slug}",
        [],
        [session],
    )


def person_calendar(*, slug: str) -> Calendar:
    """Every published session the person takes part in, across events and time zones."""
    person = get_object_or_404(Person.objects.published(), slug=slug)
    sessions = _with_event_organisers(
        with_session_details(Session.objects.published()).filter(
            pk__in=SessionParticipant.objects.filter(person=person).values("session_id")
        )
    )
    return Calendar(f"Sessions with {person.display_name}", person.slug, [], sessions)


def ical(calendar: Calendar) -> bytes:
    return build_calendar(
        name=calendar.name, events=calendar.events, sessions=calendar.sessions
    ).to_ical()


def event_programme(*, slug: str) -> dict:
    event = get_object_or_404(Event.objects.published(), slug=slug)
    return programme_data(
        programme=arrange(with_session_details(event.sessions.published()), event),
        tracks=event.tracks.select_related("organiser").order_by("order", "title"),
    )


def event_schedule(*, slug: str) -> dict:
    """The frab schedule of a published event: its published sessions, tracks and people."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    sessions = with_session_details(event.sessions.published()).prefetch_related(
        prefetch_published("recordings", Recording, to_attr="public_recordings")
    )
    return frab.schedule_data(
        event=event,
        sessions=sessions,
        tracks=event.tracks.order_by("order", "title"),
    )


def xcal_calendar(calendar: Calendar) -> bytes:
    return xcal.to_xcal(
        build_calendar(name=calendar.name, events=calendar.events, sessions=calendar.sessions)
    )


def pretty_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


ICS = "text/calendar; charset=utf-8"

EXPORTS = [
    Export(
        "events/<slug:slug>/calendar.ics",
        "event-calendar",
        event_calendar,
        ical,
        ICS,
        lambda c: f"{c.filename}.ics",
    ),
    # The same calendar in XML (xCal, RFC 6321): see events.xcal.
    Export(
        "events/<slug:slug>/calendar.xcs",
        "event-xcal",
        event_calendar,
        xcal_calendar,
        "application/calendar+xml; charset=utf-8",
        lambda c: f"{c.filename}.xcs",
    ),
    Export(
        "events/<slug:slug>/programme.json",
        "event-programme-json",
        event_programme,
        pretty_json,
        "application/json",
    ),
    # For conference apps (Giggity, EventFahrplan, info-beamer): see events.frab.
    Export(
        "events/<slug:slug>/schedule.xml",
        "event-schedule-xml",
        event_schedule,
        frab.to_xml,
        "application/xml; charset=utf-8",
    ),
    Export(
        "events/<slug:slug>/schedule.json",
        "event-schedule-json",
        event_schedule,
        frab.to_json,
        "application/json",
    ),
    Export(
        "events/<slug:event_slug>/sessions/<slug:slug>/calendar.ics",
        "session-calendar",
        session_calendar,
        ical,
        ICS,
        lambda c: f"{c.filename}.ics",
    ),
    Export(
        "speakers/<slug:slug>/calendar.ics",
        "person-calendar",
        person_calendar,
        ical,
        ICS,
        lambda c: f"{c.filename}.ics",
    ),
]
