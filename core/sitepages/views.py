"""A site page at its address in the tree, and the rendering the home page shares with it.

A page is found by its path in one query, its ancestors (the breadcrumb) in one more, its
blocks in one, its subpages in one; the blocks' references and lists are resolved by
``core.sitepages.blocks.prepare`` with a number of queries that does not grow with the
blocks. Players of embedded recordings come from the hosts in ``PLAYER_ORIGINS``, which
these pages alone add to the Content-Security-Policy's ``frame-src``.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from core.links import absolute_url
from core.pages import DetailPage, Related, render_page
from core.publishing import can_preview

from .blocks import PLAYER_ORIGINS, prepare
from .models import Page

#: Added to the CSP of every response that may show a block's player.
FRAME_SOURCES = {"frame-src": list(PLAYER_ORIGINS)}


def ancestor_paths(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts))]


def breadcrumb(page: Page, user) -> list[Page]:
    """The pages above ``page``, from the top, as ``user`` may see them (one query)."""
    paths = ancestor_paths(page.path)
    if not paths:
        return []
    found = {p.path: p for p in Page.objects.visible_to(user).filter(path__in=paths)}
    return [found[path] for path in paths if path in found]


def breadcrumb_ld(page: Page, ancestors: list[Page]) -> dict:
    """schema.org BreadcrumbList from the home page down to ``page``."""
    trail = [("Home", "/"), *((p.title, p.get_absolute_url()) for p in ancestors)]
    trail.append((page.title, page.get_absolute_url()))
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": absolute_url(url)}
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }


def page_context(request: HttpRequest, page: Page) -> dict:
    """What a page's template shows: its blocks, ready for the reader."""
    blocks = prepare(list(page.blocks.all()), request.user)
    return {"page": page, "blocks": blocks, "has_player": any(b.player for b in blocks)}


def render_site_page(request: HttpRequest, page: Page, template: str, **context) -> HttpResponse:
    response = render_page(request, template, {**page_context(request, page), **context}, obj=page)
    response._csp_update = FRAME_SOURCES
    return response


def _pages(user):
    # A home page lives at "/"; at its own path only its preview is shown, to staff.
    pages = Page.objects.visible_to(user)
    return pages if can_preview(user, Page) else pages.filter(is_home=False)


def _more_context(request: HttpRequest, page: Page, context: dict) -> dict:
    ancestors = breadcrumb(page, request.user)
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "WebPage",
                "name": page.title,
                "url": absolute_url(page.get_absolute_url()),
                **({"description": page.summary} if page.summary else {}),
            },
            breadcrumb_ld(page, ancestors),
        ],
    }
    return {**page_context(request, page), "ancestors": ancestors, "jsonld": ld}


class TreePageDetail(DetailPage):
    """The one detail view, addressed by the page's path (its parents' slugs and its own)."""

    def __call__(self, request: HttpRequest, slug: str, parents: str | None = None):
        response = super().__call__(request, path=f"{parents}/{slug}" if parents else slug)
        response._csp_update = FRAME_SOURCES
        return response


page_detail = TreePageDetail(
    Page,
    "sitepages/page_detail.html",
    name="page",
    lookups={"path": "path"},
    queryset=_pages,
    related=(Related("children", lambda page: page.children.order_by("order", "title")),),
    more_context=_more_context,
)


def published_home_page() -> Page | None:
    """The home page editors chose: the latest published page marked home, if any."""
    return Page.objects.published().filter(is_home=True).order_by("-publish_at", "-pk").first()
