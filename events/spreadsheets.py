"""The spreadsheets of organisations, people and sessions (see ``core.spreadsheets``)."""

from __future__ import annotations

import zoneinfo

from django.utils import timezone
from import_export import fields

from core.spreadsheets import LocalDateTimeWidget, SlugWidget, SpreadsheetResource

from .models import Event, Organisation, Person, Session, Track


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

    start = fields.Field(attribute="start", column_name="start")
    end = fields.Field(attribute="end", column_name="end")
    track = fields.Field(attribute="track", column_name="track", widget=TrackWidget(Track))

    class Meta:
        model = Session
        fields = (
            "event", "slug", "title", "kind", "programme", "track", "start", "end", "room",
            "online_url", "summary", "description", "recording_url", "slides_url", "hosts",
            "topics", "status",
        )  # fmt: skip
        import_id_fields = ("event", "slug")
        name = "Sessions"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._zones: dict[str, zoneinfo.ZoneInfo] = {}
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
