"""Sitemap sections for articles, collections and news."""

from __future__ import annotations

from events.sitemaps import PublicSitemap

from .models import Article, Collection, NewsPost


class ArticleSitemap(PublicSitemap):
    model = Article


class CollectionSitemap(PublicSitemap):
    model = Collection


class NewsSitemap(PublicSitemap):
    model = NewsPost


SITEMAPS = {"articles": ArticleSitemap, "collections": CollectionSitemap, "news": NewsSitemap}
