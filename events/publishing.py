"""The one way to be published, shared by every public content type.

An item is public when its status is *published*, its ``publish_at`` has come
and its ``unpublish_at`` (if any) has not. The check is made in the query, so
scheduled items go live and expire by themselves with no job to run.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"
    REJECTED = "rejected", "Rejected"


def published_q(prefix: str = "", at: datetime | None = None) -> Q:
    """The published condition, optionally across a relation (``prefix="event__"``)."""
    now = at or timezone.now()
    return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}publish_at__lte": now}) & (
        Q(**{f"{prefix}unpublish_at__isnull": True}) | Q(**{f"{prefix}unpublish_at__gt": now})
    )


class PublishableQuerySet(models.QuerySet):
    #: Foreign keys to publishable items without which an item is not public either
    #: (a session of a draft event is not public, however it is marked itself).
    published_with: tuple[str, ...] = ()

    def published(self, at: datetime | None = None) -> PublishableQuerySet:
        condition = published_q(at=at)
        for relation in self.published_with:
            condition &= published_q(f"{relation}__", at=at)
        return self.filter(condition)

    def visible_to(self, user) -> PublishableQuerySet:
        """Everything for staff who may preview this model; the published items for anyone else.

        An item that needs another to be public (``published_with``) is shown to a previewer
        only when they may preview that other item too, or when it is published.
        """
        if not can_preview(user, self.model):
            return self.published()
        queryset = self.all()
        for relation in self.published_with:
            related_model = self.model._meta.get_field(relation).related_model
            if not can_preview(user, related_model):
                queryset = queryset.filter(published_q(f"{relation}__"))
        return queryset


def prefetch_published(
    lookup: str,
    model: type[models.Model],
    queryset: models.QuerySet | None = None,
    *,
    user=None,
    to_attr: str | None = None,
) -> models.Prefetch:
    """Prefetch only the public side of a relation (or what ``user`` may preview).

    Every related list on a public surface goes through this: a draft must never leak
    through a relation from a published item.
    """
    qs = queryset if queryset is not None else model._default_manager.all()
    return models.Prefetch(lookup, queryset=qs.visible_to(user), to_attr=to_attr)


def can_preview(user, model: type[models.Model]) -> bool:
    if user is None or not getattr(user, "is_staff", False):
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


class Publishable(models.Model):
    """Editorial state and schedule; every model the public sees inherits it."""

    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        "publish at",
        null=True,
        blank=True,
        help_text="When a published item becomes public. Left empty, it is set on publishing.",
    )
    unpublish_at = models.DateTimeField(
        "unpublish at",
        null=True,
        blank=True,
        help_text="Optional: when the item stops being public.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def publishing_constraints(cls, name: str) -> list[models.BaseConstraint]:
        """Database rules that hold for every publishable table (names must be unique)."""
        return [
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(publish_at__isnull=False),
                name=f"{name}_published_has_publish_at",
                violation_error_message="A published item needs a publication time.",
            ),
            models.CheckConstraint(
                condition=Q(unpublish_at__isnull=True)
                | Q(publish_at__isnull=True)
                | Q(unpublish_at__gt=models.F("publish_at")),
                name=f"{name}_unpublish_after_publish",
                violation_error_message="'Unpublish at' must come after 'publish at'.",
            ),
        ]

    @property
    def is_published(self) -> bool:
        now = timezone.now()
        return (
            self.status == Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    def clean(self) -> None:
        super().clean()
        if self.status == Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        if self.publish_at and self.unpublish_at and self.unpublish_at <= self.publish_at:
            raise ValidationError({"unpublish_at": "'Unpublish at' must come after 'publish at'."})


# --- Editorial workflow ----------------------------------------------------------------------
#
# Items move draft → in review → published → archived; editors may also reject an item in
# review (it goes back to its author) or return anything to draft. Every transition is made by
# one of the functions below, which check the actor's role, save the item as a revision and
# write an admin LogEntry, so the audit trail ("who published what, when") is the admin log.

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
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.contenttypes.models import ContentType

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
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.contenttypes.models import ContentType

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
    from django.contrib.admin.models import CHANGE, LogEntry

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
    import reversion

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
