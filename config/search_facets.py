"""Narrowing site search by topic and by country, with how many matches each one keeps.

Each searchable type says in its registration (``registry.Facets``) where its topics and its
country are: an event's own country, a person's affiliation's, a session's event's, an
initiative's jurisdictions. A reader narrows the matches with ``?topic=<slug>`` and
``?country=<code>`` (beside ``type`` and ``year``); a type without the facet then has no
match. Counts are over published items only, through published topics and published related
items (a draft affiliation names no country), and each facet's counts are over the matches
narrowed by everything else chosen, so that choosing another value of it finds what its
count says.

Every count of every type comes from one query (a ``UNION ALL`` of each type's grouped
matches), whatever the number of matches; like the years, counts are offered only while no
type has more than ``config.search.COUNT_LIMIT`` matches.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django_countries import countries as country_names

from config.search import SearchType, matches_queryset
from core.publishing import visibility_q
from events.models import Topic

#: How many values of a facet are listed (the most frequent first).
FACET_LIMIT = 12
MAX_SLUG = 120
SLUG = re.compile(r"[-\w]+\Z")


@dataclass(frozen=True)
class Narrowing:
    """What the reader chose besides the words: a topic, a country, a year (on one type)."""

    topic: Topic | None = None
    country: str = ""
    year: int | None = None
    #: The date field years count on (the type's card date), when a year can be chosen.
    year_field: str = ""
    #: What could not be used, as sentences for the page.
    problems: tuple[str, ...] = field(default=(), compare=False)

    def __bool__(self) -> bool:
        return bool(self.topic or self.country or self.year)

    @property
    def country_name(self) -> str:
        return str(country_names.name(self.country)) if self.country else ""

    def without(self, *names: str) -> Narrowing:
        empty = {"topic": None, "country": "", "year": None}
        return replace(self, **{name: empty[name] for name in names})

    def apply(self, search_type: SearchType, queryset: QuerySet) -> QuerySet:
        """``queryset`` (of ``search_type``) narrowed to the choices; none when the type lacks
        a chosen facet."""
        facets = search_type.facets
        if self.topic is not None:
            if not facets.topics:
                return queryset.none()
            queryset = queryset.filter(**{facets.topics: self.topic})
        if self.country:
            if not facets.country:
                return queryset.none()
            queryset = queryset.filter(country_condition(search_type, self.country))
        if self.year and self.year_field:
            queryset = queryset.filter(**{f"{self.year_field}__year": self.year})
        return queryset

    def params(self) -> dict[str, str]:
        """The choices as GET parameters, in a stable order."""
        params = {}
        if self.topic is not None:
            params["topic"] = self.topic.slug
        if self.country:
            params["country"] = self.country.lower()
        if self.year:
            params["year"] = str(self.year)
        return params


def search_url(query: str, search_type: SearchType | None = None, **params: str) -> str:
    """The search page for ``query``, of one type when given, with the GET ``params``."""
    pairs = {"q": query, **({"type": search_type.key} if search_type else {}), **params}
    return f"{reverse('search')}?{urlencode({k: v for k, v in pairs.items() if v})}"


def _is_multiple(model, path: str) -> bool:
    """Whether ``path`` ends at a multiple-choice country field (stored as "FR,DE")."""
    return bool(getattr(get_fields_from_path(model, path)[-1], "multiple", False))


def _hops_published(model, path: str) -> Q:
    """The related items a country is read through are published too (a person's
    affiliation): a draft names no country."""
    condition = Q()
    prefix = ""
    for hop in get_fields_from_path(model, path)[:-1]:
        prefix += f"{hop.name}__"
        condition &= visibility_q(hop.related_model, prefix)
    return condition


def country_condition(search_type: SearchType, code: str) -> Q:
    model = search_type.queryset().model
    path = search_type.facets.country
    # Multiple choices are two-letter codes joined by commas: a two-letter substring of them
    # is only ever one code.
    match = Q(**{f"{path}__contains": code}) if _is_multiple(model, path) else Q(**{path: code})
    return match & _hops_published(model, path)


def parse(
    params: Mapping[str, str], search_type: SearchType | None, year_field: str = ""
) -> Narrowing:
    """The reader's choices from the GET parameters; what cannot be used is left out and
    said (one query, only when a topic is asked for)."""
    problems = []
    topic = None
    slug = params.get("topic", "").replace("\x00", "").strip()[:MAX_SLUG]
    if slug:
        # Only a slug can name a topic: anything else is not looked up.
        topic = Topic.objects.published().filter(slug=slug).first() if SLUG.match(slug) else None
        if topic is None:
            problems.append(f"There is no topic “{slug}”, so the results are not narrowed by one.")
    asked = params.get("country", "").replace("\x00", "").strip()
    country = asked.upper()[:2]
    if country and (len(asked) != 2 or not country_names.name(country)):
        problems.append(
            f"“{asked[:20]}” is not a country code, so the results are not narrowed by one."
        )
        country = ""
    year = None
    value = params.get("year", "")
    if year_field and re.fullmatch(r"[0-9]{4}", value):
        year = int(value)
    return Narrowing(
        topic=topic,
        country=country,
        year=year,
        year_field=year_field if search_type else "",
        problems=tuple(problems),
    )


@dataclass(frozen=True)
class FacetValue:
    key: str
    label: str
    count: int
    url: str
    active: bool


def _grouped_sql(search_type: SearchType, query: str, narrowing: Narrowing, kind: str):
    """One type's matches grouped by topic or by country (stored value), as SQL and params;
    None when the type has no such facet or no match can be found."""
    facets = search_type.facets
    path = facets.topics if kind == "topic" else facets.country
    if not path:
        return None
    matches = matches_queryset(search_type, query, narrowing.without(kind)).order_by()
    model = matches.model
    if kind == "topic":
        rows = matches.filter(visibility_q(Topic, f"{path}__")).values(
            facet_key=F(f"{path}__slug"), facet_label=F(f"{path}__name")
        )
    else:
        rows = matches.filter(_hops_published(model, path)).values(
            facet_key=F(path), facet_label=F(path)
        )
    try:
        return rows.annotate(facet_n=Count("pk")).query.sql_with_params()
    except EmptyResultSet:
        return None


def facet_counts(
    types: Sequence[SearchType],
    query: str,
    narrowing: Narrowing,
    search_type: SearchType | None = None,
) -> dict[str, list[FacetValue]]:
    """The topics and countries of the matches of ``types``, each with how many matches it
    keeps: one query for every type and both facets."""
    parts, params = [], []
    for each in types:
        for kind in ("topic", "country"):
            compiled = _grouped_sql(each, query, narrowing, kind)
            if compiled is None:
                continue
            sql, part_params = compiled
            # SQL compiled by Django; every value stays a parameter.
            parts.append(
                "SELECT %s, facet_key, facet_label, facet_n FROM (" + sql + ") AS facet"  # noqa: S608
            )
            params += [kind, *part_params]
    topics: Counter = Counter()
    names: dict[str, str] = {}
    countries: Counter = Counter()
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for kind, key, label, n in cursor.fetchall():
                if not key:
                    continue
                if kind == "topic":
                    topics[key] += n
                    names[key] = label
                else:
                    for code in str(key).split(","):
                        if code:
                            countries[code] += n
    chosen = narrowing.params()

    def link(**changes: str) -> str:
        return search_url(query, search_type, **(chosen | changes))

    topic_values = [
        FacetValue(
            slug,
            names[slug],
            n,
            link(topic=slug),
            narrowing.topic is not None and narrowing.topic.slug == slug,
        )
        for slug, n in sorted(topics.items(), key=lambda kv: (-kv[1], names[kv[0]].casefold()))
    ]
    country_values = [
        FacetValue(
            code,
            str(country_names.name(code)),
            n,
            link(country=code.lower()),
            code == narrowing.country,
        )
        for code, n in sorted(
            countries.items(), key=lambda kv: (-kv[1], str(country_names.name(kv[0])))
        )
        if country_names.name(code)
    ]
    return {"topics": _shown(topic_values), "countries": _shown(country_values)}


def _shown(values: list[FacetValue]) -> list[FacetValue]:
    """The most frequent values, and the chosen one wherever it falls."""
    shown = values[:FACET_LIMIT]
    shown += [value for value in values[FACET_LIMIT:] if value.active]
    return shown


def active_filters(
    query: str, search_type: SearchType | None, narrowing: Narrowing
) -> list[dict[str, str]]:
    """What narrows the results now, each with the address of the results without it."""
    chosen = narrowing.params()
    found = []

    def without(name: str) -> str:
        return search_url(query, search_type, **{k: v for k, v in chosen.items() if k != name})

    if narrowing.topic is not None:
        found.append({"name": "Topic", "value": narrowing.topic.name, "remove": without("topic")})
    if narrowing.country:
        found.append(
            {"name": "Country", "value": narrowing.country_name, "remove": without("country")}
        )
    if narrowing.year:
        found.append({"name": "Year", "value": str(narrowing.year), "remove": without("year")})
    return found
