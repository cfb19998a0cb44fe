"""HTTP caching for the public site: shared caches for visitors, nothing stored for staff.

Anonymous visitors get ``Cache-Control: public, max-age=PUBLIC_CACHE_SECONDS`` on public
pages and exports, and an ETag so that a browser or proxy revalidating a copy gets a 304.

The max-age is short on purpose. Publishing is time-based: ``publish_at`` and
``unpublish_at`` are compared with the clock in every query, with no job that purges
caches when an item goes live or is withdrawn. A copy kept by a browser or proxy is
therefore stale for at most PUBLIC_CACHE_SECONDS, which bounds how late a scheduled item
appears (or how long a withdrawn one lingers).

Signed-in users get ``private, no-store``: their pages may show drafts (preview) and must
never be stored where a visitor could be served them. A response that already says how it
may be cached keeps its own rule, so the preview's ``private, no-store`` always wins. The
admin is left alone; the API sets its own Cache-Control.

``conditional_get`` is the one conditional-GET mechanism, for pages (through the middleware)
and the API (``core.api.conditional``): a strong ETag from the body, an optional
Last-Modified, and Django's RFC 9110 evaluation of the request's conditions.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

NOT_PUBLIC_SITE = ("/admin/", "/api/")


def body_etag(response: HttpResponse) -> str:
    """A strong ETag: a hash of the body, right whatever changed in what the page shows."""
    return f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'


def conditional_get(
    request: HttpRequest,
    response: HttpResponseBase,
    *,
    last_modified: int | None = None,
    last_modified_known: bool = True,
) -> HttpResponseBase:
    """Give a successful GET its ETag (and Last-Modified), and answer 304/412 when due.

    ``last_modified`` (a timestamp) is sent when given; it takes part in the evaluation only
    when ``last_modified_known``, i.e. when it is known to belong to this very body. A
    response that must not be stored (``no-store``) gets no validator.
    """
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if getattr(response, "streaming", False):
        return response
    if "no-store" in response.get("Cache-Control", ""):
        return response
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    if not response.has_header("ETag"):
        response["ETag"] = body_etag(response)
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    elif response.has_header("Last-Modified"):  # set by the view itself (a feed's newest entry)
        last_modified = parse_http_date_safe(response["Last-Modified"])
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=last_modified if last_modified_known else None,
        response=response,
    )


class PublicCacheMiddleware:
    """Cache-Control for the public site, then its ETag and 304 (``conditional_get``).

    Place it first after SecurityMiddleware, so that it sees every cookie and header the
    inner middleware add before deciding whether a response may be shared.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.process_response(request, self.get_response(request))

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or request.path_info.startswith(NOT_PUBLIC_SITE):
            return response
        if not response.has_header("Cache-Control"):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                patch_cache_control(response, private=True, no_store=True)
            elif response.status_code == 200 and not response.cookies:
                patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        # Who asks decides how the response may be cached, so caches must key on the cookie.
        patch_vary_headers(response, ("Cookie",))
        return conditional_get(request, response)
