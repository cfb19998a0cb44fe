"""Start-up configuration: a production misconfiguration stops the site with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def start(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    clean.pop("SECRET_KEY", None)
    clean.pop("DEBUG", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_defaults_run_the_demo_without_any_configuration():
    result = start()
    assert result.returncode == 0, result.stderr


def test_debug_off_without_secret_key_names_the_variable_to_set():
    result = start(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_start_with_a_secret_key():
    result = start(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="cms.example.org")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL"),
        ({"REDIS_URL": "127.0.0.1:6379"}, "REDIS_URL must start with redis://"),
        ({"IMAGE_MAX_BYTES": "ten"}, "IMAGE_MAX_BYTES must be a whole number"),
        ({"API_RATE_ANONYMOUS": "lots"}, "API_RATE_ANONYMOUS must be a rate such as 60/minute"),
        ({"API_RATE_PARTNER": "600/fortnight"}, "API_RATE_PARTNER must be a rate"),
        ({"PUBLIC_CACHE_SECONDS": "a minute"}, "PUBLIC_CACHE_SECONDS must be a whole number"),
        ({"PUBLIC_CACHE_SECONDS": "-5"}, "PUBLIC_CACHE_SECONDS must be 0 or more"),
        ({"PAGE_CACHE_SECONDS": "-1"}, "PAGE_CACHE_SECONDS must be 0 or more"),
        ({"PAGE_CACHE_WAIT_SECONDS": "a bit"}, "PAGE_CACHE_WAIT_SECONDS must be a number"),
        ({"DATABASE_CONN_MAX_AGE": "forever"}, "DATABASE_CONN_MAX_AGE must be a whole number"),
        ({"REDIS_TIMEOUT": "soon"}, "REDIS_TIMEOUT must be a number"),
        ({"REDIS_CONNECT_TIMEOUT": "-1"}, "REDIS_CONNECT_TIMEOUT must be 0 or more"),
        ({"DATABASE_CONNECT_TIMEOUT": "5s"}, "DATABASE_CONNECT_TIMEOUT must be a whole number"),
        ({"DATABASE_STATEMENT_TIMEOUT": "long"}, "DATABASE_STATEMENT_TIMEOUT must be a whole"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be one of json, text"),
        ({"SECURE_SSL_REDIRECT": "perhaps"}, "SECURE_SSL_REDIRECT must be true or false"),
    ],
)
def test_malformed_values_stop_start_up_with_a_message(env, message):
    result = start(**env)
    assert result.returncode != 0
    assert message in result.stderr


PRINT_CONNECTIONS = (
    "from django.conf import settings; d = settings.DATABASES['default']; "
    "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
)


def database_settings(**env: str) -> str:
    """The default database's CONN_MAX_AGE and CONN_HEALTH_CHECKS, as the settings make them."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    for name in ("SECRET_KEY", "DEBUG", "DATABASE_CONN_MAX_AGE"):
        clean.pop(name, None)
    result = subprocess.run(  # noqa: S603 - a constant command
        [sys.executable, "manage.py", "shell", "-c", PRINT_CONNECTIONS],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_production_keeps_database_connections_for_a_minute_and_tests_them_before_reuse():
    production = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "cms.example.org"}
    assert database_settings(**production) == "60 True"
    assert database_settings(**production, DATABASE_CONN_MAX_AGE="0") == "0 True"
    assert database_settings() == "0 True"  # the demo: one connection per request
