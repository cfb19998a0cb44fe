"""Import a programme from a frab or pretalx schedule (``schedule.json`` or ``schedule.xml``).

Three steps, each with one job:

1. **Read** (:func:`read_schedule`): the JSON or XML file becomes one :class:`Schedule`, the
   same intermediate structure whichever format it came in. A file that is not a schedule
   (not JSON or XML, another shape, sessions without a title or id) raises
   :class:`ScheduleError` with every problem found, and nothing is written.
2. **Plan and apply** (:func:`import_schedule`): the schedule is matched against the event
   on the source's own ids (a session's guid, a person's code or id on their host, a track's
   name), so importing the same file again changes nothing and a changed file updates the
   rows it changed. Everything runs in one transaction; a dry run makes the same moves and
   rolls them back, so its report (what would be created, updated field by field, left
   unchanged, or refused by validation) is exactly what applying would do.
3. **Report** (:class:`ImportResult`): the changes, and what could not be mapped: fields we
   have no place for, sessions without a time or a room, people without a name, times
   outside the event's dates, a time zone that is not one.

New people, sessions (and a new event) are created through the workflow as drafts, so they
wait for an editor's review; nothing is ever published by an import. Rows that exist already
are updated in place and keep their state. Every new or changed row passes the model's own
validation (``full_clean``, as in the admin forms); descriptions and biographies are cleaned
by ``core.richtext`` on their way in. Sessions imported before but missing from the file are
reported and left alone, never deleted.

Rooms are names on sessions here (frab's room guids are not reliable: pretalx gives several
rooms the same one), so a room is matched by its name.
"""

from __future__ import annotations

import hashlib
import json
import re
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from html import escape
from typing import Any
from urllib.parse import urlsplit

import reversion
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from lxml import etree

from core import workflow
from core.richtext import clean_rich_text

from . import frab
from .models import Event, Person, Session, SessionParticipant, Track, session_time_errors

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
#: What importing needs: editors only (an import changes items that are not one's own drafts).
IMPORT_PERMISSIONS = (
    "events.add_event",
    "events.add_session",
    "events.change_session",
    "events.add_person",
    "events.change_person",
    "events.add_track",
    "events.change_track",
)
#: Largest file accepted (the biggest real schedules are a few megabytes).
MAX_FILE_SIZE = 10 * 1024 * 1024

# Fields of a session we read, and those we know but have no place for.
SESSION_FIELDS = {
    "id", "guid", "code", "date", "start", "end", "duration", "room", "title", "track",
    "type", "abstract", "description", "persons", "links",
}  # fmt: skip
SESSION_FIELDS_NOT_KEPT = {
    "subtitle", "language", "logo", "recording_license", "do_not_record",
    "recording", "attachments", "answers", "feedback_url", "origin_url", "video_download_url",
}  # fmt: skip
PERSON_FIELDS = {"id", "guid", "code", "public_name", "name", "full_public_name", "biography"}
#: The source's own addresses and slugs for a session or person: nothing to report.
SOURCE_ADDRESSES = {"url", "slug"}
PERSON_FIELDS_NOT_KEPT = {"avatar", "answers", "email"}

# The source's session types, matched to ours by the first word found in them.
KIND_WORDS = [
    ("keynote", Session.Kind.KEYNOTE),
    ("fireside", Session.Kind.FIRESIDE),
    ("roundtable", Session.Kind.ROUNDTABLE),
    ("round table", Session.Kind.ROUNDTABLE),
    ("panel", Session.Kind.PANEL),
    ("workshop", Session.Kind.WORKSHOP),
    ("paper", Session.Kind.PAPER),
    ("lecture", Session.Kind.TALK),
    ("talk", Session.Kind.TALK),
    ("side event", Session.Kind.SIDE_EVENT),
]
ROLES = {value: value for value in SessionParticipant.Role.values} | {
    "speaker": SessionParticipant.Role.SPEAKER,
    "moderation": SessionParticipant.Role.MODERATOR,
    "submitter": SessionParticipant.Role.SPEAKER,
}
_HTML = re.compile(r"<(p|br|a|ul|ol|li|em|strong|b|i|h[1-6]|div|blockquote|pre|code)[\s>/]", re.I)
_is_url = URLValidator(schemes=["http", "https"])


