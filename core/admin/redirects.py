"""Redirects in the admin: the table of old addresses, and "replace with…" on removal.

Editors add, change and remove redirects (an old path, a target item or address, permanent
or temporary) and see how often each is used. The target item is typed as the address of
one of our pages or picked from suggestions while typing (the rich-text link picker's
search, ``/admin/rich-text/link-targets/``); it is stored as the item, so a later rename is
followed. On an item's change page (when archiving it) and on its delete page, *Replace
with…* sends its addresses to another item instead of answering 410 Gone.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from core import redirects
from core.admin.conflicts import PublishableAdminForm
from core.redirects import Redirect
from core.references import Ref, linkable_model, refs_for_paths

PICKER_JS = "admin-extra/item-picker.js"


class ItemInput(forms.TextInput):
    """A text box that suggests our items while typing (with JavaScript; a pasted address of
    one of our pages works without)."""

    def __init__(self, attrs=None):
        super().__init__({"class": "vTextField item-picker", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-link-targets"] = reverse("rich-text-link-targets")
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-choices"
        return context

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        element_id = (attrs or {}).get("id", f"id_{name}")
        return format_html('{}<datalist id="{}-choices"></datalist>', html, element_id)

    class Media:
        js = [PICKER_JS]


class ItemField(forms.Field):
    """One of our items with a page: its reference (``events.event:3``) or its address."""

    default_error_messages = {
        "invalid": "Choose an item from the suggestions, or paste the address of one of our pages.",
        "missing": "That item no longer exists.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", ItemInput)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Ref):
            return str(value)
        if hasattr(value, "_meta"):
            return str(Ref.to(value))
        return value

    def to_python(self, value):
        value = str(value or "").strip()[:500]
        if not value:
            return None
        ref = Ref.parse(value)
        if ref is None:
            try:
                path = redirects.site_path(value)
            except ValidationError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
            ref = refs_for_paths([path]).get(path)
        model = linkable_model(ref.label) if ref else None
        if model is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        item = model._default_manager.filter(pk=ref.pk).first()
        if item is None:
            raise ValidationError(self.error_messages["missing"], code="missing")
        return item


class RedirectForm(forms.ModelForm):
    target_item = ItemField(
        label="Target item",
        required=False,
        help_text="Type part of a title and choose, or paste the address of one of our pages. "
        "Visitors follow the item to its address of the day, and only while it is public.",
    )

    class Meta:
        model = Redirect
        fields = ["old_path", "target_item", "target_url", "permanent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.target_id is not None and self.instance.target is not None:
            self.initial.setdefault("target_item", Ref.to(self.instance.target))

    def clean(self):
        cleaned = super().clean()
        item, url = cleaned.get("target_item"), cleaned.get("target_url")
        if item is not None and url:
            raise ValidationError("Choose a target item or a target address, not both.")
        if "target_item" in cleaned:
            redirects.set_target(self.instance, item)
        return cleaned


class TargetFilter(admin.SimpleListFilter):
    title = "leads to"
    parameter_name = "leads_to"

    def lookups(self, request, model_admin):
        return [("item", "an item"), ("url", "an address"), ("gone", "nothing (410 Gone)")]

    def queryset(self, request, queryset):
        if self.value() == "item":
            return queryset.filter(target_id__isnull=False)
        if self.value() == "url":
            return queryset.exclude(target_url="")
        if self.value() == "gone":
            return queryset.filter(target_id__isnull=True, target_url="")
        return queryset


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    form = RedirectForm
    list_display = ["old_path", "leads_to", "permanent", "automatic", "hits", "last_hit_at"]
    list_filter = [TargetFilter, "permanent", "automatic"]
    search_fields = ["old_path", "target_url"]
    readonly_fields = ["automatic", "hits", "last_hit_at", "created_at"]
    list_per_page = 100
    fieldsets = [
        (
            None,
            {
                "fields": ["old_path", "target_item", "target_url", "permanent"],
                "description": "Where visitors of an old address are sent. Leave both targets "
                "empty to say the page was removed (410 Gone). A redirect is used only when "
                "nothing lives at the old address any more.",
            },
        ),
        ("Use", {"fields": ["automatic", "hits", "last_hit_at", "created_at"]}),
    ]

    def get_queryset(self, request):
        # One query per target type, not one per row.
        return super().get_queryset(request).prefetch_related("target")

    @admin.display(description="leads to")
    def leads_to(self, obj: Redirect) -> str:
        return obj.target_label

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            redirects.collapse_into(obj)


# ---------------------------------------------------------------------------------------------
# "Replace with…" when an item is archived or deleted

REPLACE_WITH = "replace_with"
REPLACE_HELP = (
    "When you archive (or delete) this item, send visitors of its addresses to this item "
    "instead of a “removed” page (410 Gone)."
)


class ReplaceWithForm(PublishableAdminForm):
    """The change form's *Replace with…* field, used when the item is archived by this save."""

    replace_with = ItemField(label="Replace with…", required=False, help_text=REPLACE_HELP)

    def clean_replace_with(self):
        from core.workflow import Status

        replacement = self.cleaned_data.get(REPLACE_WITH)
        if replacement is None:
            return None
        if replacement == self.instance:
            raise ValidationError("An item cannot replace itself.")
        if self.cleaned_data.get("status", self.instance.status) != Status.ARCHIVED:
            raise ValidationError(
                "Only an item you archive is replaced; set the status to archived, or delete it."
            )
        return replacement


class ReplaceWithMixin:
    """For ``PublishableAdmin``: *Replace with…* on archiving (change form) and deleting."""

    delete_confirmation_template = "admin/editorial/delete_confirmation.html"

    def replace_with_fieldset(self, request, obj, fieldsets: list) -> list:
        """``fieldsets`` with the field in the publishing section, for editors changing an item."""
        fieldsets = [
            (name, {**opts, "fields": [f for f in opts["fields"] if f != REPLACE_WITH]})
            for name, opts in fieldsets
        ]
        if (
            obj is None
            or not self.is_editor(request)
            or not self.has_change_permission(request, obj)
        ):
            return fieldsets
        return [
            (name, {**opts, "fields": [*opts["fields"], REPLACE_WITH]})
            if name == "Publishing"
            else (name, opts)
            for name, opts in fieldsets
        ]

    def save_model(self, request, obj, form, change):
        replacement = form.cleaned_data.get(REPLACE_WITH) if change else None
        with redirects.removing(obj, replacement):
            super().save_model(request, obj, form, change)

    def _replacement_from(self, request):
        value = request.POST.get(REPLACE_WITH, "")
        return ItemField(required=False).clean(value)

    def delete_view(self, request, object_id, extra_context=None):
        if request.method == "POST" and request.POST.get("post"):
            try:
                self._replacement_from(request)
            except ValidationError as exc:
                self.message_user(request, f"Replace with…: {exc.messages[0]}", messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
        extra_context = {
            **(extra_context or {}),
            "replace_with_field": forms.BoundField(
                forms.Form(),
                ItemField(required=False, label="Replace with…", help_text=REPLACE_HELP),
                REPLACE_WITH,
            ),
            "picker_js": PICKER_JS,
        }
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        replacement = self._replacement_from(request)
        if replacement == obj:
            replacement = None
        with redirects.removing(obj, replacement):
            super().delete_model(request, obj)
