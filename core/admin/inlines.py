"""Inline rows: editable exactly when their parent is, loaded with what they show.

Rows are loaded with the objects they point to, so that a change page asks the database the
same number of times for one row as for fifty.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models
from django.forms.models import BaseInlineFormSet

from core import workflow
from core.admin.choices import SearchableChoicesMixin
from core.admin.library import LibraryChoosersMixin
from core.admin.roles import WorkflowFormMixin
from core.publishing import Publishable

#: Links typed without a scheme are taken as https (Django 6's default, set now).
FORMFIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose selected option is drawn from an object already loaded.

    Django's widget looks its selected object up with a query of its own, which on an inline
    is one query per row. The inline formset hands each row's widget the related object that
    the row's queryset loaded with it (``preloaded``); anything else (a value changed in a
    form sent back with errors) is still looked up.
    """

    #: Already loaded objects that may be selected, by primary key as a string.
    preloaded: dict[str, models.Model] = {}

    def optgroups(self, name, value, attr=None):
        field = self.choices.field
        selected = [str(v) for v in value if str(v) not in field.empty_values]
        remote = self.field.remote_field
        if (
            not selected
            or remote.field_name != remote.model._meta.pk.name
            or not set(selected) <= self.preloaded.keys()
        ):
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for key in dict.fromkeys(selected):
            obj = self.preloaded[key]
            options.append(
                self.create_option(
                    name, obj.pk, field.label_from_instance(obj), set(selected), len(options)
                )
            )
        return [(None, options, 0)]


class EditorialInlineFormSet(BaseInlineFormSet):
    """Hands each row's autocomplete widgets the related objects its instance already holds.

    Rows of a publishable model (sessions on their event) are owned by whoever adds them.
    """

    #: Set by ``EditorialInlineMixin.get_formset``: the user editing the parent.
    workflow_user = None

    def save_new(self, form, commit=True):
        if isinstance(form.instance, Publishable) and form.instance.created_by_id is None:
            form.instance.created_by = self.workflow_user
        return super().save_new(form, commit=commit)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        instance = form.instance
        if instance.pk is None:
            return form
        for name, formfield in form.fields.items():
            widget = getattr(formfield.widget, "widget", formfield.widget)
            if not isinstance(widget, PreloadedAutocompleteSelect):
                continue
            model_field = instance._meta.get_field(name)
            if model_field.is_cached(instance):
                related = model_field.get_cached_value(instance)
                widget.preloaded = {str(related.pk): related} if related is not None else {}
        return form


class EditorialInlineMixin(LibraryChoosersMixin, SearchableChoicesMixin):
    """Inline rows may be changed exactly when their parent item may be; their images and
    documents are chosen from the media library.

    Rows are loaded with the objects they point to, so that a change page asks the database
    the same number of times for one row as for fifty: the row's own label (a track is shown
    with its event, a signatory with its organisation) and its autocomplete widgets use the
    objects loaded with the row instead of looking each one up.
    """

    formfield_overrides = FORMFIELD_OVERRIDES
    formset = EditorialInlineFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.workflow_user = request.user
        if issubclass(self.model, Publishable):
            # A row's status (a session on its event's page) moves along the graph too.
            formset.form = type(
                formset.form.__name__,
                (WorkflowFormMixin, formset.form),
                {"workflow_user": request.user},
            )
        return formset

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.row_select_related(request))

    def row_select_related(self, request) -> list[str]:
        """The relations loaded with each row: its parent, every foreign key it shows, and
        what those objects' own labels need (the ``list_select_related`` of their admin)."""
        shown = set(flatten_fieldsets(self.get_fieldsets(request)))
        lookups = []
        for field in self.model._meta.concrete_fields:
            if not field.many_to_one and not field.one_to_one:
                continue
            if field.related_model is self.parent_model:
                lookups.append(field.name)
            elif field.name in shown:
                lookups.append(field.name)
                related_admin = self.admin_site._registry.get(field.related_model)
                needed = getattr(related_admin, "list_select_related", False)
                if isinstance(needed, list | tuple):
                    lookups.extend(f"{field.name}__{lookup}" for lookup in needed)
        return lookups

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _parent_editable(self, request, obj) -> bool:
        return (
            obj is None
            or not isinstance(obj, Publishable)
            or workflow.can_edit(request.user, obj)
            # The parent's form saves a pending version of it (core.admin.pending).
            or getattr(request, "_pending_edit", False)
        )

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._parent_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_editable(request, obj)


class EditorialTabularInline(EditorialInlineMixin, admin.TabularInline):
    extra = 0


class EditorialStackedInline(EditorialInlineMixin, admin.StackedInline):
    extra = 0
