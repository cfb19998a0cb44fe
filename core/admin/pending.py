"""Pending changes in the admin: a live item's form saves a pending version, which its panel
sends for review, previews, publishes, schedules or discards; changelists mark the live items
that have one (a column and a filter, read in the changelist's own query).

How it works (``core.pending``): while an item is live, its change form saves into a
transaction that is rolled back once the snapshot is taken; while it has a pending change, the
form shows (and saves) the pending version, written over the live rows for the length of the
request and rolled back. Contributors, who may not edit a live item, may prepare changes to it
this way; editors may still save a live item directly as long as no change is pending.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from core import pending, previews, workflow
from core.pending import PendingChange
from core.security import add_nonce_to_media

PANEL = "pending_panel"
#: The button of a live item's form that saves the changes as a pending version.
SAVE_PENDING = "_save_pending"
#: Read-only while the form edits a pending version: state moves are the live item's.
STATE_FIELDS = ("status", "publish_at", "unpublish_at")


def pending_state(model: type[models.Model]) -> Subquery:
    """The state of an item's pending change (NULL when it has none), as a subquery of the
    changelist's own query: no query per row, found through the one-per-item constraint."""
    opts = model._meta.concrete_model._meta
    return Subquery(
        PendingChange.objects.filter(
            content_type__app_label=opts.app_label,
            content_type__model=opts.model_name,
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
        )
        .order_by()
        .values("state")[:1]
    )


