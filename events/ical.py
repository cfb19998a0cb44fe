"""iCalendar (RFC 5545) export of events and sessions.

Times are written in the event's own IANA zone (``DTSTART;TZID=Europe/Paris:...``)
with a VTIMEZONE for every zone used, so a calendar shows 9:00 in Paris as 9:00
in Paris wherever it is opened. UIDs are derived from primary keys and the
site's domain, so re-importing a calendar updates entries instead of duplicating them.

The builders take objects already loaded by the caller; they read these
prefetched lists (see ``events.exports``) so that no query is made per item:
``event.public_organisers``, ``session.public_hosts``, ``session.public_appearances``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date, timedelta

import icalendar
from django.conf import settings
from django.utils.html import strip_tags

from core.links import absolute_url, site_host
from core.richtext import render_rich_text

from .models import Event, Organisation, Session

# What a calendar client should show for each of our event statuses.
ICAL_STATUS = {
    Event.EventStatus.SCHEDULED: "CONFIRMED",
    Event.EventStatus.COMPLETED: "CONFIRMED",
    Event.EventStatus.POSTPONED: "TENTATIVE",
    Event.EventStatus.CANCELLED: "CANCELLED",
}

PRODID = "-//{site}//Events//EN"


def plain_text(value: str) -> str:
    """Rich text as a visitor reads it, in plain text: paragraphs kept apart, entities decoded.

    Rendered first, so that a link to an item that is not public gives no more away here
    than on the page.
    """
    if not value:
        return ""
    value = str(render_rich_text(value))
    value = value.replace("</p>", "</p>\n\n").replace("<br>", "\n").replace("</li>", "</li>\n")
    text = html.unescape(strip_tags(value))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    # Collapse runs of blank lines left by the markup into one.
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{site_host()}"


def _join(*parts: str) -> str:
    return ", ".join(part for part in parts if part)


def event_location(event: Event) -> str:
    place = _join(event.venue, event.city, event.country.name if event.country else "")
    if not place and event.attendance_mode == Event.AttendanceMode.ONLINE:
        return "Online"
    return place


def session_location(session: Session) -> str:
    place = _join(session.room, event_location(session.event))
    return place or session.online_url


def _organizer(component: icalendar.Event, organisations: Iterable[Organisation]) -> None:
    """ORGANIZER is a URI; organisations have no mailbox, so their page stands in for one."""
    organisation = next(iter(organisations), None)
    if organisation is not None:
        component.add(
            "organizer",
            absolute_url(organisation.get_absolute_url()),
            parameters={"CN": organisation.name},
        )


def _common(component: icalendar.Event, obj, *, status: str) -> None:
    component.add("dtstamp", obj.updated_at)
    component.add("created", obj.created_at)
    component.add("last-modified", obj.updated_at)
    component.add("status", status)
    component.add("url", absolute_url(obj.get_absolute_url()))


def event_component(event: Event) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", uid("event", event.pk))
    component.add("summary", event.title)
    component.add("dtstart", event.local_start)
    component.add("dtend", event.local_end)
    _common(component, event, status=ICAL_STATUS.get(event.event_status, "CONFIRMED"))
    if location := event_location(event):
        component.add("location", location)
    description = "\n\n".join(
        part for part in (event.summary.strip(), plain_text(event.description)) if part
    )
    if description:
        component.add("description", description)
    _organizer(component, getattr(event, "public_organisers", []))
    return component


def session_component(session: Session) -> icalendar.Event:
    """A VEVENT for a session; the caller only passes sessions that have a start."""
    event = session.event
    component = icalendar.Event()
    component.add("uid", uid("session", session.pk))
    component.add("summary", session.title)
    component.add("dtstart", session.local_start)
    if session.end:
        component.add("dtend", session.local_end)
    _common(component, session, status=ICAL_STATUS.get(event.event_status, "CONFIRMED"))
    if location := session_location(session):
        component.add("location", location)
    people = [
        f"{appearance.person.display_name} ({appearance.get_role_display()})"
        for appearance in getattr(session, "public_appearances", [])
    ]
    description = "\n\n".join(
        part
        for part in (
            f"Part of {event.title}.",
            session.summary.strip(),
            plain_text(session.description),
            ("With: " + "; ".join(people)) if people else "",
            f"Online: {session.online_url}" if session.online_url else "",
        )
        if part
    )
    component.add("description", description)
    hosts = getattr(session, "public_hosts", [])
    _organizer(component, hosts or getattr(event, "public_organisers", []))
    return component


def build_calendar(
    *, name: str, events: Iterable[Event] = (), sessions: Iterable[Session] = ()
) -> icalendar.Calendar:
    """A calendar of the given events and (timed) sessions, with a VTIMEZONE per zone used."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID.format(site=settings.SITE_NAME))
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    days: list[date] = []
    for event in events:
        calendar.add_component(event_component(event))
        days += [event.local_start.date(), event.local_end.date()]
    for session in sessions:
        if session.start is None:
            continue
        calendar.add_component(session_component(session))
        days += [session.local_start.date(), (session.local_end or session.local_start).date()]
    if days:
        # Zone rules only for the years around the entries keep the file small.
        calendar.add_missing_timezones(
            first_date=date(min(days).year - 1, 1, 1),
            last_date=date(max(days).year + 1, 12, 31) + timedelta(days=1),
        )
    return calendar
