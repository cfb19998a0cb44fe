"""The page tree's rules: how deep it goes, which top-level slugs the site's own addresses
already take.

The tree is a plain ``parent`` foreign key with an ``order`` among siblings, and each page
stores its ``path`` (its ancestors' slugs and its own: ``about/team``), so a page is found by
its address in one indexed query and its URL is known without loading its ancestors.
"""

from __future__ import annotations

import re
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import URLPattern, URLResolver, get_resolver

#: Levels of pages (a top-level page and up to four generations below it). Visibility
#: follows the parents up to this depth (``PageQuerySet.tree_depth``).
MAX_DEPTH = 5

# The literal start of a route: what comes before its first converter or regex group.
_LITERAL = re.compile(r"^\^?([-a-zA-Z0-9_.]+)")


def _first_segments(patterns, prefix: str = "") -> set[str]:
    found: set[str] = set()
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        match = _LITERAL.match(route)
        if match:
            found.add(match[1].split("/")[0].split(".")[0])
        elif isinstance(pattern, URLResolver) and not route.strip("^$/"):
            # An include at the root (the apps' pages): look inside.
            found |= _first_segments(pattern.url_patterns, route.strip("^$"))
        elif isinstance(pattern, URLPattern):
            continue
    return found


@cache
def _reserved(urlconf) -> frozenset[str]:
    patterns = [
        p for p in get_resolver(urlconf).url_patterns if getattr(p, "name", "") != "page-detail"
    ]
    found = _first_segments(patterns)
    for url in (settings.STATIC_URL, settings.MEDIA_URL):
        if url and url.startswith("/"):
            found.add(url.strip("/").split("/")[0])
    return frozenset(segment for segment in found if segment)


def reserved_slugs() -> frozenset[str]:
    """The first segments of the site's other addresses (``events``, ``admin``, ``api``, …),
    which a top-level page may not take: its address would clash with theirs."""
    return _reserved(None)


@receiver(setting_changed)
def _forget(setting, **kwargs) -> None:
    if setting in ("ROOT_URLCONF", "STATIC_URL", "MEDIA_URL"):
        _reserved.cache_clear()
