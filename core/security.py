"""Security headers that Django's SecurityMiddleware does not set: Permissions-Policy.

Django sets HSTS, the HTTPS redirect, ``X-Content-Type-Options``, ``Referrer-Policy`` and
``Cross-Origin-Opener-Policy``; django-csp sets ``Content-Security-Policy`` (with
``frame-ancestors``), and ``X-Frame-Options`` comes from Django's clickjacking middleware. All of
them sit above WhiteNoise in ``MIDDLEWARE`` so that static files carry them too.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def permissions_policy(features: dict[str, list[str]]) -> str:
    """``{"camera": []}`` -> ``camera=()``; origins are quoted unless they are ``self`` or ``*``."""
    parts = []
    for feature, origins in features.items():
        allowed = " ".join(o if o in ("self", "*") else f'"{o}"' for o in origins)
        parts.append(f"{feature}=({allowed})")
    return ", ".join(parts)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class MediaNonceMiddleware:
    """Gives the form media of admin pages this response's CSP nonce.

    The rich-text editor's widget media (django-js-asset) include an inline
    ``<script type="importmap">``, which a CSP without ``'unsafe-inline'`` blocks unless it
    carries the nonce. Widgets never see the request, so the nonce is attached here, to the
    ``media`` of any template response (the admin's change forms) before it is rendered.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_template_response(self, request: HttpRequest, response):
        return add_nonce_to_media(request, response)


def add_nonce_to_media(request: HttpRequest, response):
    """Give the ``media`` of a not yet rendered template response the request's CSP nonce.

    For views that render their response themselves (the admin's time-zone aware change forms
    do), call this before ``response.render()``.
    """
    context = getattr(response, "context_data", None)
    media = context.get("media") if context else None
    nonce = getattr(request, "csp_nonce", None)
    if media is not None and nonce is not None and hasattr(media, "with_nonce"):
        context["media"] = media.with_nonce(str(nonce))
    return response
