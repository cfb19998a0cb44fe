"""What helps a reader find things beyond the matches: suggestions as they type, a "did you
mean" for a misspelt query, and the facets of one type's matches.

- ``suggest(text)``: titles that start with what was typed (or hold a word that does), across
  every searchable type, for the header search box (``/search/suggest/``). On PostgreSQL the
  title's trigram index serves the match.
- ``did_you_mean(query)``: each word that matches nothing is replaced by the closest word of
  the published titles (and topic names) that look like it: on PostgreSQL the candidates come
  from trigram word similarity through the same indexes, elsewhere from the newest titles.
  Only a suggestion that finds something is offered.
- ``year_facets(queryset, field)``: how many matches fall in each year, for one type's results.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear

from config.search import SearchType, capped_counts, clean_query, search_types
from core import registry

#: How many suggestions the search box offers.
SUGGESTIONS = 8
#: Candidate titles per type and word for "did you mean".
CANDIDATES = 5
#: Titles read per type for "did you mean" where there is no trigram index (SQLite).
VOCABULARY_TITLES = 2000
_WORD = re.compile(r"[^\W_]+")
#: How alike a title's word must be to a misspelt one to be a candidate (pg_trgm, 0 to 1).
SIMILARITY = 0.3


def title_field(search_type: SearchType) -> str:
    return search_type.fields[0]


def suggest(text: str, *, limit: int = SUGGESTIONS) -> list[dict]:
    """Published titles starting with ``text`` (or with a word starting with it), by type."""
    text = clean_query(text)
    if len(text) < 2:
        return []
    results: list[dict] = []
    for search_type in search_types():
        field = title_field(search_type)
        queryset = search_type.queryset().filter(**{f"{field}__icontains": text})
        for title in queryset.order_by(field).values_list(field, flat=True)[: limit * 3]:
            lowered, typed = title.casefold(), text.casefold()
            if lowered.startswith(typed) or f" {typed}" in lowered:
                results.append({"value": title, "label": f"{title} ({search_type.label})"})
            if len(results) >= limit:
                return results
    return results


def _candidate_words(word: str) -> set[str]:
    """Words of published titles that look like ``word``."""
    if connection.vendor != "postgresql":
        return _words_like(word)
    with transaction.atomic():
        # pg_trgm's default (0.6) misses two swapped letters in a short word ("actoin"):
        # lowered for this lookup only, still answered by the trigram indexes.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL pg_trgm.word_similarity_threshold = %s", [SIMILARITY])
        return _words_like(word)


def _words_like(word: str) -> set[str]:
    candidates: set[str] = set()
    for search_type in search_types():
        field = title_field(search_type)
        queryset = search_type.queryset()
        if connection.vendor == "postgresql":
            titles = (
                queryset.filter(**{f"{field}__trigram_word_similar": word})
                .annotate(similarity=TrigramWordSimilarity(word, field))
                .order_by("-similarity")
                .values_list(field, flat=True)[:CANDIDATES]
            )
        else:
            titles = queryset.order_by("-pk").values_list(field, flat=True)[:VOCABULARY_TITLES]
        for title in titles:
            candidates.update(w.casefold() for w in _WORD.findall(title) if len(w) > 2)
    return candidates


def did_you_mean(query: str) -> str | None:
    """A corrected query that finds something, or None."""
    query = clean_query(query)
    words = _WORD.findall(query)
    if not words or len(words) > 8:
        return None
    corrected, changed = [], False
    for word in words:
        if len(word) > 3 and not any(capped_counts(search_types(), word).values()):
            close = difflib.get_close_matches(word.casefold(), _candidate_words(word), n=1)
            if close:
                corrected.append(close[0])
                changed = True
                continue
        corrected.append(word)
    if not changed:
        return None
    suggestion = " ".join(corrected)
    return suggestion if any(capped_counts(search_types(), suggestion).values()) else None


def date_field(search_type: SearchType) -> str | None:
    """The date a type's results show (its card's), when it is a field: what years facet on."""
    model = search_type.queryset().model
    content_type = registry.get(model)
    field = content_type.card.date if content_type else None
    return field if isinstance(field, str) and field else None


def year_facets(queryset, field: str) -> list[tuple[int, int]]:
    """(year, how many) of the matches, newest year first."""
    rows = (
        queryset.order_by()
        .annotate(facet_year=ExtractYear(field))
        .values("facet_year")
        .annotate(n=Count("pk"))
    )
    counts = Counter({row["facet_year"]: row["n"] for row in rows if row["facet_year"]})
    return sorted(counts.items(), reverse=True)
