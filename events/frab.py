"""An event's schedule in the frab format (``schedule.xml`` and ``schedule.json``), read by
conference apps (Giggity, EventFahrplan, info-beamer screens) and video teams.

One arrangement, ``schedule_data``, follows the c3voc JSON schema; the XML builder writes the
same data in the c3voc XML schema's shape, so the two files never disagree. Both read the
prefetched lists of ``events.exports.with_session_details`` (published hosts, published
participants) and make no query of their own.

What frab cannot hold, and what we do about it:

- **Untimed sessions** are left out: frab places every session at a time in a room. They
  stay on the event page and in ``programme.json`` ("time to be announced"). A session with
  a start but no end is listed with a duration of ``00:00``.
- **Rooms**: a session without a room is in "Online" when it has an online link, else in
  "Room to be announced", so that apps can still place it.
- **Side sessions** are listed, in the track "Side sessions" unless they have a track of
  their own, so apps can show or hide them.
- **Days** are the event's local days (every day from its start to its end, plus any day a
  session falls on outside them), from 00:00 to 23:59 in the event's time zone.

Identifiers are stable: ``id`` is the session's primary key, ``guid`` a UUID5 of the session's
canonical address, and the frab ``slug`` is ``<acronym>-<id>-<session slug>``.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Any

from django.urls import reverse
from django.utils.html import strip_tags
from lxml import etree

from core.links import absolute_url
from core.xmltext import xml_safe

from .models import Event, Session, Track

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
TIMESLOT = "00:15"
SIDE_TRACK = "Side sessions"
ONLINE_ROOM = "Online"
UNKNOWN_ROOM = "Room to be announced"


def acronym(event: Event) -> str:
    """The event's slug as a frab acronym (lower-case letters, digits and ``_``, 4 or more)."""
    value = re.sub(r"[^a-z0-9_]", "_", event.slug.lower())
    return value.ljust(4, "_")


def _guid(url: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, url))


def _hhmm(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _plain(rich: str) -> str:
    return strip_tags(rich or "").strip()


def _room(session: Session) -> str:
    if session.room:
        return session.room
    return ONLINE_ROOM if session.online_url else UNKNOWN_ROOM


def _track_slug(value: str) -> str | None:
    """The slug if both schemas accept it (a letter first, no trailing hyphen), else None."""
    slug = value.lower()
    return slug if re.fullmatch(r"[a-z][a-z0-9-]*[a-z0-9]", slug) else None


def _links(session: Session) -> list[dict[str, str]]:
    links = []
    if session.online_url:
        links.append({"type": "web", "url": session.online_url, "title": "Join online"})
    if session.slides_url:
        links.append({"type": "slides", "url": session.slides_url, "title": "Slides"})
    if session.recording_url:
        links.append({"type": "media", "url": session.recording_url, "title": "Recording"})
    # Published recordings (``public_recordings``, prefetched by the loader) on their hosts.
    for recording in getattr(session, "public_recordings", ()):
        links.append({"type": "media", "url": recording.url, "title": recording.title})
    return links


def _session(session: Session, event: Event, prefix: str) -> dict[str, Any]:
    url = absolute_url(
        reverse("session-detail", kwargs={"event_slug": event.slug, "slug": session.slug})
    )
    start = session.start.astimezone(event.tz)
    end = session.end.astimezone(event.tz) if session.end else start
    track = session.track.title if session.track_id else None
    if track is None and session.is_side_session:
        track = SIDE_TRACK
    slug = re.sub(r"[^a-z0-9_-]", "-", session.slug.lower()).strip("-_")
    return {
        "guid": _guid(url),
        "id": session.pk,
        "date": start.isoformat(),
        "start": start.strftime("%H:%M"),
        "end": end.isoformat(),
        "duration": _hhmm(end - start),
        "room": _room(session),
        "slug": f"{prefix}-{session.pk}-{slug}".rstrip("-_"),
        "url": url,
        "title": session.title,
        "subtitle": None,
        "track": track,
        "type": session.kind,
        "language": None,
        "abstract": session.summary or None,
        "description": _plain(session.description) or None,
        "persons": [
            {
                "id": appearance.person.pk,
                "guid": _guid(absolute_url(appearance.person.get_absolute_url())),
                "name": appearance.person.display_name,
                "url": absolute_url(appearance.person.get_absolute_url()),
            }
            for appearance in session.public_appearances
        ],
        "links": _links(session),
    }


def _days(event: Event, sessions: list[Session]) -> list[Any]:
    """Every local day of the event, and any day a session falls on outside it, in order."""
    days = set()
    day = event.local_start.date()
    while day <= event.local_end.date():
        days.add(day)
        day += timedelta(days=1)
    days |= {session.start.astimezone(event.tz).date() for session in sessions}
    return sorted(days)


def schedule_data(*, event: Event, sessions: Iterable[Session], tracks: Iterable[Track]) -> dict:
    """The event's timed, published sessions as a frab ``schedule.json`` document."""
    timed = sorted(
        (s for s in sessions if s.start is not None), key=lambda s: (s.start, s.title, s.pk)
    )
    prefix = acronym(event)
    event_url = absolute_url(event.get_absolute_url())
    track_list = [{"name": t.title, "slug": _track_slug(t.slug), "color": None} for t in tracks]
    if any(s.is_side_session and not s.track_id for s in timed):
        track_list.append({"name": SIDE_TRACK, "slug": "side-sessions", "color": None})
    room_names = sorted({_room(s) for s in timed}, key=lambda r: (r in (UNKNOWN_ROOM,), r))
    days = []
    for index, day in enumerate(_days(event, timed), start=1):
        day_start = datetime.combine(day, time(0, 0), event.tz)
        rooms: dict[str, list] = {}
        for session in timed:
            if session.start.astimezone(event.tz).date() == day:
                rooms.setdefault(_room(session), []).append(_session(session, event, prefix))
        days.append(
            {
                "index": index,
                "date": day.isoformat(),
                "day_start": day_start.isoformat(),
                "day_end": datetime.combine(day, time(23, 59), event.tz).isoformat(),
                "rooms": {name: rooms[name] for name in room_names if name in rooms},
            }
        )
    changed = max([event.updated_at, *(s.updated_at for s in timed)])
    return {
        "$schema": SCHEMA_URL,
        "generator": {"name": "policycms"},
        "schedule": {
            "url": absolute_url(reverse("event-schedule-json", kwargs={"slug": event.slug})),
            "version": changed.strftime("%Y-%m-%d %H:%M"),
            "base_url": absolute_url("/"),
            "conference": {
                "acronym": prefix,
                "title": event.title,
                "description": event.summary,
                "start": event.local_start.isoformat(),
                "end": event.local_end.isoformat(),
                "daysCount": len(days),
                "timeslot_duration": TIMESLOT,
                "time_zone_name": event.timezone,
                "url": event_url,
                "tracks": [{k: v for k, v in t.items() if v} for t in track_list],
                "rooms": [
                    {"name": name, "guid": _guid(f"{event_url}#room-{name}")} for name in room_names
                ],
                "days": days,
            },
        },
    }


def to_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _sub(parent: etree._Element, tag: str, text: Any = None, **attrib) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: xml_safe(v) for k, v in attrib.items() if v})
    if text is not None:
        element.text = xml_safe(text)
    return element


