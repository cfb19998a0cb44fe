"""An event's programme, arranged once: the page, its timetable and ``programme.json`` read it.

``arrange`` splits an event's sessions into the official programme by local day (in time
order, grouped by track for the page), the official sessions with no time yet, and the side
sessions. ``build_timetable`` lays the timed days out as a grid; ``programme_data`` gives the
same arrangement as plain data for the export.

Times are given in the event's own zone, with the zone named, because that is how the
programme is printed and how people at the venue read it. The export reads the same
prefetched lists as the calendar (``public_hosts`` and ``public_appearances`` on each
session) so it makes no query of its own.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.urls import reverse

from core.links import absolute_url

from .models import Event, Organisation, Session, Track

SCHEMA_VERSION = 1
#: The timetable's grid step.
SLOT_MINUTES = 15


@dataclass
class Day:
    """One local day of the official programme; ``date`` None holds the untimed sessions."""

    date: date | None
    sessions: list[Session] = field(default_factory=list)

    @property
    def tracks(self) -> list[dict[str, Any]]:
        """The day's sessions by track: the main programme first, then tracks in order."""
        groups: OrderedDict = OrderedDict()
        for session in self.sessions:
            groups.setdefault(session.track, []).append(session)
        ordered = sorted(
            groups.items(),
            key=lambda item: (
                item[0] is not None,
                item[0].order if item[0] else 0,
                item[0].title if item[0] else "",
            ),
        )
        return [{"track": track, "sessions": items} for track, items in ordered]


@dataclass
class Programme:
    event: Event
    days: list[Day]
    unscheduled: list[Session]
    side: list[Session]

    @property
    def days_for_page(self) -> list[Day]:
        """The timed days, then "time to be announced" for official sessions with no time."""
        untimed = [Day(None, self.unscheduled)] if self.unscheduled else []
        return [*self.days, *untimed]


def arrange(sessions: Iterable[Session], event: Event) -> Programme:
    """Official sessions by local day in the order given (time order), side sessions apart."""
    days: OrderedDict[date, Day] = OrderedDict()
    unscheduled: list[Session] = []
    side: list[Session] = []
    for session in sessions:
        if session.is_side_session:
            side.append(session)
        elif session.start is None:
            unscheduled.append(session)
        else:
            local_day = session.start.astimezone(event.tz).date()
            days.setdefault(local_day, Day(local_day)).sessions.append(session)
    return Programme(
        event=event, days=sorted(days.values(), key=lambda d: d.date), unscheduled=unscheduled,
        side=side,
    )  # fmt: skip


def build_timetable(programme: Programme) -> list[dict]:
    """Per day, a grid of rooms (columns) and 15-minute rows for the visual timetable."""
    event = programme.event
    timed = [s for day in programme.days for s in day.sessions if s.end]
    by_day: OrderedDict = OrderedDict()
    for session in sorted(timed, key=lambda s: s.start):
        by_day.setdefault(session.start.astimezone(event.tz).date(), []).append(session)
    days = []
    for day, items in by_day.items():
        rooms = sorted({s.room or "" for s in items}, key=lambda r: (r == "", r))
        first = min(s.start for s in items).astimezone(event.tz)
        first = first.replace(minute=first.minute - first.minute % SLOT_MINUTES, second=0)
        last = max(s.end for s in items).astimezone(event.tz)
        slots = max(1, int((last - first) / timedelta(minutes=SLOT_MINUTES)) + 1)
        cells = []
        for session in items:
            start_row = int((session.start - first) / timedelta(minutes=SLOT_MINUTES)) + 2
            length = max(1, round((session.end - session.start) / timedelta(minutes=SLOT_MINUTES)))
            cells.append(
                {
                    "session": session,
                    "row": start_row,
                    "row_end": start_row + length,
                    "column": rooms.index(session.room or "") + 2,
                }
            )
        labels = [
            {"time": first + timedelta(minutes=SLOT_MINUTES * i), "row": i + 2}
            for i in range(slots)
            if (first + timedelta(minutes=SLOT_MINUTES * i)).minute % 30 == 0
        ]
        days.append(
            {
                "date": day,
                "rooms": [
                    {"name": r or "Room to be announced", "column": i + 2}
                    for i, r in enumerate(rooms)
                ],
                "room_count": len(rooms),
                "cells": cells,
                "labels": labels,
                "rows": slots + 1,
            }
        )
    return days


def _local(value: datetime | None, event: Event) -> str | None:
    return value.astimezone(event.tz).isoformat() if value else None


def _organisation(organisation: Organisation | None) -> dict[str, Any] | None:
    if organisation is None or not organisation.is_published:
        return None
    return {
        "name": organisation.name,
        "acronym": organisation.acronym,
        "slug": organisation.slug,
        "url": absolute_url(organisation.get_absolute_url()),
    }


def _session(session: Session, event: Event) -> dict[str, Any]:
    return {
        "id": session.pk,
        "slug": session.slug,
        "title": session.title,
        "kind": session.kind,
        "programme": session.programme,
        "track": session.track.slug if session.track_id else None,
        "start": _local(session.start, event),
        "end": _local(session.end, event),
        "timezone": event.timezone,
        "room": session.room,
        "online_url": session.online_url,
        "summary": session.summary,
        "url": absolute_url(session.get_absolute_url()),
        "calendar_url": absolute_url(
            reverse("session-calendar", kwargs={"event_slug": event.slug, "slug": session.slug})
        ),
        "participants": [
            {
                "name": appearance.person.display_name,
                "slug": appearance.person.slug,
                "url": absolute_url(appearance.person.get_absolute_url()),
                "role": appearance.role,
                "role_label": appearance.get_role_display(),
                "affiliation": appearance.affiliation_text
                or (
                    appearance.person.affiliation.name
                    if appearance.person.affiliation and appearance.person.affiliation.is_published
                    else ""
                ),
            }
            for appearance in session.public_appearances
        ],
        "hosts": [_organisation(host) for host in session.public_hosts],
    }


def programme_data(*, programme: Programme, tracks: Iterable[Track]) -> dict[str, Any]:
    """Event, tracks, official sessions by local day (every day of the event, even empty),
    side sessions apart, untimed ones last."""
    event = programme.event
    days: dict[str, list[dict[str, Any]]] = {}
    day = event.local_start.date()
    while day <= event.local_end.date():
        days[day.isoformat()] = []
        day += timedelta(days=1)
    for programme_day in programme.days:
        days[programme_day.date.isoformat()] = [
            _session(session, event) for session in programme_day.sessions
        ]
    side = [_session(session, event) for session in programme.side]
    unscheduled = [_session(session, event) for session in programme.unscheduled]
    return {
        "version": SCHEMA_VERSION,
        "event": {
            "title": event.title,
            "slug": event.slug,
            "kind": event.kind,
            "summary": event.summary,
            "start": _local(event.start, event),
            "end": _local(event.end, event),
            "timezone": event.timezone,
            "venue": event.venue,
            "city": event.city,
            "country": event.country.code or None,
            "attendance_mode": event.attendance_mode,
            "event_status": event.event_status,
            "url": absolute_url(event.get_absolute_url()),
            "calendar_url": absolute_url(reverse("event-calendar", kwargs={"slug": event.slug})),
        },
        "tracks": [
            {
                "slug": track.slug,
                "title": track.title,
                "is_special": track.is_special,
                "organiser": _organisation(track.organiser),
            }
            for track in tracks
        ],
        "days": [{"date": date, "sessions": items} for date, items in sorted(days.items())],
        "side_sessions": side,
        "unscheduled_sessions": unscheduled,
    }
