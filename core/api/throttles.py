"""Rate limits, counted in the default cache (Redis in production)."""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .keys import partner_of

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