class ScheduleError(Exception):
    """The file is not a schedule this importer can read; ``messages`` says why."""

    def __init__(self, messages: list[str] | str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(self.messages))


# --- The intermediate structure -------------------------------------------------------------


@dataclass
class SourcePerson:
    key: str
    name: str
    #: None when the source says nothing about it (then ours is left alone).
    bio: str | None = None


@dataclass
class SourceSession:
    key: str
    title: str
    where: str
    start: datetime | None = None
    end: datetime | None = None
    room: str = ""
    track: str = ""
    kind: str = ""
    summary: str = ""
    description: str = ""
    #: (type, url, title) as the source gives them.
    links: list[tuple[str, str, str]] = field(default_factory=list)
    #: (person key, role), in the source's order.
    speakers: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Schedule:
    """A schedule as read from a frab or pretalx file, whatever its format."""

    format: str
    source: str
    title: str = ""
    acronym: str = ""
    url: str = ""
    generator: str = ""
    timezone_name: str = ""
    tz: zoneinfo.ZoneInfo | None = None
    start: datetime | None = None
    end: datetime | None = None
    tracks: list[str] = field(default_factory=list)
    sessions: list[SourceSession] = field(default_factory=list)
    persons: dict[str, SourcePerson] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: Field name -> how many sessions (or people) had a value we cannot keep.
    not_kept: Counter = field(default_factory=Counter)
    unknown: Counter = field(default_factory=Counter)


# --- Reading --------------------------------------------------------------------------------


def read_schedule(content: bytes | str) -> Schedule:
    """Read a frab or pretalx ``schedule.json`` or ``schedule.xml`` (detected from its text)."""
    if isinstance(content, str):
        content = content.encode("utf-8")
    if len(content) > MAX_FILE_SIZE:
        raise ScheduleError(f"The file is larger than {MAX_FILE_SIZE // (1024 * 1024)} MB.")
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"{":
        try:
            data = json.loads(content.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ScheduleError("The file is not UTF-8 text.") from None
        except json.JSONDecodeError as exc:
            raise ScheduleError(
                f"The file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
            ) from None
        return _from_json(data)
    if head == b"<":
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
        )
        try:
            root = etree.fromstring(content, parser)
        except etree.XMLSyntaxError as exc:
            raise ScheduleError(f"The file is not well-formed XML: {exc}.") from None
        return _from_xml(root)
    raise ScheduleError(
        "The file is neither JSON nor XML: upload a frab or pretalx schedule.json or schedule.xml."
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _key(value: Any) -> str:
    return _text(value)[:100]


def _source_host(*urls: str) -> str:
    for url in urls:
        host = urlsplit(url or "").netloc.lower()
        if host:
            return host
    return ""


def _zone(name: str, notes: list[str]) -> zoneinfo.ZoneInfo | None:
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        notes.append(
            f"The schedule's time zone “{name}” is not a time zone: times are read from their "
            "own UTC offsets, and the event's time zone is left as it is."
        )
        return None


def _moment(value: str, tz: zoneinfo.ZoneInfo | None, *, end_of_day: bool = False):
    """A datetime (with its offset; a naive one in ``tz``), a date's start or end, or None."""
    value = _text(value)
    if not value:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day, time(23, 59) if end_of_day else time(0), tz or UTC)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=tz or UTC)
    return moment


def _duration(value: str) -> timedelta | None:
    parts = _text(value).split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        return None
    hours, minutes, *seconds = (int(p) for p in parts)
    return timedelta(hours=hours, minutes=minutes, seconds=seconds[0] if seconds else 0)


