"""The editors' admin for topics, organisations, people, events, tracks, sessions and recordings.

Shared behaviour (workflow, roles, revisions, conflict checks) comes from ``core.admin``.
Event and session times are shown and entered in the event's own time zone.
"""

from __future__ import annotations

import reversion
from django.conf import settings
from django.contrib import admin
from django.utils import timezone
from django.utils.formats import localize

from core.admin import (
    PUBLISHING_COLUMNS,
    PUBLISHING_FILTERS,
    EditorialStackedInline,
    EditorialTabularInline,
    EditorialVersionAdmin,
    PublishableAdmin,
)
from core.admin.filters import RelatedSearchFilter
from core.admin.spreadsheets import SpreadsheetMixin

from .admin_schedule_import import ScheduleImportMixin
from .models import (
    Event,
    Organisation,
    Person,
    Recording,
    Session,
    SessionParticipant,
    Topic,
    Track,
)
from .spreadsheets import OrganisationResource, PersonResource, SessionResource

admin.site.site_header = f"{settings.SITE_NAME} · editorial"
admin.site.site_title = f"{settings.SITE_NAME} editorial"
admin.site.index_title = "Editorial dashboard"

# Revisions: inline rows are saved with the item they belong to.
reversion.register(Topic)
reversion.register(Organisation)
reversion.register(Person)
reversion.register(Track)
reversion.register(SessionParticipant)
reversion.register(Session, follow=["appearances"])
reversion.register(Event, follow=["tracks", "sessions"])
reversion.register(Recording)


def _local(value, zone) -> str:
    return localize(timezone.localtime(value, zone)) if value else "—"


@admin.register(Topic)
class TopicAdmin(PublishableAdmin):
    list_display = ("name", "slug", *PUBLISHING_COLUMNS)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Organisation)
class OrganisationAdmin(SpreadsheetMixin, PublishableAdmin):
    resource_classes = [OrganisationResource]
    list_display = ("name", "acronym", "kind", "country", "parent", *PUBLISHING_COLUMNS)
    list_select_related = ("parent",)
    list_filter = ("kind", "country", *PUBLISHING_FILTERS)
    search_fields = ("name", "acronym", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent", "topics")


@admin.register(Person)
class PersonAdmin(SpreadsheetMixin, PublishableAdmin):
    resource_classes = [PersonResource]
    list_display = ("name", "role", "affiliation", "orcid", *PUBLISHING_COLUMNS)
    list_select_related = ("affiliation",)
    list_filter = ("affiliation__kind", *PUBLISHING_FILTERS)
    search_fields = ("name", "sort_name", "role", "orcid", "affiliation__name")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("affiliation", "topics")


class TrackInline(EditorialTabularInline):
    model = Track
    fields = ("title", "slug", "organiser", "is_special", "order")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("organiser",)


class SessionInline(EditorialStackedInline):
    model = Session
    fields = (
        ("title", "slug"),
        ("kind", "programme", "track"),
        ("start", "end", "room"),
        "status",
    )
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("track",)
    show_change_link = True
    classes = ("collapse",)


class EventTimeZoneMixin:
    local_time_fields = ("start", "end")

    @admin.display(description="start (local)", ordering="start")
    def local_start(self, obj) -> str:
        event = obj if isinstance(obj, Event) else obj.event
        return _local(obj.start, event.tz)


@admin.register(Event)
class EventAdmin(ScheduleImportMixin, EventTimeZoneMixin, PublishableAdmin):
    list_display = (
        "title",
        "kind",
        "local_start",
        "city",
        "country",
        "parent",
        *PUBLISHING_COLUMNS,
    )
    list_select_related = ("parent",)
    list_filter = ("kind", "attendance_mode", "event_status", "country", *PUBLISHING_FILTERS)
    search_fields = ("title", "summary", "venue", "city", "slug")
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("parent", "hosts", "host_people", "organisers", "topics")
    inlines = [TrackInline, SessionInline]

    def get_edit_timezone(self, request, object_id):
        if request.method == "POST" and request.POST.get("timezone"):
            return request.POST["timezone"]
        if object_id:
            return Event.objects.filter(pk=object_id).values_list("timezone", flat=True).first()
        return Event._meta.get_field("timezone").default


class ParticipantInline(EditorialTabularInline):
    model = SessionParticipant
    fields = ("order", "person", "role", "affiliation_text")
    autocomplete_fields = ("person",)
    ordering = ("order", "id")


@admin.register(Session)
class SessionAdmin(SpreadsheetMixin, EventTimeZoneMixin, PublishableAdmin):
    resource_classes = [SessionResource]
    list_display = (
        "title",
        "event",
        "kind",
        "programme",
        "track",
        "local_start",
        *PUBLISHING_COLUMNS,
    )
    # A track is shown with its event's title.
    list_select_related = ("event", "track__event")
    # Thousands of events: the latest few and a search, not every one as a link.
    list_filter = ("kind", "programme", ("event", RelatedSearchFilter), *PUBLISHING_FILTERS)
    search_fields = ("title", "summary", "room", "event__title")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("event", "track", "hosts", "topics", "submitted_by")
    inlines = [ParticipantInline]

    def get_edit_timezone(self, request, object_id):
        event_id = request.POST.get("event") if request.method == "POST" else None
        if event_id:
            zone = Event.objects.filter(pk=event_id).values_list("timezone", flat=True).first()
            if zone:
                return zone
        if object_id:
            return (
                Session.objects.filter(pk=object_id)
                .values_list("event__timezone", flat=True)
                .first()
            )
        return None


@admin.register(Track)
class TrackAdmin(EditorialVersionAdmin):
    list_display = ("title", "event", "organiser", "is_special", "order")
    list_select_related = ("event", "organiser")
    list_filter = ("is_special", ("event", RelatedSearchFilter))
    search_fields = ("title", "event__title")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("event", "organiser")


@admin.register(Recording)
class RecordingAdmin(PublishableAdmin):
    list_display = ("title", "kind", "recorded_on", "duration", *PUBLISHING_COLUMNS)
    list_filter = ("kind", *PUBLISHING_FILTERS)
    search_fields = ("title", "slug", "url")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("sessions", "people")
