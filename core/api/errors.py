"""One JSON error body for every error the API gives."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse, JsonResponse
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.views import exception_handler as drf_exception_handler

from core.requestid import current_request_id

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
    413: "too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "throttled",
    500: "server_error",
    503: "unavailable",
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
    # The id in the X-Request-ID header and the logs, for a partner who reports the error.
    request_id = current_request_id()
    if request_id:
        body["request_id"] = request_id
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
    from core.faults import is_database_outage, unavailable

    if is_database_outage(exc):
        return unavailable(context["request"], exc)
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


@csrf_exempt
def json_not_found(request, *args, **kwargs) -> HttpResponse:
    """Unknown addresses under the API answer in the API's own error format, whatever the
    method. Exempt from CSRF like every API view: the API authenticates by key, never by
    cookie, so there is no session to forge a request with."""
    return JsonResponse(error_body(404, "There is nothing at this address."), status=404)


def csrf_failure(request, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: the API's JSON 403 under /api/, Django's own page elsewhere."""
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            error_body(403, "This request was refused: the CSRF check failed."), status=403
        )
    return django_csrf_failure(request, reason=reason)


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="For 400: the messages for each invalid field or parameter.",
    )
    request_id = serializers.CharField(
        required=False, help_text="The request's id, as in its X-Request-ID response header."
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
