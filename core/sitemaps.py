"""The sitemap: an index at ``/sitemap.xml`` and one section per registered content type.

``PublicSitemap`` lists published items only, with ``lastmod`` from ``updated_at`` and
canonical URLs from ``settings.SITE_URL`` (the sites framework is not installed, and the
request's host may be internal). ``registry_sitemaps()`` builds the sections from
``core.registry``.

Each section is paginated at ``settings.SITEMAP_LIMIT`` URLs (50,000, the protocol's
maximum), in primary-key order, loading only the columns its URLs need. The index names
every page of every section; it costs one aggregate query per section (how many items,
when the newest changed). A section's page is rendered once and kept in the cache under a
key made of those same figures (and its parents' latest change, since a session's address
holds its event's slug), for ``SITEMAP_CACHE_SECONDS`` at most and never past the next
scheduled publication or withdrawal among its items and their parents: an edit, a
publication or a withdrawal changes the key, so no cached page names an unpublished item.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.core.cache import cache
from django.core.paginator import InvalidPage
from django.db.models import Count, Max, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.views.decorators.http import require_safe

from . import registry
from .links import absolute_url, site_domain, site_scheme
from .pagecache import content_state
from .paths import path_for

#: The longest a rendered section page is kept, in seconds.
SITEMAP_CACHE_SECONDS = 3600
DEFAULT_LIMIT = 50_000


@dataclass(frozen=True)
class SectionState:
    count: int
    latest: datetime | None
    version: str


class PublicSitemap(Sitemap):
    content_type: registry.ContentType

    @property
    def limit(self) -> int:
        return getattr(settings, "SITEMAP_LIMIT", DEFAULT_LIMIT)

    def get_domain(self, site=None) -> str:
        return site_domain()

    def get_protocol(self, protocol=None) -> str:
        return site_scheme()

    def items(self):
        # The parents a type needs to be public are part of its URL (a session's event).
        parents = self.content_type.public_with
        # What the URL is built from: the slug, or what the model names (a page's path).
        own = getattr(self.content_type.model, "url_fields", ("slug",))
        fields = ["pk", *own, "updated_at", *(f"{parent}__slug" for parent in parents)]
        return self.content_type.published().only(*fields).order_by("pk")

    def lastmod(self, item):
        return item.updated_at

    @cached_property
    def state(self) -> SectionState:
        """How many items are public, and when the newest of them (or its parent) changed."""
        published = self.content_type.published().aggregate(
            count=Count("pk"),
            latest=Max("updated_at"),
            **{
                f"parent_{i}": Max(f"{parent}__updated_at")
                for i, parent in enumerate(self.content_type.public_with)
            },
        )
        version = "|".join(str(published[key]) for key in sorted(published))
        return SectionState(count=published["count"], latest=published["latest"], version=version)

    def next_boundary(self) -> datetime | None:
        """The next scheduled publication or withdrawal among the items and their parents."""
        now = timezone.now()
        boundaries = {}
        for i, prefix in enumerate(["", *(f"{p}__" for p in self.content_type.public_with)]):
            for field in ("publish_at", "unpublish_at"):
                lookup = f"{prefix}{field}"
                boundaries[f"next_{i}_{field}"] = Min(lookup, filter=Q(**{f"{lookup}__gt": now}))
        found = self.content_type.model._default_manager.aggregate(**boundaries).values()
        return min((value for value in found if value is not None), default=None)

    def render_page(self, page) -> bytes:
        """One page of the section as sitemap XML (the markup of Django's ``sitemap.xml``)."""
        try:
            items = self.paginator.page(page).object_list
        except InvalidPage as error:
            raise Http404(f"No page {page!r} in this sitemap.") from error
        origin = f"{self.get_protocol()}://{self.get_domain()}"
        tail = ""
        if self.changefreq:
            tail += f"<changefreq>{escape(self.changefreq)}</changefreq>"
        if self.priority is not None:
            tail += f"<priority>{self.priority}</priority>"
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        ]
        for item in items:
            lastmod = self.lastmod(item)
            day = f"<lastmod>{timezone.localtime(lastmod).date()}</lastmod>" if lastmod else ""
            location = escape(f"{origin}{item.get_absolute_url()}")
            lines.append(f"<url><loc>{location}</loc>{day}{tail}</url>")
        lines.append("\n</urlset>\n")
        return "".join(lines).encode()

    def get_latest_lastmod(self):
        return self.state.latest

    @property
    def paginator(self):
        paginator = super().paginator
        paginator.__dict__["count"] = self.state.count  # counted once, with the section's state
        return paginator


def sitemap_for(content_type: registry.ContentType) -> type[PublicSitemap]:
    spec = content_type.sitemap
    return type(
        f"{content_type.model.__name__}Sitemap",
        (PublicSitemap,),
        {"content_type": content_type, "priority": spec.priority, "changefreq": spec.changefreq},
    )


class ListedSitemap(PublicSitemap):
    """A section of pages that are not rows of one type (the country pages): ``listed()``
    returns the items (each with ``get_absolute_url``), and the section changes when the
    site's content does (``core.pagecache.content_state``)."""

    listed: Callable[[], Sequence]
    changefreq = None
    priority = None

    def items(self):
        return type(self).listed()

    def lastmod(self, item):
        return None

    @cached_property
    def state(self) -> SectionState:
        return SectionState(count=len(self.items()), latest=None, version=content_state())

    def next_boundary(self) -> datetime | None:
        return None  # the content state already ends at the next scheduled change


_listed_sections: dict[str, type[ListedSitemap]] = {}


def register_listed_section(key: str, listed: Callable[[], Sequence]) -> None:
    """Add a section to the sitemap for pages that ``listed()`` names (see ``ListedSitemap``)."""
    _listed_sections[key] = type(
        f"{key.title()}Sitemap", (ListedSitemap,), {"listed": staticmethod(listed)}
    )


def registry_sitemaps() -> dict[str, type[PublicSitemap]]:
    """{section name: sitemap class} for every registered type with a sitemap, and the
    listed sections."""
    return {t.sitemap_key: sitemap_for(t) for t in registry.in_sitemap()} | _listed_sections


def section_url(section: str) -> str:
    return absolute_url(path_for("sitemap-section", section=section))


@require_safe
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """Every page of every section, each with the date its newest item changed."""
    entries = []
    for section, sitemap_class in registry_sitemaps().items():
        sitemap = sitemap_class()
        url = section_url(section)
        latest = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(url, latest))
        for page in range(2, sitemap.paginator.num_pages + 1):
            entries.append(SitemapIndexItem(f"{url}?p={page}", latest))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


@require_safe
@x_robots_tag
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One page (``?p=``) of one section, from the cache while nothing in it has changed."""
    sitemaps = registry_sitemaps()
    if section not in sitemaps:
        raise Http404(f"No sitemap section {section!r}.")
    sitemap = sitemaps[section]()
    page = request.GET.get("p", "1")
    state = sitemap.state
    raw = f"{section}|{page}|{sitemap.limit}|{site_scheme()}|{site_domain()}|{state.version}"
    key = f"sitemap:{hashlib.sha256(raw.encode()).hexdigest()}"
    content = cache.get(key)
    if content is None:
        content = sitemap.render_page(page)
        timeout = SITEMAP_CACHE_SECONDS
        boundary = sitemap.next_boundary()
        if boundary is not None:
            until = (boundary - timezone.now()).total_seconds()
            timeout = max(1, min(timeout, int(until)))
        cache.set(key, content, timeout)
    return HttpResponse(content, content_type="application/xml")
