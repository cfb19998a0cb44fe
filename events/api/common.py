"""What every part of the API shares: partner-key authentication, rate limits, pagination,
one JSON error body, conditional GETs (ETag and Last-Modified), strict filters, the schema.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django_countries import countries
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.views import exception_handler as drf_exception_handler

from .policy import (
    Pagination,
    Partner,
    PartnerKeyAuthentication,
    partner_of,
)

# ---------------------------------------------------------------------------
# Keys in the schema


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "events.api.policy.PartnerKeyAuthentication"
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


# ---------------------------------------------------------------------------
# Pagination


# ---------------------------------------------------------------------------
# Errors: one body for all of them.

ERROR_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    415: "unsupported_media_type",
    429: "throttled",
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The resource is in a state that does not allow this."
    default_code = "conflict"


def error_body(status_code: int, message: str, fields: dict | None = None, code: str = "") -> dict:
    body: dict[str, Any] = {
        "status": status_code,
        "code": code or ERROR_CODES.get(status_code, "error"),
        "message": message,
    }
    if fields:
        body["fields"] = fields
    return {"error": body}


def _flatten(detail) -> Any:
    if isinstance(detail, dict):
        return {str(k): _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_flatten(v) for v in detail]
    return str(detail)


def exception_handler(exc, context):
    """DRF's handler, with Django validation errors as 400, reshaped into ``{"error": {...}}``."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    fields = None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = _flatten(detail)
        message = "Some values are not valid: " + ", ".join(sorted(fields)) + "."
    else:
        message = str(exc.detail) if hasattr(exc, "detail") else "Error."
    code = ERROR_CODES.get(response.status_code, "")
    response.data = error_body(response.status_code, message, fields, code)
    return response


def json_not_found(request, *args, **kwargs) -> HttpResponse:
    """Unknown addresses under the API answer in the API's own error format."""
    return JsonResponse(error_body(404, "There is nothing at this address."), status=404)


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="For 400: the messages for each invalid field or parameter.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


# ---------------------------------------------------------------------------
# Conditional GETs


def conditional(
    request: HttpRequest, response: HttpResponseBase, *, scope: str = ""
) -> HttpResponse:
    """Add ETag and Last-Modified to a successful GET, and answer 304 when the client is current.

    The ETag is a hash of the body, so it is right whatever changed (an embedded session, an
    item that expired). Last-Modified is when this exact body was first served, remembered in
    the cache: never earlier than the real change, so If-Modified-Since is never wrongly
    satisfied. With the cache emptied the date is simply "now" and the client downloads again.
    """
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if getattr(response, "streaming", False):
        return response
    if hasattr(response, "render"):
        response.render()
    digest = hashlib.sha256(response.content).hexdigest()[:32]
    etag = f'"{digest}"'
    ident = hashlib.sha256(f"{scope}|{request.get_full_path()}".encode()).hexdigest()
    cache_key = f"api-lastmod:{ident}"
    seen = cache.get(cache_key)
    known = bool(seen and seen[0] == etag)
    if known:
        last_modified = seen[1]
    else:
        # Strictly later than the body it replaces, even within the same second.
        last_modified = int(datetime.now(UTC).timestamp())
        if seen:
            last_modified = max(last_modified, seen[1] + 1)
        cache.set(cache_key, (etag, last_modified), timeout=60 * 60 * 24 * 30)
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(last_modified),
        "Cache-Control": "private, no-cache" if scope else "public, no-cache",
    }
    for name, value in headers.items():
        response[name] = value
    # Django's RFC 9110 evaluation (If-None-Match before If-Modified-Since, weak comparison).
    # A body not seen before gives no date: a date alone could belong to another body.
    response = get_conditional_response(
        request, etag=etag, last_modified=last_modified if known else None, response=response
    )
    if response.status_code == status.HTTP_412_PRECONDITION_FAILED:
        # Django answers 412 with an empty body; ours carry the API's one error shape.
        response = JsonResponse(
            error_body(
                412,
                "The resource has changed since the ETag you sent in If-Match.",
                code="precondition_failed",
            ),
            status=412,
        )
    patch_vary_headers(response, ("Accept", "Authorization", "X-API-Key"))
    return response


# ---------------------------------------------------------------------------
# Filters: every value is checked; a bad one is a 400, never an empty list or a 500.


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment, turned into UTC before it reaches the database (which may refuse
    unusual offsets such as +17:06)."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError("Enter a moment between the years 1 and 9999.") from None


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class StrictFilterSet(filters.FilterSet):
    """Shared filters; ``updated_since`` lets partners sync only what changed."""

    updated_since = UtcDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only items changed at or after this moment (ISO 8601: 2025-02-01T00:00:00Z).",
    )


