"""Site search across every public content type, grouped by type.

The types and their fields come from ``core.registry`` (each app's ``registry.py``).

On PostgreSQL it is full-text search over each table's stored, GIN-indexed search vector
(``core.fulltext``: websearch query syntax, ``ts_rank`` ordering with the registry's weights);
elsewhere (SQLite in development and tests) every word must appear, case-insensitively, in
one of the same fields. Only published items are ever searched.

Ranking is kept within the index's reach: the ids of at most ``COUNT_LIMIT + 1`` matches
are read first, in no order (the GIN index finds them without ranking any, and their number
is the count, "1,000+" beyond ``COUNT_LIMIT``). Up to ``COUNT_LIMIT`` matches, only those are
ranked (``ts_rank`` over the stored vectors of at most 1,000 rows); beyond, the matches are
listed newest first (the published index serves that order), and the page says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_
from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q, QuerySet

from core import fulltext, registry
from core.fulltext import SEARCH_CONFIG

if TYPE_CHECKING:
    from config.search_facets import Narrowing

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
    facets: registry.Facets = field(default_factory=registry.Facets)


def search_types() -> tuple[SearchType, ...]:
    """One search type per registered content type that declares search fields."""
    return tuple(
        SearchType(
            t.search.key,
            t.search.label,
            t.published,
            t.search.fields,
            t.search.weighted_fields,
            t.search.facets,
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


def matches_queryset(
    search_type: SearchType, query: str, narrowing: Narrowing | None = None
) -> QuerySet:
    """The published items of one type that match ``query``, in no order (the GIN index),
    narrowed by topic, country or year when ``narrowing`` says so (``config.search_facets``)."""
    queryset = search_type.queryset()
    query = clean_query(query)
    if not query:
        return queryset.none()
    if narrowing:
        queryset = narrowing.apply(search_type, queryset)
    if uses_full_text():
        if _has_stored_vector(search_type):
            return fulltext.matching(queryset, query)
        return _computed_vector_search(queryset, search_type, query).order_by()
    words = query.split()
    condition = reduce(
        and_,
        (
            reduce(or_, (Q(**{f"{field}__icontains": word}) for field in search_type.fields))
            for word in words
        ),
    )
    return queryset.filter(condition)


def _ranked(matches: QuerySet, search_type: SearchType, query: str) -> QuerySet:
    """``matches`` (at most ``COUNT_LIMIT``) best first."""
    if uses_full_text():
        if _has_stored_vector(search_type):
            return fulltext.ranked(matches, clean_query(query))
        return matches.order_by("-rank", "pk")
    return matches.order_by(*matches.model._meta.ordering or ["pk"])


def capped_counts(
    types: Sequence[SearchType], query: str, narrowing: Narrowing | None = None
) -> dict[str, Count]:
    """How many items of each type match, each counted up to ``COUNT_LIMIT + 1`` (the index
    stops there): one query for every type."""
    parts, params = [], []
    for search_type in types:
        matches = matches_queryset(search_type, query, narrowing).order_by().values("pk")
        try:
            sql, part_params = matches[: COUNT_LIMIT + 1].query.sql_with_params()
        except EmptyResultSet:
            continue
        # The SQL of a queryset, compiled by Django; every value stays a parameter.
        parts.append("SELECT %s, COUNT(*) FROM (" + sql + ") AS capped")  # noqa: S608
        params += [search_type.key, *part_params]
    counts = {search_type.key: count_of(0) for search_type in types}
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            counts.update({key: count_of(value) for key, value in cursor.fetchall()})
    return counts


#: Beyond ``COUNT_LIMIT`` matches: newest first (the published index serves it).
NEWEST_FIRST = ("-publish_at", "-pk")


@dataclass(frozen=True)
class Matches:
    """One type's matches, ordered, and how many there are (capped)."""

    queryset: QuerySet
    count: Count

    @property
    def newest_first(self) -> bool:
        """More than ``COUNT_LIMIT`` match: ranking them all would read every match, so
        they are the newest first instead."""
        return self.count.capped


def find(
    search_type: SearchType,
    query: str,
    count: Count | None = None,
    narrowing: Narrowing | None = None,
) -> Matches:
    """The matches of one type: ranked when there are at most ``COUNT_LIMIT``, else newest
    first (``count``: theirs, from ``capped_counts``, when already known)."""
    if count is None:
        count = capped_counts([search_type], query, narrowing)[search_type.key]
    matches = matches_queryset(search_type, query, narrowing)
    if not count:
        return Matches(matches.none(), count)
    if count.capped:
        return Matches(matches.order_by(*NEWEST_FIRST), count)
    return Matches(_ranked(matches, search_type, query), count)


def search_queryset(search_type: SearchType, query: str) -> QuerySet:
    """The published items of one type that match ``query``, best first (see ``find``)."""
    return find(search_type, query).queryset


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


@dataclass(frozen=True)
class Count:
    """A number of matches, exact up to ``COUNT_LIMIT``."""

    value: int
    capped: bool

    def __str__(self) -> str:
        return f"{self.value:,}+" if self.capped else f"{self.value:,}"

    def __bool__(self) -> bool:
        return self.value > 0


def count_of(value: int, limit: int | None = None) -> Count:
    limit = COUNT_LIMIT if limit is None else limit
    return Count(min(value, limit), value > limit)


def search_all(query: str, *, limit: int = 10, narrowing: Narrowing | None = None) -> list[dict]:
    """Per type: the first ``limit`` matches and their count (types without any left out).

    One query counts the matches of every type (``capped_counts``), then one per type with
    matches reads its first rows.
    """
    groups = []
    types = search_types()
    counts = capped_counts(types, query, narrowing)
    for search_type in types:
        if not counts[search_type.key]:
            continue
        found = find(search_type, query, counts[search_type.key], narrowing)
        items = list(found.queryset[:limit])
        if items:
            groups.append(
                {
                    "type": search_type,
                    "items": items,
                    "count": found.count,
                    "newest_first": found.newest_first,
                }
            )
    return groups


class CappedPaginator(Paginator):
    """Pages of matches whose count stops at ``COUNT_LIMIT`` (later pages are not offered)."""

    def __init__(self, object_list, per_page, *args, capped_count: Count | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if capped_count is not None:
            self._capped_count = capped_count

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
