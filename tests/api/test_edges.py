"""The API's edges: body size and nesting limits, unknown paths, session dates, cache keys."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from events.models import Session
from tests.api.conftest import SUBMISSIONS_URL, submission_payload
from tests.factories import make_event, make_session, make_staff

pytestmark = pytest.mark.django_db
URL = SUBMISSIONS_URL
payload = submission_payload


def assert_api_error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status
    assert error["message"]
    return error


# ---------------------------------------------------------------------------
# Body size


def test_body_over_the_limit_is_a_json_413(partner, event, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps(payload(summary="x" * 20_000))
    response = partner.client.generic("POST", URL, body, content_type="application/json")
    error = assert_api_error(response, 413)
    assert error["code"] == "too_large"
    assert "10000 bytes" in error["message"]
    assert not Session.objects.exists()


def test_body_over_the_limit_is_413_on_an_unknown_path_too(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = client.generic(
        "POST", "/api/v1/nothing/", "a=" + "x" * 5_000, "application/x-www-form-urlencoded"
    )
    assert_api_error(response, 413)


def test_body_under_the_limit_is_accepted(partner, event, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = partner.client.post(URL, payload(summary="x" * 1_000), format="json")
    assert response.status_code == 201


# ---------------------------------------------------------------------------
# Nesting depth


def test_a_50000_deep_body_is_400_not_500(partner, event):
    body = "[" * 50_000 + "]" * 50_000
    response = partner.client.generic("POST", URL, body, content_type="application/json")
    error = assert_api_error(response, 400)
    assert "nested" in error["message"]


def test_a_body_deeper_than_the_limit_is_400(partner, event):
    deep: dict = {}
    node = deep
    for _ in range(40):
        node["a"] = {}
        node = node["a"]
    response = partner.client.post(URL, payload(speakers=[deep]), format="json")
    error = assert_api_error(response, 400)
    assert "32" in error["message"]


def test_normal_nesting_is_accepted(partner, event):
    response = partner.client.post(
        URL, payload(speakers=[{"name": "Grace New", "role": "speaker"}]), format="json"
    )
    assert response.status_code == 201


# ---------------------------------------------------------------------------
# Unknown paths and methods


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_every_method_on_an_unknown_api_path_is_json_404(client, method):
    response = client.generic(method, "/api/v1/no/such/thing/", "{}", "application/json")
    assert_api_error(response, 404)


def test_a_form_post_to_an_unknown_api_path_is_json_not_the_csrf_page(client):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/api/v1/nowhere/", {"a": "b"})
    assert_api_error(response, 404)


def test_a_write_on_a_read_only_endpoint_is_json_405(client):
    make_event(slug="summit")
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        response = client.generic(method, "/api/v1/events/summit/", "{}", "application/json")
        assert_api_error(response, 405)


# ---------------------------------------------------------------------------
# Session dates


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start": "9999-12-31T22:00:00Z", "end": "9999-12-31T23:00:00Z"}, "start"),
        ({"start": "0001-01-01T10:00:00Z", "end": "0001-01-01T11:00:00Z"}, "start"),
        ({"start": "2025-02-10T18:00:00+01:00", "end": "2025-03-10T19:00:00+01:00"}, "end"),
        ({"start": "2025-01-01T18:00:00+01:00", "end": "2025-01-01T19:00:00+01:00"}, "start"),
    ],
)
def test_submitted_session_times_must_fall_within_the_event(partner, event, changes, field):
    response = partner.client.post(URL, payload(**changes), format="json")
    error = assert_api_error(response, 400)
    assert field in error["fields"]
    assert "event" in error["fields"][field][0]
    assert not Session.objects.exists()


def test_submitted_session_may_be_a_day_either_side_of_the_event(partner, event):
    # The event runs 10 Feb 09:00 to 11 Feb 18:00 (Paris): a reception the evening before.
    response = partner.client.post(
        URL,
        payload(start="2025-02-09T18:00:00+01:00", end="2025-02-09T21:00:00+01:00"),
        format="json",
    )
    assert response.status_code == 201, response.content


def test_changing_a_submission_to_far_dates_is_refused(partner, event):
    created = partner.client.post(URL, payload(), format="json").json()
    response = partner.client.patch(
        f"{URL}{created['id']}/",
        {"start": "9999-12-30T10:00:00Z", "end": "9999-12-30T11:00:00Z"},
        format="json",
    )
    assert "start" in assert_api_error(response, 400)["fields"]
    assert Session.objects.get(pk=created["id"]).start.year == 2025


def test_admin_form_refuses_session_far_outside_the_event(client, event):
    session = make_session(event=event)
    assert session.clean() is None
    session.start = datetime(2030, 1, 1, 10, tzinfo=UTC)
    session.end = session.start + timedelta(hours=1)
    with pytest.raises(ValidationError) as excinfo:
        session.clean()
    assert "within a day of the event" in excinfo.value.message_dict["start"][0]
    assert "within a day of the event" in excinfo.value.message_dict["end"][0]


def test_admin_pages_of_a_session_at_the_edge_of_the_window_answer_200(client, partner):
    # The zones furthest ahead of and behind UTC, and a session a full day after the event.
    for tz in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        slug = f"edge-{tz[8:].lower().replace('_', '-')}"
        edge = make_event(slug=slug, timezone=tz)
        start = edge.end + timedelta(hours=23)
        created = partner.client.post(
            URL,
            payload(
                event=slug, start=start.isoformat(), end=(start + timedelta(hours=1)).isoformat()
            ),
            format="json",
        )
        assert created.status_code == 201, created.content
        refused = partner.client.post(
            URL,
            payload(event=slug, start="9999-12-31T22:00:00Z", end="9999-12-31T23:00:00Z"),
            format="json",
        )
        assert refused.status_code == 400
        client.force_login(make_staff(username=f"ed-{slug}", superuser=True))
        for url in (
            reverse("admin:events_session_change", args=[created.json()["id"]]),
            reverse("admin:events_session_changelist"),
            reverse("admin:events_event_change", args=[edge.pk]),
        ):
            assert client.get(url).status_code == 200, url


# ---------------------------------------------------------------------------
# Conditional-request cache keys


@pytest.fixture
def local_cache(settings):
    """A local-memory cache whatever REDIS_URL says, so the tests can list its keys."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def lastmod_keys() -> list[str]:
    return [key for key in cache._cache if "api-lastmod:" in key]


def test_query_strings_leave_no_cache_keys(local_cache, client):
    make_event(slug="summit")
    for n in range(30):
        response = client.get(f"/api/v1/events/?page_size={n + 1}&junk={n}")
        assert response.status_code in (200, 400)
        assert "Last-Modified" not in response
        assert response["ETag"] if response.status_code == 200 else True
    assert lastmod_keys() == []


def test_unknown_items_leave_no_cache_keys(local_cache, client):
    for n in range(20):
        assert client.get(f"/api/v1/events/missing-{n}/").status_code == 404
    assert lastmod_keys() == []


def test_a_resource_keeps_one_key_with_a_bounded_lifetime(local_cache, client, settings):
    make_event(slug="summit")
    for _ in range(3):
        assert client.get("/api/v1/events/summit/")["Last-Modified"]
    keys = lastmod_keys()
    assert len(keys) == 1
    expires = cache._expire_info[keys[0]]
    import time

    assert expires - time.time() <= settings.API_LAST_MODIFIED_SECONDS + 1


def test_query_string_requests_still_revalidate_by_etag(client):
    make_event(slug="summit")
    first = client.get("/api/v1/events/?page_size=5")
    again = client.get("/api/v1/events/?page_size=5", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
