"""The initiatives app's content type, registered once with ``core.registry``."""

from __future__ import annotations

from core import registry

from .models import Initiative

registry.register(
    Initiative,
    page=registry.Page(
        "initiative-list", "initiatives/initiative_list.html", "initiatives/initiative_detail.html"
    ),
    api=registry.Api("initiatives", "initiatives.api.InitiativeViewSet", "initiative"),
    search=registry.Search(
        "initiatives",
        "Initiatives",
        ("title", "short_title", "summary", "description"),
        order=30,
    ),
    sitemap=registry.Sitemap(priority=0.8, changefreq="weekly"),
    card=registry.Card(
        date=lambda initiative: initiative.announced_on or initiative.publish_at,
        summary="summary",
        template="initiatives/_initiative_item.html",
    ),
)
