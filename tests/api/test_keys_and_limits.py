"""Partner keys (stored hashed, revocable, expiring) and the rate limits for each kind of caller."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import PartnerKey
from core.partners import issue_partner_key, verify_partner_key
from tests.api.conftest import make_partner
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


def test_issued_key_is_stored_only_as_a_hash_and_verifies():
    org = make_organisation()
    key, raw = issue_partner_key(organisation=org, name="Feed", created_by=None)
    prefix, secret = raw.split(".", 1)
    assert key.prefix == prefix and len(prefix) == 8
    assert key.hashed_secret == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in key.hashed_secret
    assert verify_partner_key(raw) == key


@pytest.mark.parametrize("raw", ["", "nodot", "abcdefgh.wrong", ".secret", "toolongprefix.x"])
def test_unknown_or_malformed_keys_do_not_verify(raw):
    make_partner()
    assert verify_partner_key(raw) is None


def test_wrong_secret_with_a_real_prefix_does_not_verify(partner):
    assert verify_partner_key(f"{partner.key.prefix}.not-the-secret") is None


def test_revoked_and_expired_keys_do_not_verify(partner):
    PartnerKey.objects.filter(pk=partner.key.pk).update(revoked_at=timezone.now())
    assert verify_partner_key(partner.raw) is None
    expired = make_partner(expires_at=timezone.now() - timedelta(seconds=1))
    assert verify_partner_key(expired.raw) is None
    future = make_partner(expires_at=timezone.now() + timedelta(days=1))
    assert verify_partner_key(future.raw) == future.key


def test_last_used_is_written_at_most_once_a_minute(partner, django_assert_num_queries):
    verify_partner_key(partner.raw)
    first = PartnerKey.objects.get(pk=partner.key.pk).last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # the lookup, no write
        verify_partner_key(partner.raw)
    PartnerKey.objects.filter(pk=partner.key.pk).update(last_used_at=first - timedelta(minutes=2))
    verify_partner_key(partner.raw)
    assert PartnerKey.objects.get(pk=partner.key.pk).last_used_at > first


def test_key_is_accepted_as_bearer_token_or_x_api_key(partner):
    bearer = partner.client.get("/api/v1/submissions/sessions/")
    header = APIClient().get("/api/v1/submissions/sessions/", HTTP_X_API_KEY=partner.raw)
    assert bearer.status_code == header.status_code == 200


def bad_key_clients(partner):
    revoked = make_partner()
    PartnerKey.objects.filter(pk=revoked.key.pk).update(revoked_at=timezone.now())
    expired = make_partner(expires_at=timezone.now() - timedelta(minutes=1))
    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION=f"Bearer {partner.key.prefix}.wrong-secret")
    basic = APIClient()
    basic.credentials(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    header = APIClient()
    header.credentials(HTTP_X_API_KEY="made.up")
    return {
        "revoked": revoked.client,
        "expired": expired.client,
        "wrong": wrong,
        "basic": basic,
        "x-api-key": header,
    }


@pytest.mark.parametrize("url", ["/api/v1/events/", "/api/v1/submissions/sessions/"])
def test_bad_keys_get_401_on_reads_and_writes(partner, url):
    for name, client in bad_key_clients(partner).items():
        for response in (client.get(url), client.post(url, {}, format="json")):
            assert response.status_code == 401, name
            assert response.json()["error"]["code"] == "not_authenticated"
            assert response["WWW-Authenticate"].startswith("Bearer")


def test_submissions_without_a_key_are_401_with_a_clear_message(client):
    for response in (
        client.get("/api/v1/submissions/sessions/"),
        client.post("/api/v1/submissions/sessions/", {}, format="json"),
    ):
        assert response.status_code == 401
        error = response.json()["error"]
        assert error["code"] == "not_authenticated"
        assert "partner API key" in error["message"]


@pytest.fixture
def low_limits(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "partner": "4/minute"},
    }


def test_anonymous_callers_are_limited_with_retry_after(client, low_limits):
    for _ in range(2):
        assert client.get("/api/v1/topics/").status_code == 200
    response = client.get("/api/v1/topics/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "throttled"


def test_partners_have_a_higher_limit_counted_per_key(client, partner, low_limits):
    for _ in range(2):
        client.get("/api/v1/topics/")
    assert client.get("/api/v1/topics/").status_code == 429
    for _ in range(4):
        assert partner.client.get("/api/v1/topics/").status_code == 200
    assert partner.client.get("/api/v1/topics/").status_code == 429
    other = make_partner()
    assert other.client.get("/api/v1/topics/").status_code == 200
