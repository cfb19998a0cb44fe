"""Export routes for the journal and the news: feeds and citation downloads.

Included before the page routes so that ``/journal/feed/`` and ``/news/feed/`` are not
taken for slugs.
"""

from django.urls import path

from . import views_exports as views
from .feeds import ArticleFeed, NewsFeed

urlpatterns = [
    path("news/feed/", NewsFeed(), name="news-feed"),
    path("journal/feed/", ArticleFeed(), name="article-feed"),
    *(
        path(
            f"journal/articles/<slug:slug>/cite.{fmt}",
            views.article_citation,
            {"fmt": fmt},
            name=f"article-cite-{fmt}",
        )
        for fmt in ("bib", "ris", "json")
    ),
]
