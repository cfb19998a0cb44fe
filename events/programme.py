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

from django import forms
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


@dataclass
class Cell:
    """A session on the timetable: its room's column, and the rows (times) it spans."""

    session: Session
    rowspan: int
    headers: str


@dataclass
class Row:
    """One row of a day's timetable: the moment it starts, and the cells that start in it
    (``None`` for an empty slot; slots covered by a longer session above are left out)."""

    time: datetime
    id: str
    cells: list[Cell | None]


@dataclass
class Grid:
    """One day of the timetable as a table: rooms across (a room with overlapping sessions
    gets one column per lane), a row for every moment a session starts or ends."""

    date: date
    id: str
    rooms: list[dict[str, Any]]
    rows: list[Row]


def _grid_end(session: Session) -> datetime:
    """Where a session stops on the grid: its end, or one slot after a start with no end."""
    if session.end and session.end > session.start:
        return session.end
    return session.start + timedelta(minutes=SLOT_MINUTES)


def _lanes(items: list[Session]) -> list[list[Session]]:
    """Sessions of one room in as few lanes as possible, none overlapping within a lane."""
    lanes: list[list[Session]] = []
    for session in items:
        for lane in lanes:
            if _grid_end(lane[-1]) <= session.start:
                lane.append(session)
                break
        else:
            lanes.append([session])
    return lanes


def build_timetable(programme: Programme) -> list[Grid]:
    """Per local day of the official programme, a table of rooms (columns) by time (rows):
    a row starts at each moment a session starts or ends, so a session spans the rows of
    its duration exactly. Sessions with no room have a column of their own, last."""
    event = programme.event
    grids = []
    for day in programme.days:
        items = sorted(day.sessions, key=lambda s: (s.start, _grid_end(s), s.title))
        if not items:
            continue
        prefix = f"tt-{day.date.isoformat()}"
        rooms = sorted({s.room or "" for s in items}, key=lambda r: (r == "", r))
        columns: list[list[Session]] = []
        headers = []
        for number, room in enumerate(rooms, start=1):
            lanes = _lanes([s for s in items if (s.room or "") == room])
            headers.append(
                {
                    "name": room or "Room to be announced",
                    "id": f"{prefix}-room-{number}",
                    "span": len(lanes),
                }
            )
            columns += [(f"{prefix}-room-{number}", lane) for lane in lanes]
        moments = sorted({s.start for s in items} | {_grid_end(s) for s in items})
        index = {moment: i for i, moment in enumerate(moments)}
        rows = [
            Row(time=moment.astimezone(event.tz), id=f"{prefix}-at-{i + 1}", cells=[])
            for i, moment in enumerate(moments[:-1])
        ]
        covered: set[tuple[int, int]] = set()
        starts: dict[tuple[int, int], Session] = {}
        for column, (_, lane) in enumerate(columns):
            for session in lane:
                first, last = index[session.start], index[_grid_end(session)]
                starts[(first, column)] = session
                covered.update((r, column) for r in range(first + 1, last))
        for r, row in enumerate(rows):
            for column, (room_id, _) in enumerate(columns):
                if (r, column) in covered:
                    continue
                session = starts.get((r, column))
                if session is None:
                    row.cells.append(None)
                    continue
                span = index[_grid_end(session)] - r
                row.cells.append(Cell(session, span, f"{room_id} {row.id}"))
        grids.append(Grid(date=day.date, id=prefix, rooms=headers, rows=rows))
    return grids


# --- What is on now, and next ----------------------------------------------------------------


@dataclass
class NowAndNext:
    now: list[Session]
    next: list[Session]
    next_start: datetime | None
    next_another_day: bool = False


def now_and_next(sessions: Iterable[Session], event: Event, moment: datetime) -> NowAndNext | None:
    """While ``event`` runs (and is not cancelled or postponed), the timed sessions under way
    at ``moment`` and those that start next (all that share the soonest start). ``None``
    before the event, after it, or when nothing is on or to come."""
    if not event.start <= moment < event.end:
        return None
    if event.event_status in (Event.EventStatus.CANCELLED, Event.EventStatus.POSTPONED):
        return None
    timed = sorted((s for s in sessions if s.start), key=lambda s: (s.start, s.title))
    # A session with no end is never "now": nothing says when it stops being so.
    on = [s for s in timed if s.end and s.start <= moment < s.end]
    upcoming = [s for s in timed if s.start > moment]
    soonest = upcoming[0].start if upcoming else None
    following = [s for s in upcoming if s.start == soonest]
    if not on and not following:
        return None
    return NowAndNext(
        now=on,
        next=following,
        next_start=soonest.astimezone(event.tz) if soonest else None,
        next_another_day=bool(
            soonest and soonest.astimezone(event.tz).date() != moment.astimezone(event.tz).date()
        ),
    )


