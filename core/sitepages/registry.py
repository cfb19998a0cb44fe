"""The page type, registered once with ``core.registry``: from here search, the sitemap, the
API router, the dashboard, the link picker and the no-leak crawler know the site's pages."""

from __future__ import annotations

from core import registry

from .models import Page

registry.register(
    Page,
    page=registry.Page(None, None, "sitepages/page_detail.html"),
    api=registry.Api("pages", "core.sitepages.api.PageViewSet", "page", detail_path="<path:path>/"),
    search=registry.Search("pages", "Pages", ("title", "summary", "seo_description"), order=5),
    sitemap=registry.Sitemap(priority=0.7, changefreq="monthly"),
    card=registry.Card(date=None, summary="summary"),
)
