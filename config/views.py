"""Pages that gather every app's content: the home page and site search.

They sit at the top of the app chain (core ← events ← initiatives ← publications ← here).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse

from config import countries, search_aids, search_facets
from config.search import CappedPaginator, find, search_all, search_types, type_by_key
from core.pages import PAGE_SIZE, render_page
from core.sitepages.views import published_home_page, render_site_page
from events.models import Event
from initiatives.models import Initiative
from publications.models import Article, NewsPost
from publications.views import authors_prefetch

HOME_LIMIT = 4


def home(request: HttpRequest) -> HttpResponse:
    """The home page editors built (a published page marked home), else the automatic one."""
    page = published_home_page()
    if page is not None:
        return render_site_page(request, page, "site/home_page.html")
    events = Event.objects.published()
    context = {
        "upcoming": list(events.upcoming()[:HOME_LIMIT]),
        "recent": list(events.past()[:HOME_LIMIT]),
        "news": list(NewsPost.objects.published()[:HOME_LIMIT]),
        "articles": list(
            Article.objects.published()
            .select_related("journal")
            .prefetch_related(authors_prefetch(request.user))[:HOME_LIMIT]
        ),
        # Featured: the latest initiatives that put money on the table.
        "initiatives": list(
            Initiative.objects.published()
            .filter(amount__isnull=False)
            .order_by("-announced_on", "title")[:HOME_LIMIT]
        ),
    }
    return render_page(request, "site/home.html", context)


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    search_type = type_by_key(request.GET.get("type", ""))
    exact = request.GET.get("exact") == "1"
    year_field = (search_aids.date_field(search_type) or "") if search_type else ""
    narrowing = search_facets.parse(request.GET, search_type, year_field)
    context: dict = {
        "query": query,
        "search_type": search_type,
        "groups": [],
        "page": None,
        "narrowing": narrowing,
    }
    if query and search_type:
        found = find(search_type, query, narrowing=narrowing.without("year"))
        matches = found.queryset
        if year_field and not found.newest_first:
            # Years of every match (at most COUNT_LIMIT of them), before one is chosen.
            context["years"] = _year_links(query, search_type, narrowing, matches, year_field)
            if narrowing.year:
                matches = matches.filter(**{f"{year_field}__year": narrowing.year})
                context["year"] = narrowing.year
        else:
            narrowing = narrowing.without("year")
        if not found.newest_first:
            context["facets"] = search_facets.facet_counts(
                [search_type], query, narrowing, search_type
            )
        count = None if narrowing.year else found.count
        paginator = CappedPaginator(matches, PAGE_SIZE, capped_count=count)
        context["page"] = paginator.get_page(request.GET.get("page"))
        context["newest_first"] = found.newest_first
        context["querystring"] = urlencode(
            {"q": query, "type": search_type.key, **narrowing.params()}
        )
        context["any_year_url"] = search_facets.search_url(
            query, search_type, **narrowing.without("year").params()
        )
        context["all_types_url"] = search_facets.search_url(
            query, None, **narrowing.without("year").params()
        )
    elif query:
        context["groups"] = search_all(query, narrowing=narrowing)
        context["countries"] = [] if narrowing else countries.matching(query)
        if not context["groups"] and not context["countries"] and not exact:
            corrected = search_aids.did_you_mean(query)
            if corrected:
                context["corrected"] = corrected
                context["groups"] = search_all(corrected, narrowing=narrowing)
        words = context.get("corrected", query)
        for group in context["groups"]:
            group["url"] = search_facets.search_url(words, group["type"], **narrowing.params())
        if context["groups"] and not any(group["count"].capped for group in context["groups"]):
            context["facets"] = search_facets.facet_counts(search_types(), words, narrowing)
    context["active_filters"] = search_facets.active_filters(
        context.get("corrected", query), search_type, narrowing
    )
    return render_page(request, "site/search.html", context)


def _year_links(query, search_type, narrowing, matches, field) -> list[dict]:
    """The years of the matches, each with its count and the address that chooses it."""
    chosen = narrowing.without("year").params()
    return [
        {
            "year": year,
            "count": n,
            "url": search_facets.search_url(query, search_type, **chosen, year=str(year)),
            "active": year == narrowing.year,
        }
        for year, n in search_aids.year_facets(matches, field)
    ]


def search_suggestions(request: HttpRequest) -> JsonResponse:
    """Titles for the header search box as the reader types (``static/js/suggest.js``)."""
    results = search_aids.suggest(request.GET.get("q", ""))
    return JsonResponse({"results": results})
