"""The admin every publishable model's admin derives from, assembled from one mixin per concern:
roles, workflow actions, time zones, revisions, the edit-conflict check, the live preview and
pending changes to live items."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.utils import timezone
from django.utils.formats import localize

from core.admin.actions import WorkflowActionsMixin
from core.admin.history import EditorialVersionAdmin, HistoryMixin
from core.admin.lists import PUBLISHING_FILTERS
from core.admin.pending import PendingChangesMixin
from core.admin.preview import LivePreviewMixin
from core.admin.redirects import REPLACE_WITH, ReplaceWithForm, ReplaceWithMixin
from core.admin.reviews import ReviewMixin
from core.admin.roles import RolesMixin
from core.admin.search import IndexedSearchMixin
from core.admin.tabs import with_tabs
from core.admin.timezones import LocalTimeMixin
from core.admin.usage import UsedByMixin
from core.publishing import Publishable, Status

PUBLISHING_FIELDS = ("status", "publish_at", "unpublish_at")
IMAGE_FIELDS = ("image", "image_alt", "image_decorative")


class LeanChangeList(ChangeList):
    """A changelist that loads only what its columns show: the long texts (abstracts,
    bodies, descriptions) of the rows it lists are left in the database."""

    def get_results(self, request):
        self.queryset = self.queryset.defer(*self.model_admin.get_list_defer(request))
        super().get_results(request)


class PublishableAdmin(
    PendingChangesMixin,
    LivePreviewMixin,
    ReviewMixin,
    ReplaceWithMixin,
    IndexedSearchMixin,
    RolesMixin,
    WorkflowActionsMixin,
    LocalTimeMixin,
    HistoryMixin,
    UsedByMixin,
    EditorialVersionAdmin,
):
    """Base admin for every model that inherits ``Publishable``."""

    form = ReplaceWithForm
    list_filter = PUBLISHING_FILTERS
    list_per_page = 50
    # At 100k rows a second COUNT(*) of the whole table on every page is not worth "of N".
    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        return LeanChangeList

    def get_list_defer(self, request) -> list[str]:
        """The text fields that no column shows (loaded only when an item is opened)."""
        shown = set(self.get_list_display(request))
        return [
            field.name
            for field in self.model._meta.concrete_fields
            if isinstance(field, models.TextField) and field.name not in shown
        ]

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

    def get_fieldsets(self, request, obj=None):
        if self.fieldsets:
            fieldsets = list(self.fieldsets)
        else:
            fields = [
                f
                for f in self.get_fields(request, obj)
                if f not in (*PUBLISHING_FIELDS, "edit_token", REPLACE_WITH)
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
        fieldsets = self.replace_with_fieldset(
            request,
            obj,
            [
                *fieldsets,
                (
                    "Publishing",
                    {
                        "fields": publishing_fields,
                        "description": "Draft → in review → published → archived. "
                        "Publication times are in the site's time zone.",
                    },
                ),
            ],
        )
        fieldsets = self.with_used_by(self.with_preview_fields(request, obj, fieldsets), obj)
        fieldsets = self.with_pending(fieldsets, obj)
        # Tabs (Content, Relations, Publishing, SEO) from the fieldsets, last.
        return with_tabs(fieldsets, self.model)
