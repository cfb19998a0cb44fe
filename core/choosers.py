"""Filters whose choices grow with the data: a text box with suggestions, not a ``<select>``.

A ``<select>`` listing every organisation or event makes a page that grows with the
archive (thousands of options, most of them leading nowhere). ``ItemFilter`` is a text
box instead: it takes an item's slug or its name (matched on the server: slug, then exact
name, then a name that contains the words, when only one does), with a ``<datalist>`` of
the ``SUGGESTIONS`` most used choices. ``static/js/suggest.js`` refreshes that list from
the page's suggestions endpoint (``suggestions_view``) as the visitor types; without
JavaScript the box and the matching on the server work alone.

A filter says which queryset it chooses from (``queryset(filterset)``: published items
that lead somewhere), how to order its suggestions (``popular(queryset)``, most used
first) and which fields a typed name is looked for in (``search_fields``). Counting uses over
a large archive is costly, so the most used choices are kept in the cache under the content's
state (``core.pagecache.content_state``) and counted again only after a change of content or
a scheduled publication or withdrawal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_safe

from . import pagecache
from .paths import path_for

#: How many choices a filter suggests at once (in the page, and per search).
SUGGESTIONS = 20
#: At most how long the most used choices are kept (a new content state replaces them sooner).
SUGGESTIONS_CACHE_SECONDS = 24 * 60 * 60


def find_item(queryset: QuerySet, text: str, fields: Sequence[str]) -> Model | None:
    """The item ``text`` names: by slug, by exact name, or the one name containing it."""
    text = text.strip()
    if not text:
        return None
    found = queryset.filter(slug=text).first()
    if found is not None:
        return found
    exact = Q()
    for field in fields:
        exact |= Q(**{f"{field}__iexact": text})
    found = queryset.filter(exact).first()
    if found is not None:
        return found
    candidates = list(search(queryset, text, fields)[:2])
    return candidates[0] if len(candidates) == 1 else None


def search(queryset: QuerySet, text: str, fields: Sequence[str]) -> QuerySet:
    """Items with every word of ``text`` in one of ``fields``."""
    for word in text.split():
        matches = Q()
        for field in fields:
            matches |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(matches)
    return queryset


class SuggestInput(forms.TextInput):
    """A text box with a ``<datalist>`` of suggestions (``(value, label)`` pairs)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.suggestions: list[tuple[str, str]] = []
        self.suggest_url = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["list"] = f"{widget_attrs.get('id', name)}-suggestions"
        widget_attrs["autocomplete"] = "off"
        if self.suggest_url:
            widget_attrs["data-suggest"] = self.suggest_url
        return context

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        list_id = f"{(attrs or {}).get('id', name)}-suggestions"
        options = format_html_join(
            "",
            '<option value="{}">{}</option>',
            ((value, label) for value, label in self.suggestions),
        )
        return format_html('{}<datalist id="{}">{}</datalist>', box, list_id, options)


class ItemField(forms.CharField):
    """A slug or a name, cleaned to the item it names in ``queryset``."""

    widget = SuggestInput

    def __init__(self, *, queryset=None, search_fields=("name",), noun="item", **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.queryset = queryset
        self.search_fields = tuple(search_fields)
        self.noun = noun

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        found = find_item(self.queryset, text, self.search_fields)
        if found is None:
            # Neither echoed in the message nor kept in the box: a slug of an unpublished
            # item then reads exactly like one that does not exist.
            self.refused = value
            raise forms.ValidationError(
                f"No single {self.noun} matches what was typed: type more of its name, or pick "
                "one of the suggestions."
            )
        return found

    def bound_data(self, data, initial):
        return "" if data is not None and data == getattr(self, "refused", None) else data


class ItemFilter(django_filters.Filter):
    """Filter by one item named in a text box; see the module docstring."""

    field_class = ItemField

    def __init__(
        self,
        *,
        queryset: Callable[[django_filters.FilterSet], QuerySet],
        popular: Callable[[QuerySet], QuerySet] = lambda queryset: queryset,
        search_fields: Sequence[str] = ("name",),
        label_field: str = "name",
        noun: str = "item",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.choices_queryset = queryset
        self.popular = popular
        self.search_fields = tuple(search_fields)
        self.label_field = label_field
        self.noun = noun
        self.suggest_url = ""

    def queryset(self) -> QuerySet:
        return self.choices_queryset(self.parent)

    def suggestions(self, text: str = "") -> list[tuple[str, str]]:
        """``(slug, label)`` of the most used choices, or of those matching ``text``."""
        queryset = self.queryset()
        if text.strip():
            queryset = search(queryset, text, self.search_fields).order_by(self.label_field)
            rows = queryset.values_list("slug", self.label_field)[:SUGGESTIONS]
            return [(slug, label) for slug, label in rows]
        return self._most_used(queryset)

    def _most_used(self, queryset: QuerySet) -> list[tuple[str, str]]:
        """The most used choices: counting uses over a large archive is the costliest query
        of a list page, so the answer is kept in the cache under the content's state (its
        version and next schedule boundary, ``core.pagecache``) and counted again only once
        content changes or a scheduled item goes live or expires."""
        state = pagecache.content_state()
        owner = type(self.parent)
        key = f"choosers:{owner.__module__}.{owner.__qualname__}:{self.field_name}:{state}"
        if state is not None and (cached := cache.get(key)) is not None:
            return cached
        rows = self.popular(queryset).values_list("slug", self.label_field)[:SUGGESTIONS]
        found = [(slug, label) for slug, label in rows]
        if state is not None:
            cache.set(key, found, SUGGESTIONS_CACHE_SECONDS)
        return found

    @property
    def field(self):
        if not hasattr(self, "_field"):
            self.extra.update(
                queryset=self.queryset(), search_fields=self.search_fields, noun=self.noun
            )
            field = super().field
            field.widget.suggestions = self.suggestions()
            field.widget.suggest_url = self.suggest_url
        return self._field


class SuggestingFilterSet(django_filters.FilterSet):
    """A filter set whose ``ItemFilter`` boxes ask ``suggestions_url_name`` (with ``name``)."""

    suggestions_url_name = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, item_filter in self.filters.items():
            if isinstance(item_filter, ItemFilter) and self.suggestions_url_name:
                item_filter.suggest_url = path_for(self.suggestions_url_name, name=name)


def suggestions_view(filterset_class: type[SuggestingFilterSet]):
    """A JSON endpoint of a filter set's suggestions: ``GET <its URL>?q=words``.

    Answers ``{"results": [{"value": slug, "label": name}, ...]}``, at most ``SUGGESTIONS``;
    an unknown filter name is a 404.
    """

    def view(request: HttpRequest, name: str) -> JsonResponse:
        filterset = filterset_class(None, queryset=filterset_class._meta.model.objects.none())
        item_filter = filterset.filters.get(name)
        if not isinstance(item_filter, ItemFilter):
            raise Http404(f"No filter {name!r} with suggestions.")
        text = request.GET.get("q", "")[:100]
        results = [{"value": v, "label": label} for v, label in item_filter.suggestions(text)]
        return JsonResponse({"results": results})

    return require_safe(view)
