"""The site's URLs, plus stand-ins for any public page route not defined yet.

Exports link to detail pages by URL name (``get_absolute_url``). Export tests use
this URLconf (``pytest.mark.urls``) so that they check the exports alone: a page
route that exists in ``config.urls`` is used as is, a missing one is stood in for
with the same path and a view that only answers 404.
"""

from django.http import Http404
from django.urls import get_resolver, path

from config.urls import urlpatterns as site_urlpatterns


def _no_page(request, **kwargs):
    raise Http404


_PAGES = {
    "topic-detail": "topics/<slug:slug>/",
    "organisation-detail": "organisations/<slug:slug>/",
    "person-detail": "speakers/<slug:slug>/",
    "event-detail": "events/<slug:slug>/",
    "session-detail": "events/<slug:event_slug>/sessions/<slug:slug>/",
    "initiative-detail": "initiatives/<slug:slug>/",
    "collection-detail": "journal/collections/<slug:slug>/",
    "article-detail": "journal/articles/<slug:slug>/",
    "news-detail": "news/<slug:slug>/",
}

_defined = get_resolver("config.urls").reverse_dict

urlpatterns = [
    *site_urlpatterns,
    *(path(route, _no_page, name=name) for name, route in _PAGES.items() if name not in _defined),
]
