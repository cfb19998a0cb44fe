"""Request ids: in the response header, the JSON logs, the error pages and the API's errors."""

from __future__ import annotations

import json
import re
import time

import pytest
from django.test import Client

from .conftest import get

pytestmark = pytest.mark.django_db
GENERATED = re.compile(r"[0-9a-f]{32}")


def test_every_response_gets_a_generated_request_id(client):
    first, second = client.get("/healthz"), client.get("/")
    assert GENERATED.fullmatch(first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_sane_request_id_from_the_proxy_is_kept(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c21-0001")
    assert response["X-Request-ID"] == "lb-7f3a9c21-0001"


@pytest.mark.parametrize("sent", ["short", "x" * 300, "has spaces in it", "<script>alert(1)"])
def test_an_insane_request_id_is_replaced(client, sent):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=sent)
    assert GENERATED.fullmatch(response["X-Request-ID"])


@pytest.mark.parametrize(
    "path", ["/api/v1/events/nope/", "/api/v1/no-such-endpoint/", "/api/v1/events/?kind=nope"]
)
def test_api_error_bodies_carry_the_request_id(client, path):
    response = client.get(path, HTTP_X_REQUEST_ID="partner-report-0042")
    assert response.status_code in (400, 404)
    assert response.json()["error"]["request_id"] == "partner-report-0042"
    assert response["X-Request-ID"] == "partner-report-0042"


@pytest.mark.urls("tests.core.urls_failing")
def test_the_html_500_page_shows_the_request_id():
    client = Client(raise_request_exception=False)
    response = client.get("/broken/", HTTP_X_REQUEST_ID="visitor-report-0042")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "visitor-report-0042" in html
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.urls("tests.core.urls_failing")
def test_an_api_500_is_json_with_the_request_id():
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/broken/", HTTP_X_REQUEST_ID="partner-report-0043")
    assert response.status_code == 500
    assert response.json()["error"] == {
        "status": 500,
        "code": "server_error",
        "message": "Something went wrong on our side; the error has been logged.",
        "request_id": "partner-report-0043",
    }


def test_logs_are_one_json_object_per_line_with_the_request_id(site_server):
    reply = get(site_server.url, "/events/", X_Request_ID="trace-logs-0001")
    assert reply.header("X-Request-ID") == "trace-logs-0001"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        lines = [line for line in site_server.log.read_text().splitlines() if line.strip()]
        records = [json.loads(line) for line in lines]  # every line is one JSON object
        mine = [r for r in records if r.get("request_id") == "trace-logs-0001"]
        if mine:
            break
        time.sleep(0.1)
    (record,) = mine
    assert record["logger"] == "core.requests"
    assert (record["method"], record["path"], record["status"]) == ("GET", "/events/", 200)
    assert record["level"] == "INFO" and record["duration_ms"] >= 0
    assert any(r["logger"] == "gunicorn.error" for r in records)
