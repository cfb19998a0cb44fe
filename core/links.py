"""Absolute links to the public site, built from ``settings.SITE_URL``.

Exports (calendars, citations, feeds, the sitemap) leave the site and are read
elsewhere, so their links must be absolute and canonical: they name the public
address the site is configured with, not whichever host a request came in on.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` (starting with ``/``) on the public site; an absolute URL is returned as is."""
    if not path.startswith("/") and urlsplit(path).scheme:
        return path
    return f"{settings.SITE_URL}{path}"


def site_domain() -> str:
    """The host (and port, if any) of the public site, e.g. ``example.org``."""
    return urlsplit(settings.SITE_URL).netloc


def site_scheme() -> str:
    return urlsplit(settings.SITE_URL).scheme or "https"


def site_host() -> str:
    """The host name alone (no port), for identifiers such as calendar UIDs and tag URIs."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"
