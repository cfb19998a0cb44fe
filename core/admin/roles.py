"""Roles in the admin: editors may do anything; everyone else is a contributor.

Editors are the Editors and Administrators groups, and superusers. The change form's status
field offers only the states the workflow graph lets this user reach from the item's state (a
contributor: draft and in review), a POST with any other state is refused with a form error,
and the move itself is made by the graph's transition. The schedule is read-only to
contributors, the editors' actions are hidden, and a contributor may change an item only while
it is their own draft. The admin add form makes the signed-in user the item's owner.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from core import workflow
from core.publishing import Status


class StateField(forms.TypedChoiceField):
    """The status of an item: any state may be posted, only the reachable ones are valid."""

    def __init__(self, *, item, user, **kwargs):
        self.item, self.user = item, user
        self.reachable = workflow.reachable(item, user)
        kwargs["choices"] = [(s, Status(s).label) for s in self.reachable]
        super().__init__(**kwargs)

    def validate(self, value):
        forms.Field.validate(self, value)
        if value in self.empty_values:
            return
        if value not in Status.values:
            raise ValidationError(f"“{value}” is not a state.", code="invalid_choice")
        if value not in self.reachable:
            raise ValidationError(
                workflow.refusal(self.item, self.user, value), code="forbidden_transition"
            )


class WorkflowFormMixin:
    """For the change form of a publishable model; ``workflow_user`` is set by ``RolesMixin``.

    Kept apart from the edit-conflict form so that either can change on its own.
    """

    workflow_user = None
    #: The item's state in the database when the form shows another one (a revert).
    workflow_state = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        shown = self.instance.status
        self.state_before = self.workflow_state or shown
        self.instance.status = self.state_before
        field = self.fields.get("status")
        if field is not None:
            self.fields["status"] = StateField(
                item=self.instance,
                user=self.workflow_user,
                label=field.label,
                help_text=field.help_text,
                required=field.required,
                initial=shown,
            )

    def _post_clean(self):
        super()._post_clean()
        if "status" not in self.cleaned_data or self.errors.get("status"):
            return
        target = self.instance.status
        if target == self.state_before:
            return
        # The form wrote the new state; make the move through the graph's own transition.
        self.instance.status = self.state_before
        try:
            workflow.transition_to(self.instance, target, by=self.workflow_user)
        except (ValidationError, PermissionDenied) as exc:
            text = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            self.instance.status = self.state_before
            self.add_error("status", text)


class RolesMixin:
    """For a ``ModelAdmin`` of a publishable model."""

    def is_editor(self, request) -> bool:
        return workflow.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        # During a revert ``obj`` holds the old version; who may edit is judged on the item now.
        state = getattr(request, "_workflow_state", None)
        return obj is None or workflow.can_edit(request.user, obj, state=state)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or self.is_editor(request)
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.is_editor(request):
            readonly += ["publish_at", "unpublish_at"]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        attrs = {
            "workflow_user": request.user,
            "workflow_state": getattr(request, "_workflow_state", None),
        }
        return type(form.__name__, (WorkflowFormMixin, form), attrs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        old_status = getattr(form, "state_before", None) if change else None
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
        workflow.announce(item=obj, by=request.user)
