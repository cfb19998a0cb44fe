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
admin and the API (which does its own conditional GETs) are left alone.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control, patch_vary_headers

NOT_PUBLIC_SITE = ("/admin/", "/api/")


class PublicCacheMiddleware(ConditionalGetMiddleware):
    """Cache-Control for the public site, then ETag and 304 as ConditionalGetMiddleware does.

    Place it first after SecurityMiddleware, so that it sees every cookie and header the
    inner middleware add before deciding whether a response may be shared.
    """

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
        return super().process_response(request, response)
