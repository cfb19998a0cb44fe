"""Strict filters: every value is checked; a bad one is a 400, never an empty list or a 500."""

from __future__ import annotations

from datetime import UTC

from django import forms
from django.db.models import Q
from django_countries import countries
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter, SearchFilter

from core import fulltext

# ---------------------------------------------------------------------------
# Filters: every value is checked; a bad one is a 400, never an empty list or a 500.


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment, turned into UTC before it reaches the database (which may refuse
    unusual offsets such as +17:06)."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError("Enter a moment between the years 1 and 9999.") from None


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class StrictFilterSet(filters.FilterSet):
    """Shared filters; ``updated_since`` lets partners sync only what changed."""

    updated_since = UtcDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only items changed at or after this moment (ISO 8601: 2025-02-01T00:00:00Z).",
    )


class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


class AmountFilter(filters.NumberFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


class CountryFilter(filters.ChoiceFilter):
    """An ISO 3166-1 two-letter code in capitals (``FR``), or ``EU``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", lambda: [(code, name) for code, name in countries])
        kwargs.setdefault("help_text", "ISO 3166-1 alpha-2 code in capitals, e.g. FR; EU too.")
        super().__init__(*args, **kwargs)


def slug_filter(model, *, field_name: str, help_text: str, **kwargs) -> filters.ModelChoiceFilter:
    """Filter by the slug of a related item; an unknown (or unpublished) slug is a 400.

    The choices are looked up per request: "published" depends on the moment of asking.
    """

    def choices(request):
        manager = model._default_manager
        return manager.published() if hasattr(manager, "published") else manager.all()

    return filters.ModelChoiceFilter(
        queryset=choices,
        field_name=field_name,
        to_field_name="slug",
        help_text=help_text,
        distinct=True,
        **kwargs,
    )


def date_range_filters(start: str, end: str | None = None) -> tuple[filters.Filter, filters.Filter]:
    """``date_from, date_to``: items that overlap the range (by date, in the site's time zone)."""
    end = end or start
    return (
        filters.DateFilter(
            field_name=end,
            lookup_expr="date__gte" if _is_datetime(end) else "gte",
            help_text="Only items on or after this date (YYYY-MM-DD).",
        ),
        filters.DateFilter(
            field_name=start,
            lookup_expr="date__lte" if _is_datetime(start) else "lte",
            help_text="Only items on or before this date (YYYY-MM-DD).",
        ),
    )


def _is_datetime(name: str) -> bool:
    return name in {"start", "end", "publish_at"}


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=`` from the view's ``ordering_fields`` only; anything else is a 400."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if not params:
            return self.get_default_ordering(view)
        allowed = self._allowed(view)
        fields = [param.strip() for param in params.split(",") if param.strip()]
        unknown = [f for f in fields if f not in allowed]
        if unknown or not fields:
            raise exceptions.ValidationError(
                {self.ordering_param: [f"Order by one of: {', '.join(allowed)}."]}
            )
        return fields

    @staticmethod
    def _allowed(view) -> list[str]:
        names = list(getattr(view, "ordering_fields", []) or [])
        return [variant for name in names for variant in (name, f"-{name}")]

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort order: a field, or -field for descending; commas between.",
                "schema": {"type": "string", "enum": self._allowed(view)},
            }
        ]


class IndexedSearchFilter(SearchFilter):
    """``?search=``: on PostgreSQL, the type's stored search vector (its GIN index; every word
    must match, stemmed) or the exact value of an identifier among ``search_fields`` (slug,
    DOI); elsewhere, and for types without a vector, every word in one of ``search_fields``.

    The list keeps its ordering (``?ordering=`` or the view's), so pages stay stable.
    """

    def filter_queryset(self, request, queryset, view):
        model = queryset.model
        if not (fulltext.uses_stored_vectors() and fulltext.has_stored_vector(model)):
            return super().filter_queryset(request, queryset, view)
        query = " ".join(self.get_search_terms(request))[:200]
        if not query:
            return queryset
        condition = Q(_search_document=fulltext.websearch(query))
        for name in fulltext.identifier_fields(model, self.get_search_fields(view, request) or ()):
            condition |= Q(**{name: query})
        return queryset.alias(_search_document=fulltext.StoredVector()).filter(condition)
