"""Pages that gather every app's content: the home page and site search.

They sit at the top of the app chain (core ← events ← initiatives ← publications ← here).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse

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
    context: dict = {"query": query, "search_type": search_type, "groups": [], "page": None}
    if query and search_type:
        found = find(search_type, query)
        paginator = CappedPaginator(found.queryset, PAGE_SIZE, capped_count=found.count)
        context["page"] = paginator.get_page(request.GET.get("page"))
        context["newest_first"] = found.newest_first
        context["querystring"] = urlencode({"q": query, "type": search_type.key})
    elif query:
        context["groups"] = search_all(query)
    return render_page(request, "site/search.html", context)
