"""Conditional GETs for the API: the site's one mechanism (``core.caching.conditional_get``)
with a remembered Last-Modified, the API's Cache-Control and its JSON 412."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.cache import patch_vary_headers
from rest_framework import status

from core.caching import body_etag, conditional_get

from .errors import error_body

# ---------------------------------------------------------------------------
# Conditional GETs


def conditional(
    request: HttpRequest, response: HttpResponseBase, *, scope: str = ""
) -> HttpResponse:
    """Add ETag and Last-Modified to a successful GET, and answer 304 when the client is current.

    The ETag is a hash of the body, so it is right whatever changed (an embedded session, an
    item that expired). Last-Modified is when this exact body was first served, remembered in
    the cache: never earlier than the real change, so If-Modified-Since is never wrongly
    satisfied. With the cache emptied the date is simply "now" and the client downloads again.

    The cache holds one key per resource, never per query string: only addresses without a
    query get a Last-Modified (their number is bounded by the published items, since unknown
    ones answer 404 and leave nothing), and each key lives ``API_LAST_MODIFIED_SECONDS``.
    Filtered and paged lists revalidate by ETag alone.
    """
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if getattr(response, "streaming", False):
        return response
    if hasattr(response, "render"):
        response.render()
    etag = body_etag(response)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache" if scope else "public, no-cache"
    known = False
    last_modified = None
    if not request.META.get("QUERY_STRING"):
        ident = hashlib.sha256(f"{scope}|{request.path}".encode()).hexdigest()
        cache_key = f"api-lastmod:{ident}"
        seen = cache.get(cache_key)
        known = bool(seen and seen[0] == etag)
        if known:
            last_modified = seen[1]
        else:
            # Strictly later than the body it replaces, even within the same second.
            last_modified = int(datetime.now(UTC).timestamp())
            if seen:
                last_modified = max(last_modified, seen[1] + 1)
            cache.set(cache_key, (etag, last_modified), timeout=settings.API_LAST_MODIFIED_SECONDS)
    # A body not seen before gives no date to evaluate: a date alone could belong to another.
    response = conditional_get(
        request, response, last_modified=last_modified, last_modified_known=known
    )
    if response.status_code == status.HTTP_412_PRECONDITION_FAILED:
        # Django answers 412 with an empty body; ours carry the API's one error shape.
        response = JsonResponse(
            error_body(
                412,
                "The resource has changed since the ETag you sent in If-Match.",
                code="precondition_failed",
            ),
            status=412,
        )
    patch_vary_headers(response, ("Accept", "Authorization", "X-API-Key"))
    return response
