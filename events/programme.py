"""An event's published programme as plain data, for the ``programme.json`` export.

Times are given in the event's own zone, with the zone named, because that is
how the programme is printed and how people at the venue read it. The builder
reads the same prefetched lists as the calendar (``public_hosts`` and
``public_appearances`` on each session) so it makes no query of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.urls import reverse

from core.links import absolute_url

from .models import Event, Organisation, Session, Track

SCHEMA_VERSION = 1


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


def programme_data(
    *, event: Event, tracks: Iterable[Track], sessions: Iterable[Session]
) -> dict[str, Any]:
    """Event, tracks, official sessions by local day, side sessions apart, untimed ones last."""
    days: dict[str, list[dict[str, Any]]] = {}
    day = event.local_start.date()
    while day <= event.local_end.date():
        days[day.isoformat()] = []
        day += timedelta(days=1)
    side: list[dict[str, Any]] = []
    unscheduled: list[dict[str, Any]] = []
    for session in sessions:
        data = _session(session, event)
        if session.is_side_session:
            side.append(data)
        elif session.start is None:
            unscheduled.append(data)
        else:
            days.setdefault(session.local_start.date().isoformat(), []).append(data)
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
