"""Health endpoints for load balancers and orchestrators.

``/healthz`` says the process is alive and serving: it touches nothing (no database, no cache),
so a database outage never gets healthy app servers restarted. ``/readyz`` says this server can
do its work: the database answers, the migrations on disk are all applied, and the shared cache
(Redis, when configured) answers. On failure it answers 503 with a JSON body naming each failed
check, so a deploy waits for migrations and an operator sees what is wrong.

Both are plain Django views, outside the API, so no rate limit applies; both say
``Cache-Control: no-store`` so no proxy answers for a server that has gone; neither is in the
sitemap or needs HTTPS (load balancers probe over plain HTTP: see SECURE_REDIRECT_EXEMPT).
The readiness checks are cheap: one ``SELECT`` of ``django_migrations`` (the migration files are
read once per process) and one Redis ``PING``.
"""

from __future__ import annotations

import logging
from functools import cache

from django.core.cache import cache as default_cache
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from core.caching import page_cache_exempt

logger = logging.getLogger(__name__)


@cache
def _migrations_on_disk() -> frozenset[tuple[str, str]]:
    """The latest migration of each app, as shipped with this code (read once per process)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(loader.graph.leaf_nodes())


def _check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = {(app, name) for app, name in cursor.fetchall()}
    missing = sorted(f"{app}.{name}" for app, name in _migrations_on_disk() - applied)
    return {"migrations": missing}


def _check_cache() -> None:
    ping = getattr(default_cache, "ping", None)
    if ping is not None:
        ping()  # Redis itself, not the local fallback that keeps pages serving
    else:
        default_cache.set("readyz", "1", 5)


def _reply(body: dict, status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    add_never_cache_headers(response)
    return response


@page_cache_exempt
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return _reply({"status": "ok"}, 200)


@page_cache_exempt
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    failed: dict[str, str] = {}
    try:
        missing = _check_database()["migrations"]
    except DatabaseError as exc:
        failed["database"] = f"{type(exc).__name__}: {exc}".strip()
    else:
        checks["database"] = "ok"
        if missing:
            failed["migrations"] = "not applied: " + ", ".join(missing)
        else:
            checks["migrations"] = "ok"
    try:
        _check_cache()
    except Exception as exc:  # whatever the cache raises, it is not ready
        failed["cache"] = f"{type(exc).__name__}: {exc}".strip()
    else:
        checks["cache"] = "ok"
    if failed:
        logger.warning("Not ready: %s", ", ".join(sorted(failed)))
        return _reply({"status": "unavailable", "checks": checks, "failed": failed}, 503)
    return _reply({"status": "ok", "checks": checks}, 200)
