"""When the database is down or too slow: a 503 with Retry-After, in the shape the client reads.

The database connection has a connect timeout and a statement timeout (``DATABASE_CONNECT_TIMEOUT``
and ``DATABASE_STATEMENT_TIMEOUT``, see the settings), so a database that refuses, hangs or
crawls turns into a ``django.db.OperationalError`` (or ``InterfaceError`` for a connection that
broke) within seconds instead of holding the worker until gunicorn kills it.

Such an error is an outage, not a bug in the page: visitors get the HTML "temporarily unavailable"
page, API clients the API's JSON error body, both with status 503 and ``Retry-After``, never a
500. Nothing here keeps state: Django closes a connection that raised at the end of the request
(and ``CONN_HEALTH_CHECKS`` tests a persistent one before reuse), so the next request connects
afresh and the site recovers by itself when the database returns.

Three places catch the error, because it can surface in three places: ``OutageMiddleware`` for
the site's views, ``core.api.errors.exception_handler`` for DRF's views, and ``server_error``
(the ``handler500``) for anything raised in middleware, such as a session read.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

from core.api.errors import error_body
from core.requestid import current_request_id

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
API_PREFIX = "/api/"


def is_database_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, DATABASE_ERRORS)


def wants_json(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _page(template: str, status: int) -> HttpResponse:
    # Rendered without the request: its context processors would read the session and the
    # user, which live in the database that has just failed.
    html = loader.get_template(template).render({"request_id": current_request_id()})
    return HttpResponse(html, status=status)


def unavailable(request: HttpRequest, exc: BaseException | None = None) -> HttpResponse:
    """503 with Retry-After: the API's JSON error under /api/, the HTML page elsewhere."""
    logger.warning(
        "Database unavailable on %s %s: %s: %s",
        request.method,
        request.path,
        type(exc).__name__ if exc else "error",
        exc,
    )
    if wants_json(request):
        response = JsonResponse(
            error_body(
                503,
                "The service is temporarily unavailable; try again in a moment.",
                code="unavailable",
            ),
            status=503,
        )
    else:
        response = _page("503.html", 503)
    response["Retry-After"] = str(settings.OUTAGE_RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class OutageMiddleware:
    """Turns a database outage raised by a view into a 503 (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if is_database_outage(exception):
            return unavailable(request, exception)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a database outage is a 503; anything else the 500 page or JSON body."""
    exc = sys.exc_info()[1]
    if is_database_outage(exc):
        return unavailable(request, exc)
    if wants_json(request):
        return JsonResponse(
            error_body(500, "Something went wrong on our side; the error has been logged."),
            status=500,
        )
    return _page("500.html", 500)
