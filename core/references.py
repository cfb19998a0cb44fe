"""References from rich text to the site's own items: ``<a data-ref="events.session:12">``.

A link to one of our items is stored as the item's type and primary key, never as its URL,
and turned back into a URL when the text is shown (``core.richtext.render_rich_text``).
So a renamed slug is followed, and a link to an item the reader may not see (a draft, a
withdrawn article) is shown as plain text rather than as a dead link that names it.

Which models can be linked is answered by :func:`linkable_models` alone, so that the
content-type registry can take over that one question without other changes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import Resolver404, resolve

#: ``app_label.model_name:pk``, as written in the ``data-ref`` attribute.
REF_PATTERN = re.compile(r"^([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*):([1-9][0-9]{0,18})$")
#: Fields that name an item, tried in this order (search in the link picker, the label).
TITLE_FIELDS = ("title", "name")
#: What rich text shows rather than links to: an image of the media library,
#: ``<img data-ref="core.image:7">`` (rendered by ``core.richtext``).
IMAGE_LABEL = "core.image"
#: The largest primary key a database holds (a signed 64-bit integer).
LARGEST_KEY = 2**63 - 1


@dataclass(frozen=True)
class Ref:
    label: str  # "events.session"
    pk: int

    def __str__(self) -> str:
        return f"{self.label}:{self.pk}"

    @classmethod
    def parse(cls, value: str | None) -> Ref | None:
        match = REF_PATTERN.match((value or "").strip())
        if match is None or int(match[3]) > LARGEST_KEY:  # past any key: typed by hand
            return None
        return cls(f"{match[1]}.{match[2]}", int(match[3]))

    @classmethod
    def to(cls, obj: models.Model) -> Ref:
        return cls(obj._meta.label_lower, obj.pk)


def linkable_models() -> list[type[models.Model]]:
    """Models a rich-text link may point to: the registered content types with a page."""
    from core import registry

    return [content_type.model for content_type in registry.with_page()]


def linkable_model(label: str) -> type[models.Model] | None:
    for model in linkable_models():
        if model._meta.label_lower == label:
            return model
    return None


def title_field(model: type[models.Model]) -> str | None:
    names = {field.name for field in model._meta.get_fields()}
    return next((name for name in TITLE_FIELDS if name in names), None)


def item_title(obj: models.Model) -> str:
    name = title_field(type(obj))
    return str(getattr(obj, name) if name else obj)


def _parent_relations(model: type[models.Model]) -> list[str]:
    # A trailing "?" marks an optional parent (core.publishing); select_related wants the name.
    relations = getattr(model._default_manager.all(), "published_with", ())
    return [relation.rstrip("?") for relation in relations]


def with_parents(
    queryset: models.QuerySet, model: type[models.Model] | None = None
) -> models.QuerySet:
    # A session's URL names its event: load the items an item is published with at once.
    relations = _parent_relations(model or queryset.model)
    return queryset.select_related(*relations) if relations else queryset


def targets(refs: Iterable[Ref], user=None) -> tuple[dict[Ref, models.Model], dict[Ref, str]]:
    """The referenced items ``user`` may see, and the titles of those they may not.

    One query per type referenced (two when some targets are hidden), whatever the number
    of links; the library images shown in the text come with one query for all of them (an
    image has no state of its own: it is shown wherever a text that shows it is). The
    hidden titles are returned only so that a link whose text is the hidden item's title
    can be left out rather than disclose it.
    """
    by_label: dict[str, set[int]] = defaultdict(set)
    for ref in refs:
        by_label[ref.label].add(ref.pk)
    visible: dict[Ref, models.Model] = {}
    hidden_titles: dict[Ref, str] = {}
    for label, pks in by_label.items():
        if label == IMAGE_LABEL:
            from core.library import Image

            for image in Image.objects.filter(pk__in=pks).order_by():
                visible[Ref(label, image.pk)] = image
            continue
        model = linkable_model(label)
        if model is None:
            continue
        manager = model._default_manager
        for obj in with_parents(manager.visible_to(user)).filter(pk__in=pks):
            visible[Ref(label, obj.pk)] = obj
        missing = pks - {ref.pk for ref in visible if ref.label == label}
        name = title_field(model)
        if missing and name:
            for pk, title in manager.filter(pk__in=missing).values_list("pk", name):
                hidden_titles[Ref(label, pk)] = title
    return visible, hidden_titles


# ---------------------------------------------------------------------------------------------
# From URLs to references (on save, in the data migration and in the demo loader)


def internal_path(href: str) -> str | None:
    """The path of ``href`` if it is a plain address of this site (relative or on SITE_URL)."""
    href = href.strip()
    parts = urlsplit(href)
    if parts.query or parts.fragment:
        return None  # an address with more than a page in it stays as it is
    if not parts.scheme and not parts.netloc:
        return parts.path if parts.path.startswith("/") else None
    site = urlsplit(settings.SITE_URL)
    if (parts.scheme, parts.netloc) == (site.scheme, site.netloc) and parts.path:
        return parts.path
    return None


def refs_for_paths(paths: Iterable[str], get_model=None) -> dict[str, Ref]:
    """Map each path that is the page of one of our items to a reference to that item.

    The path is resolved against the URL configuration; its ``slug`` is looked up in every
    linkable model that has one, and the candidate whose current URL is exactly the path
    wins. ``get_model(model)`` may substitute another model class for the lookup, or None to
    skip it (the data migration passes its historical models); URLs are still computed by
    our models' code.
    """
    slugs: dict[str, str] = {}
    for path in set(paths):
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if "slug" in match.kwargs:
            slugs[path] = match.kwargs["slug"]
    if not slugs:
        return {}
    found: dict[str, Ref] = {}
    wanted = set(slugs.values())
    for model in linkable_models():
        if "slug" not in {field.name for field in model._meta.get_fields()}:
            continue
        lookup_model = get_model(model) if get_model else model
        if lookup_model is None:
            continue
        queryset = with_parents(lookup_model._default_manager.filter(slug__in=wanted), model)
        for obj in queryset:
            url = model.get_absolute_url(obj)
            if url in slugs and url not in found:
                found[url] = Ref(model._meta.label_lower, obj.pk)
    return found


# ---------------------------------------------------------------------------------------------
# Who links to an item


def rich_text_fields(model: type[models.Model]) -> list[str]:
    from core.richtext import RichTextField

    return [field.name for field in model._meta.concrete_fields if isinstance(field, RichTextField)]


@dataclass(frozen=True)
class Usage:
    """One item whose rich text links to another."""

    model: type[models.Model]
    pk: int
    title: str
    status: str  # empty for a model without editorial state

    @property
    def status_label(self) -> str:
        from core.publishing import Status

        return Status(self.status).label if self.status in Status.values else ""


def used_by(obj: models.Model) -> list[Usage]:
    """The items whose rich text links to ``obj``, by type and title, in one query.

    A query over the rich-text columns, not a reference index table. The columns are the
    truth: whatever wrote a body (a form, the API, a loader, ``QuerySet.update()``, raw
    SQL), the answer is right, with no second copy to keep current and no signal that a
    bulk write would skip. The cost is one ``UNION ALL`` of a ``LIKE '%data-ref="label:pk"%'``
    per model with rich text: one query whatever the number of links, each part a scan of a
    table of editorial size. An index table becomes worth its upkeep only at a size this
    site does not have.
    """
    needle = f'data-ref="{Ref.to(obj)}"'
    parts = []
    by_label: dict[str, type[models.Model]] = {}
    for model in apps.get_models():
        fields = rich_text_fields(model)
        owner = _usage_owner(model) if fields else None
        if owner is None:
            continue
        owner_model, prefix, name = owner
        condition = models.Q()
        for field in fields:
            condition |= models.Q(**{f"{field}__contains": needle})
        has_status = "status" in {f.name for f in owner_model._meta.concrete_fields}
        by_label[owner_model._meta.label_lower] = owner_model
        parts.append(
            model._default_manager.filter(condition)
            .annotate(
                usage_model=models.Value(owner_model._meta.label_lower, models.CharField()),
                usage_pk=models.F(f"{prefix}pk"),
                usage_title=models.F(f"{prefix}{name}"),
                usage_status=models.F(f"{prefix}status")
                if has_status
                else models.Value("", models.CharField()),
            )
            .values_list("usage_model", "usage_pk", "usage_title", "usage_status")
            .order_by()
        )
    if not parts:
        return []
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    # Several blocks of one page may show the same item: the page is listed once.
    usages = {
        (label, pk): Usage(by_label[label], pk, title, status) for label, pk, title, status in rows
    }
    return sorted(
        usages.values(), key=lambda u: (str(u.model._meta.verbose_name), u.title.casefold())
    )


def _usage_owner(model: type[models.Model]) -> tuple[type[models.Model], str, str] | None:
    """Who a use in ``model``'s rich text is shown as: (model, lookup prefix, title field).

    An item with a title is its own owner; a part without one (a block of a page) is shown
    as the item it is published with; anything else is not listed.
    """
    name = title_field(model)
    if name is not None:
        return model, "", name
    for relation in _parent_relations(model):
        parent = model._meta.get_field(relation).related_model
        parent_name = title_field(parent)
        if parent_name is not None:
            return parent, f"{relation}__", parent_name
    return None
