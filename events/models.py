"""People, organisations and topics as they appear on programmes; events, tracks and sessions;
recordings of sessions."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Regex
from django.utils import timezone
from django_countries.fields import CountryField

from core.library import Illustrated
from core.paths import path_for
from core.publishing import Publishable, PublishableQuerySet, VisibleQuerySet
from core.richtext import RichTextField
from core.validators import ORCID_RE, validate_orcid, validate_timezone

__all__ = [
    "Event",
    "Organisation",
    "Person",
    "Recording",
    "Session",
    "SessionParticipant",
    "Topic",
    "Track",
]


def end_after_start(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=F("start")),
        name=f"{name}_end_not_before_start",
        violation_error_message="The end cannot be before the start.",
    )


#: How far a session may start before its event starts, or end after it ends: a reception
#: the evening before, a workshop the day after. Anything further is refused, so a session
#: cannot carry a date (year 9999, year 1) that its event's pages and the admin cannot show.
SESSION_DATE_MARGIN = timedelta(days=1)
#: The years an event may be dated in (sessions then follow their event's dates).
EVENT_YEARS = (1900, 2200)


def session_time_errors(event: Event, start: datetime | None, end: datetime | None) -> dict:
    """Field errors for session times outside their event's dates (plus the margin)."""
    if event is None or event.start is None or event.end is None:
        return {}
    earliest, latest = event.start - SESSION_DATE_MARGIN, event.end + SESSION_DATE_MARGIN
    tz = event.tz
    window = (
        f"{timezone.localtime(event.start, tz):%d %b %Y %H:%M} to "
        f"{timezone.localtime(event.end, tz):%d %b %Y %H:%M} ({event.timezone})"
    )
    message = f"Sessions must fall within a day of the event, which runs {window}."
    errors = {}
    if start is not None and not earliest <= start <= latest:
        errors["start"] = message
    if end is not None and not earliest <= end <= latest:
        errors["end"] = message
    return errors


def country_code(name: str, field: str = "country") -> models.CheckConstraint:
    # An explicit Regex lookup: django-countries turns ``__regex`` into a match on country names.
    return models.CheckConstraint(
        condition=Q(**{field: ""}) | Regex(F(field), r"^[A-Z]{2}$"),
        name=f"{name}_{field}_is_iso_code",
        violation_error_message="Use an ISO 3166-1 two-letter country code.",
    )


class Topic(Publishable):
    """A subject shared by events, initiatives, articles and news.

    A topic is public like everything else: a new one starts as a draft, so an editor can
    prepare a subject (and tag content with it) before it appears on any page.
    """

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return path_for("topic-detail", slug=self.slug)


