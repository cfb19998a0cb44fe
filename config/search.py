"""Site search across every public content type, grouped by type.

The types and their fields come from ``core.registry`` (each app's ``registry.py``).

On PostgreSQL it is full-text search (weighted SearchVector, websearch SearchQuery and
SearchRank ordering); elsewhere (SQLite in development and tests) every word must appear,
case-insensitively, in one of the same fields. Only published items are ever searched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from core import registry

SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class SearchType:
    key: str
    label: str
    queryset: Callable[[], QuerySet]
    fields: tuple[str, ...]  # most important first: weighted A, B, then C


def search_types() -> tuple[SearchType, ...]:
    """One search type per registered content type that declares search fields."""
    return tuple(
        SearchType(t.search.key, t.search.label, t.published, t.search.fields)
        for t in registry.searchable()
    )


def type_by_key(key: str) -> SearchType | None:
    return next((t for t in search_types() if t.key == key), None)


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def search_queryset(search_type: SearchType, query: str) -> QuerySet:
    """The published items of one type that match ``query``, best first."""
    queryset = search_type.queryset()
    # PostgreSQL refuses a NUL byte in a query parameter with an error, so it goes first.
    query = query.replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    if not query:
        return queryset.none()
    if uses_full_text():
        weights = ["A", "B"] + ["C"] * (len(search_type.fields) - 2)
        vector = reduce(
            lambda a, b: a + b,
            (
                SearchVector(field, weight=weight, config=SEARCH_CONFIG)
                for field, weight in zip(search_type.fields, weights, strict=False)
            ),
        )
        search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return (
            queryset.annotate(document=vector, rank=SearchRank(vector, search_query))
            .filter(document=search_query)
            .order_by("-rank", "pk")
        )
    words = query.split()
    condition = reduce(
        and_,
        (
            reduce(or_, (Q(**{f"{field}__icontains": word}) for field in search_type.fields))
            for word in words
        ),
    )
    return queryset.filter(condition).order_by(*queryset.model._meta.ordering or ["pk"])


def search_all(query: str, *, limit: int = 10) -> list[dict]:
    """Per type: the number of matches and the first ``limit`` (types without any left out)."""
    groups = []
    for search_type in search_types():
        queryset = search_queryset(search_type, query)
        count = queryset.count()
        if count:
            groups.append({"type": search_type, "items": list(queryset[:limit]), "count": count})
    return groups
