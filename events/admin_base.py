"""What every publishable model's admin shares: workflow, roles, revisions and safe saving.

- **Workflow.** Lists show each item's state, schedule and whether it is live now, and filter
  by them. Bulk actions (send for review, publish now, archive, reject, return to draft) go
  through the transition functions in ``events.publishing``, which check roles and write the
  audit log; a status changed in the form is logged the same way.
- **Roles.** Editors (the Editors and Administrators groups, and superusers) may do anything.
  Everyone else is a contributor: their status choices are draft and in review, the schedule
  is read-only to them, the editors' actions are hidden, a forged POST is refused, and they may
  change an item only while it is their own draft. Ownership is the user of the admin's
  ADDITION LogEntry for the item (see ``events.services.created_by``): no model field is
  needed and "my drafts" is one query for all models.
- **Revisions.** Admins derive from django-reversion's ``VersionAdmin`` (history, revert,
  recover deleted items) and add a field-by-field comparison of two revisions.
- **No lost work.** The change form carries the item's ``updated_at`` as a hidden token; if the
  stored value moved on since the form was opened, the save is refused with who saved it, when,
  and which fields they changed.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import flatten_fieldsets, quote, unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import localize
from django.utils.text import capfirst
from reversion.admin import VersionAdmin
from reversion.models import Version

from . import publishing, services
from .publishing import Publishable, Status
from .services import CONTRIBUTOR_STATES

PUBLISHING_FIELDS = ("status", "publish_at", "unpublish_at")
#: Columns every publishable changelist ends with.
PUBLISHING_COLUMNS = ("status", "schedule", "is_live")

# --- No lost work ---------------------------------------------------------------------------


def _changed_fields(item: Publishable, since: datetime) -> list[str]:
    """Names of the fields of ``item`` that differ from its revision saved at ``since``."""
    versions = Version.objects.get_for_object(item)[:50]
    before = None
    for version in versions:
        stored = version.field_dict.get("updated_at")
        if stored is not None and abs((stored - since).total_seconds()) < 1e-3:
            before = version.field_dict
            break
    if before is None:
        return []
    changed = []
    for field in item._meta.get_fields():
        if not getattr(field, "editable", False) or field.name in ("updated_at", "created_at"):
            continue
        if field.many_to_many:
            if field.attname not in before:
                continue
            now = sorted(str(pk) for pk in getattr(item, field.name).values_list("pk", flat=True))
            then = sorted(str(pk) for pk in before[field.attname])
        elif field.concrete:
            now, then = getattr(item, field.attname), before.get(field.attname)
        else:
            continue
        if now != then:
            changed.append(str(field.verbose_name))
    return changed


IMAGE_FIELDS = ("image", "image_alt", "image_decorative")


class PublishableAdminForm(forms.ModelForm):
    """A model form that refuses to overwrite a save made after it was opened."""

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)
    check_conflicts = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.updated_at:
            self.fields["edit_token"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        token = parse_datetime(self.data.get(self.add_prefix("edit_token"), "") or "")
        stored = self.instance.updated_at if self.instance.pk else None
        if (
            self.check_conflicts
            and token
            and stored
            and abs((stored - token).total_seconds()) > 1e-3
        ):
            raise ValidationError(self._conflict_message(since=token), code="edit_conflict")
        return cleaned

    def _conflict_message(self, *, since: datetime) -> str:
        item = self.instance
        entry = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(item), object_id=str(item.pk)
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        who = entry.user.get_username() if entry else "Someone"
        when = localize(timezone.localtime(item.updated_at))
        fields = _changed_fields(item, since)
        changed = f" They changed: {', '.join(fields)}." if fields else ""
        return (
            f"{who} saved this {item._meta.verbose_name} at {when}, after you opened it, so "
            f"your changes were not saved.{changed} Open the page again to see their version, "
            "then make your changes again."
        )


# --- Lists ------------------------------------------------------------------------------------


class ScheduleFilter(admin.SimpleListFilter):
    title = "schedule"
    parameter_name = "schedule"

    def lookups(self, request, model_admin):
        return [
            ("live", "Live now"),
            ("scheduled", "Scheduled"),
            ("expired", "Expired"),
            ("not_public", "Not public"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = Q(status=Status.PUBLISHED)
        if self.value() == "live":
            return queryset.filter(publishing.published_q(at=now))
        if self.value() == "scheduled":
            return queryset.filter(published, publish_at__gt=now)
        if self.value() == "expired":
            return queryset.filter(published, unpublish_at__lte=now)
        if self.value() == "not_public":
            return queryset.exclude(publishing.published_q(at=now))
        return queryset


#: Filters every publishable changelist offers.
PUBLISHING_FILTERS = ("status", ScheduleFilter, "publish_at")


# --- Inlines ----------------------------------------------------------------------------------


#: Links typed without a scheme are taken as https (Django 6's default, set now).
FORMFIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose selected option is drawn from an object already loaded.

    Django's widget looks its selected object up with a query of its own, which on an inline
    is one query per row. The inline formset hands each row's widget the related object that
    the row's queryset loaded with it (``preloaded``); anything else (a value changed in a
    form sent back with errors) is still looked up.
    """

    #: Already loaded objects that may be selected, by primary key as a string.
    preloaded: dict[str, models.Model] = {}

    def optgroups(self, name, value, attr=None):
        field = self.choices.field
        selected = [str(v) for v in value if str(v) not in field.empty_values]
        remote = self.field.remote_field
        if (
            not selected
            or remote.field_name != remote.model._meta.pk.name
            or not set(selected) <= self.preloaded.keys()
        ):
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for key in dict.fromkeys(selected):
            obj = self.preloaded[key]
            options.append(
                self.create_option(
                    name, obj.pk, field.label_from_instance(obj), set(selected), len(options)
                )
            )
        return [(None, options, 0)]


