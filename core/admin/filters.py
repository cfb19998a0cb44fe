"""List filters that stay small however many values they filter by.

A filter by a related item (a session's event) lists every item as a link: 5,000 events
make a changelist of half a megabyte, loaded on every page of it. ``RelatedSearchFilter``
lists the related admin's first few (its own ordering: the latest events), the one chosen,
and a box that searches the rest with the related admin's search.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import get_model_from_relation

#: How many related items the filter lists at most.
CHOICES_LIMIT = 10


class RelatedSearchFilter(admin.RelatedFieldListFilter):
    """``list_filter = [("event", RelatedSearchFilter)]``: the latest few, and a search."""

    template = "admin/editorial/related_search_filter.html"
    limit = CHOICES_LIMIT

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.search_kwarg = f"{field_path}_search"
        values = params.get(self.search_kwarg) or [""]
        value = values[-1] if isinstance(values, list) else values
        self.search_term = value.replace("\x00", "").strip()[:200]
        super().__init__(field, request, params, model, model_admin, field_path)

    def expected_parameters(self):
        return [*super().expected_parameters(), self.search_kwarg]

    def has_output(self):
        return True

    def queryset(self, request, queryset):
        self.used_parameters.pop(self.search_kwarg, None)
        return super().queryset(request, queryset)

    def field_choices(self, field, request, model_admin):
        related_model = get_model_from_relation(field)
        related_admin = model_admin.admin_site._registry.get(related_model)
        if related_admin is not None:
            queryset = related_admin.get_queryset(request)
            ordering = related_admin.get_ordering(request)
            if ordering:
                queryset = queryset.order_by(*ordering)
            if self.search_term:
                queryset, _ = related_admin.get_search_results(request, queryset, self.search_term)
        else:
            queryset = related_model._default_manager.all()
            if self.search_term:
                queryset = queryset.none()
        target = field.target_field.attname
        choices = [(getattr(obj, target), str(obj)) for obj in queryset[: self.limit]]
        chosen = [value for value in (self.lookup_val or []) if value]
        shown = {str(pk) for pk, _ in choices}
        missing = [value for value in chosen if value not in shown]
        if missing:
            try:
                extra = list(related_model._default_manager.filter(**{f"{target}__in": missing}))
            except (ValueError, TypeError):
                extra = []
            choices = [(getattr(obj, target), str(obj)) for obj in extra] + choices
        return choices

    def choices(self, changelist):
        # The search box keeps the changelist's other parameters.
        self.form_params = [
            (name, value)
            for name, values in changelist.params.items()
            if name not in (self.search_kwarg, self.lookup_kwarg, "p")
            for value in (values if isinstance(values, list) else [values])
        ]
        yield from super().choices(changelist)


class DropdownChoicesFilter(admin.ChoicesFieldListFilter):
    """A filter by a field with a long list of choices (an event's country) as one searchable
    drop-down instead of a link per value (250 countries made a list page 7,000 px tall).

    A plain form: without JavaScript it is a select and a button; with it, the list is
    searched as one types (``core.admin.widgets``) and a choice applies at once.
    """

    template = "admin/editorial/dropdown_filter.html"
    #: Tells ``core.admin.choices`` to load the searchable select on the list page.
    searchable = True

    def choices(self, changelist):
        self.form_params = [
            (name, value)
            for name, values in changelist.params.items()
            if name not in (self.lookup_kwarg, self.lookup_kwarg_isnull, "p")
            for value in (values if isinstance(values, list) else [values])
        ]
        chosen = {str(value) for value in (self.lookup_val or [])}
        self.options = [
            (str(value), label, str(value) in chosen)
            for value, label in self.field.flatchoices
            if value not in ("", None)
        ]
        yield from super().choices(changelist)