class _Reader:
    """Builds a :class:`Schedule` from dicts shaped like the JSON format's (XML is turned
    into the same dicts first), collecting every problem before giving up."""

    def __init__(self, schedule: Schedule):
        self.schedule = schedule
        self.problems: list[str] = []
        self.seen: set[str] = set()

    def person(self, raw: Any, where: str) -> tuple[str, str] | None:
        if not isinstance(raw, dict):
            self.problems.append(f"{where}: a person is not an object.")
            return None
        name = next(
            (
                _text(raw.get(k))
                for k in ("public_name", "name", "full_public_name")
                if _text(raw.get(k))
            ),
            "",
        )
        schedule = self.schedule
        if not name:
            schedule.notes.append(f"{where}: a person without a name was left out.")
            return None
        key = _key(raw.get("code") or raw.get("guid") or raw.get("id")) or f"name:{name.casefold()}"
        for name_of_field, value in raw.items():
            if value in (
                None,
                "",
                [],
                {},
                False,
            ) or name_of_field in PERSON_FIELDS | SOURCE_ADDRESSES | {"role"}:
                continue
            counter = (
                schedule.not_kept if name_of_field in PERSON_FIELDS_NOT_KEPT else schedule.unknown
            )
            counter[f"person {name_of_field}"] += 1
        person = schedule.persons.get(key)
        bio = _text(raw["biography"]) if "biography" in raw else None
        if person is None:
            schedule.persons[key] = SourcePerson(key=key, name=name[:200], bio=bio)
        elif person.bio is None and bio is not None:
            person.bio = bio
        role = ROLES.get(_text(raw.get("role")).lower(), SessionParticipant.Role.SPEAKER)
        return key, role

    def session(self, raw: Any, *, day: date | None, room: str, where: str) -> None:
        schedule = self.schedule
        if not isinstance(raw, dict):
            self.problems.append(f"{where}: a session is not an object.")
            return
        title = _text(raw.get("title"))
        key = _key(raw.get("guid") or raw.get("code") or raw.get("id"))
        if not title:
            self.problems.append(f"{where}: a session has no title.")
        if not key:
            self.problems.append(f"{where}: the session “{title}” has neither a guid nor an id.")
        if not title or not key:
            return
        where = f"“{title}” ({where})"
        if key in self.seen:
            schedule.notes.append(
                f"{where}: listed twice under the same guid; the second was left out."
            )
            return
        self.seen.add(key)
        for name, value in raw.items():
            if value in (None, "", [], {}, False) or name in SESSION_FIELDS | SOURCE_ADDRESSES:
                continue
            (schedule.not_kept if name in SESSION_FIELDS_NOT_KEPT else schedule.unknown)[name] += 1
        start = _moment(raw.get("date"), schedule.tz)
        if (
            start is None
            and day
            and re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", _text(raw.get("start")))
        ):
            start = datetime.combine(
                day, time.fromisoformat(_text(raw["start"]).zfill(5)), schedule.tz or UTC
            )
        end = None
        if start is not None:
            length = _duration(raw.get("duration"))
            if length:
                end = start + length
            elif not _text(raw.get("duration")) and raw.get("end"):
                end = _moment(raw.get("end"), schedule.tz)
            elif length is None and _text(raw.get("duration")):
                schedule.notes.append(
                    f"{where}: its duration “{raw['duration']}” was not understood."
                )
        links = []
        for link in raw.get("links") or []:
            if isinstance(link, dict) and _text(link.get("url")):
                links.append(
                    (_text(link.get("type")), _text(link["url"]), _text(link.get("title")))
                )
        speakers = []
        persons = raw.get("persons") or []
        if not isinstance(persons, list):
            self.problems.append(f"{where}: “persons” is not a list.")
            persons = []
        for raw_person in persons:
            found = self.person(raw_person, where)
            if found and found not in speakers:
                speakers.append(found)
        track = _text(raw.get("track"))
        if track and track not in schedule.tracks:
            schedule.tracks.append(track)
        schedule.sessions.append(
            SourceSession(
                key=key,
                title=title,
                where=where,
                start=start,
                end=end,
                room=_text(raw.get("room")) or room,
                track=track,
                kind=_text(raw.get("type")),
                summary=_text(raw.get("abstract")),
                description=_text(raw.get("description")),
                links=links,
                speakers=speakers,
            )
        )

    def finish(self) -> Schedule:
        if self.problems:
            raise ScheduleError(
                self.problems[:20]
                + ([f"… and {len(self.problems) - 20} more."] if len(self.problems) > 20 else [])
            )
        return self.schedule


