"""Long lists of choices, searched rather than scrolled: in forms and in list filters.

``SearchableChoicesMixin`` (in every editorial admin and inline) gives a form field with
more than ``LONG_CHOICES`` choices a search-as-you-type select (``core.admin.widgets``), and
turns a list filter by such a field (countries) into one searchable drop-down
(``core.admin.filters.DropdownChoicesFilter``).
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist

from core.admin.filters import DropdownChoicesFilter
from core.admin.widgets import LONG_CHOICES, SearchableSelect, searchable


def _has_long_choices(model, name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return not field.is_relation and len(field.flatchoices or ()) > LONG_CHOICES


class SearchableChoicesMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.is_relation:
            return formfield
        return searchable(formfield)

    def _searchable_list_filter(self, list_filter) -> list:
        return [
            (spec, DropdownChoicesFilter)
            if isinstance(spec, str) and _has_long_choices(self.model, spec)
            else spec
            for spec in list_filter
        ]

    def get_list_filter(self, request):
        return self._searchable_list_filter(super().get_list_filter(request))

    @property
    def media(self):
        media = super().media
        list_filter = self._searchable_list_filter(getattr(self, "list_filter", ()) or ())
        if any(
            getattr(spec[1], "searchable", False)
            for spec in list_filter
            if isinstance(spec, tuple | list)
        ):
            media += SearchableSelect().media
        return media
