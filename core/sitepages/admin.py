"""Pages in the admin: the page's fields, its place in the tree, and its body as stacked
block rows that editors add, reorder (by their order number, or the up and down buttons) and
remove. A block shows only the fields its kind uses (``static/admin-extra/page-blocks.js``;
without JavaScript every field shows, and the unused ones are emptied on save)."""

from __future__ import annotations

import json

import reversion
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from core import registry
from core.admin import PUBLISHING_COLUMNS, PUBLISHING_FILTERS, PublishableAdmin
from core.admin.inlines import EditorialStackedInline
from core.admin.redirects import ItemField
from core.redirects import site_path
from core.references import Ref, refs_for_paths

from .blocks import KINDS
from .models import Page, PageBlock

reversion.register(PageBlock)
reversion.register(Page, follow=["blocks"])

BLOCKS_JS = "admin-extra/page-blocks.js"


class ItemRefField(ItemField):
    """One of our items, stored as its reference (``events.person:3``)."""

    def to_python(self, value):
        item = super().to_python(value)
        return str(Ref.to(item)) if item is not None else ""


class ItemListField(forms.CharField):
    """Items of ours, one a line: a reference or the address of one of our pages."""

    widget = forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value):
        lines = [line.strip() for line in str(value or "").splitlines() if line.strip()]
        refs, paths = {}, []
        for line in lines:
            ref = Ref.parse(line)
            if ref is None:
                try:
                    paths.append(site_path(line))
                except ValidationError:
                    raise ValidationError(
                        f"“{line[:80]}” is neither one of our items nor the address of one of "
                        "our pages."
                    ) from None
            refs[line] = ref
        found = refs_for_paths(paths) if paths else {}
        result = []
        for line in lines:
            ref = refs[line] or found.get(site_path(line))
            if ref is None:
                raise ValidationError(f"No item of ours lives at “{line[:80]}”.")
            result.append(str(ref))
        return result


PAGE_BLOCK_FIELDS = (
    "kind", "order", "heading", "text", "body", "image", "image_alt", "image_decorative",
    "caption", "credit", "attribution", "link_label", "link_item", "link_url", "embed_url",
    "listing", "topic", "limit", "items",
)  # fmt: skip


class PageBlockForm(forms.ModelForm):
    link_item = ItemRefField(
        label="Link to an item",
        required=False,
        help_text="Type part of a title and choose, or paste the address of one of our pages.",
    )
    items = ItemListField(
        required=False,
        help_text="One a line: the address of one of our pages (e.g. /speakers/ada-lovelace/) "
        "or an item's reference. Only the public ones are shown.",
    )
    listing = forms.ChoiceField(required=False, label="List")

    class Meta:
        model = PageBlock
        fields = PAGE_BLOCK_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["listing"].choices = [("", "—")] + [
            (listing.key, listing.label) for listing in registry.listings()
        ]
        kind = self.fields["kind"]
        kind.widget.attrs["data-block-fields"] = json.dumps(
            {key: list(spec.uses) for key, spec in KINDS.items()}
        )


class PageBlockInline(EditorialStackedInline):
    model = PageBlock
    form = PageBlockForm
    extra = 0
    fields = PAGE_BLOCK_FIELDS
    ordering = ("order", "pk")

    class Media:
        js = [BLOCKS_JS]


@admin.register(Page)
class PageAdmin(PublishableAdmin):
    list_display = ("title", "path", "is_home", "order", *PUBLISHING_COLUMNS)
    list_filter = ("is_home", *PUBLISHING_FILTERS)
    list_select_related = ("parent",)
    search_fields = ("title", "path")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("parent",)
    inlines = [PageBlockInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "parent", "order", "is_home", "summary"]}),
        (
            "Search and sharing",
            {"fields": ["seo_title", "seo_description", "image", "image_alt", "image_decorative"]},
        ),
    ]

    def view_on_site(self, obj: Page) -> str:
        # A home page's own preview is at its path; "/" shows the one that is live.
        return f"/{obj.path}/" if obj.is_home else obj.get_absolute_url()
