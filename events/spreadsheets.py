"""The spreadsheets of organisations, people and sessions (see ``core.spreadsheets``)."""

from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields

from core.spreadsheets import (
    SEPARATOR,
    ChoiceWidget,
    LocalDateTimeWidget,
    SlugWidget,
    SpreadsheetResource,
)

from .models import Event, Organisation, Person, Session, SessionParticipant, Track

ROLES = ChoiceWidget(SessionParticipant._meta.get_field("role"))


class OrganisationResource(SpreadsheetResource):
    export_select_related = ("parent",)

    class Meta:
        model = Organisation
        fields = (
            "slug", "name", "acronym", "kind", "country", "parent", "website", "description",
            "topics", "status",
        )  # fmt: skip
        import_id_fields = ("slug",)
        name = "Organisations"


class PersonResource(SpreadsheetResource):
    export_select_related = ("affiliation",)

    class Meta:
        model = Person
        fields = (
            "slug", "name", "sort_name", "honorific", "role", "affiliation", "orcid",
            "website", "bio", "topics", "status",
        )  # fmt: skip
        import_id_fields = ("slug",)
        name = "People"

    def fill_defaults(self, instance) -> None:
        instance.fill_sort_name()


class TrackWidget(SlugWidget):
    """A track by its slug, among the tracks of the row's event."""

    def get_queryset(self, value, row, *args, **kwargs):
        return Track.objects.filter(event__slug=(row or {}).get("event"))


class SessionResource(SpreadsheetResource):
    """Sessions, found by their event's slug and their own; times in the event's time zone."""

    export_select_related = ("event", "track")
    export_prefetch_related = ("appearances__person",)

    start = fields.Field(attribute="start", column_name="start")
    end = fields.Field(attribute="end", column_name="end")
    track = fields.Field(attribute="track", column_name="track", widget=TrackWidget(Track))
    # Who speaks, in programme order: ``person-slug:role``, separated by commas.
    participants = fields.Field(column_name="participants")

    class Meta:
        model = Session
        fields = (
            "event", "slug", "title", "kind", "programme", "track", "start", "end", "room",
            "online_url", "summary", "description", "recording_url", "slides_url", "hosts",
            "topics", "participants", "status",
        )  # fmt: skip
        import_id_fields = ("event", "slug")
        name = "Sessions"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._zones: dict[str, zoneinfo.ZoneInfo] = {}
        self._participants: list[tuple[Person, str]] | None = None
        for name in ("start", "end"):
            self.fields[name].widget = LocalDateTimeWidget(self.zone_of_row)

    def zone_of_row(self, row) -> zoneinfo.ZoneInfo:
        """The time zone of the row's event (the site's, if there is no such event)."""
        slug = str(row.get("event") or "").strip()
        if slug not in self._zones:
            name = Event.objects.filter(slug=slug).values_list("timezone", flat=True).first()
            self._zones[slug] = zoneinfo.ZoneInfo(name) if name else timezone.get_default_timezone()
        return self._zones[slug]

    def dehydrate_start(self, session: Session) -> str:
        return LocalDateTimeWidget.local(session.start, session.event.tz)

    def dehydrate_end(self, session: Session) -> str:
        return LocalDateTimeWidget.local(session.end, session.event.tz)

    # Participants: rows of their own, public with their session, so they follow its state.

    def dehydrate_participants(self, session: Session) -> str:
        return f"{SEPARATOR} ".join(f"{a.person.slug}:{a.role}" for a in session.appearances.all())

    def read_children(self, instance, row, errors, *, new):
        self._participants = None
        if "participants" not in row:
            return []
        wanted, problems = [], []
        cells = [c.strip() for c in str(row["participants"] or "").split(SEPARATOR)]
        pairs = [c.partition(":")[::2] for c in cells if c]
        people = Person.objects.in_bulk([slug.strip() for slug, _ in pairs], field_name="slug")
        for slug, role in pairs:
            person = people.get(slug.strip())
            try:
                role = ROLES.clean(role) or SessionParticipant.Role.SPEAKER
            except ValueError as exc:
                problems.append(str(exc))
                continue
            if person is None:
                problems.append(f"There is no person with the slug “{slug.strip()}”.")
            elif (person, role) in wanted:
                problems.append(f"“{slug.strip()}” is listed twice as {role}.")
            else:
                wanted.append((person, role))
        if problems:
            errors["participants"] = ValidationError(problems)
            return []
        self._participants = wanted
        if new:
            return []
        now = [(a.person_id, a.role) for a in instance.appearances.all()]
        return [] if now == [(p.pk, role) for p, role in wanted] else ["participants"]

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        if self._participants is None:
            return
        # Rows that stay keep what the sheet does not show (the affiliation printed).
        kept = {(a.person_id, a.role): a for a in instance.appearances.all()}
        for order, (person, role) in enumerate(self._participants):
            appearance = kept.pop((person.pk, role), None)
            if appearance is None:
                SessionParticipant.objects.create(
                    session=instance, person=person, role=role, order=order
                )
            elif appearance.order != order:
                appearance.order = order
                appearance.save(update_fields=["order"])
        SessionParticipant.objects.filter(pk__in=[a.pk for a in kept.values()]).delete()
