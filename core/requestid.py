"""A request id for every request: in the response header, the logs and the error bodies.

The id is taken from the ``X-Request-ID`` header when a proxy or load balancer in front sent a
sane one (so one id follows the request through every tier), and generated otherwise. "Sane"
means short and made of characters that cannot forge log lines or headers. The middleware
should be the first in ``MIDDLEWARE``, so that every response carries the id, static files and
errors raised by other middleware included.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_SANE = re.compile(r"[A-Za-z0-9._:+=/-]{8,128}")
_current: ContextVar[str] = ContextVar("request_id", default="")
access_log = logging.getLogger("core.requests")


def current_request_id() -> str:
    """The id of the request being handled in this thread, or "" outside a request."""
    return _current.get()


def request_id_from(header: str | None) -> str:
    if header and _SANE.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        token = _current.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            # One line per request, in the same JSON stream as everything else (gunicorn's own
            # access log is off: it cannot carry the request id).
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every log record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_id()
        return True


def request_id_context(request: HttpRequest) -> dict:
    """Template context processor: ``{{ request_id }}`` on every page, error pages included."""
    return {"request_id": getattr(request, "request_id", "") or current_request_id()}
