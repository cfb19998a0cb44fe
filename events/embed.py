"""The embeddable programme: an event's or a host organisation's published sessions as a
small page that partner sites show in an iframe.

Each page is the same for everyone (no preview, no user, no session or CSRF cookie), so it
is cached publicly; it loads nothing but its own stylesheet from this site; and any site may
frame it: these views alone lift ``X-Frame-Options`` and widen CSP ``frame-ancestors``.
Links open on the full site in a new tab. The snippet to paste is in the README.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

try:  # django-csp, where the site sends a Content-Security-Policy
    from csp.decorators import csp_replace
except ImportError:  # pragma: no cover - without it there is no CSP to widen
    csp_replace = None

from .exports import with_session_details
from .models import Event, Organisation, Session
from .programme import arrange

#: What these pages change in the site's policy: any site may frame them.
FRAME_ANYWHERE = {"frame-ancestors": ["*"]}


def embeddable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Framable by any site, cached publicly, GET and HEAD only."""

    @wraps(view)
    def wrapped(request: HttpRequest, **kwargs) -> HttpResponse:
        response = view(request, **kwargs)
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        return response

    framable = xframe_options_exempt(wrapped)
    if csp_replace is not None:
        # Replaces the one directive (the site says 'none'), keeping the rest of the policy.
        framable = csp_replace(FRAME_ANYWHERE)(framable)
    return require_safe(framable)


@embeddable
def event_programme(request: HttpRequest, slug: str) -> HttpResponse:
    """A published event's published sessions by local day; side and untimed ones apart."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    programme = arrange(with_session_details(event.sessions.published()), event)
    return render(
        request,
        "events/embed/event.html",
        {"event": event, "programme": programme, "site_url": settings.SITE_URL},
    )


@embeddable
def organisation_programme(request: HttpRequest, slug: str) -> HttpResponse:
    """The published sessions a published organisation hosts, across events, in time order."""
    organisation = get_object_or_404(Organisation.objects.published(), slug=slug)
    sessions = list(
        with_session_details(
            Session.objects.published().filter(hosts=organisation).select_related("event")
        ).order_by("start", "title", "pk")
    )
    return render(
        request,
        "events/embed/organisation.html",
        {"organisation": organisation, "sessions": sessions, "site_url": settings.SITE_URL},
    )
