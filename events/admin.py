"""The editors' admin for topics, organisations, people, events, tracks, sessions and API keys.

Shared behaviour (workflow, roles, revisions, conflict checks) comes from ``admin_base``.
Event and session times are shown and entered in the event's own time zone.
"""

from __future__ import annotations

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.utils import timezone
from django.utils.formats import localize

from .admin_base import (
    PUBLISHING_COLUMNS,
    PUBLISHING_FILTERS,
    EditorialStackedInline,
    EditorialTabularInline,
    EditorialVersionAdmin,
    LogEntryAdmin,
    PublishableAdmin,
)
from .models import (
    Event,
    Organisation,
    PartnerKey,
    Person,
    Session,
    SessionParticipant,
    Topic,
    Track,
)
from .services import issue_partner_key, revoke_partner_keys

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

admin.site.register(LogEntry, LogEntryAdmin)


def _local(value, zone) -> str:
    return localize(timezone.localtime(value, zone)) if value else "—"


@admin.register(Topic)
class TopicAdmin(PublishableAdmin):
    list_display = ("name", "slug", *PUBLISHING_COLUMNS)
    search_fields = ("name", "slug", "description")
    date_hierarchy = "created_at"
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Organisation)
class OrganisationAdmin(PublishableAdmin):
    list_display = ("name", "acronym", "kind", "country", "parent", *PUBLISHING_COLUMNS)
    list_select_related = ("parent",)
    list_filter = ("kind", "country", *PUBLISHING_FILTERS)
    search_fields = ("name", "acronym", "slug")
    date_hierarchy = "created_at"
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent", "topics")


@admin.register(Person)
class PersonAdmin(PublishableAdmin):
    list_display = ("name", "role", "affiliation", "orcid", *PUBLISHING_COLUMNS)
    list_select_related = ("affiliation",)
    list_filter = ("affiliation__kind", *PUBLISHING_FILTERS)
    search_fields = ("name", "sort_name", "role", "orcid", "affiliation__name")
    date_hierarchy = "created_at"
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
class EventAdmin(EventTimeZoneMixin, PublishableAdmin):
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
class SessionAdmin(EventTimeZoneMixin, PublishableAdmin):
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
    list_filter = ("kind", "programme", "event", *PUBLISHING_FILTERS)
    search_fields = ("title", "summary", "room", "event__title")
    date_hierarchy = "start"
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
    list_filter = ("is_special", "event")
    search_fields = ("title", "event__title")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("event", "organiser")


@admin.register(PartnerKey)
class PartnerKeyAdmin(admin.ModelAdmin):
    """Editors issue keys (the raw key is shown once; only its hash is kept) and revoke them.

    A key reads only until an editor ticks "may submit side sessions".
    """

    list_display = (
        "name",
        "organisation",
        "prefix",
        "created_at",
        "created_by",
        "can_submit",
        "expires_at",
        "revoked_at",
        "last_used_at",
        "active",
    )
    list_select_related = ("organisation", "created_by")
    list_filter = ("can_submit", "revoked_at", "expires_at")
    search_fields = ("name", "prefix", "organisation__name")
    date_hierarchy = "created_at"
    autocomplete_fields = ("organisation",)
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("organisation", "name", "can_submit", "expires_at")
        return (
            "organisation",
            "name",
            "prefix",
            "can_submit",
            "expires_at",
            "created_at",
            "created_by",
            "revoked_at",
            "last_used_at",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("organisation", "prefix", "created_at", "created_by", "revoked_at", "last_used_at")

    def has_delete_permission(self, request, obj=None):
        # Keys are revoked, not deleted, so that the record of who held one stays.
        return False

    @admin.display(description="active", boolean=True)
    def active(self, obj: PartnerKey) -> bool:
        return obj.is_active

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        key, raw = issue_partner_key(
            organisation=obj.organisation,
            name=obj.name,
            created_by=request.user,
            expires_at=obj.expires_at,
            can_submit=obj.can_submit,
        )
        # The admin carries on with ``obj`` (log entry, redirect): make it the saved key.
        obj.__dict__.update({k: v for k, v in key.__dict__.items() if k != "_state"})
        obj._state.adding = False
        obj._state.db = key._state.db
        messages.warning(
            request,
            f"The key for {key.organisation} is {raw} — copy it now and give it to the partner; "
            "it is stored only as a hash and cannot be shown again.",
        )

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke(self, request, queryset):
        count = revoke_partner_keys(keys=queryset)
        self.message_user(request, f"{count} key(s) revoked.", messages.SUCCESS)
