"""Faults: Redis and the database down or hanging. The site answers, fast, and recovers.

Redis is pointed at a loopback port where nothing listens or at one that accepts and never
answers; the database likewise, under real gunicorn servers with the production variables. The
recovery tests put a switchable proxy in front of the real PostgreSQL and Redis, when present.
Ports, the Redis database and the PostgreSQL database are this run's own, so two runs of the
suite on one machine do not meet.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from contextlib import closing
from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import make_event

from .conftest import (
    DEAD_PORT,
    PROXY_PORT,
    SILENT_PORT,
    Proxy,
    app_server,
    free_port,
    get,
    manage,
)

REDIS_DB = int(os.environ.get("FAULTS_REDIS_DB", "5"))  # this suite's own database on Redis


def reachable(port: int) -> bool:
    with closing(socket.socket()) as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def point_cache_at(settings, port: int, retry: float = 5.0) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "core.resilient_cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/{REDIS_DB}",
            "KEY_PREFIX": "faults-test",
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "RETRY_SECONDS": retry,
            },
        }
    }


def photo() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (800, 400), (20, 90, 160)).save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


# ---------------------------------------------------------------------------
# Redis


@pytest.mark.django_db
def test_pages_images_and_the_api_keep_serving_while_redis_is_down(client, settings, caplog):
    event = make_event(slug="summit", image=photo(), image_alt="The hall")
    point_cache_at(settings, DEAD_PORT)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="core.resilient_cache"):
        for path in (
            "/",
            event.get_absolute_url(),
            "/api/v1/",
            "/api/v1/events/",
            "/api/v1/events/summit/",
            "/api/v1/schema/",
            "/api/v1/docs/",
            "/api/v1/open-data/initiatives.json",
        ):
            assert client.get(path).status_code == 200, path
    assert time.monotonic() - started < 10
    warnings = [r for r in caplog.records if "Redis is unreachable" in r.getMessage()]
    assert len(warnings) == 1  # once per outage, not once per call
    assert 'srcset="' in client.get(event.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_rate_limits_still_count_in_local_memory_while_redis_is_down(client, settings):
    point_cache_at(settings, DEAD_PORT)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "partner": "30/minute"},
    }
    statuses = [client.get("/api/v1/events/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    throttled = client.get("/api/v1/events/")
    assert throttled.json()["error"]["code"] == "throttled"
    assert "Retry-After" in throttled


@pytest.mark.django_db
def test_a_redis_that_never_answers_costs_one_timeout_not_one_per_call(
    client, settings, silent_listener
):
    point_cache_at(settings, SILENT_PORT)
    make_event(slug="summit")
    started = time.monotonic()
    for _ in range(10):
        assert client.get("/api/v1/events/").status_code == 200
        assert client.get("/events/summit/").status_code == 200
    # One 0.5 s socket timeout, then local memory for the rest.
    assert time.monotonic() - started < 6


@pytest.mark.skipif(not reachable(6379), reason="no Redis at 127.0.0.1:6379")
def test_the_cache_goes_back_to_redis_when_it_returns(settings):
    import redis

    proxy = Proxy(PROXY_PORT, ("127.0.0.1", 6379))
    point_cache_at(settings, PROXY_PORT, retry=0.2)
    real = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    try:
        cache.set("during-outage", "local")
        assert cache.get("during-outage") == "local"
        assert not real.keys("faults-test:*during-outage")
        proxy.start()
        time.sleep(0.3)
        cache.set("after-outage", "shared")
        assert real.keys("faults-test:*after-outage")
        assert cache.get("after-outage") == "shared"
    finally:
        proxy.stop()
        for key in real.keys("faults-test:*"):
            real.delete(key)


# ---------------------------------------------------------------------------
# The database


def assert_unavailable_page(reply) -> None:
    assert reply.status == 503
    assert reply.header("Retry-After") == "30"
    assert reply.header("Content-Type").startswith("text/html")
    assert "temporarily unavailable" in reply.text
    assert reply.header("X-Request-ID") in reply.text
    assert "no-store" in reply.header("Cache-Control")
    assert "frame-ancestors 'none'" in reply.header("Content-Security-Policy")


def assert_unavailable_json(reply) -> None:
    assert reply.status == 503
    assert reply.header("Retry-After") == "30"
    error = json.loads(reply.body)["error"]
    assert (error["status"], error["code"]) == (503, "unavailable")
    assert error["message"]
    assert error["request_id"] == reply.header("X-Request-ID")


@pytest.fixture(scope="module")
def refused_database(built_site, tmp_path_factory):
    env = built_site | {"DATABASE_URL": f"postgres://postgres@127.0.0.1:{DEAD_PORT}/policycms"}
    with app_server(env, free_port(), tmp_path_factory.mktemp("logs") / "refused.log") as server:
        yield server


@pytest.mark.parametrize("path", ["/", "/events/", "/search/?q=ai", "/news/"])
def test_site_pages_answer_503_with_retry_after_when_the_database_refuses(refused_database, path):
    reply = get(refused_database.url, path)
    assert_unavailable_page(reply)
    assert reply.seconds < 5


@pytest.mark.parametrize("path", ["/api/v1/events/", "/api/v1/sessions/", "/api/v1/schema/"])
def test_the_api_answers_its_json_503_when_the_database_refuses(refused_database, path):
    reply = get(refused_database.url, path)
    if path.endswith("schema/"):
        assert reply.status == 200  # the schema needs no database
        return
    assert_unavailable_json(reply)
    assert reply.seconds < 5


def test_health_says_alive_but_not_ready_when_the_database_refuses(refused_database):
    assert get(refused_database.url, "/healthz").status == 200
    ready = get(refused_database.url, "/readyz")
    assert ready.status == 503
    assert "OperationalError" in json.loads(ready.body)["failed"]["database"]
    css = get(refused_database.url, "/static/css/site.css")
    assert css.status == 200  # static files need no database


def test_a_database_that_never_answers_gives_a_503_within_the_connect_timeout(
    built_site, silent_listener, tmp_path
):
    env = built_site | {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{SILENT_PORT}/policycms",
        "DATABASE_CONNECT_TIMEOUT": "2",
        "GUNICORN_TIMEOUT": "30",
    }
    log = tmp_path / "silent.log"
    with app_server(env, free_port(), log) as server:
        page = get(server.url, "/events/")
        api = get(server.url, "/api/v1/events/")
        assert get(server.url, "/healthz").status == 200
    assert_unavailable_page(page)
    assert_unavailable_json(api)
    for reply in (page, api):
        assert 1.5 < reply.seconds < 6  # the connect timeout, not gunicorn's 30 s kill
    assert "WORKER TIMEOUT" not in log.read_text()


# ---------------------------------------------------------------------------
# PostgreSQL itself: the statement timeout, and recovery when the database returns

needs_postgres = pytest.mark.skipif(not reachable(5432), reason="no PostgreSQL at 127.0.0.1:5432")
FAULTS_DB = f"policycms_production_faults_{os.getpid()}"


@pytest.fixture(scope="module")
def postgres_site(built_site):
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {FAULTS_DB} WITH (FORCE)")
        c.execute(f"CREATE DATABASE {FAULTS_DB}")
    env = built_site | {"DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{FAULTS_DB}"}
    result = manage("migrate", "--no-input", env=env)
    assert result.returncode == 0, result.stderr
    yield env
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {FAULTS_DB} WITH (FORCE)")


@needs_postgres
def test_a_slow_query_is_cancelled_by_the_statement_timeout(postgres_site):
    env = postgres_site | {"DATABASE_STATEMENT_TIMEOUT": "300"}
    started = time.monotonic()
    result = manage(
        "shell",
        "-c",
        "from django.db import connection\n"
        "from django.db.utils import OperationalError\n"
        "try:\n"
        "    connection.cursor().execute('SELECT pg_sleep(10)')\n"
        "except OperationalError as exc:\n"
        "    print('cancelled:', exc)\n",
        env=env,
        timeout=60,
    )
    assert "canceling statement due to statement timeout" in result.stdout, result.stderr
    assert time.monotonic() - started < 9


@needs_postgres
def test_the_site_recovers_by_itself_when_the_database_returns(postgres_site, tmp_path):
    proxy = Proxy(PROXY_PORT, ("127.0.0.1", 5432))
    env = postgres_site | {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PROXY_PORT}/{FAULTS_DB}",
        # Persistent connections: the broken one must be noticed and replaced.
        "DATABASE_CONN_MAX_AGE": "600",
        "GUNICORN_THREADS": "1",
    }
    proxy.start()
    try:
        with app_server(env, free_port(), tmp_path / "recovery.log") as server:
            assert get(server.url, "/events/").status == 200
            assert get(server.url, "/readyz").status == 200
            proxy.stop()  # the database goes away, its open connection with it
            # A page in the page cache is still served; one that must be rendered is a 503.
            assert get(server.url, "/events/").status == 200
            assert_unavailable_page(get(server.url, "/events/?during=outage"))
            assert_unavailable_json(get(server.url, "/api/v1/events/"))
            assert get(server.url, "/readyz").status == 503
            proxy.start()  # ... and comes back: no restart, no operator
            assert get(server.url, "/events/").status == 200
            assert get(server.url, "/api/v1/events/").status == 200
            assert get(server.url, "/readyz").status == 200
    finally:
        proxy.stop()
