"""The editorial workflow: roles, who may edit what, and the transitions between states.

Items move draft → in review → published → archived; editors may also reject an item in
review (it goes back to its author) or return anything to draft. Every transition is made by
one of the functions below, which check the actor's role, save the item as a revision and
write an admin LogEntry, so the audit trail ("who published what, when") is the admin log.
"""

from __future__ import annotations

from datetime import datetime

import reversion
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from core.publishing import Publishable, Status

CONTRIBUTORS = "Contributors"
EDITORS = "Editors"
ADMINISTRATORS = "Administrators"

#: States a contributor may put an item into (through the form or by sending it for review).
CONTRIBUTOR_STATES = (Status.DRAFT, Status.REVIEW)
#: States in which an item still belongs to its author, who may keep editing it.
AUTHOR_EDITABLE_STATES = (Status.DRAFT, Status.REJECTED)


def is_editor(user) -> bool:
    """True for superusers and members of the Editors or Administrators groups.

    Editors review, publish, schedule, archive and reject anything; everyone else with access
    to the admin is treated as a contributor. The answer is kept on the user object so that a
    request asks the database once.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_editor", None)
    if cached is None:
        cached = user.groups.filter(name__in=(EDITORS, ADMINISTRATORS)).exists()
        user._is_editor = cached
    return cached


def created_by(item: models.Model):
    """The user who created ``item`` in the admin, or None (created by the API or a loader).

    Ownership is read from the admin's own record of the addition (LogEntry, action ADDITION)
    rather than from a model field: every item added in the admin has one, it can be looked up
    for many items in one query (see ``owned_ids``), and no content table needs a column.
    """

    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(item, for_concrete_model=False),
            object_id=str(item.pk),
            action_flag=ADDITION,
        )
        .select_related("user")
        .order_by("action_time")
        .first()
    )
    return entry.user if entry else None


def owned_ids(user, models_: list[type[models.Model]]) -> dict[type[models.Model], set[str]]:
    """The primary keys (as strings) of the items of ``models_`` that ``user`` created."""

    content_types = ContentType.objects.get_for_models(*models_, for_concrete_models=False)
    by_ct = {ct.pk: model for model, ct in content_types.items()}
    result: dict[type[models.Model], set[str]] = {model: set() for model in models_}
    rows = LogEntry.objects.filter(
        user_id=user.pk, action_flag=ADDITION, content_type_id__in=list(by_ct)
    ).values_list("content_type_id", "object_id")
    for ct_id, object_id in rows:
        result[by_ct[ct_id]].add(object_id)
    return result


def can_edit(user, item: Publishable) -> bool:
    """Editors edit anything; contributors only their own drafts (and rejected items)."""
    if is_editor(user):
        return True
    if item.pk is None:
        return True
    if item.status not in AUTHOR_EDITABLE_STATES:
        return False
    owner = created_by(item)
    return owner is not None and owner.pk == user.pk


class TransitionError(ValidationError):
    """The item is not in a state from which this transition can be made."""


def record_action(*, item: models.Model, by, message: str) -> None:
    """Write an audit entry in the admin log for ``item``."""

    LogEntry.objects.log_actions(
        user_id=by.pk, queryset=[item], action_flag=CHANGE, change_message=message,
        single_object=True,
    )  # fmt: skip


def _require_editor(by, verb: str) -> None:
    if not is_editor(by):
        raise PermissionDenied(f"Only editors may {verb}.")


def _require_state(item: Publishable, allowed: tuple[str, ...], verb: str) -> None:
    if item.status not in allowed:
        raise TransitionError(
            f"“{item}” is {item.get_status_display().lower()}; it cannot be {verb}."
        )


def _save_transition(*, item: Publishable, by, message: str) -> Publishable:
    """Save the new state as a revision (when the model keeps them) and log it."""

    fields = ["status", "publish_at", "unpublish_at", "updated_at"]
    item.full_clean(exclude=[f.name for f in item._meta.fields if f.name not in fields])
    if reversion.is_registered(type(item)):
        with reversion.create_revision():
            item.save(update_fields=fields)
            reversion.set_user(by)
            reversion.set_comment(message)
    else:
        item.save(update_fields=fields)
    record_action(item=item, by=by, message=message)
    return item


def send_for_review(*, item: Publishable, by) -> Publishable:
    """A draft (or rejected item) goes to the editors; its author or an editor may send it."""
    _require_state(item, AUTHOR_EDITABLE_STATES, "sent for review")
    if not can_edit(by, item):
        raise PermissionDenied("Only its author or an editor may send this item for review.")
    item.status = Status.REVIEW
    return _save_transition(item=item, by=by, message="Sent for review.")


def publish(*, item: Publishable, by, at: datetime | None = None) -> Publishable:
    """Publish now, or at ``at`` when given (a scheduled publication)."""
    _require_editor(by, "publish")
    _require_state(item, (Status.DRAFT, Status.REVIEW, Status.PUBLISHED), "published")
    now = timezone.now()
    already_live = item.is_published
    item.status = Status.PUBLISHED
    # Publishing a live item again keeps its original publication time.
    item.publish_at = at or (item.publish_at if already_live else now)
    if item.unpublish_at and item.unpublish_at <= item.publish_at:
        item.unpublish_at = None
    if item.publish_at > now:
        message = f"Scheduled for publication at {item.publish_at.isoformat()}."
    else:
        message = "Published."
    return _save_transition(item=item, by=by, message=message)


def schedule(
    *, item: Publishable, by, publish_at: datetime, unpublish_at: datetime | None = None
) -> Publishable:
    """Publish from ``publish_at`` and, optionally, until ``unpublish_at``."""
    _require_editor(by, "schedule")
    _require_state(item, (Status.DRAFT, Status.REVIEW, Status.PUBLISHED), "scheduled")
    if unpublish_at and unpublish_at <= publish_at:
        raise ValidationError({"unpublish_at": "'Unpublish at' must come after 'publish at'."})
    item.status = Status.PUBLISHED
    item.publish_at = publish_at
    item.unpublish_at = unpublish_at
    until = f" until {unpublish_at.isoformat()}" if unpublish_at else ""
    message = f"Scheduled for publication at {publish_at.isoformat()}{until}."
    return _save_transition(item=item, by=by, message=message)


def archive(*, item: Publishable, by) -> Publishable:
    """Take a published item off the site while keeping it."""
    _require_editor(by, "archive")
    _require_state(item, (Status.PUBLISHED,), "archived")
    item.status = Status.ARCHIVED
    return _save_transition(item=item, by=by, message="Archived.")


def reject(*, item: Publishable, by, reason: str = "") -> Publishable:
    """Send an item in review back to its author."""
    _require_editor(by, "reject")
    _require_state(item, (Status.REVIEW,), "rejected")
    item.status = Status.REJECTED
    message = f"Rejected: {reason}" if reason else "Rejected."
    return _save_transition(item=item, by=by, message=message)


def return_to_draft(*, item: Publishable, by) -> Publishable:
    """Take an item off the site or out of review and make it a draft again."""
    _require_editor(by, "return items to draft")
    _require_state(
        item, (Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED, Status.REJECTED), "made a draft"
    )
    item.status = Status.DRAFT
    return _save_transition(item=item, by=by, message="Returned to draft.")
