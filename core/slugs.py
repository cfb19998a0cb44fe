"""Unique slugs for rows that code creates (a partner's submission, a speaker it names).

Editors type slugs in the admin (prepopulated from the title); code that creates rows asks
here for the first free one: ``summit``, ``summit-2``, ``summit-3``... within a scope (a
session's slug is unique within its event). Checking and inserting are two statements, so
two requests can pick the same free slug at once: ``create_with_unique_slug`` lets the
database's unique constraint decide and tries the next slug when it says no.

Why not django-autoslug: its last release (1.9.9, 2023) declares Django 3.2 at most, and its
field class would be written into every migration of the models that use it, for what is
one query in a loop here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.text import slugify

FALLBACK = "item"
# Room for a "-NNNN" suffix inside the field's max_length.
SUFFIX_ROOM = 6
ATTEMPTS = 5


def unique_slug(model: type[models.Model], text: str, **scope) -> str:
    """The first slug made from ``text`` that no row of ``model`` in ``scope`` has yet."""
    max_length = model._meta.get_field("slug").max_length
    base = (slugify(text) or FALLBACK)[: max_length - SUFFIX_ROOM].strip("-") or FALLBACK
    rows = model._default_manager.filter(**scope)
    slug, n = base, 2
    while rows.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_with_unique_slug(
    model: type[models.Model],
    *,
    slug_from: str,
    scope: dict | None = None,
    save: Callable[[models.Model], models.Model] | None = None,
    **fields,
) -> models.Model:
    """Create a ``model`` row with a free slug made from ``slug_from``.

    ``scope`` holds the fields the slug is unique with (and is saved with the row); ``save``
    stores the new instance (by default ``instance.save()``; publishable items pass the
    workflow's ``create``). If another request takes the slug between the check and the
    insert, the next one is tried.
    """
    scope = scope or {}
    for attempt in range(ATTEMPTS):
        slug = unique_slug(model, slug_from, **scope)
        instance = model(slug=slug, **scope, **fields)
        try:
            with transaction.atomic():
                if save is None:
                    instance.save()
                    return instance
                return save(instance)
        except (IntegrityError, ValidationError):
            taken = model._default_manager.filter(slug=slug, **scope).exists()
            if not taken or attempt == ATTEMPTS - 1:
                raise  # another constraint said no, or the slug keeps being taken
    raise AssertionError("unreachable")