class EditorialInlineFormSet(BaseInlineFormSet):
    """Hands each row's autocomplete widgets the related objects its instance already holds."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        instance = form.instance
        if instance.pk is None:
            return form
        for name, formfield in form.fields.items():
            widget = getattr(formfield.widget, "widget", formfield.widget)
            if not isinstance(widget, PreloadedAutocompleteSelect):
                continue
            model_field = instance._meta.get_field(name)
            if model_field.is_cached(instance):
                related = model_field.get_cached_value(instance)
                widget.preloaded = {str(related.pk): related} if related is not None else {}
        return form


class EditorialInlineMixin:
    """Inline rows may be changed exactly when their parent item may be.

    Rows are loaded with the objects they point to, so that a change page asks the database
    the same number of times for one row as for fifty: the row's own label (a track is shown
    with its event, a signatory with its organisation) and its autocomplete widgets use the
    objects loaded with the row instead of looking each one up.
    """

    formfield_overrides = FORMFIELD_OVERRIDES
    formset = EditorialInlineFormSet

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.row_select_related(request))

    def row_select_related(self, request) -> list[str]:
        """The relations loaded with each row: its parent, every foreign key it shows, and
        what those objects' own labels need (the ``list_select_related`` of their admin)."""
        shown = set(flatten_fieldsets(self.get_fieldsets(request)))
        lookups = []
        for field in self.model._meta.concrete_fields:
            if not field.many_to_one and not field.one_to_one:
                continue
            if field.related_model is self.parent_model:
                lookups.append(field.name)
            elif field.name in shown:
                lookups.append(field.name)
                related_admin = self.admin_site._registry.get(field.related_model)
                needed = getattr(related_admin, "list_select_related", False)
                if isinstance(needed, list | tuple):
                    lookups.extend(f"{field.name}__{lookup}" for lookup in needed)
        return lookups

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _parent_editable(self, request, obj) -> bool:
        return (
            obj is None or not isinstance(obj, Publishable) or services.can_edit(request.user, obj)
        )

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._parent_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_editable(request, obj)


class EditorialTabularInline(EditorialInlineMixin, admin.TabularInline):
    extra = 0


class EditorialStackedInline(EditorialInlineMixin, admin.StackedInline):
    extra = 0


# --- The shared admin -------------------------------------------------------------------------


