"""Health endpoints: /healthz (alive) and /readyz (database, migrations, cache)."""

from __future__ import annotations

import pytest
from django.db import connection

from .conftest import DEAD_PORT

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_reports_each_check_when_all_is_well(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "cache": "ok"},
    }
    assert "no-store" in response["Cache-Control"]


def test_readyz_names_an_unapplied_migration(client):
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = %s AND name = %s",
            ["core", max_core_migration()],
        )
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert f"core.{max_core_migration()}" in body["failed"]["migrations"]
    assert body["checks"]["database"] == "ok"


def max_core_migration() -> str:
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    (leaf,) = [name for app, name in graph.leaf_nodes() if app == "core"]
    return leaf


def test_readyz_names_the_cache_when_redis_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.resilient_cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{DEAD_PORT}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert "ConnectionError" in body["failed"]["cache"]
    assert body["checks"] == {"database": "ok", "migrations": "ok"}


def test_health_endpoints_are_not_rate_limited(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "partner": "3/minute"},
    }
    assert [client.get("/api/v1/").status_code for _ in range(4)][-1] == 429
    for _ in range(10):
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200


def test_health_endpoints_are_not_in_the_sitemap_and_only_read(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "healthz" not in sitemap and "readyz" not in sitemap
    assert client.post("/healthz").status_code == 405
    assert client.head("/readyz").status_code == 200
