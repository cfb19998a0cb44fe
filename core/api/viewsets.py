"""Base views of the API: filters, conditional GETs, 401 before 403, slugs."""

from __future__ import annotations

from django_filters import rest_framework as filters
from rest_framework import exceptions, serializers, viewsets

from .conditional import conditional
from .filters import IndexedSearchFilter, StrictOrderingFilter
from .keys import partner_of

# ---------------------------------------------------------------------------
# Base viewsets


class ApiViewMixin:
    # Authentication, rate limits and pagination come from settings.REST_FRAMEWORK.
    filter_backends = [filters.DjangoFilterBackend, IndexedSearchFilter, StrictOrderingFilter]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        partner = partner_of(request)
        scope = f"org-{partner.organisation.pk}" if partner and self.per_partner else ""
        return conditional(request, response, scope=scope)

    per_partner = False

    def permission_denied(self, request, message=None, code=None):
        if partner_of(request) is None:
            raise exceptions.NotAuthenticated(
                "This needs a partner API key: send 'Authorization: Bearer <key>' "
                "or 'X-API-Key: <key>'."
            )
        super().permission_denied(request, message=message, code=code)


class ReadOnlyViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Published items only; addressed by slug."""

    lookup_field = "slug"
    # Only slug characters reach the database: PostgreSQL refuses a NUL byte with an error.
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    detail_serializer_class: type[serializers.Serializer] | None = None

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return super().get_serializer_class()
