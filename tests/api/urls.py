"""The site's URLs, plus a placeholder for each public page name the site does not define yet.

The API links to public pages by name (``get_absolute_url``); these placeholders let the API
be tested whether or not the pages themselves are in place.
"""

from django.http import HttpResponse
from django.urls import get_resolver, path

from config.urls import urlpatterns as site_urlpatterns

PUBLIC_PAGES = {
    "topic-detail": "topics/<slug:slug>/",
    "organisation-detail": "organisations/<slug:slug>/",
    "person-detail": "people/<slug:slug>/",
    "event-detail": "events/<slug:slug>/",
    "session-detail": "events/<slug:event_slug>/sessions/<slug:slug>/",
    "initiative-detail": "initiatives/<slug:slug>/",
    "collection-detail": "journal/collections/<slug:slug>/",
    "article-detail": "journal/articles/<slug:slug>/",
    "news-detail": "news/<slug:slug>/",
}


def placeholder(request, **kwargs):
    return HttpResponse("placeholder page")


_defined = get_resolver("config.urls").reverse_dict
urlpatterns = [
    *site_urlpatterns,
    *(
        path(f"placeholder/{route}", placeholder, name=name)
        for name, route in PUBLIC_PAGES.items()
        if name not in _defined
    ),
]
