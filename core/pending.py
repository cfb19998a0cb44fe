"""Changes to live content behind review: a pending version of a published item.

An editor who opens a live item may save their changes (its fields and its inline rows) as a
*pending change* instead of writing them to the live rows: the public page, the API, feeds,
search and the sitemap keep showing the live version, since they read the item's tables and a
pending change is not in them. The change is one row per item (``PendingChange``) holding a
*snapshot*: the item and every row django-reversion follows from it (its inlines), serialised
the way reversion serialises a revision. Like Wagtail's latest draft revision beside its live
version (``DraftStateMixin``), and djangocms-versioning's draft beside its published version,
it lives beside the item, not in it.

A pending change moves draft → in review → (scheduled) → published, or is discarded. Its author
(or an editor) sends it for review; editors publish, schedule and discard any; its author may
edit and discard it while it is a draft, as with the workflow's drafts (``core.workflow``).

*Taking a snapshot* lets the admin do what it always does (validation, sanitising, the inline
formsets, the edit-conflict check): the form is saved inside a transaction, the snapshot is
read from the rows it wrote, and the transaction is rolled back (``capture``). Nothing of it
remains: no revision, no audit entry, no redirect, no webhook (their rows are in the same
transaction), and the page cache, webhooks and renditions are not told (``core.previews``).

*Showing a snapshot* works the same way round: ``applied(change)`` writes the snapshot over the
live rows inside a transaction that is rolled back when the block ends, so the item's own
public view, with every query it makes, renders the pending version (a preview at the public
URL with ``?pending``, for those who may preview), and the change form shows it for editing.

*Publishing* writes the snapshot over the live rows for good, in one transaction with a
reversion revision and an audit entry (``publish_change``): the item's editorial state
(status, schedule, owner) stays as it is live; rows the change removed are deleted, rows it
added are created. Saves are ordinary ``save()`` calls, so a changed slug leaves a redirect
(``core.redirects``) and partners' webhooks hear of a change (``core.webhooks``) exactly as
for an edit of a live item.

*Scheduled changes* ("publish this correction at 09:00") are decided by the clock with no job
to run: ``PendingChangesMiddleware`` applies every change whose time has come before a request
reaches the page cache or a view, so the first request after 09:00 (page, API, feed, search)
already sees the correction; the moment is also a schedule boundary of the page cache
(``core.pagecache.next_boundary``). The middleware costs one shared-cache read per request: the
next due moment is kept there (``DUE_KEY``) and looked up again (one query) only when a change
is scheduled, published or discarded, or the cache lost it. ``manage.py
apply_pending_changes`` does the same from cron or by hand, for sites without traffic.
"""

from __future__ import annotations

import logging
import math
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

import reversion
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Min, Q
from django.db.models.signals import post_delete
from django.utils import timezone

# Reversion's own registration options and relation walk: a snapshot holds exactly what a
# revision of the item would.
from reversion.revisions import _follow_relations, _get_options

from core import previews, workflow

logger = logging.getLogger(__name__)

#: Where the next due moment of a scheduled change is kept (a timestamp, ``inf``: none).
DUE_KEY = "pending:next-due"

#: What a pending change never alters of a publishable row: its editorial state and owner,
#: which move through the workflow (``core.workflow``), not through an edit.
LIVE_FIELDS = ("status", "publish_at", "unpublish_at", "created_by", "created_at")