# --- Filters ---------------------------------------------------------------------------------


class ProgrammeFilterForm(forms.Form):
    """Day, track, room and kind, as GET parameters: the choices are those the event's
    programme has, each with its number of sessions. A value that is not among them is an
    error shown above the programme, and that filter is not applied."""

    day = forms.ChoiceField(required=False)
    track = forms.ChoiceField(required=False)
    room = forms.ChoiceField(required=False)
    kind = forms.ChoiceField(required=False)


def _facets(event: Event) -> dict[str, Any]:
    """What each filter reads of a session (``None``: nothing to filter by), and how a value
    is written when the label is not a track's title or a kind's name."""
    tz = event.tz
    return {
        "day": (
            lambda s: s.start.astimezone(tz).date().isoformat() if s.start else None,
            lambda value: (d := date.fromisoformat(value)) and f"{d:%A} {d.day} {d:%B}",
        ),
        "track": (lambda s: s.track.slug if s.track_id else None, None),
        "room": (lambda s: s.room or None, None),
        "kind": (lambda s: s.kind, None),
    }


FILTER_LABELS = {"day": "Day", "track": "Track", "room": "Room", "kind": "Kind"}
ANY = {"day": "Any day", "track": "Any track", "room": "Any room", "kind": "Any kind"}


@dataclass
class ProgrammeFilter:
    form: ProgrammeFilterForm
    sessions: list[Session]
    total: int
    #: The filters in use: (name, label, value label), for the summary above the programme.
    active: list[tuple[str, str, str]]


def filter_programme(sessions: list[Session], event: Event, params) -> ProgrammeFilter:
    """Narrow the event's sessions by the GET parameters ``params`` (day, track, room, kind).

    Done on the loaded list rather than in the query: the page needs every session anyway
    for its choices, their counts and "now and next", and this costs no query. Each choice's
    count is of the sessions that the other filters in use leave."""
    facets = _facets(event)
    labels = {"track": {}, "kind": dict(Session.Kind.choices)}
    for session in sessions:
        if session.track_id:
            labels["track"][session.track.slug] = session.track.title
    form = ProgrammeFilterForm(params)
    values: dict[str, str] = {}
    choices: dict[str, list[tuple[str, str]]] = {}

    def keep(session: Session, chosen: dict[str, str], skip: str | None = None) -> bool:
        return all(
            facets[name][0](session) == value
            for name, value in chosen.items()
            if value and name != skip
        )

    # First the values the programme has (so that an unknown one is refused), then counts.
    for name, (read, _) in facets.items():
        found = sorted({v for s in sessions if (v := read(s)) is not None})
        if name == "track":
            order = {s.track.slug: (s.track.order, s.track.title) for s in sessions if s.track_id}
            found.sort(key=lambda v: order[v])
        choices[name] = found
    for name in facets:
        form.fields[name].choices = [("", ANY[name])] + [(v, v) for v in choices[name]]
        form.fields[name].label = FILTER_LABELS[name]
    form.is_valid()
    for name in facets:
        values[name] = "" if name in form.errors else form.cleaned_data.get(name) or ""
    for name, (read, label) in facets.items():
        options = [("", ANY[name])]
        for value in choices[name]:
            count = sum(1 for s in sessions if read(s) == value and keep(s, values, skip=name))
            text = label(value) if label else labels.get(name, {}).get(value, value)
            options.append((value, f"{text} ({count})"))
        form.fields[name].choices = options
    for name in facets:
        # A filter with one choice or none narrows nothing: not offered (unless in use).
        if len(choices[name]) < 2 and not values[name] and name not in form.errors:
            del form.fields[name]
    chosen = [s for s in sessions if keep(s, values)]
    active = []
    for name, value in values.items():
        if value:
            text = dict(form.fields[name].choices)[value].rsplit(" (", 1)[0]
            active.append((name, FILTER_LABELS[name], text))
    return ProgrammeFilter(form=form, sessions=chosen, total=len(sessions), active=active)


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
