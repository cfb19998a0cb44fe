"""The journal's and the news's content types, registered once with ``core.registry``."""

from __future__ import annotations

from core import registry

from .models import Article, Collection, Journal, NewsPost

registry.register(
    Journal,
    # The journal has no page of its own: its articles are listed at /journal/.
    api=registry.Api("journals", "publications.api.JournalViewSet", "journal"),
    card=registry.Card(date=None),
)
registry.register(
    Collection,
    page=registry.Page(None, None, "publications/collection_detail.html"),
    api=registry.Api("collections", "publications.api.CollectionViewSet", "collection"),
    search=registry.Search("collections", "Collections", ("title", "description"), order=45),
    sitemap=registry.Sitemap(priority=0.5, changefreq="monthly"),
    card=registry.Card(date=None),
    public_with=("journal",),
)
registry.register(
    Article,
    page=registry.Page(
        "article-list", "publications/article_list.html", "publications/article_detail.html"
    ),
    api=registry.Api("articles", "publications.api.ArticleViewSet", "article"),
    search=registry.Search(
        "articles", "Journal articles", ("title", "abstract", "plain_language_summary"), order=40
    ),
    sitemap=registry.Sitemap(priority=0.7, changefreq="monthly"),
    feed=registry.Feed("article-feed"),
    card=registry.Card(
        date=lambda article: article.published_on or article.publish_at,
        summary="plain_language_summary",
        template="publications/_article_item.html",
    ),
    public_with=("journal",),
)
registry.register(
    NewsPost,
    page=registry.Page("news-list", "publications/news_list.html", "publications/news_detail.html"),
    api=registry.Api("news", "publications.api.NewsPostViewSet", "news"),
    search=registry.Search("news", "News", ("title", "standfirst", "body"), order=50),
    sitemap=registry.Sitemap(priority=0.6, changefreq="weekly"),
    feed=registry.Feed("news-feed"),
    card=registry.Card(summary="standfirst", template="publications/_news_item.html"),
)