class Organisation(Illustrated, Publishable):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", "Government or public body"
        INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental body"
        COMPANY = "company", "Company"
        INVESTOR = "investor", "Investor"
        FOUNDATION = "foundation", "Foundation"
        CIVIL_SOCIETY = "civil_society", "Civil society"
        ACADEMIC = "academic", "Academic or research"
        PUBLISHER = "publisher", "Publisher"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    acronym = models.CharField(max_length=30, blank=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = CountryField(blank=True, help_text="Where it is based, if anywhere.")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="units",
        help_text="The larger body this one is part of (a working group of a programme, say).",
    )
    website = models.URLField(blank=True)
    description = RichTextField(blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="organisations")

    class Meta:
        ordering = ["name"]
        constraints = [
            country_code("organisation"),
        ]
        indexes = [
            # Lists, the API and the admin: ORDER BY name (and autocompletes by name).
            models.Index(fields=["name"], name="organisation_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return path_for("organisation-detail", slug=self.slug)


class Person(Illustrated, Publishable):
    name = models.CharField(max_length=200)
    sort_name = models.CharField(
        max_length=200, blank=True, help_text="Family name first, for lists: “Verhulst, Stefaan”."
    )
    slug = models.SlugField(max_length=200, unique=True)
    honorific = models.CharField(max_length=30, blank=True, help_text="Dr, Prof., …")
    role = models.CharField("current role", max_length=200, blank=True)
    affiliation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        help_text="Current affiliation.",
    )
    bio = RichTextField(blank=True)
    orcid = models.CharField(
        "ORCID iD",
        max_length=19,
        blank=True,
        validators=[validate_orcid],
        help_text="e.g. 0000-0002-1825-0097",
    )
    website = models.URLField(blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="people")
    # Where an imported person came from (the host of the schedule they were read from) and
    # their id there: importing again updates them instead of adding them twice.
    source = models.CharField(max_length=200, blank=True, editable=False)
    source_id = models.CharField("id at the source", max_length=100, blank=True, editable=False)

    class Meta:
        ordering = ["sort_name", "name"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=Q(orcid="") | Q(orcid__regex=ORCID_RE),
                name="person_orcid_format",
                violation_error_message="An ORCID iD is written 0000-0002-1825-0097.",
            ),
            models.UniqueConstraint(
                fields=["orcid"], condition=~Q(orcid=""), name="person_orcid_unique"
            ),
            # Schedule imports: find the person a source's id stands for.
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~Q(source_id=""),
                name="person_source_id_unique",
            ),
        ]
        indexes = [
            # Speakers list, the API and the admin: ORDER BY sort_name, name.
            models.Index(fields=["sort_name", "name"], name="person_sort_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.fill_sort_name()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return path_for("person-detail", slug=self.slug)

    def fill_sort_name(self) -> None:
        """Family name first when no sort name is given: “Ada Lovelace” → “Lovelace, Ada”."""
        if not self.sort_name:
            parts = self.name.rsplit(" ", 1)
            self.sort_name = f"{parts[1]}, {parts[0]}" if len(parts) == 2 else self.name

    @property
    def display_name(self) -> str:
        return f"{self.honorific} {self.name}" if self.honorific else self.name

    @property
    def orcid_url(self) -> str:
        return f"https://orcid.org/{self.orcid}" if self.orcid else ""


class EventQuerySet(PublishableQuerySet):
    def upcoming(self):
        return self.filter(end__gte=timezone.now()).order_by("start")

    def past(self):
        return self.filter(end__lt=timezone.now()).order_by("-start")


class Event(Illustrated, Publishable):
    class Kind(models.TextChoices):
        SUMMIT = "summit", "Summit"
        CONFERENCE = "conference", "Conference"
        SIDE_EVENT = "side_event", "Side event"
        ROUNDTABLE = "roundtable", "Roundtable"
        WORKSHOP = "workshop", "Workshop"
        WEBINAR = "webinar", "Webinar"
        LECTURE = "lecture", "Lecture"
        OTHER = "other", "Other"

    class AttendanceMode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "Hybrid"

    class EventStatus(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        POSTPONED = "postponed", "Postponed"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Completed"

    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CONFERENCE)
    summary = models.TextField(blank=True, help_text="One or two plain sentences for lists.")
    description = RichTextField(blank=True)
    theme = models.CharField(max_length=250, blank=True)
    start = models.DateTimeField()
    end = models.DateTimeField()
    timezone = models.CharField(
        "time zone",
        max_length=64,
        default="Europe/London",
        validators=[validate_timezone],
        help_text="The venue's IANA time zone; start and end are entered and shown in it.",
    )
    venue = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = CountryField(blank=True)
    attendance_mode = models.CharField(
        max_length=12, choices=AttendanceMode.choices, default=AttendanceMode.IN_PERSON
    )
    event_status = models.CharField(
        "event status",
        max_length=12,
        choices=EventStatus.choices,
        default=EventStatus.SCHEDULED,
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="side_events",
        help_text="The event this one is held alongside (a summit, for a side event).",
    )
    hosts = models.ManyToManyField(Organisation, blank=True, related_name="hosted_events")
    host_people = models.ManyToManyField(
        Person,
        blank=True,
        related_name="hosted_events",
        verbose_name="hosted by (people)",
        help_text="People who host the event in person, e.g. heads of government.",
    )
    organisers = models.ManyToManyField(Organisation, blank=True, related_name="organised_events")
    topics = models.ManyToManyField(Topic, blank=True, related_name="events")
    website = models.URLField(blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        constraints = [
            end_after_start("event"),
            country_code("event"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="event_not_own_parent"),
        ]
        indexes = [
            # Upcoming and past lists: WHERE end >= now ORDER BY start.
            models.Index(fields=["start", "end"], name="event_start_end_idx"),
            # Upcoming events (home page, event list): WHERE status = 'published' AND
            # end >= now ORDER BY start; the few not yet over, without reading the past.
            models.Index(
                fields=["end", "start"],
                condition=Q(status="published"),
                name="event_public_upcoming_idx",
            ),
            # The event list and the API filtered by kind, newest first:
            # WHERE kind = ? ORDER BY start DESC.
            models.Index(fields=["kind", "-start"], name="event_kind_start_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return path_for("event-detail", slug=self.slug)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def local_start(self):
        return timezone.localtime(self.start, self.tz)

    @property
    def local_end(self):
        return timezone.localtime(self.end, self.tz)

    def clean(self) -> None:
        super().clean()
        for name in ("start", "end"):
            value = getattr(self, name)
            # Far-off years overflow when shown in a time zone (the admin, calendars): a typo.
            if value and not EVENT_YEARS[0] <= value.year <= EVENT_YEARS[1]:
                raise ValidationError(
                    {name: f"Give a date between {EVENT_YEARS[0]} and {EVENT_YEARS[1]}."}
                )
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "The end cannot be before the start."})
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "An event cannot be held alongside itself."})


class TrackQuerySet(VisibleQuerySet):
    published_with = ("event",)


class Track(models.Model):
    """A strand of an event's programme, possibly organised by another body."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tracks")
    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=200)
    organiser = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_tracks",
    )
    description = RichTextField(blank=True)
    is_special = models.BooleanField(
        "special track", default=False, help_text="A themed strand outside the main programme."
    )
    order = models.PositiveSmallIntegerField(default=0)
    # The track's name in the schedule it was imported from (frab tracks have no other id).
    source_id = models.CharField("id at the source", max_length=100, blank=True, editable=False)

    objects = TrackQuerySet.as_manager()

    class Meta:
        ordering = ["event", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="track_slug_unique_in_event"),
            models.UniqueConstraint(
                fields=["event", "source_id"],
                condition=~Q(source_id=""),
                name="track_source_id_unique_in_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.event})" if self.event_id else self.title


class SessionQuerySet(PublishableQuerySet):
    # A session is public only when it and its event are both published.
    published_with = ("event",)


class Session(Publishable):
    class Kind(models.TextChoices):
        KEYNOTE = "keynote", "Keynote"
        PANEL = "panel", "Panel"
        ROUNDTABLE = "roundtable", "Roundtable"
        WORKSHOP = "workshop", "Workshop"
        TALK = "talk", "Talk"
        PAPER = "paper", "Paper session"
        SIDE_EVENT = "side_event", "Side event"
        FIRESIDE = "fireside", "Fireside chat"
        OTHER = "other", "Other"

    class Programme(models.TextChoices):
        OFFICIAL = "official", "Official programme"
        SIDE = "side", "Side or fringe session"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PANEL)
    programme = models.CharField(
        max_length=10,
        choices=Programme.choices,
        default=Programme.OFFICIAL,
        help_text="Side and fringe sessions are hosted by other bodies alongside the event.",
    )
    hosts = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="hosted_sessions",
        help_text="Who runs the session, when it is not the event's organisers.",
    )
    track = models.ForeignKey(
        Track, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    start = models.DateTimeField(null=True, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    room = models.CharField(max_length=120, blank=True)
    online_url = models.URLField("online link", blank=True)
    summary = models.TextField(blank=True)
    description = RichTextField(blank=True)
    recording_url = models.URLField("recording", blank=True)
    slides_url = models.URLField("slides", blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="sessions")
    participants = models.ManyToManyField(
        Person, through="SessionParticipant", related_name="sessions", blank=True
    )
    submitted_by = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_sessions",
        help_text="The partner organisation that submitted this session through the API.",
    )
    # The session's guid (or id) in the schedule it was imported from.
    source_id = models.CharField("id at the source", max_length=100, blank=True, editable=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["event", "start", "title"]
        constraints = [
            end_after_start("session"),
            models.UniqueConstraint(fields=["event", "slug"], name="session_slug_unique_in_event"),
            # Schedule imports: find the session a source's guid stands for.
            models.UniqueConstraint(
                fields=["event", "source_id"],
                condition=~Q(source_id=""),
                name="session_source_id_unique_in_event",
            ),
        ]
        indexes = [
            # Programme pages: WHERE event_id = ? ORDER BY start.
            models.Index(fields=["event", "start"], name="session_event_start_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return path_for("session-detail", event_slug=self.event.slug, slug=self.slug)

    @property
    def is_side_session(self) -> bool:
        return self.programme == self.Programme.SIDE

    @property
    def local_start(self):
        return timezone.localtime(self.start, self.event.tz) if self.start else None

    @property
    def local_end(self):
        return timezone.localtime(self.end, self.event.tz) if self.end else None

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = "The end cannot be before the start."
        if self.track_id and self.event_id and self.track.event_id != self.event_id:
            errors["track"] = "This track belongs to another event."
        if self.event_id:
            for name, message in session_time_errors(self.event, self.start, self.end).items():
                errors.setdefault(name, message)
        if errors:
            raise ValidationError(errors)


class SessionParticipantQuerySet(VisibleQuerySet):
    published_with = ("session", "person")


class SessionParticipant(models.Model):
    """A person on a session's programme, in order, with their role."""

    class Role(models.TextChoices):
        SPEAKER = "speaker", "Speaker"
        KEYNOTE = "keynote", "Keynote speaker"
        MODERATOR = "moderator", "Moderator"
        CHAIR = "chair", "Chair"
        PANELLIST = "panellist", "Panellist"
        DISCUSSANT = "discussant", "Discussant"
        HOST = "host", "Host"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="appearances")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="appearances")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.SPEAKER)
    affiliation_text = models.CharField(
        "affiliation shown",
        max_length=200,
        blank=True,
        help_text="As printed on the programme, if it differs from the person's current one.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = SessionParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["session", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person", "role"], name="participant_once_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"


class Recording(Publishable):
    """A video or podcast recording of sessions, published on the host that carries it."""

    class Kind(models.TextChoices):
        VIDEO = "video", "Video"
        PODCAST = "podcast", "Podcast"

    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.VIDEO)
    url = models.URLField(
        "recording link",
        max_length=500,
        help_text="The recording on its host (a video platform, a podcast's episode page).",
    )
    duration = models.DurationField(null=True, blank=True, help_text="hh:mm:ss")
    recorded_on = models.DateField("recorded on", null=True, blank=True)
    sessions = models.ManyToManyField(
        Session, blank=True, related_name="recordings", help_text="The sessions it records."
    )
    people = models.ManyToManyField(
        Person, blank=True, related_name="recordings", help_text="The people heard or seen in it."
    )
    description = RichTextField(blank=True)

    class Meta:
        ordering = ["-recorded_on", "title"]
        indexes = [
            # The recordings list, the API and the admin: ORDER BY recorded_on DESC, title.
            models.Index(fields=["-recorded_on", "title"], name="recording_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__isnull=True) | Q(duration__gt=timedelta(0)),
                name="recording_duration_positive",
                violation_error_message="A recording lasts longer than no time at all.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return path_for("recording-detail", slug=self.slug)
