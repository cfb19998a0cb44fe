"""Export routes for the journal and the news: feeds, then every download in
``publications.exports``.

Included before the page routes so that ``/journal/feed/`` and ``/news/feed/`` are not
taken for slugs.
"""

from django.urls import path

from core.exports import export_urls

from .exports import EXPORTS
from .feeds import ArticleFeed, NewsFeed

urlpatterns = [
    path("news/feed/", NewsFeed(), name="news-feed"),
    path("journal/feed/", ArticleFeed(), name="article-feed"),
    *export_urls(EXPORTS),
]
