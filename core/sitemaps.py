"""The sitemap, one section per registered content type that has one.

``PublicSitemap`` lists published items only, with ``lastmod`` from ``updated_at`` and
canonical URLs from ``settings.SITE_URL`` (the sites framework is not installed, and the
request's host may be internal). ``registry_sitemaps()`` builds the sections from
``core.registry``.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap

from . import registry
from .links import site_domain, site_scheme


class PublicSitemap(Sitemap):
    content_type: registry.ContentType

    def get_domain(self, site=None) -> str:
        return site_domain()

    def get_protocol(self, protocol=None) -> str:
        return site_scheme()

    def items(self):
        # The parents a type needs to be public are part of its URL (a session's event).
        return self.content_type.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


def sitemap_for(content_type: registry.ContentType) -> type[PublicSitemap]:
    spec = content_type.sitemap
    return type(
        f"{content_type.model.__name__}Sitemap",
        (PublicSitemap,),
        {"content_type": content_type, "priority": spec.priority, "changefreq": spec.changefreq},
    )


def registry_sitemaps() -> dict[str, type[PublicSitemap]]:
    """{section name: sitemap class} for every registered type with a sitemap."""
    return {t.sitemap_key: sitemap_for(t) for t in registry.in_sitemap()}
