"""Edit locks and presence: who is working on an item, and who else has it open.

*Locks.* An editor may lock an item while working on it: others can still read it but their
saves are refused (the admin's change form, and its bulk workflow actions) until the holder
unlocks it, the lock expires (``ADMIN_LOCK_MINUTES`` after it was taken) or someone allowed to
break locks (superusers, and users with ``core.break_editlock``) breaks it. A lock is a row,
one per item (a unique constraint), so every app server agrees on who holds it; an expired row
counts as no lock and is replaced by the next one taken.

*Presence* is lighter: an open change form pings a heartbeat every ``PRESENCE_PING_SECONDS``
and the cache keeps, per item, who was last seen when; entries older than
``PRESENCE_SECONDS`` are dropped. Redis in production, so every server sees every editor;
losing it loses nothing but the "also open by …" line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.formats import localize

#: How often an open change form tells the server it is still open, and how long it counts.
PRESENCE_PING_SECONDS = 20
PRESENCE_SECONDS = 60


class EditLock(models.Model):
    """The lock an editor holds on one item while working on it."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    item = GenericForeignKey("content_type", "object_id")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    locked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-locked_at"]
        verbose_name = "edit lock"
        permissions = [("break_editlock", "Can break another editor's lock")]
        constraints = [
            # One holder per item; also the index that finds an item's lock.
            models.UniqueConstraint(fields=["content_type", "object_id"], name="edit_lock_one"),
        ]

    def __str__(self) -> str:
        return f"{self.user} since {self.locked_at.isoformat()}"

    @property
    def expires_at(self) -> datetime:
        return self.locked_at + lock_duration()

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


def lock_duration() -> timedelta:
    return timedelta(minutes=settings.ADMIN_LOCK_MINUTES)


def _ref(item: models.Model) -> dict:
    return {"content_type": ContentType.objects.get_for_model(item), "object_id": str(item.pk)}


def current_lock(item: models.Model) -> EditLock | None:
    """The lock held on ``item`` now (an expired one is no lock), with its user."""
    lock = EditLock.objects.filter(**_ref(item)).select_related("user").first()
    if lock is None or lock.is_expired:
        return None
    return lock


def may_break(user) -> bool:
    return bool(user and (user.is_superuser or user.has_perm("core.break_editlock")))


def held_by(lock: EditLock, item: models.Model) -> str:
    """Who holds ``lock`` on ``item``, since when and until when at the latest."""
    return (
        f"This {item._meta.verbose_name} is locked by {lock.user.get_username()} since "
        f"{localize(timezone.localtime(lock.locked_at))} while they work on it; the lock ends "
        f"when they unlock it, at {localize(timezone.localtime(lock.expires_at))} at the "
        "latest, or when an administrator breaks it."
    )


def refusal(item: models.Model, user, lock: EditLock | None = None) -> str | None:
    """Why ``user`` may not save ``item`` now (someone else holds its lock), or None."""
    if item.pk is None:
        return None
    lock = lock if lock is not None else current_lock(item)
    if lock is None or lock.user_id == user.pk:
        return None
    return f"Your changes were not saved. {held_by(lock, item)}"


def acquire(*, item: models.Model, by) -> EditLock:
    """Lock ``item`` for ``by`` (renewed if theirs); refused while another holds it."""
    with transaction.atomic():
        lock = EditLock.objects.select_for_update().filter(**_ref(item)).first()
        if lock is not None and lock.user_id != by.pk and not lock.is_expired:
            raise PermissionDenied(held_by(lock, item))
        if lock is None:
            try:
                with transaction.atomic():
                    return EditLock.objects.create(**_ref(item), user=by)
            except IntegrityError:  # taken by someone else in the same instant
                raise PermissionDenied(held_by(current_lock(item), item)) from None
        lock.user, lock.locked_at = by, timezone.now()
        lock.save(update_fields=["user", "locked_at"])
        return lock


def release(*, item: models.Model, by) -> bool:
    """Unlock ``item``: by its holder or one who may break locks; True if it was locked."""
    rows = EditLock.objects.filter(**_ref(item))
    if not may_break(by):
        rows = rows.filter(user=by)
    deleted, _ = rows.delete()
    return bool(deleted)


def break_lock(*, item: models.Model, by) -> EditLock | None:
    """An administrator takes away another editor's lock; returns the lock broken."""
    if not may_break(by):
        raise PermissionDenied("Only an administrator may break another editor's lock.")
    lock = current_lock(item)
    EditLock.objects.filter(**_ref(item)).delete()
    return lock


# --- Presence ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Presence:
    user_id: int
    username: str
    seen_at: datetime


def _presence_key(item: models.Model) -> str:
    return f"presence:{item._meta.label_lower}:{item.pk}"


def _fresh(entries: dict, now: float) -> dict:
    return {uid: e for uid, e in entries.items() if now - e[1] < PRESENCE_SECONDS}


def seen(*, item: models.Model, by) -> None:
    """Record that ``by`` has ``item``'s change form open now."""
    key = _presence_key(item)
    now = timezone.now().timestamp()
    entries = _fresh(cache.get(key) or {}, now)
    entries[by.pk] = (by.get_username(), now)
    cache.set(key, entries, PRESENCE_SECONDS)


def others_present(*, item: models.Model, user) -> list[Presence]:
    """The other users who have had ``item`` open in the last ``PRESENCE_SECONDS``."""
    now = timezone.now().timestamp()
    entries = _fresh(cache.get(_presence_key(item)) or {}, now)
    return [
        Presence(uid, name, datetime.fromtimestamp(at, tz=timezone.get_current_timezone()))
        for uid, (name, at) in sorted(entries.items(), key=lambda e: e[1][0])
        if uid != user.pk
    ]


def left(*, item: models.Model, by) -> None:
    """Forget ``by``'s presence on ``item`` (the form was closed)."""
    key = _presence_key(item)
    entries = cache.get(key) or {}
    if entries.pop(by.pk, None) is not None:
        cache.set(key, entries, PRESENCE_SECONDS)