class PendingChange(models.Model):
    """The pending version of one live item: a snapshot of it and its inline rows."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        SCHEDULED = "scheduled", "Scheduled"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    item = GenericForeignKey("content_type", "object_id")
    #: The item first, then the rows reversion follows from it, parents before children:
    #: ``[{"model": "app.Model", "pk": "12", "format": "json", "data": "<serialised row>"}]``.
    data = models.JSONField(default=list)
    #: The item's name as the pending version has it (for lists that do not load the item).
    object_repr = models.CharField("item", max_length=300, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    publish_at = models.DateTimeField(
        "publish at", null=True, blank=True, help_text="When a scheduled change goes live."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who saved the change first: they may edit it while it is a draft.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = "pending change"
        constraints = [
            # One pending version per item; also the lookup of an item's change and the
            # changelists' "pending changes" column (content_type_id = %s AND object_id = pk).
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="pending_change_one_per_item"
            ),
            models.CheckConstraint(
                condition=~Q(state="scheduled") | Q(publish_at__isnull=False),
                name="pending_change_scheduled_has_time",
                violation_error_message="A scheduled change needs a time.",
            ),
        ]
        indexes = [
            # Due changes: WHERE state = 'scheduled' AND publish_at <= now; the next due moment.
            models.Index(fields=["state", "publish_at"], name="pending_change_due_idx"),
        ]

    def __str__(self) -> str:
        return f"Pending change to {self.content_type.name} {self.object_id}"

    @property
    def model(self) -> type[models.Model]:
        return self.content_type.model_class()

    def live_item(self) -> models.Model | None:
        return self.model._base_manager.filter(pk=self.object_id).first()

    @property
    def describe(self) -> str:
        """The state in words: "in review", "scheduled for 2 Dec 2026, 09:00"."""
        if self.state == self.State.SCHEDULED and self.publish_at:
            from django.utils.formats import localize

            return f"scheduled for {localize(timezone.localtime(self.publish_at))}"
        return self.get_state_display().lower()


# ---------------------------------------------------------------------------
# Snapshots


def _key(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label, str(obj.pk)


def _walk(item: models.Model) -> list[models.Model]:
    """``item`` and the rows reversion follows from it, parents before their children."""
    seen: set[tuple[str, str]] = set()
    found: list[models.Model] = []
    queue = deque([item])
    while queue:
        obj = queue.popleft()
        if _key(obj) in seen:
            continue
        seen.add(_key(obj))
        found.append(obj)
        if reversion.is_registered(type(obj)):
            queue.extend(_follow_relations(obj))
    return found


def snapshot(item: models.Model) -> list[dict]:
    """The item and its followed rows as they are in the database now, serialised."""
    entries = []
    for obj in _walk(item):
        options = _get_options(type(obj)) if reversion.is_registered(type(obj)) else None
        entries.append(
            {
                "model": obj._meta.label,
                "pk": str(obj.pk),
                "format": options.format if options else "json",
                "data": serializers.serialize(
                    options.format if options else "json",
                    (obj,),
                    fields=options.fields if options else None,
                ),
            }
        )
    return entries


def _deserialize(entry: dict):
    return next(serializers.deserialize(entry["format"], entry["data"], ignorenonexistent=True))


def _repoint(obj: models.Model, moved: dict[tuple[str, str], object]) -> None:
    """Point ``obj``'s foreign keys at the new ids of rows that had to be given one."""
    for field in obj._meta.concrete_fields:
        if field.many_to_one or field.one_to_one:
            key = (field.related_model._meta.label, str(getattr(obj, field.attname)))
            if key in moved:
                setattr(obj, field.attname, moved[key])


def _write(obj: models.Model, *, for_good: bool) -> None:
    if for_good:
        obj.save()
    else:
        # A raw save keeps ``updated_at`` as the snapshot has it (the change form's edit
        # token) and tells no redirect or webhook handler: it will be rolled back.
        obj.save_base(raw=True)


def apply(change: PendingChange, *, for_good: bool) -> models.Model:
    """Write the snapshot over the live rows (inside the caller's transaction).

    Rows the snapshot no longer has are deleted, rows it has that the item has not are
    created (with a new id if theirs was taken meanwhile), the others are updated; the
    editorial state of publishable rows stays as it is live (``LIVE_FIELDS``).
    """
    from core.publishing import Publishable

    model = change.model
    rows = model._base_manager.filter(pk=change.object_id)
    item = (rows.select_for_update() if for_good else rows).get()
    live = {_key(obj): obj for obj in _walk(item)}
    wanted = {(entry["model"], entry["pk"]) for entry in change.data}
    # Removed rows go first, so a row added in their place may take their unique values.
    for key, obj in reversed(list(live.items())):
        if key not in wanted and obj is not item:
            type(obj)._base_manager.filter(pk=obj.pk).delete()
    moved: dict[tuple[str, str], object] = {}
    for entry in change.data:
        deserialized = _deserialize(entry)
        obj = deserialized.object
        _repoint(obj, moved)
        key = _key(obj)
        target = live.get(key)
        if target is not None:
            # Update the row as loaded, so that what listens to its saves compares with it.
            options = _get_options(type(obj)) if reversion.is_registered(type(obj)) else None
            names = options.fields if options else [f.name for f in obj._meta.concrete_fields]
            keep = LIVE_FIELDS if isinstance(obj, Publishable) else ()
            for name in names:
                field = obj._meta.get_field(name)
                plain = field.concrete and not field.many_to_many and not field.primary_key
                if plain and name not in keep:
                    setattr(target, field.attname, getattr(obj, field.attname))
        else:
            target = obj
            if type(obj)._base_manager.filter(pk=obj.pk).exists():
                target.pk = None  # the id it was given in a rolled-back save is taken since
                target._state.adding = True
        _write(target, for_good=for_good)
        if str(target.pk) != key[1]:
            moved[key] = target.pk
        for name, values in (deserialized.m2m_data or {}).items():
            getattr(target, name).set(values)
    return model._base_manager.get(pk=change.object_id)


