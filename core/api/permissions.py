"""Who may do what in the API: partner keys in the schema, partners, submitters."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .keys import Partner, partner_of

# ---------------------------------------------------------------------------
# Keys in the schema


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "core.api.keys.PartnerKeyAuthentication"
    name = ["PartnerKey", "PartnerKeyHeader"]

    def get_security_definition(self, auto_schema):
        return [
            {"type": "http", "scheme": "bearer", "description": "A partner API key."},
            {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        ]


class IsPartner(BasePermission):
    message = "A partner API key is needed."

    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, Partner)


class CanSubmit(BasePermission):
    """Writes need a key that editors allowed to submit; any partner key may read.

    The only permission that answers 403: every other refusal is a missing or bad key (401)
    or an item this caller cannot see (404).
    """

    message = (
        "This API key may read but not submit. Editors can allow it to submit side sessions: "
        "ask them to tick 'may submit side sessions' on the key."
    )
    forbidden_description = "The API key is valid but may only read, not submit."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        partner = partner_of(request)
        return partner is not None and partner.key.can_submit

    @classmethod
    def forbids(cls, method: str) -> bool:
        """Whether a request with this method can be refused (for the schema)."""
        return method not in SAFE_METHODS
