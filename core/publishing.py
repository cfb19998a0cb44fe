"""The one way to be published, shared by every public content type.

An item is public when its status is *published*, its ``publish_at`` has come
and its ``unpublish_at`` (if any) has not. The check is made in the query, so
scheduled items go live and expire by themselves with no job to run.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
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


def visible_q(user, model: type[models.Model], prefix: str = "") -> Q:
    """The visibility condition across a relation: everything for previewers, else published."""
    return Q() if can_preview(user, model) else published_q(prefix)


def shown(user, obj: models.Model | None) -> models.Model | None:
    """``obj`` if the user may see it (published, or previewed), else None."""
    if obj is None:
        return None
    return obj if obj.is_published or can_preview(user, type(obj)) else None


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