class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


class AmountFilter(filters.NumberFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


class CountryFilter(filters.ChoiceFilter):
    """An ISO 3166-1 two-letter code in capitals (``FR``), or ``EU``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", lambda: [(code, name) for code, name in countries])
        kwargs.setdefault("help_text", "ISO 3166-1 alpha-2 code in capitals, e.g. FR; EU too.")
        super().__init__(*args, **kwargs)


def slug_filter(model, *, field_name: str, help_text: str, **kwargs) -> filters.ModelChoiceFilter:
    """Filter by the slug of a related item; an unknown (or unpublished) slug is a 400.

    The choices are looked up per request: "published" depends on the moment of asking.
    """

    def choices(request):
        manager = model._default_manager
        return manager.published() if hasattr(manager, "published") else manager.all()

    return filters.ModelChoiceFilter(
        queryset=choices,
        field_name=field_name,
        to_field_name="slug",
        help_text=help_text,
        distinct=True,
        **kwargs,
    )


def date_range_filters(start: str, end: str | None = None) -> tuple[filters.Filter, filters.Filter]:
    """``date_from, date_to``: items that overlap the range (by date, in the site's time zone)."""
    end = end or start
    return (
        filters.DateFilter(
            field_name=end,
            lookup_expr="date__gte" if _is_datetime(end) else "gte",
            help_text="Only items on or after this date (YYYY-MM-DD).",
        ),
        filters.DateFilter(
            field_name=start,
            lookup_expr="date__lte" if _is_datetime(start) else "lte",
            help_text="Only items on or before this date (YYYY-MM-DD).",
        ),
    )


def _is_datetime(name: str) -> bool:
    return name in {"start", "end", "publish_at"}


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=`` from the view's ``ordering_fields`` only; anything else is a 400."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if not params:
            return self.get_default_ordering(view)
        allowed = self._allowed(view)
        fields = [param.strip() for param in params.split(",") if param.strip()]
        unknown = [f for f in fields if f not in allowed]
        if unknown or not fields:
            raise exceptions.ValidationError(
                {self.ordering_param: [f"Order by one of: {', '.join(allowed)}."]}
            )
        return fields

    @staticmethod
    def _allowed(view) -> list[str]:
        names = list(getattr(view, "ordering_fields", []) or [])
        return [variant for name in names for variant in (name, f"-{name}")]

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort order: a field, or -field for descending; commas between.",
                "schema": {"type": "string", "enum": self._allowed(view)},
            }
        ]


# ---------------------------------------------------------------------------
# Schema


class ApiSchema(AutoSchema):
    """Adds the error responses every operation can give, in the shared error body."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = {"429": "Too many requests: wait for the seconds in Retry-After."}
        errors["401"] = "The API key is missing (where one is needed), unknown, revoked or expired."
        method = self.method.upper()
        action = getattr(self.view, "action", None)
        if method in ("GET", "HEAD"):
            responses.setdefault(
                "304", {"description": "Not modified since If-None-Match/If-Modified-Since."}
            )
        if action == "list" or method in ("POST", "PUT", "PATCH"):
            errors["400"] = "A parameter or field is not valid; see error.fields."
        if action == "list":
            errors["404"] = "No such page of results."
        elif "{" in self.path:  # only an address naming an item can miss it
            errors["404"] = "No such item, or not visible to this caller."
        for permission in self.view.get_permissions():
            if isinstance(permission, CanSubmit) and permission.forbids(method):
                errors["403"] = permission.forbidden_description
        if method in ("PUT", "PATCH", "DELETE"):
            errors["409"] = "The submission has been published or rejected and cannot change."
        success = {
            "200": "A page of items." if action == "list" else "The item.",
            "201": "Created, in review.",
            "204": "Withdrawn.",
        }
        for code, response in responses.items():
            if not response.get("description"):
                response["description"] = success.get(code, "OK.")
        for code, description in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), code
                )
        return responses


# ---------------------------------------------------------------------------
# Base viewsets


class ApiViewMixin:
    # Authentication, rate limits and pagination come from settings.REST_FRAMEWORK.
    filter_backends = [filters.DjangoFilterBackend, SearchFilter, StrictOrderingFilter]

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


__all__ = [
    "AmountFilter",
    "ApiSchema",
    "CanSubmit",
    "Conflict",
    "CountryFilter",
    "IsPartner",
    "Pagination",
    "Partner",
    "PartnerKeyAuthentication",
    "ReadOnlyViewSet",
    "StrictFilterSet",
    "YearFilter",
    "conditional",
    "date_range_filters",
    "partner_of",
    "slug_filter",
]
