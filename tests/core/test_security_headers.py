"""Secure by default: with the production variables every kind of response carries the headers."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from tests.factories import make_event

from .conftest import get, manage, production_env

PAGES = {
    "site page": "/",
    "site 404 page": "/no-such-page/",
    "admin": "/admin/login/",
    "API": "/api/v1/events/",
    "API error": "/api/v1/no-such-endpoint/",
    "API docs": "/api/v1/docs/",
    "health": "/healthz",
}


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_secure_headers(reply) -> None:
    csp = csp_directives(reply.header("Content-Security-Policy"))
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert reply.header("X-Frame-Options") == "DENY"
    assert reply.header("X-Content-Type-Options") == "nosniff"
    assert reply.header("Referrer-Policy") == "strict-origin-when-cross-origin"
    assert "camera=()" in reply.header("Permissions-Policy")
    assert "geolocation=()" in reply.header("Permissions-Policy")
    hsts = reply.header("Strict-Transport-Security")
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_every_kind_of_response_carries_the_security_headers(site_server, path):
    reply = get(site_server.url, path)
    assert reply.status in (200, 404)
    assert_secure_headers(reply)


def test_static_files_carry_the_security_headers_too(site_server):
    css = re.search(r'href="(/static/css/site\.[^"]+)"', get(site_server.url, "/").text).group(1)
    reply = get(site_server.url, css)
    assert reply.status == 200
    assert_secure_headers(reply)


def test_plain_http_is_redirected_to_https_but_health_probes_are_not(site_server):
    reply = get(site_server.url, "/events/", https=False)
    assert reply.status == 301
    assert reply.header("Location") == "https://127.0.0.1/events/"
    assert get(site_server.url, "/healthz", https=False).status == 200


def test_check_deploy_reports_nothing_with_the_production_variables(built_site):
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=built_site, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_check_deploy_still_warns_when_https_is_switched_off(tmp_path):
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    env |= {"SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0"}
    result = manage("check", "--deploy", env=env, timeout=60)
    assert "security.W008" in result.stderr + result.stdout
    assert "security.W004" in result.stderr + result.stdout


def inline_scripts(html: str) -> list[str]:
    """Opening tags of the scripts a browser would run from the page itself."""
    tags = re.findall(r"<script\b[^>]*>", html)
    return [
        tag
        for tag in tags
        if "src=" not in tag and not re.search(r'type="application/(ld\+)?json"', tag)
    ]


def nonce_of(response) -> str:
    script_src = csp_directives(response["Content-Security-Policy"])["script-src"]
    nonces = [value for value in script_src if value.startswith("'nonce-")]
    return nonces[0][len("'nonce-") : -1] if nonces else ""


@pytest.mark.django_db
def test_the_admin_editor_inline_script_carries_the_nonce_of_its_policy(client):
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.org", "x"))
    event = make_event(slug="summit")
    for path in (f"/admin/events/event/{event.pk}/change/", "/admin/publications/article/add/"):
        response = client.get(path)
        assert response.status_code == 200
        html = response.content.decode()
        assert "django-prose-editor" in html  # the rich-text editor is on the page
        scripts = inline_scripts(html)
        assert scripts, "the editor's import map"
        nonce = nonce_of(response)
        assert nonce
        assert all(f'nonce="{nonce}"' in tag for tag in scripts), scripts


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/api/v1/docs/", "/admin/login/"])
def test_pages_without_inline_scripts_need_no_nonce(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert inline_scripts(response.content.decode()) == []
