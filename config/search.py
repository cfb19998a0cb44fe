"""Site search across every public content type, grouped by type.

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

from events.models import Event, Organisation, Person, Session, Topic
from initiatives.models import Initiative
from publications.models import Article, NewsPost

SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class SearchType:
    key: str
    label: str
    queryset: Callable[[], QuerySet]
    fields: tuple[str, ...]  # most important first: weighted A, B, then C


SEARCH_TYPES: tuple[SearchType, ...] = (
    SearchType(
        "events", "Events", lambda: Event.objects.published(),
        ("title", "summary", "description", "city"),
    ),
    SearchType(
        "sessions", "Sessions", lambda: Session.objects.published().select_related("event"),
        ("title", "summary", "description"),
    ),
    SearchType(
        "initiatives", "Initiatives", lambda: Initiative.objects.published(),
        ("title", "short_title", "summary", "description"),
    ),
    SearchType(
        "articles", "Journal articles", lambda: Article.objects.published(),
        ("title", "abstract", "plain_language_summary"),
    ),
    SearchType(
        "news", "News", lambda: NewsPost.objects.published(),
        ("title", "standfirst", "body"),
    ),
    SearchType(
        "people", "People", lambda: Person.objects.published(),
        ("name", "role", "bio"),
    ),
    SearchType(
        "organisations", "Organisations", lambda: Organisation.objects.published(),
        ("name", "acronym", "description"),
    ),
    SearchType(
        "topics", "Topics", lambda: Topic.objects.published(),
        ("name", "description"),
    ),
)  # fmt: skip
TYPES_BY_KEY = {search_type.key: search_type for search_type in SEARCH_TYPES}


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
    for search_type in SEARCH_TYPES:
        queryset = search_queryset(search_type, query)
        count = queryset.count()
        if count:
            groups.append({"type": search_type, "items": list(queryset[:limit]), "count": count})
    return groups
