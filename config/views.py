"""Pages that gather every app's content: the home page and site search.

They sit at the top of the app chain (core ← events ← initiatives ← publications ← here).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse

from config import countries, search_aids
from config.search import CappedPaginator, find, search_all, type_by_key
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
    context: dict = {"query": query, "search_type": search_type, "groups": [], "page": None}
    if query and search_type:
        found = find(search_type, query)
        matches = found.queryset
        field = search_aids.date_field(search_type)
        year = request.GET.get("year", "")
        if field and not found.newest_first:
            # Years of every match (at most COUNT_LIMIT of them), before one is chosen.
            context["years"] = search_aids.year_facets(matches, field)
            if year.isdigit() and len(year) == 4:
                matches = matches.filter(**{f"{field}__year": int(year)})
                context["year"] = int(year)
        count = None if "year" in context else found.count
        paginator = CappedPaginator(matches, PAGE_SIZE, capped_count=count)
        context["page"] = paginator.get_page(request.GET.get("page"))
        context["newest_first"] = found.newest_first
        params = {"q": query, "type": search_type.key} | (
            {"year": context["year"]} if "year" in context else {}
        )
        context["querystring"] = urlencode(params)
    elif query:
        context["groups"] = search_all(query)
        context["countries"] = countries.matching(query)
        if not context["groups"] and not context["countries"] and not exact:
            corrected = search_aids.did_you_mean(query)
            if corrected:
                context["corrected"] = corrected
                context["groups"] = search_all(corrected)
    return render_page(request, "site/search.html", context)


def search_suggestions(request: HttpRequest) -> JsonResponse:
    """Titles for the header search box as the reader types (``static/js/suggest.js``)."""
    results = search_aids.suggest(request.GET.get("q", ""))
    return JsonResponse({"results": results})
