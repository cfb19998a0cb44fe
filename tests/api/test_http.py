"""Conditional GETs, CORS for reads only, and one error body."""

import pytest
from django.utils.http import http_date

from events.models import Event
from tests.factories import make_event, make_session

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/events/", "/api/v1/events/summit/"])
def test_etag_gives_304_until_the_content_changes(client, url):
    event = make_event(slug="summit")
    first = client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and first["Last-Modified"]

    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    Event.objects.filter(pk=event.pk).update(title="Renamed")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_etag_changes_when_an_embedded_item_changes(client):
    event = make_event(slug="summit")
    first = client.get("/api/v1/events/summit/")
    make_session(event=event)
    assert client.get("/api/v1/events/summit/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_etag_differs_by_query_string(client):
    make_event()
    make_event()
    assert (
        client.get("/api/v1/events/")["ETag"] != client.get("/api/v1/events/?page_size=1")["ETag"]
    )


def test_if_modified_since_gives_304_and_a_change_gives_200(client):
    event = make_event(slug="summit")
    first = client.get("/api/v1/events/summit/")
    since = first["Last-Modified"]
    assert client.get("/api/v1/events/summit/", HTTP_IF_MODIFIED_SINCE=since).status_code == 304

    Event.objects.filter(pk=event.pk).update(title="Renamed")
    response = client.get("/api/v1/events/summit/", HTTP_IF_MODIFIED_SINCE=since)
    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"


def test_if_none_match_wins_over_if_modified_since(client):
    make_event(slug="summit")
    response = client.get(
        "/api/v1/events/summit/",
        HTTP_IF_NONE_MATCH='"stale"',
        HTTP_IF_MODIFIED_SINCE=http_date(4_000_000_000),
    )
    assert response.status_code == 200


def test_weak_and_wildcard_if_none_match(client):
    make_event(slug="summit")
    etag = client.get("/api/v1/events/summit/")["ETag"]
    assert client.get("/api/v1/events/summit/", HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304
    assert client.get("/api/v1/events/summit/", HTTP_IF_NONE_MATCH="*").status_code == 304


def test_if_match_on_a_changed_resource_gives_412(client):
    make_event(slug="summit")
    etag = client.get("/api/v1/events/summit/")["ETag"]
    assert client.get("/api/v1/events/summit/", HTTP_IF_MATCH=etag).status_code == 200
    stale = client.get("/api/v1/events/summit/", HTTP_IF_MATCH='"stale"')
    assert stale.status_code == 412
    assert stale.json()["error"]["status"] == 412
    assert stale.json()["error"]["code"] == "precondition_failed"


def test_errors_carry_no_etag(client):
    response = client.get("/api/v1/events/missing/")
    assert response.status_code == 404
    assert "ETag" not in response


def test_cors_allows_reads_from_any_origin(client):
    make_event()
    response = client.get("/api/v1/events/", HTTP_ORIGIN="https://partner.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_cors_preflight_does_not_allow_writes(client):
    response = client.options(
        "/api/v1/submissions/sessions/",
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    allowed = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}
    assert "POST" not in allowed


def test_error_body_has_one_shape(client):
    make_event(slug="summit")
    bodies = [
        client.get("/api/v1/events/?kind=nope"),
        client.get("/api/v1/events/nope/"),
        client.post("/api/v1/events/", {}, format="json"),
        client.post("/api/v1/submissions/sessions/", {}, format="json"),
    ]
    assert [r.status_code for r in bodies] == [400, 404, 405, 401]
    for response in bodies:
        error = response.json()["error"]
        assert set(error) <= {"status", "code", "message", "fields", "request_id"}
        assert error["request_id"] == response["X-Request-ID"]
        assert error["status"] == response.status_code
        assert error["message"]