class PendingChangesFilter(admin.SimpleListFilter):
    title = "pending changes"
    parameter_name = "pending"

    def lookups(self, request, model_admin):
        return [
            ("any", "Has pending changes"),
            *PendingChange.State.choices,
            ("none", "No pending changes"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "any":
            return queryset.filter(pending_state__isnull=False)
        if value == "none":
            return queryset.filter(pending_state__isnull=True)
        if value in PendingChange.State.values:
            return queryset.filter(pending_state=value)
        return queryset


@dataclass
class _Form:
    """What the panel of the change form being rendered knows (set per request)."""

    request: object
    item: models.Model
    change: PendingChange | None
    editing: bool


_form: ContextVar[_Form | None] = ContextVar("pending_form", default=None)


class _Captured(Exception):
    """Leaves the transaction of a pending save, rolling it back, with what was saved."""

    def __init__(self, response, data):
        self.response, self.data = response, data


def _rendered(request, response):
    """The response rendered now, while the panel's state (and a pending version) is there."""
    if hasattr(response, "render") and not response.is_rendered:
        add_nonce_to_media(request, response)  # what MediaNonceMiddleware would do later
        response.render()
    return response


class PendingChangesMixin:
    """For ``PublishableAdmin``: pending versions of live items (see the module docstring)."""

    # -- The changelist ----------------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(pending_state=pending_state(self.model))

    def get_list_display(self, request):
        return (*super().get_list_display(request), "pending_changes")

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), PendingChangesFilter)

    @admin.display(description="pending changes", ordering="pending_state")
    def pending_changes(self, obj) -> str:
        state = getattr(obj, "pending_state", None)
        return PendingChange.State(state).label if state else "—"

    # -- The change form ---------------------------------------------------------------

    def with_pending(self, fieldsets: list, obj) -> list:
        """``fieldsets`` with the pending-changes panel first, on a live item's form."""
        if obj is None or not pending.is_live(obj) or _form.get() is None:
            return fieldsets
        description = (
            "This item is live. Changes saved as a pending version are seen by visitors only "
            "once they are published; they can be previewed, reviewed and scheduled first."
        )
        return [("Pending changes", {"fields": [PANEL], "description": description}), *fieldsets]

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is None or not pending.is_live(obj) or _form.get() is None:
            return fields
        if getattr(request, "_pending_edit", False):
            fields = (*fields, *(f for f in STATE_FIELDS if f not in fields))
        return (*fields, PANEL)

    def has_change_permission(self, request, obj=None):
        if obj is not None and getattr(request, "_pending_edit", False):
            return pending.may_propose(request.user, obj)
        return super().has_change_permission(request, obj)

    @admin.display(description="pending version")
    def pending_panel(self, obj) -> str:
        form = _form.get()
        if form is None:
            return ""
        change, user = form.change, form.request.user
        if change is None:
            if not form.editing and not workflow.can_edit(user, form.item):
                return "No pending changes."
            intro = (
                "Your changes are saved as a pending version for review."
                if form.editing
                else "Save your changes as a pending version to prepare them without changing "
                "the public page."
            )
            button = format_html(
                '<button type="submit" name="{}" value="1" class="button">'
                "Save as pending change</button>",
                SAVE_PENDING,
            )
            return format_html("<p>{}</p><p>{}</p>", intro, button)
        author = change.author.get_username() if change.author else "someone"
        when = localize(timezone.localtime(change.updated_at))
        lines = [
            format_html(
                "<p><strong>Pending changes by {}</strong>, last saved {}: {}. This form shows "
                "the pending version; saving updates it. Visitors see the live version.</p>",
                author,
                when,
                change.describe,
            )
        ]
        preview = pending.preview_url(form.item)
        controls = []
        if preview:
            controls.append(
                format_html('<a href="{}" target="_blank" rel="noopener">Preview</a>', preview)
            )
        editor = workflow.is_editor(user)

        def button(action: str, label: str) -> str:
            url = self._pending_url(form.item, action)
            return format_html(
                '<button type="submit" formaction="{}" formnovalidate class="button">{}</button>',
                url,
                label,
            )

        if change.state == PendingChange.State.DRAFT and (editor or change.author_id == user.pk):
            controls.append(button("review", "Send for review"))
        if editor:
            controls.append(button("publish", "Publish changes now"))
            controls.append(
                format_html(
                    '<label>at <input type="datetime-local" name="pending_publish_at" value="{}">'
                    "</label> {}",
                    timezone.localtime(change.publish_at).strftime("%Y-%m-%dT%H:%M")
                    if change.publish_at
                    else "",
                    button("schedule", "Schedule changes"),
                )
            )
        if pending.may_edit(user, change):
            controls.append(button("discard", "Discard changes"))
        joined = format_html_join(" ", "{}", ((control,) for control in controls))
        lines.append(format_html("<p>{}</p>", joined))
        return format_html_join("", "{}", ((line,) for line in lines))

    def _pending_url(self, item, action: str) -> str:
        opts = self.model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_pending",
            args=(quote(item.pk), action),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        item = None
        if object_id is not None and not getattr(request, "_editorial_reverting", False):
            item = self._load(request, object_id)
        if item is None or not pending.is_live(item):
            request._pending_loaded = item
            return super().changeform_view(request, object_id, form_url, extra_context)
        change = pending.for_item(item) if item.pending_state else None
        proposing = pending.may_propose(request.user, item)
        direct = change is None and workflow.can_edit(request.user, item)
        if direct and SAVE_PENDING not in request.POST:
            # An editor's form of a live item without pending changes: saves go live.
            request._pending_loaded = item
            token = _form.set(_Form(request, item, None, editing=False))
            try:
                return _rendered(
                    request,
                    super().changeform_view(request, object_id, form_url, extra_context),
                )
            finally:
                _form.reset(token)
        if change is None:
            request._pending_loaded = item
        editing = proposing and (change is None or pending.may_edit(request.user, change))
        request._pending_edit = editing
        token = _form.set(_Form(request, item, change, editing=editing))
        try:
            if request.method == "POST" and editing:
                return self._save_pending(request, item, change, object_id, form_url, extra_context)
            if change is None:
                return _rendered(
                    request,
                    super().changeform_view(request, object_id, form_url, extra_context),
                )
            with pending.applied(change):
                return _rendered(
                    request,
                    super().changeform_view(request, object_id, form_url, extra_context),
                )
        finally:
            _form.reset(token)

    def _load(self, request, object_id):
        """The item, as the admin loads it (and, through ``get_object``, loaded once)."""
        if request.GET.get(TO_FIELD_VAR) or request.POST.get(TO_FIELD_VAR):
            return None
        try:
            return self.get_queryset(request).filter(pk=unquote(object_id)).first()
        except (ValueError, ValidationError):
            return None

    def get_object(self, request, object_id, from_field=None):
        loaded = getattr(request, "_pending_loaded", None)
        if loaded is not None and from_field is None and str(loaded.pk) == str(object_id):
            request._pending_loaded = None
            return loaded
        return super().get_object(request, object_id, from_field)

    def _save_pending(self, request, item, change, object_id, form_url, extra_context):
        """Save the form as it always is, take the snapshot, roll the save back, keep it."""
        request._pending_capture = True
        try:
            with previews.undone(), transaction.atomic():
                if change is not None:
                    pending.apply(change, for_good=False)
                response = super().changeform_view(request, object_id, form_url, extra_context)
                saved = getattr(request, "_pending_saved", None)
                if saved is None:  # the form had errors: shown, nothing kept
                    raise _Captured(_rendered(request, response), None)
                raise _Captured(response, pending.snapshot(saved))
        except _Captured as captured:
            if captured.data is None:
                return captured.response
            data = captured.data
        pending.save_change(item=item, data=data, by=request.user)
        self.message_user(
            request,
            "Your changes were saved as a pending version. Visitors still see the live "
            "version until the changes are published.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(request.path)

    def response_change(self, request, obj):
        if getattr(request, "_pending_capture", False):
            request._pending_saved = self.model._base_manager.get(pk=obj.pk)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    # -- The panel's actions ------------------------------------------------------------

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/pending/<str:action>/",
                self.admin_site.admin_view(self.pending_action_view),
                name=f"{opts.app_label}_{opts.model_name}_pending",
            ),
            *super().get_urls(),
        ]

    def pending_action_view(self, request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        item = get_object_or_404(self.model._default_manager, pk=unquote(object_id))
        if not pending.may_propose(request.user, item):
            raise PermissionDenied
        change = pending.for_item(item)
        opts = self.model._meta
        back = reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
            args=(quote(item.pk),),
        )
        if change is None:
            self.message_user(request, "This item has no pending changes.", messages.WARNING)
            return HttpResponseRedirect(back)
        try:
            if action == "review":
                pending.send_for_review(change=change, by=request.user)
                done = "The pending changes were sent for review."
            elif action == "publish":
                pending.publish_change(change=change, by=request.user)
                done = "The pending changes were published: visitors see them now."
            elif action == "schedule":
                at = parse_datetime(request.POST.get("pending_publish_at", "") or "")
                if at is None:
                    raise ValidationError("Give the date and time to publish the changes at.")
                if timezone.is_naive(at):
                    at = timezone.make_aware(at)
                pending.schedule_change(change=change, by=request.user, at=at)
                done = f"The pending changes will be published at {localize(at)}."
            elif action == "discard":
                pending.discard_change(change=change, by=request.user)
                done = "The pending changes were discarded."
            else:
                raise PermissionDenied
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(back)
        self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(back)


@admin.register(PendingChange)
class PendingChangeAdmin(admin.ModelAdmin):
    """Every pending change, across content types: what awaits review or is scheduled.

    Read-only: a change is edited, reviewed and published from its item's page."""

    list_display = ("item_link", "kind", "state", "publish_at", "author", "updated_at")
    list_filter = ("state",)
    list_select_related = ("content_type", "author")
    search_fields = ("object_repr",)
    ordering = ("state", "-updated_at")

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_staff)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="item", ordering="object_repr")
    def item_link(self, change: PendingChange) -> str:
        ct = change.content_type
        try:
            url = reverse(
                f"{self.admin_site.name}:{ct.app_label}_{ct.model}_change",
                args=(quote(change.object_id),),
            )
        except NoReverseMatch:
            return change.object_repr
        return format_html('<a href="{}">{}</a>', url, change.object_repr or change.object_id)

    @admin.display(description="type", ordering="content_type__model")
    def kind(self, change: PendingChange) -> str:
        return capfirst(change.content_type.name)
