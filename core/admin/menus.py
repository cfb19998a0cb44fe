"""The main menu and footer in the admin: first-level links, each with its second level inline.

The list shows first-level links only, by menu and order (the order is edited on the list);
a link's change page edits the links under it as inline rows, so a menu is never deeper than
two levels. The target item is chosen like a redirect's (type part of a title and pick, or
paste the address of one of our pages); an address is a path of this site or an http(s) URL.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin

from core.admin.redirects import ItemField
from core.menus import MenuItem, set_target
from core.references import Ref


class MenuItemForm(forms.ModelForm):
    target_item = ItemField(
        label="Item",
        required=False,
        help_text="Type part of a title and choose, or paste the address of one of our pages. "
        "The link is shown only while the item is public.",
    )

    class Meta:
        model = MenuItem
        fields = ["menu", "label", "target_item", "url", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.target_id is not None and self.instance.target is not None:
            self.initial.setdefault("target_item", Ref.to(self.instance.target))

    def clean(self):
        cleaned = super().clean()
        if "target_item" in cleaned:
            set_target(self.instance, cleaned["target_item"])
        return cleaned


class ChildForm(MenuItemForm):
    class Meta(MenuItemForm.Meta):
        fields = ["label", "target_item", "url", "order"]

    def clean(self):
        # The second level is in its parent's menu.
        parent = self.instance.parent
        if parent is not None:
            self.instance.menu = parent.menu
        return super().clean()


class ChildInline(admin.TabularInline):
    model = MenuItem
    form = ChildForm
    fk_name = "parent"
    extra = 1
    verbose_name = "link under this one"
    verbose_name_plural = "links under this one (second level)"


@admin.register(MenuItem)
class MenuItemAdmin(admin.ModelAdmin):
    form = MenuItemForm
    inlines = [ChildInline]
    list_display = ["__str__", "menu", "order", "leads_to", "sub_links"]
    list_display_links = ["__str__"]
    list_editable = ["order"]
    list_filter = ["menu"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(parent__isnull=True)
            .select_related("target_type")
            .prefetch_related("target", "children")
        )

    @admin.display(description="leads to")
    def leads_to(self, obj: MenuItem) -> str:
        if obj.target_id is None:
            return obj.url
        return str(obj.target) if obj.target is not None else "a deleted item"

    @admin.display(description="links under it")
    def sub_links(self, obj: MenuItem) -> int:
        return len(obj.children.all())

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            inline_form.instance.menu = form.instance.menu
        super().save_formset(request, formset=formset, form=form, change=change)