def _from_json(data: Any) -> Schedule:
    schedule = data.get("schedule") if isinstance(data, dict) else None
    conference = schedule.get("conference") if isinstance(schedule, dict) else None
    if not isinstance(conference, dict):
        raise ScheduleError(
            "This JSON is not a frab or pretalx schedule: it has no schedule.conference object."
        )
    days = conference.get("days")
    if not isinstance(days, list):
        raise ScheduleError("The schedule has no list of days (schedule.conference.days).")
    generator = data.get("generator") if isinstance(data.get("generator"), dict) else {}
    result = Schedule(
        format="JSON",
        source=_source_host(
            _text(schedule.get("base_url")),
            _text(schedule.get("url")),
            _text(conference.get("url")),
        ),
        title=_text(conference.get("title")),
        acronym=_text(conference.get("acronym")),
        url=_text(conference.get("url")),
        generator=_text(generator.get("name")),
        timezone_name=_text(conference.get("time_zone_name")),
    )
    result.tz = _zone(result.timezone_name, result.notes)
    result.start = _moment(conference.get("start"), result.tz)
    result.end = _moment(conference.get("end"), result.tz, end_of_day=True)
    for track in conference.get("tracks") or []:
        name = _text(track.get("name")) if isinstance(track, dict) else _text(track)
        if name and name not in result.tracks:
            result.tracks.append(name)
    reader = _Reader(result)
    for number, day in enumerate(days, start=1):
        if not isinstance(day, dict) or not isinstance(day.get("rooms"), dict):
            reader.problems.append(f"Day {number} has no rooms object.")
            continue
        day_date = _moment(day.get("date"), result.tz)
        for room, sessions in day["rooms"].items():
            if not isinstance(sessions, list):
                reader.problems.append(f"Day {number}, room {room}: the sessions are not a list.")
                continue
            for raw in sessions:
                reader.session(
                    raw,
                    day=day_date.date() if day_date else None,
                    room=_text(room),
                    where=f"day {number}, {_text(room) or 'no room'}",
                )
    return reader.finish()


def _xml_children(element: etree._Element) -> dict[str, Any]:
    raw: dict[str, Any] = {k: v for k in ("id", "guid", "code") if (v := element.get(k))}
    for child in element:
        tag = child.tag
        if tag == "persons":
            raw["persons"] = [
                {
                    **{k: v for k in ("id", "guid", "code", "role") if (v := p.get(k))},
                    "name": p.text or "",
                }
                for p in child.iter("person")
            ]
        elif tag == "links":
            raw["links"] = [
                {
                    "url": link.get("href") or "",
                    "title": link.text or "",
                    "type": link.get("type") or "",
                }
                for link in child.iter("link")
            ]
        elif tag == "attachments":
            raw["attachments"] = [a.get("href") for a in child.iter("attachment")]
        elif tag == "recording":
            raw["do_not_record"] = (child.findtext("optout") or "").strip() == "true"
            raw["recording_license"] = child.findtext("license") or ""
        else:
            raw[tag] = child.text or ""
    return raw


def _from_xml(root: etree._Element) -> Schedule:
    if root.tag != "schedule":
        raise ScheduleError(
            f"This XML is not a frab or pretalx schedule: its root element is <{root.tag}>, "
            "not <schedule>."
        )
    conference = root.find("conference")
    if conference is None:
        raise ScheduleError("The schedule has no <conference> element.")
    generator = root.find("generator")
    result = Schedule(
        format="XML",
        source=_source_host(
            conference.findtext("base_url") or "",
            root.findtext("url") or "",
            conference.findtext("url") or "",
        ),
        title=_text(conference.findtext("title")),
        acronym=_text(conference.findtext("acronym")),
        url=_text(conference.findtext("url")),
        generator=(generator.get("name") or "") if generator is not None else "",
        timezone_name=_text(conference.findtext("time_zone_name")),
    )
    result.tz = _zone(result.timezone_name, result.notes)
    result.start = _moment(conference.findtext("start"), result.tz)
    result.end = _moment(conference.findtext("end"), result.tz, end_of_day=True)
    for track in conference.iter("track"):
        name = _text(track.get("name") or track.text)
        if name and name not in result.tracks:
            result.tracks.append(name)
    reader = _Reader(result)
    days = root.findall("day")
    if not days:
        raise ScheduleError("The schedule has no <day> elements.")
    for number, day in enumerate(days, start=1):
        day_date = _moment(day.get("date"), result.tz)
        for room in day.findall("room"):
            name = _text(room.get("name"))
            for event in room.findall("event"):
                reader.session(
                    _xml_children(event),
                    day=day_date.date() if day_date else None,
                    room=name,
                    where=f"day {number}, {name or 'no room'}",
                )
    return reader.finish()


# --- Turning source text into ours ----------------------------------------------------------


