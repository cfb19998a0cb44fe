"""Public URL names for tests that need them before or without the public site's urlconf."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import path


def _page(request, **kwargs):
    return HttpResponse("")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("topics/<slug:slug>/", _page, name="topic-detail"),
    path("organisations/<slug:slug>/", _page, name="organisation-detail"),
    path("people/<slug:slug>/", _page, name="person-detail"),
    path("events/<slug:slug>/", _page, name="event-detail"),
    path("events/<slug:event_slug>/sessions/<slug:slug>/", _page, name="session-detail"),
    path("initiatives/<slug:slug>/", _page, name="initiative-detail"),
    path("collections/<slug:slug>/", _page, name="collection-detail"),
    path("articles/<slug:slug>/", _page, name="article-detail"),
    path("news/<slug:slug>/", _page, name="news-detail"),
]
