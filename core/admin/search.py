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

The admin's one search box across all content (``search_everything``, on the dashboard and the
reports, ``/admin/reports/search/``) runs each registered type's own admin search, a few rows
per type.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from core import fulltext, registry, workflow
from core.references import title_field


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


# ---------------------------------------------------------------------------------------------
# One search box across every content type

#: Results shown per type; more are one click away in the type's own list.
RESULTS_PER_TYPE = 8
MAX_TERM = 200


def search_everything(request, term: str, admin_site=None) -> list[dict]:
    """The items of every registered type matching ``term``, grouped by type, through each
    type's own admin search (``get_search_results``: the indexes above on PostgreSQL,
    Django's search elsewhere) on the queryset its admin shows ``request.user``. One query per
    type the user may view, at most ``RESULTS_PER_TYPE`` rows each."""
    admin_site = admin_site or admin.site
    groups = []
    for content_type in registry.types():
        model = content_type.model
        opts = model._meta
        model_admin = admin_site._registry.get(model)
        if model_admin is None or not model_admin.has_view_permission(request):
            continue
        if not model_admin.get_search_fields(request):
            continue
        queryset, may_have_duplicates = model_admin.get_search_results(
            request, model_admin.get_queryset(request), term
        )
        if may_have_duplicates:
            queryset = queryset.distinct()
        name = title_field(model) or "pk"
        # Most recently changed first: what an editor is looking for is most often recent.
        has_updated = any(f.name == "updated_at" for f in opts.concrete_fields)
        ordering = ("-updated_at", "-pk") if has_updated else (name, "pk")
        found = list(queryset.order_by(*ordering).values_list("pk", name)[: RESULTS_PER_TYPE + 1])
        if not found:
            continue
        changelist = reverse(f"{admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")
        groups.append(
            {
                "label": str(opts.verbose_name_plural).capitalize(),
                "results": [
                    {
                        "title": str(title),
                        "url": reverse(
                            f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                            args=[quote(pk)],
                        ),
                    }
                    for pk, title in found[:RESULTS_PER_TYPE]
                ],
                "more_url": f"{changelist}?{urlencode({'q': term})}"
                if len(found) > RESULTS_PER_TYPE
                else "",
            }
        )
    return groups


def search_view(request):
    """``/admin/reports/search/?q=…``: the admin search box's results page."""
    term = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_TERM]
    groups = search_everything(request, term) if len(term) >= 2 else []
    return TemplateResponse(
        request,
        "admin/reports/search.html",
        {
            **admin.site.each_context(request),
            "title": f"Search: {term}" if term else "Search",
            "is_editor": workflow.is_editor(request.user),
            "term": term,
            "groups": groups,
        },
    )
