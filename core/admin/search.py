"""The admin's search (and its autocompletes) from indexes, on PostgreSQL.

Django's admin search runs ``UPPER(field) LIKE '%term%'`` over every search field: a scan of
the whole table, run for the rows and again for the count. On PostgreSQL this reads indexes
instead, for each of the admin's ``search_fields``:

- a field with a trigram index (``core.fulltext.AddTrigramIndex``: titles and names) is
  matched as a substring, so "gover" finds "Governance";
- a unique identifier (slug, DOI, ORCID iD) is matched exactly;
- a related item's title (``event__title``) is matched through that item's trigram index;
- and the whole term is matched against the stored search vector (every word, stemmed),
  which covers the summaries and texts the registry searches.

Other fields (``room``, ``venue``) are not searched there. Elsewhere (SQLite), and for models
without these indexes, it is Django's search.
"""

from __future__ import annotations

from django.db.models import Q

from core import fulltext


class IndexedSearchMixin:
    def get_search_results(self, request, queryset, search_term):
        term = search_term.replace("\x00", "").strip()[:200]
        model = queryset.model
        if not (term and fulltext.uses_stored_vectors()):
            return super().get_search_results(request, queryset, search_term)
        has_vector = fulltext.has_stored_vector(model)
        condition = indexed_condition(model, self.get_search_fields(request), term)
        if not has_vector and condition is None:
            return super().get_search_results(request, queryset, search_term)
        if has_vector:
            queryset = queryset.alias(_search_document=fulltext.StoredVector())
            vector_match = Q(_search_document=fulltext.websearch(term))
            condition = vector_match if condition is None else condition | vector_match
        return queryset.filter(condition), False


def indexed_condition(model, search_fields, term: str) -> Q | None:
    """What of ``search_fields`` an index can answer for ``term`` (``None``: nothing)."""
    trigram = fulltext.trigram_fields(model)
    identifiers = set(fulltext.identifier_fields(model, search_fields))
    conditions = []
    for name in search_fields:
        name = name.lstrip("^=@$")
        if name in trigram:
            conditions.append(Q(**{f"{name}__icontains": term}))
        elif name in identifiers:
            conditions.append(Q(**{name: term}))
        elif name.count("__") == 1:
            relation, field = name.split("__")
            related = getattr(model._meta.get_field(relation), "related_model", None)
            if related is not None and field in fulltext.trigram_fields(related):
                matches = related._default_manager.filter(**{f"{field}__icontains": term})
                conditions.append(Q(**{f"{relation}__in": matches.values("pk")}))
    if not conditions:
        return None
    condition = conditions[0]
    for other in conditions[1:]:
        condition |= other
    return condition
