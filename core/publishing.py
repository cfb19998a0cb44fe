"""The one way to be published, shared by every public content type.

An item is public when its status is *published*, its ``publish_at`` has come
and its ``unpublish_at`` (if any) has not. The check is made in the query, so
scheduled items go live and expire by themselves with no job to run.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import class_prepared
from django.dispatch import receiver
from django.utils import timezone

# The states and the moves between them are the workflow's; ``Status`` is re-exported here.
from core.workflow import Status, Workflow


def published_q(prefix: str = "", at: datetime | None = None) -> Q:
    """The published condition, optionally across a relation (``prefix="event__"``)."""
    now = at or timezone.now()
    return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}publish_at__lte": now}) & (
        Q(**{f"{prefix}unpublish_at__isnull": True}) | Q(**{f"{prefix}unpublish_at__gt": now})
    )


def _parents(model: type[models.Model]) -> tuple[str, ...]:
    queryset_class = getattr(model._default_manager, "_queryset_class", None)
    return getattr(queryset_class, "published_with", ())


def visibility_parents(model: type[models.Model]) -> set[str]:
    """The foreign keys whose targets' visibility ``model``'s rows take (``published_with``)."""
    return {name.rstrip("?") for name in _parents(model)}


def _tree_depth(model: type[models.Model]) -> int:
    queryset_class = getattr(model._default_manager, "_queryset_class", None)
    return getattr(queryset_class, "tree_depth", 0)


def visibility_q(
    model: type[models.Model],
    prefix: str = "",
    *,
    user=None,
    at: datetime | None = None,
    _level: int = 0,
) -> Q:
    """The condition for rows of ``model`` (reached through ``prefix``) to be shown.

    A publishable row needs its own published state, unless ``user`` may preview its model;
    every row, publishable or not, needs the parents its QuerySet names in ``published_with``
    to be shown too, recursively (a participant needs its session, which needs its event).
    A parent named with a trailing ``?`` is optional: a row without one is not held back.

    A parent of the model's own type (a site page's parent page) is followed up to the
    QuerySet's ``tree_depth`` levels; a row deeper than that is not shown at all, so a tree
    deeper than its model allows fails closed rather than showing a child of a draft.
    """
    condition = Q()
    if issubclass(model, Publishable) and not can_preview(user, model):
        condition &= published_q(prefix, at=at)
    for relation in _parents(model):
        name = relation.rstrip("?")
        related = model._meta.get_field(name).related_model
        level = _level
        if related is model:
            level += 1
            if level >= _tree_depth(model):
                condition &= Q(**{f"{prefix}{name}__isnull": True})
                continue
        inner = visibility_q(related, f"{prefix}{name}__", user=user, at=at, _level=level)
        if not inner:
            continue
        if relation.endswith("?"):
            inner = Q(**{f"{prefix}{name}__isnull": True}) | inner
        condition &= inner
    return condition


class VisibleQuerySet(models.QuerySet):
    """Visibility for every table the public reads, publishable or not.

    Child rows (participants, authors, signatories, tracks, sources) are not published on
    their own: they are public exactly when the parents named in ``published_with`` are.
    """

    #: Foreign keys to the items without which a row is not public either (a session of a
    #: draft event is not public, however it is marked itself). ``"organisation?"``: optional.
    published_with: tuple[str, ...] = ()

    def published(self, at: datetime | None = None) -> VisibleQuerySet:
        return self.filter(visibility_q(self.model, at=at))

    def visible_to(self, user) -> VisibleQuerySet:
        """Everything a previewer may preview, the published rest for anyone else.

        A publishable item is previewed only by staff who may view its model; its parents
        are then held to the same rule, each by its own model's permission.
        """
        if issubclass(self.model, Publishable) and not can_preview(user, self.model):
            return self.published()
        return self.filter(visibility_q(self.model, user=user))


class PublishableQuerySet(VisibleQuerySet):
    """The QuerySet of publishable items (kept as a name for models that extend it)."""


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
    """The visibility condition across a relation to ``model``, with its parents' conditions."""
    return visibility_q(model, prefix, user=user)


def shown(user, obj: models.Model | None) -> models.Model | None:
    """``obj`` if the user may see it (published, or previewed), else None."""
    if obj is None:
        return None
    return obj if obj.is_published or can_preview(user, type(obj)) else None


class Publishable(Workflow):
    """Editorial state (``status``, from the workflow), schedule and owner; every model the
    public sees inherits it."""

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
    # Who may edit a draft (see core.workflow.can_edit): set once, when the item is created;
    # empty for items no user created (a partner's API submission is its organisation's).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="created by",
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

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


def publishing_constraints(name: str) -> list[models.BaseConstraint]:
    """Database rules that hold for every publishable table (``name`` makes them unique)."""
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


def publishing_indexes(name: str) -> list[models.Index]:
    """Indexes every publishable table has (``name`` makes them unique)."""
    return [
        # The published condition (``published_q``): WHERE status = 'published' AND
        # publish_at <= now AND (unpublish_at IS NULL OR unpublish_at > now), read from the
        # index alone; also the admin's status and schedule filters and the counts of lists.
        models.Index(fields=["status", "publish_at", "unpublish_at"], name=f"{name}_published_idx"),
    ]


@receiver(class_prepared)
def _declare_publishing_constraints(sender: type[models.Model], **kwargs) -> None:
    """Every concrete publishable table gets the publishing constraints and indexes, declared
    here once.

    A model's own ``Meta.constraints`` hold only what is particular to it.
    """
    if issubclass(sender, Publishable) and not sender._meta.abstract:
        have = {constraint.name for constraint in sender._meta.constraints}
        for constraint in publishing_constraints(sender._meta.model_name):
            if constraint.name not in have:
                sender._meta.constraints.append(constraint)
        # Migrations read a model's constraints only when its Meta declared some.
        sender._meta.original_attrs.setdefault("constraints", sender._meta.constraints)
        have = {index.name for index in sender._meta.indexes}
        for index in publishing_indexes(sender._meta.model_name):
            if index.name not in have:
                sender._meta.indexes.append(index)
        sender._meta.original_attrs.setdefault("indexes", sender._meta.indexes)