class EditorialVersionAdmin(VersionAdmin):
    """Base admin for content kept in revisions (history, revert, recover)."""

    formfield_overrides = FORMFIELD_OVERRIDES
    history_latest_first = True


class PublishableAdmin(EditorialVersionAdmin):
    """Base admin for every model that inherits ``Publishable``."""

    form = PublishableAdminForm
    list_filter = PUBLISHING_FILTERS
    list_per_page = 50
    object_history_template = "admin/editorial/object_history.html"
    compare_template = "admin/editorial/compare.html"
    actions = ["send_for_review", "publish_now", "archive", "reject", "return_to_draft"]
    editor_actions = ("publish_now", "archive", "reject", "return_to_draft")
    #: Date/time fields entered in the event's own time zone (see ``get_edit_timezone``).
    local_time_fields: tuple[str, ...] = ()

    # Columns.

    @admin.display(description="schedule", ordering="publish_at")
    def schedule(self, obj: Publishable) -> str:
        now = timezone.now()
        parts = []
        if obj.publish_at and (obj.status != Status.PUBLISHED or obj.publish_at > now):
            parts.append(f"from {localize(timezone.localtime(obj.publish_at))}")
        if obj.unpublish_at:
            verb = "ended" if obj.unpublish_at <= now else "until"
            parts.append(f"{verb} {localize(timezone.localtime(obj.unpublish_at))}")
        return "; ".join(parts) or "—"

    @admin.display(description="live", boolean=True)
    def is_live(self, obj: Publishable) -> bool:
        return obj.is_published

    # Roles.

    def is_editor(self, request) -> bool:
        return services.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or services.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or self.is_editor(request)
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.is_editor(request):
            readonly += ["publish_at", "unpublish_at"]
        return readonly

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not self.is_editor(request):
            kwargs["choices"] = [
                (v, label) for v, label in Status.choices if v in CONTRIBUTOR_STATES
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if self.fieldsets:
            fieldsets = list(self.fieldsets)
        else:
            fields = [
                f
                for f in self.get_fields(request, obj)
                if f not in (*PUBLISHING_FIELDS, "edit_token")
            ]
            # The image comes after the content it illustrates, with its alt text beside it.
            image = [f for f in fields if f in IMAGE_FIELDS]
            fieldsets = [(None, {"fields": [f for f in fields if f not in IMAGE_FIELDS]})]
            if image:
                fieldsets.append(("Image", {"fields": image}))
        publishing_fields = list(PUBLISHING_FIELDS)
        if self.has_change_permission(request, obj):
            # The token is a form field; a read-only page has no form to carry it.
            publishing_fields.append("edit_token")
        return [
            *fieldsets,
            (
                "Publishing",
                {
                    "fields": publishing_fields,
                    "description": "Draft → in review → published → archived. Publication "
                    "times are in the site's time zone.",
                },
            ),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self.local_time_fields:
            zone = getattr(request, "_editorial_timezone", None)
            where = f" ({zone})" if zone else ""
            help_text = f"In the event's own time zone{where}, not the site's."
            kwargs.setdefault("help_texts", {}).update(
                dict.fromkeys(self.local_time_fields, help_text)
            )
        form = super().get_form(request, obj, change, **kwargs)
        if getattr(request, "_editorial_reverting", False):
            form = type(form.__name__, (form,), {"check_conflicts": False})
        return form

    def save_model(self, request, obj, form, change):
        editor = self.is_editor(request)
        if not editor and obj.status not in CONTRIBUTOR_STATES:
            raise PermissionDenied("Only editors may publish, archive or reject.")
        old_status = form.initial.get("status") if change else None
        super().save_model(request, obj, form, change)
        if change and old_status and old_status != obj.status:
            services.record_action(
                item=obj,
                by=request.user,
                message=f"Status changed from {Status(old_status).label.lower()} "
                f"to {obj.get_status_display().lower()}.",
            )
        elif not change and obj.status != Status.DRAFT:
            services.record_action(
                item=obj, by=request.user, message=f"Created as {obj.get_status_display().lower()}."
            )

    # Actions: each goes through a transition and reports what it could not do.

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.is_editor(request):
            for name in self.editor_actions:
                actions.pop(name, None)
        return actions

    def _transition(self, request, queryset, transition, done: str) -> None:
        count, refused = 0, []
        for item in queryset:
            try:
                transition(item=item, by=request.user)
            except (PermissionDenied, ValidationError) as exc:
                text = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
                refused.append(f"{item}: {text}")
            else:
                count += 1
        if count:
            self.message_user(request, f"{count} item(s) {done}.", messages.SUCCESS)
        for text in refused:
            self.message_user(request, text, messages.WARNING)

    @admin.action(description="Send selected items for review")
    def send_for_review(self, request, queryset):
        self._transition(request, queryset, services.send_for_review, "sent for review")

    @admin.action(description="Publish selected items now")
    def publish_now(self, request, queryset):
        if not self.is_editor(request):
            raise PermissionDenied
        self._transition(request, queryset, services.publish, "published")

    @admin.action(description="Archive selected items")
    def archive(self, request, queryset):
        if not self.is_editor(request):
            raise PermissionDenied
        self._transition(request, queryset, services.archive, "archived")

    @admin.action(description="Reject selected items (back to their authors)")
    def reject(self, request, queryset):
        if not self.is_editor(request):
            raise PermissionDenied
        self._transition(request, queryset, services.reject, "rejected")

    @admin.action(description="Return selected items to draft")
    def return_to_draft(self, request, queryset):
        if not self.is_editor(request):
            raise PermissionDenied
        self._transition(request, queryset, services.return_to_draft, "returned to draft")

    # Time zones.

    def get_edit_timezone(self, request, object_id) -> str | None:
        """The IANA zone in which this form's local date/times are shown and entered."""
        return None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        name = self.get_edit_timezone(request, object_id)
        try:
            zone = zoneinfo.ZoneInfo(name) if name else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None
        if zone is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        request._editorial_timezone = name
        with timezone.override(zone):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # Render while the zone is active: widgets localise their values when rendered.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response

    # Revisions: revert and recover are audited; comparison of two revisions.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        request._editorial_reverting = True
        response = super().revision_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            version = Version.objects.select_related("revision").get(pk=version_id)
            item = self.model._default_manager.filter(pk=unquote(object_id)).first()
            if item is not None:
                when = localize(timezone.localtime(version.revision.date_created))
                services.record_action(
                    item=item, by=request.user, message=f"Reverted to the version of {when}."
                )
        return response

    def recover_view(self, request, version_id, extra_context=None):
        request._editorial_reverting = True
        response = super().recover_view(request, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            version = Version.objects.get(pk=version_id)
            item = self.model._default_manager.filter(pk=version.object_id).first()
            if item is not None:
                services.record_action(item=item, by=request.user, message="Recovered.")
        return response

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="{}_{}_compare".format(*info),
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        opts = self.model._meta
        versions = Version.objects.get_for_object_reference(
            self.model, unquote(object_id)
        ).select_related("revision__user")
        action_list = [
            {
                "version": version,
                "revision": version.revision,
                "url": reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                    args=(quote(version.object_id), version.pk),
                ),
            }
            for version in versions.order_by("-pk")
        ]
        context = {
            "action_list": action_list,
            "compare_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_compare",
                args=(object_id,),
            ),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        """Two revisions of one item side by side, field by field, differences marked."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        versions = Version.objects.get_for_object_reference(self.model, object_id)
        older = get_object_or_404(
            versions.select_related("revision__user"), pk=request.GET.get("a")
        )
        newer = get_object_or_404(
            versions.select_related("revision__user"), pk=request.GET.get("b")
        )
        if older.pk > newer.pk:
            older, newer = newer, older
        rows = []
        for field in self.model._meta.get_fields():
            if not getattr(field, "editable", False) or not (field.concrete or field.many_to_many):
                continue
            key = field.attname
            if key not in older.field_dict and key not in newer.field_dict:
                continue
            a = _display(field, older.field_dict.get(key))
            b = _display(field, newer.field_dict.get(key))
            rows.append({"label": capfirst(field.verbose_name), "a": a, "b": b, "changed": a != b})

        def related(version):
            return sorted(
                f"{capfirst(v.content_type.name)}: {v.object_repr}"
                for v in version.revision.version_set.select_related("content_type")
                if v.pk != version.pk
            )

        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Compare revisions of {older.object_repr}",
            "older": older,
            "newer": newer,
            "rows": rows,
            "related_older": related(older),
            "related_newer": related(newer),
            "object_id": object_id,
        }
        return TemplateResponse(request, self.compare_template, context)


def _display(field: models.Field, value) -> str:
    if value is None:
        return "—"
    if field.choices and not field.many_to_many:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in sorted(value, key=str)) or "—"
    if isinstance(value, datetime):
        return localize(timezone.localtime(value))
    return str(value) if value != "" else "—"


# --- The editorial dashboard ------------------------------------------------------------------

DASHBOARD_LIMIT = 10
RECENT_DAYS = 30


def editorial_dashboard(request, admin_site=admin.site) -> dict[str, list[dict]]:
    """Awaiting review, scheduled, recently published and my drafts, across all content.

    One query per publishable model plus one for ownership, however much content there is.
    """
    user = request.user
    publishable = [
        model
        for model, model_admin in admin_site._registry.items()
        if isinstance(model_admin, PublishableAdmin) and model_admin.has_view_permission(request)
    ]
    if not publishable:
        return {}
    mine = services.owned_ids(user, publishable)
    now = timezone.now()
    since = now - timedelta(days=RECENT_DAYS)
    columns: dict[str, list[dict]] = {"review": [], "scheduled": [], "recent": [], "drafts": []}
    for model in publishable:
        wanted = (
            Q(status=Status.REVIEW)
            | Q(status=Status.PUBLISHED, publish_at__gt=now)
            | Q(status=Status.PUBLISHED, publish_at__gte=since, publish_at__lte=now)
            | Q(status__in=services.AUTHOR_EDITABLE_STATES, pk__in=list(mine[model]))
        )
        # Enough rows of each model for every column, newest first.
        rows = model._default_manager.filter(wanted).order_by("-updated_at")[: DASHBOARD_LIMIT * 4]
        opts = model._meta
        for item in rows:
            entry = {
                "item": item,
                "type": capfirst(opts.verbose_name),
                "url": reverse(
                    f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                    args=(quote(item.pk),),
                ),
            }
            if item.status == Status.REVIEW:
                columns["review"].append({**entry, "when": item.updated_at})
            elif item.status == Status.PUBLISHED and item.publish_at > now:
                columns["scheduled"].append({**entry, "when": item.publish_at})
            elif item.status == Status.PUBLISHED:
                columns["recent"].append({**entry, "when": item.publish_at})
            else:
                columns["drafts"].append({**entry, "when": item.updated_at})
    columns["review"].sort(key=lambda e: e["when"])
    columns["scheduled"].sort(key=lambda e: e["when"])
    columns["recent"].sort(key=lambda e: e["when"], reverse=True)
    columns["drafts"].sort(key=lambda e: e["when"], reverse=True)
    return {name: entries[:DASHBOARD_LIMIT] for name, entries in columns.items()}


# --- The audit log ----------------------------------------------------------------------------


class LogEntryAdmin(admin.ModelAdmin):
    """The admin log, read-only: who added, changed, published, archived or reverted what."""

    list_display = ("action_time", "user", "content_type", "object_link", "action", "message")
    list_filter = ("action_flag", "content_type", ("user", admin.RelatedOnlyFieldListFilter))
    search_fields = ("object_repr", "change_message", "user__username")
    date_hierarchy = "action_time"
    list_select_related = ("user", "content_type")
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="action", ordering="action_flag")
    def action(self, obj: LogEntry) -> str:
        return obj.get_action_flag_display()

    @admin.display(description="object", ordering="object_repr")
    def object_link(self, obj: LogEntry) -> str:
        return obj.object_repr

    @admin.display(description="message")
    def message(self, obj: LogEntry) -> str:
        return obj.get_change_message()