@contextmanager
def applied(change: PendingChange) -> Iterator[None]:
    """The pending version in the database for the length of the block, then rolled back.

    Render what must show it (a preview, the change form) inside the block.
    """
    with previews.rolled_back():
        apply(change, for_good=False)
        yield


def capture(item: models.Model, edit: Callable[[models.Model], None]) -> list[dict]:
    """The snapshot of ``item`` after ``edit(item)`` has saved its changes, which are then
    rolled back: how a pending version is made outside the admin (the demo, scripts)."""
    with previews.rolled_back():
        edit(item)
        return snapshot(type(item)._base_manager.get(pk=item.pk))


# ---------------------------------------------------------------------------
# Who may do what


def for_item(item: models.Model) -> PendingChange | None:
    return (
        PendingChange.objects.filter(
            content_type=ContentType.objects.get_for_model(type(item), for_concrete_model=True),
            object_id=str(item.pk),
        )
        .select_related("author", "content_type")
        .first()
    )


def is_live(item: models.Model) -> bool:
    """Only a live item has its changes held back; any other is edited directly."""
    return bool(getattr(item, "is_published", False))


def may_propose(user, item: models.Model) -> bool:
    """Anyone who may change items of this type may prepare changes to a live one."""
    opts = item._meta
    return bool(
        user is not None
        and getattr(user, "is_staff", False)
        and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
    )


