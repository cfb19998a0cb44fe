"""Roles in the admin: editors may do anything; everyone else is a contributor.

Editors are the Editors and Administrators groups, and superusers. A contributor's status
choices are draft and in review, the schedule is read-only to them, the editors' actions are
hidden, a forged POST is refused, and they may change an item only while it is their own draft.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from core import workflow
from core.publishing import Status
from core.workflow import CONTRIBUTOR_STATES


class RolesMixin:
    """For a ``ModelAdmin`` of a publishable model."""

    def is_editor(self, request) -> bool:
        return workflow.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or workflow.can_edit(request.user, obj)

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

    def save_model(self, request, obj, form, change):
        editor = self.is_editor(request)
        if not editor and obj.status not in CONTRIBUTOR_STATES:
            raise PermissionDenied("Only editors may publish, archive or reject.")
        old_status = form.initial.get("status") if change else None
        super().save_model(request, obj, form, change)
        if change and old_status and old_status != obj.status:
            workflow.record_action(
                item=obj,
                by=request.user,
                message=f"Status changed from {Status(old_status).label.lower()} "
                f"to {obj.get_status_display().lower()}.",
            )
        elif not change and obj.status != Status.DRAFT:
            workflow.record_action(
                item=obj, by=request.user, message=f"Created as {obj.get_status_display().lower()}."
            )