def to_xml(data: dict) -> bytes:
    """The same schedule in the frab ``schedule.xml`` shape (c3voc XML schema)."""
    schedule = data["schedule"]
    conference = schedule["conference"]
    root = etree.Element("schedule")
    _sub(root, "generator", name=data["generator"]["name"])
    _sub(root, "url", schedule["url"].replace("schedule.json", "schedule.xml"))
    _sub(root, "version", schedule["version"])
    element = _sub(root, "conference")
    for key in ("title", "acronym", "start", "end"):
        _sub(element, key, conference[key])
    _sub(element, "days", conference["daysCount"])
    _sub(element, "timeslot_duration", conference["timeslot_duration"])
    _sub(element, "base_url", schedule["base_url"])
    _sub(element, "url", conference["url"])
    _sub(element, "time_zone_name", conference["time_zone_name"])
    for track in conference["tracks"]:
        _sub(element, "track", name=track["name"], slug=track.get("slug"))
    room_guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    for day in conference["days"]:
        day_element = _sub(
            root,
            "day",
            index=day["index"],
            date=day["date"],
            start=day["day_start"],
            end=day["day_end"],
        )
        for room_name, sessions in day["rooms"].items():
            room = _sub(day_element, "room", name=room_name, guid=room_guids[room_name])
            for session in sessions:
                item = _sub(room, "event", id=session["id"], guid=session["guid"])
                for key in ("date", "start", "duration", "room", "slug", "url", "title"):
                    _sub(item, key, session[key])
                _sub(item, "subtitle", "")
                _sub(item, "track", session["track"] or "")
                _sub(item, "type", session["type"])
                _sub(item, "abstract", session["abstract"] or "")
                _sub(item, "description", session["description"] or "")
                persons = _sub(item, "persons")
                for person in session["persons"]:
                    _sub(persons, "person", person["name"], id=person["id"], guid=person["guid"])
                links = _sub(item, "links")
                for link in session["links"]:
                    _sub(links, "link", link["title"], href=link["url"], type=link["type"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