def may_edit(user, change: PendingChange) -> bool:
    """Editors edit any pending change; its author edits it while it is a draft."""
    if workflow.is_editor(user):
        return True
    return (
        change.state == PendingChange.State.DRAFT
        and change.author_id is not None
        and user is not None
        and change.author_id == user.pk
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# ---------------------------------------------------------------------------
# Services


def save_change(*, item: models.Model, data: list[dict], by) -> PendingChange:
    """Keep ``data`` (a snapshot taken by ``capture``) as the pending version of ``item``.

    A scheduled change that is edited again is no longer scheduled: what goes live at a
    given time is what was scheduled, not an edit made since.
    """
    _require(may_propose(by, item), "You may not change items of this type.")
    change = for_item(item)
    if change is None:
        change = PendingChange(
            content_type=ContentType.objects.get_for_model(type(item), for_concrete_model=True),
            object_id=str(item.pk),
            author=by,
        )
    else:
        _require(may_edit(by, change), "Only its author (as a draft) or an editor may edit it.")
    if change.state == PendingChange.State.SCHEDULED:
        change.state, change.publish_at, change.scheduled_by = PendingChange.State.DRAFT, None, None
        _forget_due()
    change.data = data
    change.object_repr = _repr(item, data)
    change.updated_by = by
    change.save()
    workflow.record_action(item=item, by=by, message="Saved changes as a pending version.")
    return change


def _repr(item: models.Model, data: list[dict]) -> str:
    try:
        return str(_deserialize(data[0]).object)[:300]
    except Exception:  # a snapshot that does not load names the item as it is live
        return str(item)[:300]


def send_for_review(*, change: PendingChange, by) -> PendingChange:
    _require(
        workflow.is_editor(by) or (by is not None and change.author_id == by.pk),
        "Only its author or an editor may send a pending change for review.",
    )
    if change.state != PendingChange.State.DRAFT:
        raise ValidationError(f"This pending change is {change.describe}, not a draft.")
    change.state = PendingChange.State.REVIEW
    change.save(update_fields=["state", "updated_at"])
    _record(change, by, "Sent the pending changes for review.")
    return change


def schedule_change(*, change: PendingChange, by, at: datetime) -> PendingChange:
    """Publish the change when the clock reaches ``at`` (see the module docstring)."""
    _require(workflow.is_editor(by), "Only editors may schedule pending changes.")
    if at <= timezone.now():
        raise ValidationError("A scheduled change needs a time in the future.")
    change.state, change.publish_at, change.scheduled_by = PendingChange.State.SCHEDULED, at, by
    change.save(update_fields=["state", "publish_at", "scheduled_by", "updated_at"])
    _forget_due()
    _record(change, by, f"Scheduled the pending changes for {at.isoformat()}.")
    return change


def discard_change(*, change: PendingChange, by) -> None:
    _require(may_edit(by, change), "Only its author (while a draft) or an editor may discard it.")
    item = change.live_item()
    change.delete()
    _forget_due()
    if item is not None:
        workflow.record_action(item=item, by=by, message="Discarded the pending changes.")


def publish_change(*, change: PendingChange, by, check: bool = True) -> models.Model:
    """Replace the live version with the pending one: one transaction, a revision, an audit
    entry. ``check=False`` is for a scheduled change, whose scheduling editor decided."""
    if check:
        _require(workflow.is_editor(by), "Only editors may publish pending changes.")
    user = by if getattr(by, "pk", None) else None
    with transaction.atomic():
        # The change is read again under a lock: two requests past its time publish it once.
        change = (
            PendingChange.objects.select_for_update().filter(pk=change.pk).first()
            if change.pk
            else None
        )
        if change is None:
            raise ValidationError("This pending change was published or discarded meanwhile.")
        with reversion.create_revision():
            item = apply(change, for_good=True)
            reversion.add_to_revision(item)
            if user:
                reversion.set_user(user)
            reversion.set_comment("Published pending changes.")
        change.delete()
        when = " (scheduled)" if check is False else ""
        workflow.record_action(item=item, by=user, message=f"Published pending changes{when}.")
    _forget_due()
    return item


def _record(change: PendingChange, by, message: str) -> None:
    item = change.live_item()
    if item is not None:
        workflow.record_action(item=item, by=by, message=message)


# ---------------------------------------------------------------------------
# The clock


def _forget_due() -> None:
    transaction.on_commit(lambda: cache.delete(DUE_KEY))
    cache.delete(DUE_KEY)


def next_due() -> float:
    """The next moment a scheduled change is due (a timestamp; ``inf`` when none is)."""
    known = cache.get(DUE_KEY)
    if known is None:
        soonest = PendingChange.objects.filter(state=PendingChange.State.SCHEDULED).aggregate(
            at=Min("publish_at")
        )["at"]
        known = soonest.timestamp() if soonest else math.inf
        cache.set(DUE_KEY, known, timeout=None)
    return known


def apply_due(now: datetime | None = None) -> int:
    """Publish every scheduled change whose time has come; how many were published.

    A change that cannot be applied (its data no longer fits the model) goes back to draft,
    logged, rather than being tried on every request.
    """
    now = now or timezone.now()
    due = PendingChange.objects.filter(
        state=PendingChange.State.SCHEDULED, publish_at__lte=now
    ).select_related("scheduled_by", "content_type")
    count = 0
    for change in due:
        try:
            publish_change(change=change, by=change.scheduled_by, check=False)
            count += 1
        except ValidationError:
            continue  # published by another request meanwhile
        except Exception:
            logger.exception("Could not publish scheduled pending change %s", change.pk)
            PendingChange.objects.filter(pk=change.pk).update(
                state=PendingChange.State.DRAFT, publish_at=None
            )
    _forget_due()
    return count


#: Paths that never read content: the health checks answer without the database.
UNTOUCHED_PATHS = ("/healthz", "/readyz")
#: After a failed look at the clock (the database is down), how long before the next try.
RETRY_AFTER_FAILURE = 30


class PendingChangesMiddleware:
    """Publishes scheduled changes whose time has come before anything reads the content."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path not in UNTOUCHED_PATHS:
            try:
                if next_due() <= timezone.now().timestamp():
                    apply_due()
            except Exception:  # a read must not fail because a write could not be made
                logger.exception("Could not apply due pending changes")
                # Not again on every request while the database is away: each try would
                # cost a whole connect timeout before the page even starts.
                cache.set(
                    DUE_KEY,
                    timezone.now().timestamp() + RETRY_AFTER_FAILURE,
                    timeout=RETRY_AFTER_FAILURE,
                )
        return self.get_response(request)


def _item_deleted(sender, instance, **kwargs) -> None:
    PendingChange.objects.filter(
        content_type=ContentType.objects.get_for_model(sender, for_concrete_model=True),
        object_id=str(instance.pk),
    ).delete()


def watch(content_type) -> None:
    """A deleted item takes its pending change with it (connected per registered type)."""
    post_delete.connect(
        _item_deleted, sender=content_type.model, dispatch_uid=f"pending:{content_type.label}"
    )


# ---------------------------------------------------------------------------
# Previews at the public URL


#: The query parameter that asks the public URL for the pending version.
PREVIEW_PARAMETER = "pending"


def previewed(request, obj: models.Model) -> PendingChange | None:
    """The pending change to show at ``obj``'s public URL: only with ``?pending``, only to
    those who may preview its type (``core.publishing.can_preview``)."""
    from core.publishing import can_preview

    if PREVIEW_PARAMETER not in request.GET or not can_preview(request.user, type(obj)):
        return None
    return for_item(obj)


def preview_url(item: models.Model) -> str | None:
    if not hasattr(item, "get_absolute_url"):
        return None
    return f"{item.get_absolute_url()}?{PREVIEW_PARAMETER}=1"
