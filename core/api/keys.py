"""The API's policies that DRF's settings name: who is calling (anonymous, or a partner with
a valid key), how often they may, and how lists are cut into pages.

Kept apart from the rest of the API support (``common``) because DRF imports these
classes while it is itself being imported.
"""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from core.models import PartnerKey
from core.partners import verify_partner_key

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
