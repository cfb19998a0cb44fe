"""The API root at /api/v1/: every endpoint named, with an absolute address that answers."""

import pytest

from config.api_urls import router
from tests.factories import make_event

pytestmark = pytest.mark.django_db


def test_root_lists_every_endpoint_with_absolute_links(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    links = response.json()
    routed = {prefix for prefix, _viewset, _basename in router.registry}
    extra = {
        "sessions",
        "pages",
        "schema",
        "docs",
        "open-data/initiatives.csv",
        "open-data/initiatives.json",
    }
    assert set(links) == routed | extra
    for name, url in links.items():
        assert url.startswith(f"http://testserver/api/v1/{name}"), (name, url)


def test_every_link_in_the_root_answers(partner):
    make_event(slug="summit")
    links = partner.client.get("/api/v1/").json()
    for name, url in links.items():
        response = partner.client.get(url)
        assert response.status_code == 200, (name, response.content[:200])


def test_root_supports_conditional_requests(client):
    etag = client.get("/api/v1/")["ETag"]
    assert client.get("/api/v1/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_root_is_documented_and_unknown_addresses_stay_json_404(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/" in schema["paths"]
    response = client.get("/api/v1/nowhere/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
