"""Site search across every public content type, grouped by type.

The types and their fields come from ``core.registry`` (each app's ``registry.py``).

On PostgreSQL it is full-text search over each table's stored, GIN-indexed search vector
(``core.fulltext``: websearch query syntax, ``ts_rank`` ordering with the registry's weights);
elsewhere (SQLite in development and tests) every word must appear, case-insensitively, in
one of the same fields. Only published items are ever searched.

The results page shows, per type, the first few matches and how many there are, counted up
to ``COUNT_LIMIT`` ("1,000+" beyond): one query per type, whose count stops early.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.paginator import Paginator
from django.db.models import IntegerField, Q, QuerySet, Subquery

from core import fulltext, registry
from core.fulltext import SEARCH_CONFIG

MAX_QUERY_LENGTH = 200
#: Matches are counted up to this many; beyond, the count reads "1,000+".
COUNT_LIMIT = 1000


@dataclass(frozen=True)
class SearchType:
    key: str
    label: str
    queryset: Callable[[], QuerySet]
    fields: tuple[str, ...]  # most important first
    weighted_fields: tuple[tuple[str, str], ...] = ()


def search_types() -> tuple[SearchType, ...]:
    """One search type per registered content type that declares search fields."""
    return tuple(
        SearchType(
            t.search.key, t.search.label, t.published, t.search.fields, t.search.weighted_fields
        )
        for t in registry.searchable()
    )


def type_by_key(key: str) -> SearchType | None:
    return next((t for t in search_types() if t.key == key), None)


def uses_full_text() -> bool:
    return fulltext.uses_stored_vectors()


def clean_query(query: str) -> str:
    # PostgreSQL refuses a NUL byte in a query parameter with an error, so it goes first.
    return query.replace("\x00", "").strip()[:MAX_QUERY_LENGTH]


def search_queryset(search_type: SearchType, query: str) -> QuerySet:
    """The published items of one type that match ``query``, best first."""
    queryset = search_type.queryset()
    query = clean_query(query)
    if not query:
        return queryset.none()
    if uses_full_text():
        if _has_stored_vector(search_type):
            return fulltext.ranked(queryset, query)
        return _computed_vector_search(queryset, search_type, query)
    words = query.split()
    condition = reduce(
        and_,
        (
            reduce(or_, (Q(**{f"{field}__icontains": word}) for field in search_type.fields))
            for word in words
        ),
    )
    return queryset.filter(condition).order_by(*queryset.model._meta.ordering or ["pk"])


def _has_stored_vector(search_type: SearchType) -> bool:
    """Whether the migrations give the type's table the vector the registry describes
    (``core.checks`` reports a type without one; until then it is searched without it)."""
    opts = search_type.queryset().model._meta
    declared = fulltext.declared_vectors().get((opts.app_label, opts.model_name))
    return declared == tuple(search_type.weighted_fields)


def _computed_vector_search(queryset: QuerySet, search_type: SearchType, query: str) -> QuerySet:
    """Full-text search computing each row's vector (a type without a stored one)."""
    vector = reduce(
        lambda a, b: a + b,
        (
            SearchVector(field, weight=weight, config=SEARCH_CONFIG)
            for field, weight in search_type.weighted_fields
        ),
    )
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    return (
        queryset.annotate(document=vector, rank=SearchRank(vector, search_query))
        .filter(document=search_query)
        .order_by("-rank", "pk")
    )


class CappedCount(Subquery):
    """``(SELECT COUNT(*) FROM (<matches> LIMIT n) ...)``: counts at most ``n`` rows, so a
    common word costs no more to count than a rare one. Uncorrelated, so it runs once."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet, limit: int):
        super().__init__(queryset.order_by().values("pk")[:limit])


@dataclass(frozen=True)
class Count:
    """A number of matches, exact up to ``COUNT_LIMIT``."""

    value: int
    capped: bool

    def __str__(self) -> str:
        return f"{self.value:,}+" if self.capped else f"{self.value:,}"

    def __bool__(self) -> bool:
        return self.value > 0


def count_of(value: int, limit: int = COUNT_LIMIT) -> Count:
    return Count(min(value, limit), value > limit)


def search_all(query: str, *, limit: int = 10) -> list[dict]:
    """Per type: the first ``limit`` matches and their count (types without any left out).

    One query per type: the rows, with the capped count beside them.
    """
    groups = []
    for search_type in search_types():
        queryset = search_queryset(search_type, query)
        items = list(queryset.annotate(match_count=CappedCount(queryset, COUNT_LIMIT + 1))[:limit])
        if items:
            groups.append(
                {"type": search_type, "items": items, "count": count_of(items[0].match_count)}
            )
    return groups


class CappedPaginator(Paginator):
    """Pages of matches whose count stops at ``COUNT_LIMIT`` (later pages are not offered)."""

    @property
    def count(self) -> int:
        if not hasattr(self, "_capped_count"):
            total = self.object_list.order_by().values("pk")[: COUNT_LIMIT + 1].count()
            self._capped_count = count_of(total)
        return self._capped_count.value

    @property
    def display_count(self) -> Count:
        self.count  # noqa: B018 - computes it
        return self._capped_count
