"""Sitemap section for initiatives."""

from __future__ import annotations

from events.sitemaps import PublicSitemap

from .models import Initiative


class InitiativeSitemap(PublicSitemap):
    model = Initiative


SITEMAPS = {"initiatives": InitiativeSitemap}
