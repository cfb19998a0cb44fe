"""The media library in the admin: images and documents, their tags, and the choosers.

- Lists with a thumbnail, tags and whether the item is used, searched by title, tags and alt
  text and filtered by tag (the few most recent and a search: ``RelatedSearchFilter``), by
  kind of file and by use; a page of fifty asks the database as often as a page of one.
- The change page shows where the item is used (fields that point to it and rich text that
  shows it) and, for an image, the picture to click for its focal point
  (``static/admin-extra/focal-point.js``; the two number fields work without it).
- Deleting an item that is used is refused with the list, on its page and in bulk; the
  ``PROTECT`` of the fields that point to it refuses it in the database too.
- ``LibraryChoosersMixin`` turns every ``LibraryImageField``/``LibraryDocumentField`` of an
  admin's model into a search-as-you-type chooser; the project's admin bases include it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import BooleanField, ExpressionWrapper, Value
from django.utils.html import format_html

from core.admin.filters import RelatedSearchFilter
from core.admin.usage import usage_link, usage_table
from core.library import (
    Document,
    Image,
    LibraryImageField,
    MediaTag,
    usages,
    used_condition,
)
from core.references import used_by

FOCAL_POINT_JS = "admin-extra/focal-point.js"
FOCAL_POINT_CSS = "admin-extra/focal-point.css"
#: The width the focal-point picker shows the picture at.
PICKER_WIDTH = 640


class LibraryChoosersMixin:
    """Every field of the model that points to the library is chosen by searching it."""

    def get_autocomplete_fields(self, request):
        fields = tuple(super().get_autocomplete_fields(request))
        library = tuple(
            field.name
            for field in self.model._meta.concrete_fields
            if isinstance(field, LibraryImageField) and field.name not in fields
        )
        return fields + library


class UseFilter(admin.SimpleListFilter):
    title = "use"
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return [("used", "Used"), ("unused", "Not used")]

    def queryset(self, request, queryset):
        if self.value() == "used":
            return queryset.filter(is_used=True)
        if self.value() == "unused":
            return queryset.filter(is_used=False)
        return queryset


class KindFilter(admin.SimpleListFilter):
    """An image's file format, read from the name the upload was stored under (the stored
    name always has the extension of what the file really is: see ``core.images``)."""

    title = "kind"
    parameter_name = "kind"
    KINDS = {"jpeg": (".jpg", "JPEG"), "png": (".png", "PNG"), "webp": (".webp", "WebP")}
    KINDS |= {"gif": (".gif", "GIF")}

    def lookups(self, request, model_admin):
        return [(key, label) for key, (_suffix, label) in self.KINDS.items()]

    def queryset(self, request, queryset):
        kind = self.KINDS.get(self.value() or "")
        return queryset.filter(file__endswith=kind[0]) if kind else queryset


class LibraryItemAdmin(admin.ModelAdmin):
    """What the image and document admins share."""

    search_fields = ["title", "tags__name"]
    list_filter = [("tags", RelatedSearchFilter), UseFilter]
    autocomplete_fields = ["tags"]
    readonly_fields = ["usage"]
    list_per_page = 50
    show_full_result_count = False
    delete_confirmation_template = "admin/library/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/library/delete_selected_confirmation.html"

    def get_queryset(self, request):
        condition = used_condition(self.model)
        used = (
            Value(False)
            if condition is None
            else ExpressionWrapper(condition, output_field=BooleanField())
        )
        # The tags of a page of items come with one query, however many items it lists.
        return super().get_queryset(request).annotate(is_used=used).prefetch_related("tags")

    @admin.display(description="tags")
    def tag_list(self, obj) -> str:
        return ", ".join(tag.name for tag in obj.tags.all()) or "—"

    @admin.display(description="used", boolean=True, ordering="is_used")
    def used(self, obj) -> bool:
        return obj.is_used

    @admin.display(description="used by")
    def usage(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "Not used yet."
        return usage_table(usages(obj), empty="Nothing uses this yet; it can be deleted.")

    def get_deleted_objects(self, objs, request):
        """Django lists what ``PROTECT`` keeps; rich text that shows the item is added."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for obj in objs:
            for usage in used_by(obj):
                protected.append(
                    format_html(
                        "{}: {} (its text shows “{}”)",
                        usage.model._meta.verbose_name.capitalize(),
                        usage_link(usage),
                        obj,
                    )
                )
        return deleted, counts, perms_needed, protected


@admin.register(Image)
class ImageAdmin(LibraryItemAdmin):
    list_display = ["thumbnail", "title", "tag_list", "credit", "used", "created_at"]
    list_display_links = ["thumbnail", "title"]
    search_fields = ["title", "tags__name", "alt_text"]
    list_filter = [("tags", RelatedSearchFilter), KindFilter, UseFilter]
    readonly_fields = ["focal_point_picker", "usage"]
    fieldsets = [
        (None, {"fields": ["file", "title", "alt_text", "tags"]}),
        ("Credit and licence", {"fields": ["credit", "licence"]}),
        (
            "Focal point",
            {
                "fields": ["focal_point_picker", ("focal_x", "focal_y")],
                "description": "The part of the picture every crop keeps (a social card, a "
                "square). Click it on the picture, or type it as fractions.",
            },
        ),
        ("Used by", {"fields": ["usage"]}),
    ]

    class Media:
        js = [FOCAL_POINT_JS]
        css = {"all": [FOCAL_POINT_CSS]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("focal_x", "focal_y"):
            formfield.widget = forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": 1})
        return formfield

    @admin.display(description="")
    def thumbnail(self, obj: Image) -> str:
        url = obj.thumbnail_url()
        if not url:
            return "—"
        return format_html('<img src="{}" alt="" class="library-thumbnail" width="80">', url)

    @admin.display(description="picture")
    def focal_point_picker(self, obj: Image) -> str:
        if obj is None or not obj.file:
            return "Save the image first; then click it here to set its focal point."
        return format_html(
            '<div class="focal-picker" data-focal-picker><img src="{}" alt="{}">'
            '<span class="focal-marker" hidden></span></div>',
            obj.rendition_url(PICKER_WIDTH),
            obj.alt_text,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The renditions the admin shows are made now, not when the list is next opened.
        obj.thumbnail_url()
        obj.rendition_url(PICKER_WIDTH)


@admin.register(Document)
class DocumentAdmin(LibraryItemAdmin):
    list_display = ["title", "tag_list", "credit", "used", "created_at"]
    fieldsets = [
        (None, {"fields": ["file", "title", "tags"]}),
        ("Credit and licence", {"fields": ["credit", "licence"]}),
        ("Used by", {"fields": ["usage"]}),
    ]


@admin.register(MediaTag)
class MediaTagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    list_display = ["name"]
    ordering = ["-pk"]  # the newest tags first: the tag filter lists the first few
