"""Bulk workflow actions on changelists; each goes through a transition of ``core.workflow``."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from core import workflow


class WorkflowActionsMixin:
    """Send for review, publish now, archive, reject, return to draft."""

    actions = ["send_for_review", "publish_now", "archive", "reject", "return_to_draft"]
    editor_actions = ("publish_now", "archive", "reject", "return_to_draft")

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
        self._transition(request, queryset, workflow.send_for_review, "sent for review")

    @admin.action(description="Publish selected items now")
    def publish_now(self, request, queryset):
        if not self.is_editor(request):
            raise PermissionDenied
        self._transition(request, queryset, workflow.publish, "published")

    @admin.action(description="Archive selected items")
    def archive(self, request, queryset):
        if not self.is_editor(request):
            raise PermissionDenied
        self._transition(request, queryset, workflow.archive, "archived")

    @admin.action(description="Reject selected items (back to their authors)")
    def reject(self, request, queryset):
        if not self.is_editor(request):
            raise PermissionDenied
        self._transition(request, queryset, workflow.reject, "rejected")

    @admin.action(description="Return selected items to draft")
    def return_to_draft(self, request, queryset):
        if not self.is_editor(request):
            raise PermissionDenied
        self._transition(request, queryset, workflow.return_to_draft, "returned to draft")