def rich_text_from(text: str) -> str:
    """A source's description as our stored rich text: HTML is cleaned; plain text (or
    Markdown) becomes paragraphs, its line breaks kept."""
    if not text:
        return ""
    if _HTML.search(text):
        return clean_rich_text(text)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    html = "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return clean_rich_text(html)


def kind_from(source_type: str) -> str | None:
    """Our kind for a source's session type, or None when nothing matches."""
    value = source_type.strip().lower()
    if value in Session.Kind.values:
        return value
    for kind in Session.Kind:
        if value == kind.label.lower():
            return kind.value
    squashed = value.replace("-", " ").replace("_", " ")
    for word, kind in KIND_WORDS:
        if word in squashed or word.replace(" ", "") in squashed:
            return kind
    return None


def _free_slug(text: str, taken: set[str], max_length: int = 200) -> str:
    base = (slugify(text) or "item")[: max_length - 6].strip("-") or "item"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _show(value: Any, tz) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        return timezone.localtime(value, tz).strftime("%a %d %b %Y %H:%M")
    if isinstance(value, Track):
        return value.title
    text = " ".join(str(value).split())
    return text if len(text) <= 80 else text[:79] + "…"


# --- Planning and applying ------------------------------------------------------------------


@dataclass
class FieldChange:
    name: str
    old: str
    new: str


@dataclass
class Change:
    """One row the import creates, updates or leaves unchanged (or could not write)."""

    kind: str
    label: str
    action: str = UNCHANGED
    detail: str = ""
    fields: list[FieldChange] = field(default_factory=list)
    error: str = ""


@dataclass
class ImportResult:
    schedule: Schedule
    event: Event
    event_created: bool = False
    dry_run: bool = True
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, Counter]:
        counts: dict[str, Counter] = {}
        for change in self.changes:
            counts.setdefault(change.kind, Counter())[change.action] += 1
        return counts

    def of(self, action: str) -> list[Change]:
        return [c for c in self.changes if c.action == action]

    @property
    def has_changes(self) -> bool:
        return any(c.action in (CREATE, UPDATE) for c in self.changes)

    def summary(self) -> list[str]:
        words = {CREATE: "new", UPDATE: "changed", UNCHANGED: "unchanged", ERROR: "not imported"}
        plural = {"event": "event", "track": "tracks", "person": "people", "session": "sessions"}
        lines = []
        for kind, counter in self.counts().items():
            parts = [
                f"{counter[a]} {words[a]}" for a in (CREATE, UPDATE, UNCHANGED, ERROR) if counter[a]
            ]
            lines.append(f"{plural[kind]}: {', '.join(parts)}")
        return lines

    def report(self, *, verbose: bool = False) -> list[str]:
        """The report as text: counts, the changes row by row, then what was not mapped."""
        lines = self.summary()
        marks = {CREATE: "+", UPDATE: "~", UNCHANGED: "=", ERROR: "!"}
        for change in self.changes:
            if change.action == UNCHANGED and not verbose:
                continue
            line = f"{marks[change.action]} {change.kind} “{change.label}”"
            if change.detail:
                line += f": {change.detail}"
            if change.error:
                line += f": not imported: {change.error}"
            lines.append(line)
            lines += [f"    {f.name}: {f.old} → {f.new}" for f in change.fields]
        return lines + [f"Note: {note}" for note in self.notes]

    def fingerprint(self) -> str:
        """Stands for the planned changes: an apply checks it against what was previewed."""
        data = [
            (c.kind, c.label, c.action, [(f.name, f.old, f.new) for f in c.fields])
            for c in self.changes
        ]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()


def can_import_schedule(user) -> bool:
    """Editors with the rights to add and change events' programmes and people."""
    return bool(
        user is not None
        and getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
        and workflow.is_editor(user)
        and user.has_perms(IMPORT_PERMISSIONS)
    )


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(errors)}" if name != "__all__" else " ".join(errors)
            for name, errors in exc.message_dict.items()
        )
    return " ".join(exc.messages)


def event_slug_for(schedule: Schedule) -> str:
    return slugify(schedule.acronym or schedule.title)[:200]


