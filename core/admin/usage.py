"""The "used by" list on a change page: which items' rich text links to this one.

``usage_table`` draws any list of usages; the media library's "Used by" uses it too.

The list is computed by ``core.references.used_by`` (a query over the rich-text columns,
whose docstring says why not an index table): one query, however many items link here.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst

from core.references import Usage, linkable_model, used_by

USED_BY = "used_by"


def _admin_url(model: type[models.Model], pk) -> str | None:
    opts = model._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(pk)])
    except NoReverseMatch:
        return None


class UsedByMixin:
    """Adds a read-only "Used by" section to the change page of a linkable item."""

    def _lists_usage(self, obj) -> bool:
        return obj is not None and linkable_model(self.model._meta.label_lower) is not None

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, USED_BY) if self._lists_usage(obj) else fields

    def with_used_by(self, fieldsets: list, obj: models.Model | None) -> list:
        """``fieldsets`` with the list moved to a section of its own, last."""
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != USED_BY]})
            for name, options in fieldsets
        ]
        if not self._lists_usage(obj):
            return fieldsets
        description = "Items whose rich text links to this one. A link to an item the reader "
        description += "may not see is shown to them as plain text."
        return [*fieldsets, ("Used by", {"fields": [USED_BY], "description": description})]

    @admin.display(description="linked from")
    def used_by(self, obj: models.Model) -> str:
        return usage_table(used_by(obj), empty="Nothing links to this item.")


def usage_link(usage: Usage) -> str:
    """The using item's title, linked to its change page where it has one."""
    url = _admin_url(usage.model, usage.pk)
    return format_html('<a href="{}">{}</a>', url, usage.title) if url else usage.title


def usage_table(usages: list[Usage], *, empty: str) -> str:
    """The usages as a table of type, title (linked to its change page) and state."""
    rows = [
        (capfirst(usage.model._meta.verbose_name), usage_link(usage), usage.status_label)
        for usage in usages
    ]
    if not rows:
        return empty
    return format_html(
        "<table><thead><tr><th>Type</th><th>Title</th><th>State</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
    )
