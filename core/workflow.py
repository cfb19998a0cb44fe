"""The editorial workflow: its states, the one graph of moves between them, roles and ownership.

Items move draft → in review → published → archived; editors may also reject an item in
review (it goes back to its author) or return anything to draft. The graph is declared once,
below, as django-fsm-2 transitions on ``Workflow`` (the abstract base of ``Publishable``), each
with the permission that guards it. Every path that changes a state goes through it: the
admin change form offers only the states the graph lets this user reach and refuses any
other, admin and bulk actions and services call the functions at the end of this module, the
partner API creates its submissions with ``create``, and the demo loader uses ``create`` and
``move_to``. Each move is saved as a revision and written to the admin log, so the audit trail
("who published what, when") is the admin log.

Ownership is a field, ``created_by``, set when an item is created: contributors may edit their
own drafts and rejected items, editors anything. A system check (``check_workflow``) reports
the ways the graph could be bypassed: a status field that is not the workflow's, or an admin
that edits states on the changelist or without the workflow form.

Once a move is saved and committed, the ``transitioned`` signal is sent, once, whichever path
made it (services, admin form, loaders): what reacts to moves (e-mail notifications,
``core.notifications``) listens to it instead of being called from each path.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from django.core import checks
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django_fsm import FSMField, can_proceed, has_transition_perm, transition

if TYPE_CHECKING:
    from core.publishing import Publishable

CONTRIBUTORS = "Contributors"
EDITORS = "Editors"
ADMINISTRATORS = "Administrators"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"
    REJECTED = "rejected", "Rejected"


#: States in which an item still belongs to its author, who may keep editing it.
AUTHOR_EDITABLE_STATES = (Status.DRAFT, Status.REJECTED)
#: States in which a partner may still change or withdraw what it submitted through the API.
PARTNER_EDITABLE_STATES = (Status.REVIEW,)


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


def can_edit(user, item: Publishable, *, state: str | None = None) -> bool:
    """Editors edit anything; contributors only their own drafts (and rejected items).

    A new item (not saved yet) may be written by whoever may create one. Ownership is the
    item's ``created_by`` field, so it does not depend on the admin log being kept. ``state``
    judges the item in another state than the one it holds (a revert shows an older one).
    """
    if is_editor(user):
        return True
    if item.pk is None:
        return True
    if (state or item.status) not in AUTHOR_EDITABLE_STATES:
        return False
    return user is not None and item.created_by_id is not None and item.created_by_id == user.pk


def may_partner_change(item: Publishable) -> bool:
    """A partner may change or withdraw its own submission only until an editor decides on it."""
    return item.status in PARTNER_EDITABLE_STATES


# The permissions that guard the edges of the graph (django-fsm-2 calls them with the item and
# the user; a partner submitting through the API is no user, hence ``None``).


def _author_or_editor(item: Publishable, user) -> bool:
    return can_edit(user, item)


def _editor(item: Publishable, user) -> bool:
    return is_editor(user)


class StatusField(FSMField):
    """The workflow's state: an ``FSMField`` on the models, a plain ``CharField`` in migrations.

    Each FSMField connects a ``class_prepared`` receiver when it is added to a model, and a
    migration renders its models again at every step: with FSMFields in the migration state
    the receivers pile up and every further model costs a call to each of them (a fresh
    ``migrate`` took a minute of CPU). The column is a CharField either way; the transitions
    only matter on the real models.
    """

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("protected", None)
        return name, "django.db.models.CharField", args, kwargs


class Workflow(models.Model):
    """The state of an item and the graph of moves between states; ``Publishable`` inherits it.

    The transition methods only change the state in memory: call the functions of this module
    (``send_for_review``, ``publish``, …), which also check the actor, save and log.
    """

    status = StatusField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)

    class Meta:
        abstract = True

    @transition(
        field=status,
        source=[Status.DRAFT, Status.REJECTED],
        target=Status.REVIEW,
        permission=_author_or_editor,
        custom={"verb": "sent for review"},
    )
    def to_review(self) -> None:
        """Draft or rejected → in review: its author or an editor sends it to the editors."""

    @transition(
        field=status,
        source=[Status.DRAFT, Status.REVIEW, Status.PUBLISHED],
        target=Status.PUBLISHED,
        permission=_editor,
        custom={"verb": "published"},
    )
    def to_published(self) -> None:
        """Draft, in review or published (published again, or rescheduled) → published."""

    @transition(
        field=status,
        source=Status.PUBLISHED,
        target=Status.ARCHIVED,
        permission=_editor,
        custom={"verb": "archived"},
    )
    def to_archived(self) -> None:
        """Published → archived: off the site, kept."""

    @transition(
        field=status,
        source=Status.REVIEW,
        target=Status.REJECTED,
        permission=_editor,
        custom={"verb": "rejected"},
    )
    def to_rejected(self) -> None:
        """In review → rejected: back to its author."""

    @transition(
        field=status,
        source=[Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED, Status.REJECTED],
        target=Status.DRAFT,
        permission=_editor,
        custom={"verb": "made a draft"},
    )
    def to_draft(self) -> None:
        """Anything but a draft → draft."""


#: The transition method that leads into each state (one per state, by construction).
TRANSITION_INTO: dict[str, str] = {
    Status.REVIEW: "to_review",
    Status.PUBLISHED: "to_published",
    Status.ARCHIVED: "to_archived",
    Status.REJECTED: "to_rejected",
    Status.DRAFT: "to_draft",
}


def edges() -> list[tuple[str, str]]:
    """Every (source, target) pair of the graph, read from the transitions themselves."""
    pairs = []
    for name in TRANSITION_INTO.values():
        meta = getattr(Workflow, name)._django_fsm
        pairs += [(source, t.target) for source, t in meta.transitions.items()]
    return pairs


def reachable(item: Publishable, user) -> list[str]:
    """The states ``user`` may put ``item`` in from where it is now (its own state first).

    A new item starts as a draft, so the states it may be created in are those reachable from
    a draft: draft and in review for a contributor, and published too for an editor.
    """
    targets = {item.status} | {t.target for t in item.get_available_user_status_transitions(user)}
    return [item.status] + [s for s in Status.values if s in targets and s != item.status]


def _label(state: str) -> str:
    return Status(state).label.lower()


def refusal(item: Publishable, user, target: str) -> str:
    """Why ``user`` may not move ``item`` to ``target``, in words an editor understands."""
    others = [_label(s) for s in reachable(item, user) if s != item.status]
    can = f"it can become {' or '.join(others)}" if others else "you cannot change its state"
    return (
        f"This item is {_label(item.status)}: {can}, not {_label(target)}. "
        "Draft → in review → published → archived; editors also reject or return to draft."
    )


class TransitionError(ValidationError):
    """The item is not in a state from which this transition can be made."""


def transition_to(item: Publishable, target: str, *, by) -> None:
    """Move ``item`` along the edge into ``target`` in memory, or refuse.

    Raises ``TransitionError`` when the graph has no such edge from the item's state, and
    ``PermissionDenied`` when it has one that ``by`` may not take.
    """
    method = getattr(item, TRANSITION_INTO[target])
    meta = method._django_fsm
    kinds = meta.transitions.values()
    if not any(t.has_perm(item, by) for t in kinds):
        # Not a move this user makes at all, whatever the item's state.
        if target == Status.REVIEW:
            raise PermissionDenied("Only its author or an editor may send this item for review.")
        raise PermissionDenied(
            f"Only editors may move an item to {_label(target)}: they publish, schedule, "
            "archive, reject and return items to draft."
        )
    if not can_proceed(method):
        verb = next(iter(kinds)).custom["verb"]
        raise TransitionError(
            f"“{item}” is {_label(item.status)}; it cannot be {verb}.",
            code="forbidden_transition",
        )
    if not has_transition_perm(method, by):
        raise PermissionDenied(f"You may not move this item to {_label(target)}.")
    # Kept until the move is saved, for the ``transitioned`` signal (see ``announce``).
    item._moved_from = getattr(item, "_moved_from", item.status)
    method()


#: Sent after the commit of a saved move with ``item``, ``by`` (a user or None), ``source`` and
#: ``target`` (states); ``sender`` is the item's model.
transitioned = Signal()


def announce(*, item: Publishable, by) -> None:
    """Send ``transitioned`` once the transaction that saved ``item``'s move commits.

    Called by every path that saves a move (``_save`` here, the admin's ``save_model``); a move
    made in memory but never saved sends nothing. A failing receiver is logged, never raised:
    the move stands.
    """
    source = item.__dict__.pop("_moved_from", None)
    if source is None or source == item.status:
        return
    target = item.status
    user = by if getattr(by, "pk", None) else None
    transaction.on_commit(
        lambda: transitioned.send_robust(
            sender=type(item), item=item, by=user, source=source, target=target
        )
    )


def path_to(item: Publishable, target: str) -> list[str]:
    """The shortest sequence of states leading ``item`` from its state to ``target``."""
    graph: dict[str, list[str]] = {}
    for source, to in edges():
        graph.setdefault(source, []).append(to)
    start = item.status
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        if state == target:
            break
        for nxt in graph.get(state, []):
            if nxt not in previous:
                previous[nxt] = state
                queue.append(nxt)
    if target not in previous:
        raise TransitionError(f"No way from {_label(start)} to {_label(target)}.")
    steps = []
    state: str | None = target
    while state is not None and state != start:
        steps.append(state)
        state = previous[state]
    return steps[::-1]


def record_action(*, item: models.Model, by, message: str, addition: bool = False) -> None:
    """Write an audit entry in the admin log for ``item`` (nothing when no user acted)."""
    from django.contrib.admin.models import ADDITION, CHANGE, LogEntry

    if by is None or by.pk is None:
        return
    LogEntry.objects.log_actions(
        user_id=by.pk, queryset=[item], action_flag=ADDITION if addition else CHANGE,
        change_message=message, single_object=True,
    )  # fmt: skip


PUBLISHING_FIELDS = ["status", "publish_at", "unpublish_at", "updated_at"]


def _save(
    item: Publishable, *, by, message: str, fields: list[str] | None = None, addition: bool
) -> None:
    """Save ``fields`` (all when None) as a revision when the model keeps them, then log."""
    import reversion

    user = by if getattr(by, "pk", None) else None
    if not reversion.is_registered(type(item)):
        item.save(update_fields=fields)
    else:
        with reversion.create_revision():
            item.save(update_fields=fields)
            if user:
                reversion.set_user(user)
            reversion.set_comment(message)
    record_action(item=item, by=user, message=message, addition=addition)
    announce(item=item, by=user)


def _save_transition(*, item: Publishable, by, message: str) -> Publishable:
    item.full_clean(exclude=[f.name for f in item._meta.fields if f.name not in PUBLISHING_FIELDS])
    _save(item, by=by, message=message, fields=PUBLISHING_FIELDS, addition=False)
    return item


def _enter_published(item: Publishable, *, at: datetime | None, was_live: bool) -> str:
    now = timezone.now()
    # Publishing a live item again keeps its original publication time.
    item.publish_at = at or (item.publish_at if was_live else now)
    if item.unpublish_at and item.unpublish_at <= item.publish_at:
        item.unpublish_at = None
    if item.publish_at > now:
        return f"Scheduled for publication at {item.publish_at.isoformat()}."
    return "Published."


def send_for_review(*, item: Publishable, by) -> Publishable:
    """A draft (or rejected item) goes to the editors; its author or an editor may send it."""
    transition_to(item, Status.REVIEW, by=by)
    return _save_transition(item=item, by=by, message="Sent for review.")


def publish(*, item: Publishable, by, at: datetime | None = None) -> Publishable:
    """Publish now, or at ``at`` when given (a scheduled publication)."""
    was_live = item.is_published
    transition_to(item, Status.PUBLISHED, by=by)
    message = _enter_published(item, at=at, was_live=was_live)
    return _save_transition(item=item, by=by, message=message)


def schedule(
    *, item: Publishable, by, publish_at: datetime, unpublish_at: datetime | None = None
) -> Publishable:
    """Publish from ``publish_at`` and, optionally, until ``unpublish_at``."""
    if unpublish_at and unpublish_at <= publish_at:
        raise ValidationError({"unpublish_at": "'Unpublish at' must come after 'publish at'."})
    transition_to(item, Status.PUBLISHED, by=by)
    item.publish_at = publish_at
    item.unpublish_at = unpublish_at
    until = f" until {unpublish_at.isoformat()}" if unpublish_at else ""
    message = f"Scheduled for publication at {publish_at.isoformat()}{until}."
    return _save_transition(item=item, by=by, message=message)


def archive(*, item: Publishable, by) -> Publishable:
    """Take a published item off the site while keeping it."""
    transition_to(item, Status.ARCHIVED, by=by)
    return _save_transition(item=item, by=by, message="Archived.")


def reject(*, item: Publishable, by, reason: str = "") -> Publishable:
    """Send an item in review back to its author."""
    transition_to(item, Status.REJECTED, by=by)
    message = f"Rejected: {reason}" if reason else "Rejected."
    return _save_transition(item=item, by=by, message=message)


def return_to_draft(*, item: Publishable, by) -> Publishable:
    """Take an item off the site or out of review and make it a draft again."""
    transition_to(item, Status.DRAFT, by=by)
    return _save_transition(item=item, by=by, message="Returned to draft.")


#: The function that makes each move, by the state it leads into.
MOVES: dict[str, Callable[..., Publishable]] = {
    Status.REVIEW: send_for_review,
    Status.PUBLISHED: publish,
    Status.ARCHIVED: archive,
    Status.REJECTED: reject,
    Status.DRAFT: return_to_draft,
}


def create(
    *, item: Publishable, by, state: str = Status.DRAFT, at: datetime | None = None
) -> Publishable:
    """Save a new item, owned by ``by``, in ``state`` (a state the graph reaches from draft).

    ``by`` is the user who creates it, or None for an item no user creates (a partner's
    submission through the API, owned by the submitting organisation instead).
    """
    if item.pk is not None:
        raise ValueError("create() saves new items; use the transitions for existing ones.")
    if by is not None and getattr(by, "pk", None) and item.created_by_id is None:
        item.created_by = by
    item.status = Status.DRAFT
    message = "Created as draft."
    if state != Status.DRAFT:
        transition_to(item, state, by=by)
        message = f"Created as {_label(state)}."
        if state == Status.PUBLISHED:
            _enter_published(item, at=at, was_live=False)
            message = f"Created as published from {item.publish_at.isoformat()}."
    item.full_clean()
    _save(item, by=by, message=message, addition=True)
    return item


def move_to(*, item: Publishable, state: str, by, at: datetime | None = None) -> Publishable | None:
    """Bring a saved item to ``state`` along the graph's shortest path (for loaders).

    Returns None when the item is already there (and, for a published item, from ``at``).
    """
    if item.status == state and (state != Status.PUBLISHED or at is None or item.publish_at == at):
        return None
    steps = path_to(item, state) or [state]
    for step in steps:
        if step == Status.PUBLISHED:
            publish(item=item, by=by, at=at)
        else:
            MOVES[step](item=item, by=by)
    return item


# --- Misuse caught at start-up --------------------------------------------------------------


@checks.register(checks.Tags.models)
def check_workflow(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Report the ways an item's state could change without the graph.

    - a content model whose ``status`` is not the workflow's field (the graph would not apply);
    - an admin that lets ``status`` be edited on the changelist (``list_editable`` saves rows
      without the workflow form) or whose form does not check moves against the graph.
    """
    from django.apps import apps
    from django.contrib import admin

    from core.admin.roles import RolesMixin

    errors: list[checks.CheckMessage] = []
    for model in apps.get_models():
        if not issubclass(model, Workflow):
            continue
        field = model._meta.get_field("status")
        if not isinstance(field, FSMField) or not field.transitions.get(model):
            errors.append(
                checks.Error(
                    f"{model._meta.label}.status is not the workflow's state field.",
                    hint="Do not redeclare `status` on a publishable model.",
                    obj=model,
                    id="core.E101",
                )
            )
        model_admin = admin.site._registry.get(model)
        if model_admin is None:
            continue
        if "status" in (model_admin.list_editable or ()):
            errors.append(
                checks.Error(
                    f"{type(model_admin).__name__} lets `status` be edited on the changelist, "
                    "which bypasses the workflow.",
                    hint="Remove `status` from list_editable; use the workflow actions.",
                    obj=type(model_admin),
                    id="core.E102",
                )
            )
        if not isinstance(model_admin, RolesMixin):
            errors.append(
                checks.Error(
                    f"The admin of {model._meta.label} does not check state changes against "
                    "the workflow.",
                    hint="Derive it from core.admin.PublishableAdmin.",
                    obj=type(model_admin),
                    id="core.E103",
                )
            )
    return errors


# --- Ownership of items created before it was a field ---------------------------------------


def fill_created_by_from_admin_log(app_label: str, *model_names: str) -> Callable:
    """A data migration step: each item's owner is the user of its first ADDITION log entry.

    Items the admin never added (API submissions, loaders) keep no owner. Used by the content
    apps' ``created_by`` migrations, with the historical models they are given.
    """

    def forwards(apps, schema_editor) -> None:
        from django.contrib.admin.models import ADDITION

        log_entry = apps.get_model("admin", "LogEntry")
        content_type = apps.get_model("contenttypes", "ContentType")
        for name in model_names:
            model = apps.get_model(app_label, name)
            ct = content_type.objects.filter(app_label=app_label, model=name.lower()).first()
            if ct is None:
                continue
            owner: dict[str, int] = {}
            # Newest first, so that the earliest addition is the one kept.
            rows = log_entry.objects.filter(content_type=ct, action_flag=ADDITION).order_by(
                "-action_time", "-pk"
            )
            for object_id, user_id in rows.values_list("object_id", "user_id").iterator():
                owner[object_id] = user_id
            by_user: dict[int, list] = {}
            for object_id, user_id in owner.items():
                try:
                    pk = model._meta.pk.to_python(object_id)
                except ValidationError:
                    continue
                by_user.setdefault(user_id, []).append(pk)
            for user_id, pks in by_user.items():
                for start in range(0, len(pks), 500):  # within SQLite's parameter limit
                    model.objects.filter(
                        pk__in=pks[start : start + 500], created_by__isnull=True
                    ).update(created_by_id=user_id)

    return forwards


# --- Role permissions for new tables ---------------------------------------------------------


def grant_permissions(app_label: str, roles: dict[str, list[str]]) -> Callable:
    """A data migration's forward function: each role's group (made if missing) is given these
    permission codenames of ``app_label`` (created first: they are otherwise made only after
    all migrations have run)."""

    def grant(apps, schema_editor) -> None:
        from django.apps import apps as global_apps
        from django.contrib.auth.management import create_permissions

        db = schema_editor.connection.alias
        config = global_apps.get_app_config(app_label)
        create_permissions(config, apps=apps, verbosity=0, using=db)
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        for name, codenames in roles.items():
            group, _ = Group.objects.using(db).get_or_create(name=name)
            group.permissions.add(
                *Permission.objects.using(db).filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )

    return grant
