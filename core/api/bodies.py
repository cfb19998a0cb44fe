"""Limits on what a client may send the API: body size (413) and JSON nesting depth (400).

The size limit is Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``, checked against Content-Length
before anything reads the body, so the answer is the API's JSON error rather than Django's
HTML 400 for ``RequestDataTooBig``. The depth limit is ``API_MAX_JSON_DEPTH``: Python's JSON
decoder recurses, and a deep enough body would otherwise exhaust the stack (a 500); the
parser that enforces it is ``core.api.parsers``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

from .errors import error_body


def is_api_path(path: str) -> bool:
    return path.startswith("/api/")


def too_large() -> JsonResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return JsonResponse(
        error_body(
            413, f"The request body is larger than the limit of {limit} bytes.", code="too_large"
        ),
        status=413,
    )


class ApiBodyLimitMiddleware:
    """Answers an API request whose declared body is over the limit with a JSON 413."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api_path(request.path_info):
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if limit is not None and length > limit:
                return too_large()
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        # A form body with too many fields, or one read before this check could see it.
        if is_api_path(request.path_info) and isinstance(exception, RequestDataTooBig):
            return too_large()
        return None
