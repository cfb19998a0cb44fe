"""The API's policies that DRF's settings name: who is calling (anonymous, or a partner with
a valid key), how often they may, and how lists are cut into pages.

Kept apart from the rest of the API support (``common``) because DRF imports these
classes while it is itself being imported.
"""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from events.models import PartnerKey
from events.services import verify_partner_key

# ---------------------------------------------------------------------------
# Partner keys


class Partner:
    """The caller behind a valid partner key; stands where DRF expects ``request.user``."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False

    def __init__(self, key: PartnerKey):
        self.key = key
        self.organisation = key.organisation
        self.pk = f"partner-key-{key.pk}"

    def __str__(self) -> str:
        return f"{self.organisation} ({self.key.name})"


def raw_key_from(request: HttpRequest) -> str | None:
    """The key sent as ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``, if any."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise exceptions.AuthenticationFailed(
                "Send the key as 'Authorization: Bearer <key>' or in the X-API-Key header."
            )
        return value.strip()
    value = request.META.get("HTTP_X_API_KEY")
    if value is not None:
        return value.strip()
    return None


class PartnerKeyAuthentication(BaseAuthentication):
    """Anonymous without a key; a partner with a valid one; 401 for a bad key, even on reads,
    so that a partner whose key lapsed finds out instead of quietly getting less."""

    def authenticate(self, request):
        raw = raw_key_from(request)
        if raw is None:
            return None
        key = verify_partner_key(raw)
        if key is None:
            raise exceptions.AuthenticationFailed("The API key is unknown, revoked or expired.")
        return Partner(key), key

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


def partner_of(request) -> Partner | None:
    return request.user if isinstance(request.user, Partner) else None


# ---------------------------------------------------------------------------
# Rate limits: counted in the default cache (Redis in production).


class _RateFromSettings(SimpleRateThrottle):
    """Reads its rate from the settings at request time, so a changed setting takes effect."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonymousThrottle(_RateFromSettings):
    scope = "anon"

    def get_cache_key(self, request, view):
        if partner_of(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PartnerThrottle(_RateFromSettings):
    scope = "partner"

    def get_cache_key(self, request, view):
        partner = partner_of(request)
        if partner is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": partner.key.pk}


# ---------------------------------------------------------------------------
# Pagination


class Pagination(PageNumberPagination):
    """``?page=`` and ``?page_size=`` (at most ``max_page_size``); a bad size is a 400."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        f"Give a whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == self.page_size_query_param:
                param["schema"] = {"type": "integer", "minimum": 1}
                param["description"] = (
                    f"Results per page (default {self.page_size}, at most {self.max_page_size})."
                )
            if param["name"] == self.page_query_param:
                param["schema"] = {"type": "integer", "minimum": 1}
        return params
