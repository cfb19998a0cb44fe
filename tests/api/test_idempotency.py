"""Idempotency-Key on partner submissions: a retry returns the first response, no duplicate."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from core.models import IdempotencyKey
from events.models import Session
from tests.api.conftest import SUBMISSIONS_URL, make_partner, submission_payload

pytestmark = pytest.mark.django_db
URL = SUBMISSIONS_URL
payload = submission_payload


def submit(partner, key, **changes):
    return partner.client.post(URL, payload(**changes), format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retry_with_the_same_key_returns_the_first_response(partner, event):
    first = submit(partner, "retry-1")
    assert first.status_code == 201
    assert first["Location"] == first.json()["url"]
    again = submit(partner, "retry-1")
    assert again.status_code == 201
    assert again.content == first.content
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Session.objects.count() == 1


def test_the_same_key_with_a_different_body_is_refused(partner, event):
    submit(partner, "retry-2")
    response = submit(partner, "retry-2", title="Something else")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "idempotency_key_reused"
    assert "different request" in error["message"]
    assert Session.objects.count() == 1


def test_different_keys_create_different_submissions(partner, event):
    assert submit(partner, "a").status_code == 201
    assert submit(partner, "b").status_code == 201
    assert Session.objects.count() == 2


def test_without_a_key_each_post_creates(partner, event):
    partner.client.post(URL, payload(), format="json")
    partner.client.post(URL, payload(), format="json")
    assert Session.objects.count() == 2


def test_keys_are_scoped_per_partner(partner, event):
    other = make_partner(can_submit=True)
    mine = submit(partner, "shared-key")
    theirs = submit(other, "shared-key")
    assert theirs.status_code == 201
    assert theirs.json()["id"] != mine.json()["id"]
    assert "Idempotent-Replayed" not in theirs
    assert Session.objects.count() == 2


def test_keys_of_one_partner_are_shared_by_its_api_keys(partner, event):
    colleague = make_partner(organisation=partner.organisation, can_submit=True)
    first = submit(partner, "org-key")
    again = submit(colleague, "org-key")
    assert again.content == first.content
    assert Session.objects.count() == 1


def test_a_failed_request_keeps_no_key(partner, event):
    bad = submit(partner, "fix-and-retry", title="")
    assert bad.status_code == 400
    assert not IdempotencyKey.objects.exists()
    good = submit(partner, "fix-and-retry")
    assert good.status_code == 201


def test_keys_expire(partner, event, settings):
    settings.API_IDEMPOTENCY_HOURS = 24
    submit(partner, "old")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    again = submit(partner, "old")
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert Session.objects.count() == 2
    assert IdempotencyKey.objects.count() == 1


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "naïve", "a b"])
def test_a_malformed_key_is_400(partner, event, key):
    response = submit(partner, key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["error"]["fields"]
    assert not Session.objects.exists()


def test_header_and_errors_are_in_the_schema(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    post = schema["paths"]["/api/v1/submissions/sessions/"]["post"]
    names = [(p["name"], p["in"]) for p in post["parameters"]]
    assert ("Idempotency-Key", "header") in names
    assert {"413", "422"} <= set(post["responses"])
    assert "413" in schema["paths"]["/api/v1/submissions/sessions/{id}/"]["patch"]["responses"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_create_one_submission(partner, event):
    """Four clients send the same request with the same key at once: one submission."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    results, barrier = [], threading.Barrier(4)

    def send():
        from rest_framework.test import APIClient

        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {partner.raw}")
        barrier.wait()
        response = client.post(URL, payload(), format="json", HTTP_IDEMPOTENCY_KEY="race")
        results.append((response.status_code, response.content))
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in results] == [201] * 4
    assert len({body for _, body in results}) == 1
    assert Session.objects.count() == 1
