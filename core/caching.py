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

Behind that, anonymous pages are kept rendered on the server (``core.pagecache``: Redis in
production, this process's memory in the demo), for at most ``PAGE_CACHE_SECONDS`` and only
while nothing they may show has changed. The middleware looks a page up once the URL is
resolved and before the view runs (``process_view``): a matching ``If-None-Match`` is
answered 304 and a current copy is served, both without a database query. Only anonymous
GET/HEAD requests without a session or messages cookie are served from it, and only what the
middleware itself would share is stored: 200, ``public``, no cookie set, varying on nothing
but ``Cookie``, not streamed. Staff, previews, the admin and the API never touch it; a view
opts out with ``@page_cache_exempt``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from . import pagecache

NOT_PUBLIC_SITE = ("/admin/", "/api/")
#: Cookies that make a request personal: its page is rendered, never served from the cache.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
#: Headers kept on a 304 answered from the cache, as the 200 would have had them.
NOT_MODIFIED_HEADERS = ("Cache-Control", "Vary", "Last-Modified", "Expires")


def page_cache_exempt(view: Callable) -> Callable:
    """Never serve or store this view's responses in the server-side page cache."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        return view(*args, **kwargs)

    wrapped.page_cache_exempt = True
    return wrapped


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


def _listed(header: str) -> list[str]:
    return [part for part in cc_delim_re.split(header.strip()) if part]


class PublicCacheMiddleware:
    """Cache-Control for the public site, then its ETag and 304 (``conditional_get``), and the
    server-side page cache in front of the views (``core.pagecache``).

    Place it first after SecurityMiddleware, so that it sees every cookie and header the
    inner middleware add before deciding whether a response may be shared.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.process_response(request, self.get_response(request))

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        """Answer from the page cache before the view runs, when it can."""
        if not self._may_use_cache(request, view_func):
            return None
        found = pagecache.lookup(request)
        if found is None:  # the shared cache is unreachable: render
            return None
        request._page_cache = found
        if matched := self._matching_etag(request, found.etag):
            return self._not_modified(found, matched)
        if found.current:
            return self._serve(request, found.entry, "HIT")
        if pagecache.take_lock(found):
            return None  # this request renders the page; process_response stores it
        if found.entry is not None:
            # Another request is rendering it: this copy stands in for the few moments it takes.
            return self._serve(request, found.entry, "STALE")
        entry = pagecache.wait_for(found)
        return self._serve(request, entry, "HIT") if entry is not None else None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if getattr(response, "_from_page_cache", False):
            return response
        if request.method not in ("GET", "HEAD") or request.path_info.startswith(NOT_PUBLIC_SITE):
            return response
        if not response.has_header("Cache-Control"):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                patch_cache_control(response, private=True, no_store=True)
            elif response.status_code == 200 and not response.cookies:
                # A view whose page changes by the minute (a running event's "now and next")
                # sets ``request.public_max_age`` lower, 0 to have browsers check each time.
                max_age = getattr(request, "public_max_age", settings.PUBLIC_CACHE_SECONDS)
                patch_cache_control(response, public=True, max_age=max_age)
        # Who asks decides how the response may be cached, so caches must key on the cookie.
        patch_vary_headers(response, ("Cookie",))
        found = getattr(request, "_page_cache", None)
        if found is not None:
            try:
                if self._shareable(request, response):
                    pagecache.store(request, response, found)
                    response["X-Page-Cache"] = "MISS"
            finally:
                pagecache.release_lock(found)
        return conditional_get(request, response)

    @staticmethod
    def _may_use_cache(request: HttpRequest, view_func) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not request.path_info.startswith(NOT_PUBLIC_SITE)
            and not getattr(view_func, "page_cache_exempt", False)
            and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
        )

    @staticmethod
    def _matching_etag(request: HttpRequest, etag: str) -> str:
        """The tag of ``If-None-Match`` that is the page's current ETag (compared weakly)."""
        sent = parse_etags(request.headers.get("If-None-Match", ""))
        return next((tag for tag in sent if tag.removeprefix("W/") == etag), "")

    @staticmethod
    def _shareable(request: HttpRequest, response: HttpResponse) -> bool:
        """The same bytes for every anonymous visitor, as this middleware marked it."""
        if response.status_code != 200 or getattr(response, "streaming", False):
            return False
        if response.cookies or pagecache.degraded():
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        control = {part.split("=")[0].lower() for part in _listed(response["Cache-Control"])}
        if "public" not in control or control & {"private", "no-store", "no-cache"}:
            return False
        return {name.lower() for name in _listed(response.get("Vary", ""))} <= {"cookie"}

    @staticmethod
    def _serve(request: HttpRequest, entry: pagecache.Entry, how: str) -> HttpResponseBase:
        response = entry.response(request)
        if how == "STALE":
            patch_cache_control(response, max_age=0)
        response["X-Page-Cache"] = how
        response._from_page_cache = True
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        answer = get_conditional_response(
            request, etag=entry.etag, last_modified=last_modified, response=response
        )
        answer._from_page_cache = True
        return answer

    @staticmethod
    def _not_modified(found: pagecache.Lookup, etag: str) -> HttpResponseBase:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        entry = found.entry if found.current else None
        headers = {name.lower(): value for name, value in entry.headers} if entry else {}
        for name in NOT_MODIFIED_HEADERS:
            if name.lower() in headers:
                response[name] = headers[name.lower()]
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
            patch_vary_headers(response, ("Cookie",))
        response["X-Page-Cache"] = "HIT"
        response._from_page_cache = True
        return response