class _Importer:
    def __init__(self, schedule: Schedule, *, by):
        self.schedule = schedule
        self.by = by if getattr(by, "pk", None) else None
        self.ours = schedule.generator == "policycms"
        self.result: ImportResult | None = None
        self.other_types: Counter = Counter()
        # What the import leaves out, counted on top of what reading the file did.
        self.not_kept: Counter = Counter(schedule.not_kept)
        self.notes: list[str] = []
        # People's names before this import renamed them, for the speakers' diff.
        self.old_names: dict[int, str] = {}

    # The event.

    def _new_event(self, slug: str) -> Event:
        schedule = self.schedule
        timed = [s for s in schedule.sessions if s.start]
        if timed:
            start = min(s.start for s in timed)
            end = max(s.end or s.start for s in timed)
        else:
            start, end = schedule.start, schedule.end or schedule.start
        if start is None or end is None:
            raise ScheduleError("The schedule has no dates to create the event with.")
        if not schedule.tz:
            self.notes.append(
                "The schedule names no time zone it can use: the new event is in UTC."
            )
        event = Event(
            title=(schedule.title or schedule.acronym or slug)[:250],
            slug=slug,
            start=start,
            end=max(start, end),
            timezone=schedule.timezone_name if schedule.tz else "UTC",
            website=schedule.url if self._is_url(schedule.url) else "",
        )
        try:
            workflow.create(item=event, by=self.by)
        except ValidationError as exc:
            raise ScheduleError(f"The event could not be created: {_messages(exc)}") from None
        return event

    @staticmethod
    def _is_url(value: str) -> bool:
        try:
            _is_url(value)
        except ValidationError:
            return False
        return len(value) <= 200

    def run(self, event: Event | None, slug: str) -> ImportResult:
        schedule = self.schedule
        created = False
        if event is None:
            slug = slug or event_slug_for(schedule)
            if not slug:
                raise ScheduleError("The schedule has no acronym or title: choose an event.")
            event = Event.objects.filter(slug=slug).first()
            if event is None:
                event = self._new_event(slug)
                created = True
        result = self.result = ImportResult(schedule=schedule, event=event, event_created=created)
        if created:
            result.changes.append(
                Change(
                    "event",
                    event.title,
                    CREATE,
                    detail=f"{_show(event.start, event.tz)} to {_show(event.end, event.tz)} "
                    f"({event.timezone}), as a draft",
                )
            )
        elif schedule.tz and schedule.timezone_name != event.timezone:
            result.notes.append(
                f"The schedule is in {schedule.timezone_name}, the event in {event.timezone}: "
                "times keep their moment and are shown in the event's time zone."
            )
        result.notes += self.notes + schedule.notes
        tracks = self._tracks(event)
        people = self._people()
        self._sessions(event, tracks, people)
        for counter, text in (
            (self.other_types, "Session types none of ours, imported as “Other”"),
            (self.not_kept, "Not imported (no place for them here)"),
            (schedule.unknown, "Fields this importer does not know, not imported"),
        ):
            if counter:
                listed = ", ".join(f"{name} ({n})" for name, n in sorted(counter.items()))
                result.notes.append(f"{text}: {listed}.")
        return result

    # Tracks: matched on the source's name, or on an editor's track of the same title.

    def _tracks(self, event: Event) -> dict[str, Track]:
        existing = list(event.tracks.all())
        by_source = {t.source_id: t for t in existing if t.source_id}
        by_title = {t.title.casefold(): t for t in existing if not t.source_id}
        taken = {t.slug for t in existing}
        order = max((t.order for t in existing), default=0)
        found: dict[str, Track] = {}
        new, linked = [], []
        for name in self.schedule.tracks:
            if self.ours and name == frab.SIDE_TRACK:
                continue
            key = name[:100]
            track = by_source.get(key) or by_title.pop(name.casefold(), None)
            if track is not None:
                found[name] = track
                if track.source_id != key:
                    track.source_id = key
                    linked.append(track)
                    self.result.changes.append(
                        Change(
                            "track",
                            track.title,
                            UPDATE,
                            fields=[FieldChange("id at the source", "—", key)],
                        )
                    )
                else:
                    self.result.changes.append(Change("track", track.title, UNCHANGED))
                continue
            order += 1
            track = Track(
                event=event,
                title=name[:250],
                slug=_free_slug(name, taken),
                source_id=key,
                order=order,
            )
            change = Change("track", track.title, CREATE)
            self.result.changes.append(change)
            try:
                track.full_clean()
            except ValidationError as exc:
                change.action, change.error = ERROR, _messages(exc)
                continue
            new.append(track)
            found[name] = track
        Track.objects.bulk_create(new)
        Track.objects.bulk_update(linked, ["source_id"])
        return found

    # People: matched on (host, id at the source).

    def _people(self) -> dict[str, Person]:
        schedule = self.schedule
        source = schedule.source or f"schedule:{schedule.acronym or schedule.title}"[:200]
        self.source = source
        wanted = schedule.persons
        existing = {
            p.source_id: p for p in Person.objects.filter(source=source, source_id__in=list(wanted))
        }
        taken: set[str] | None = None
        people: dict[str, Person] = {}
        for key, data in wanted.items():
            person = existing.get(key)
            bio = rich_text_from(data.bio) if data.bio is not None else None
            if person is None:
                if taken is None:
                    taken = set(Person.objects.order_by().values_list("slug", flat=True))
                person = Person(
                    name=data.name,
                    slug=_free_slug(data.name, taken),
                    bio=bio or "",
                    source=source,
                    source_id=key,
                )
                change = Change("person", data.name, CREATE)
                self.result.changes.append(change)
                try:
                    workflow.create(item=person, by=self.by)
                except ValidationError as exc:
                    change.action, change.error = ERROR, _messages(exc)
                    continue
                people[key] = person
                continue
            self.old_names[person.pk] = person.name
            values = {"name": data.name}
            if bio is not None:
                values["bio"] = bio
            change = self._update(person, values, label=person.name, kind="person", tz=None)
            if change.action != ERROR:
                people[key] = person
        return people

    def _update(self, item, values: dict[str, Any], *, label: str, kind: str, tz) -> Change:
        """Set the values that differ, validate and save them; the change says what moved."""
        change = Change(kind, label)
        self.result.changes.append(change)
        changed = []
        for name, value in values.items():
            old = getattr(item, name)
            if old != value:
                verbose = item._meta.get_field(name).verbose_name
                change.fields.append(FieldChange(str(verbose), _show(old, tz), _show(value, tz)))
                setattr(item, name, value)
                changed.append(name)
        if not changed:
            return change
        change.action = UPDATE
        try:
            item.full_clean()
        except ValidationError as exc:
            change.action, change.error = ERROR, _messages(exc)
            item.refresh_from_db()
            return change
        item.save(
            update_fields=[item._meta.get_field(n).attname for n in changed]
            + (["updated_at"] if hasattr(item, "updated_at") else [])
        )
        workflow.record_action(
            item=item,
            by=self.by,
            message="Updated from an imported schedule: "
            + ", ".join(f.name for f in change.fields)
            + ".",
        )
        return change

    # Sessions: matched on the source's guid (or id), within the event.

    def _session_values(self, event: Event, data: SourceSession, tracks: dict[str, Track]) -> dict:
        notes = self.result.notes
        start, end = data.start, data.end
        if start is None:
            notes.append(f"{data.where}: no time; imported without one.")
        elif session_time_errors(event, start, end):
            notes.append(
                f"{data.where}: its time ({_show(start, event.tz)}) is outside the event's dates; "
                "imported without a time."
            )
            start = end = None
        room = data.room
        if self.ours and (
            room == frab.UNKNOWN_ROOM
            or (room == frab.ONLINE_ROOM and any(t == "web" for t, _, _ in data.links))
        ):
            room = ""
        elif not room:
            notes.append(f"{data.where}: no room.")
        kind = kind_from(data.kind) if data.kind else Session.Kind.OTHER
        if kind is None:
            kind = Session.Kind.OTHER
            self.other_types[data.kind] += 1
        values = {
            "title": data.title[:250],
            "kind": kind,
            "start": start,
            "end": end,
            "room": room[:120],
            "track": tracks.get(data.track),
            "summary": data.summary,
            "description": rich_text_from(data.description),
        }
        if self.ours and data.track == frab.SIDE_TRACK:
            values["programme"] = Session.Programme.SIDE
        link_fields = {}
        for link_type, url, title in data.links:
            if not self._is_url(url):
                self.not_kept["links that are not web addresses"] += 1
                continue
            text = f"{link_type} {title}".lower()
            if "slide" in text:
                name = "slides_url"
            elif link_type in ("media", "video", "recording") or re.search(r"record|video", text):
                name = "recording_url"
            elif link_type == "web" and re.search(r"join|live|stream|online", text):
                name = "online_url"
            else:
                self.not_kept["links other than slides, recordings, online"] += 1
                continue
            link_fields.setdefault(name, url)
        values.update(link_fields)
        return values

    def _sessions(self, event: Event, tracks: dict[str, Track], people: dict[str, Person]) -> None:
        schedule = self.schedule
        tz = event.tz
        keys = [s.key for s in schedule.sessions]
        existing = {
            s.source_id: s
            for s in event.sessions.filter(source_id__in=keys).select_related("track")
        }
        # What imports put on the programme, person by person (an editor's own additions stay).
        appearances: dict[int, list[SessionParticipant]] = {}
        for row in (
            SessionParticipant.objects.filter(
                session__in=list(existing.values()), person__source=self.source
            )
            .exclude(person__source_id="")
            .select_related("person")
            .order_by("order", "id")
        ):
            appearances.setdefault(row.session_id, []).append(row)
        taken = set(event.sessions.order_by().values_list("slug", flat=True))
        new_rows: list[SessionParticipant] = []
        old_rows: list[int] = []
        for data in schedule.sessions:
            values = self._session_values(event, data, tracks)
            speakers = [(people[k], role) for k, role in data.speakers if k in people]
            session = existing.get(data.key)
            if session is None:
                session = Session(
                    event=event, slug=_free_slug(data.title, taken), source_id=data.key, **values
                )
                change = Change(
                    "session",
                    session.title,
                    CREATE,
                    detail=" · ".join(
                        x
                        for x in (
                            _show(session.start, tz) if session.start else "no time",
                            session.room,
                            session.track.title if session.track else "",
                            ", ".join(p.name for p, _ in speakers),
                        )
                        if x
                    ),
                )
                self.result.changes.append(change)
                try:
                    workflow.create(item=session, by=self.by)
                except ValidationError as exc:
                    change.action, change.error = ERROR, _messages(exc)
                    continue
                current: list[SessionParticipant] = []
            else:
                change = self._update(session, values, label=session.title, kind="session", tz=tz)
                if change.action == ERROR:
                    continue
                current = appearances.get(session.pk, [])
            if [(a.person_id, a.role) for a in current] != [(p.pk, r) for p, r in speakers]:
                if change.action == UNCHANGED:
                    # The session changed too: feeds and API clients go by its updated_at.
                    session.save(update_fields=["updated_at"])
                    workflow.record_action(
                        item=session, by=self.by, message="Speakers updated from a schedule."
                    )
                if change.action != CREATE:
                    change.action = UPDATE
                    change.fields.append(
                        FieldChange(
                            "speakers",
                            ", ".join(
                                self.old_names.get(a.person_id, a.person.name) for a in current
                            )
                            or "—",
                            ", ".join(p.name for p, _ in speakers) or "—",
                        )
                    )
                old_rows += [a.pk for a in current]
                new_rows += [
                    SessionParticipant(session=session, person=p, role=r, order=n)
                    for n, (p, r) in enumerate(speakers)
                ]
        SessionParticipant.objects.filter(pk__in=old_rows).delete()
        SessionParticipant.objects.bulk_create(new_rows)
        gone = event.sessions.exclude(source_id="").exclude(source_id__in=keys)
        titles = list(gone.values_list("title", flat=True)[:11])
        if titles:
            more = ", …" if len(titles) > 10 else ""
            self.result.notes.append(
                "Imported before but not in this schedule, left as they are: "
                + ", ".join(f"“{t}”" for t in titles[:10])
                + more
                + "."
            )


def import_schedule(
    *,
    schedule: Schedule,
    event: Event | None = None,
    slug: str = "",
    by=None,
    dry_run: bool = False,
) -> ImportResult:
    """Import ``schedule`` into ``event`` (or the event with ``slug``, or the schedule's
    acronym, created as a draft when there is none), in one transaction.

    A dry run makes every move and rolls it back: its result is what applying would do.
    Raises :class:`ScheduleError` when the schedule cannot be imported at all.
    """
    importer = _Importer(schedule, by=by)
    with transaction.atomic():
        with reversion.create_revision():
            # One revision holds every row the import changed, under the importing user's name.
            if importer.by is not None:
                reversion.set_user(importer.by)
            title = schedule.title or schedule.acronym
            reversion.set_comment(f"Imported from the schedule “{title}”.")
            result = importer.run(event, slug)
        result.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
    return result
