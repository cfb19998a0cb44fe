"""Tabs on long change forms: each fieldset says which tab it belongs to.

``with_tabs`` takes a change form's fieldsets and gives each a ``tab-<name>`` class, which
``static/admin-extra/tabs.js`` turns into tabs (Content, Relations, Publishing, SEO); without
JavaScript the form is one long page as before. Links to other items (foreign keys and
many-to-many fields) move from the content fieldsets to a Relations fieldset, the address
(slug) to SEO. A fieldset that already names its tab keeps it, so a module adds a panel to a
form as a fieldset with ``"classes": ["tab-<name>"]`` (a new name makes a new tab), and an
inline with ``classes = ["tab-<name>"]``; an inline without one is under Relations.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db import models

CONTENT, RELATIONS, PUBLISHING, SEO = "content", "relations", "publishing", "seo"

#: Fields shown under SEO: the item's address and what search engines read.
SEO_FIELDS = ("slug", "meta_description", "search_description")

#: Fieldsets (by name) that belong under a tab other than Content.
TAB_OF_FIELDSET = {"Publishing": PUBLISHING, "Used by": RELATIONS, "Relations": RELATIONS}


def tab_class(name: str) -> str:
    return f"tab-{name}"


def _has_tab(options: dict) -> bool:
    return any(str(c).startswith("tab-") for c in options.get("classes", ()))


def _is_relation(model: type[models.Model], name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only field or a read-only method
        return False
    return bool(field.is_relation and (field.many_to_one or field.many_to_many))


def with_tabs(fieldsets: list, model: type[models.Model]) -> list:
    """``fieldsets`` with relations and SEO fields in fieldsets of their own, each fieldset
    tagged with its tab."""
    content, relations, seo, rest = [], [], [], []
    for name, options in fieldsets:
        if _has_tab(options):
            rest.append((name, options))
            continue
        tab = TAB_OF_FIELDSET.get(name, CONTENT)
        if tab != CONTENT:
            rest.append(
                (name, {**options, "classes": [*options.get("classes", ()), tab_class(tab)]})
            )
            continue
        kept = []
        for field in options["fields"]:
            if isinstance(field, str) and field in SEO_FIELDS:
                seo.append(field)
            elif isinstance(field, str) and _is_relation(model, field):
                relations.append(field)
            else:
                kept.append(field)
        if kept:
            classes = [*options.get("classes", ()), tab_class(CONTENT)]
            content.append((name, {**options, "fields": kept, "classes": classes}))
    extra = []
    if relations:
        extra.append(("Relations", {"fields": relations, "classes": [tab_class(RELATIONS)]}))
    if seo:
        extra.append(
            (
                "Address and search",
                {
                    "fields": seo,
                    "classes": [tab_class(SEO)],
                    "description": "The item's address on the site. Changed on a published "
                    "item, the old address leads to the new one.",
                },
            )
        )
    return [*content, *extra, *rest]
