"""Webhooks for partners, end to end: endpoints registered through the API, deliveries sent
by the task library's worker to a real HTTP receiver on 127.0.0.1 that checks signatures."""

import time

import pytest
from django.core import mail

from core import workflow
from core.models import WebhookDelivery, WebhookEndpoint
from core.publishing import Status
from core.webhooks import signing
from tests.api.conftest import make_partner
from tests.factories import make_event, make_session, make_staff
from tests.webhook_receiver import Receiver, run_worker

URL = "/api/v1/webhooks/"
ALL_EVENTS = ["published", "changed", "withdrawn"]
ENVELOPE = {"id", "event", "created_at", "sent_at", "type", "object_id"}


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0.01
    settings.WEBHOOK_RETRY_MAX_SECONDS = 0.05
    settings.WEBHOOK_MAX_ATTEMPTS = 5
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 10


@pytest.fixture
def receiver():
    running = Receiver().start()
    yield running
    running.stop()


@pytest.fixture
def editor(db):
    return make_staff(username="chief", superuser=True)


def register(partner, receiver, **changes) -> dict:
    response = partner.client.post(
        URL, {"url": receiver.url, "events": ALL_EVENTS, **changes}, format="json"
    )
    assert response.status_code == 201, response.content
    receiver.secret = response.json()["secret"]
    return response.json()


def work_until_done(limit: int = 200) -> None:
    """Run the worker until no delivery is pending (retries become due within milliseconds)."""
    for _ in range(limit):
        run_worker()
        if not WebhookDelivery.objects.filter(state="pending").exists():
            return
        time.sleep(0.01)
    raise AssertionError("deliveries still pending")


def deliveries(partner, endpoint_id: int) -> list[dict]:
    response = partner.client.get(f"{URL}{endpoint_id}/deliveries/")
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- Deliveries -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_publishing_sends_a_signed_delivery_with_the_public_representation(
    partner, receiver, editor
):
    endpoint = register(partner, receiver)
    event = make_event(status=Status.DRAFT, title="Paris summit")
    workflow.publish(item=event, by=editor)
    run_worker()

    assert receiver.events == [("published", "event", event.pk)]
    delivered = receiver.received[0]
    assert delivered.signature_valid
    assert delivered.headers["Webhook-Id"] == delivered.json["id"]
    assert delivered.headers["Content-Type"] == "application/json"
    assert delivered.json["data"]["slug"] == event.slug
    assert delivered.json["data"]["title"] == "Paris summit"
    # The representation's links point at the public site.
    assert delivered.json["data"]["url"].startswith("https://site.example/api/v1/events/")
    [logged] = deliveries(partner, endpoint["id"])
    assert logged["state"] == "succeeded"
    assert logged["attempt_log"][0]["status_code"] == 200
    assert logged["attempt_log"][0]["response_excerpt"] == "thanks"
    assert partner.client.get(f"{URL}{endpoint['id']}/").json()["last_status_code"] == 200


@pytest.mark.django_db(transaction=True)
def test_change_and_withdrawal_arrive_in_order_and_withdrawn_sends_only_id_and_type(
    partner, receiver, editor
):
    register(partner, receiver)
    event = make_event(status=Status.DRAFT)
    workflow.publish(item=event, by=editor)
    run_worker()
    event.title = "Renamed summit"
    event.save()
    run_worker()
    workflow.archive(item=event, by=editor)
    run_worker()

    assert receiver.events == [
        ("published", "event", event.pk),
        ("changed", "event", event.pk),
        ("withdrawn", "event", event.pk),
    ]
    assert all(r.signature_valid for r in receiver.received)
    assert receiver.received[1].json["data"]["title"] == "Renamed summit"
    assert set(receiver.received[2].json) == ENVELOPE


@pytest.mark.django_db(transaction=True)
def test_an_item_no_longer_public_when_its_delivery_goes_out_is_sent_as_withdrawn(
    partner, receiver, editor
):
    endpoint = register(partner, receiver)
    event = make_event(status=Status.DRAFT, title="Embargoed")
    workflow.publish(item=event, by=editor)
    workflow.return_to_draft(item=event, by=editor)
    run_worker()

    assert [r.json["event"] for r in receiver.received] == ["withdrawn", "withdrawn"]
    assert all(set(r.json) == ENVELOPE for r in receiver.received)
    assert b"Embargoed" not in b"".join(r.body for r in receiver.received)
    assert {d["attempt_log"][0]["event"] for d in deliveries(partner, endpoint["id"])} == {
        "withdrawn"
    }


@pytest.mark.django_db(transaction=True)
def test_changes_to_drafts_and_items_in_review_send_nothing(partner, receiver, editor):
    register(partner, receiver)
    event = make_event(status=Status.DRAFT)
    event.title = "Still a draft"
    event.save()
    workflow.send_for_review(item=event, by=editor)
    # A session of an unpublished event is not public, however it is marked itself.
    make_session(event=event)
    run_worker()

    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_endpoints_get_only_the_types_and_events_they_asked_for(partner, receiver, editor):
    register(partner, receiver, events=["withdrawn"], content_types=["session"])
    event = make_event()
    session = make_session(event=event)
    workflow.archive(item=event, by=editor)
    workflow.archive(item=session, by=editor)
    run_worker()

    assert receiver.events == [("withdrawn", "session", session.pk)]


@pytest.mark.django_db(transaction=True)
def test_failed_deliveries_are_retried_with_backoff_until_they_succeed(partner, receiver):
    endpoint = register(partner, receiver)
    receiver.statuses = [500, 503]
    event = make_event()
    work_until_done()

    assert len(receiver.received) == 3
    assert {r.headers["Webhook-Id"] for r in receiver.received} == {receiver.received[0].json["id"]}
    assert [r.headers["Webhook-Attempt"] for r in receiver.received] == ["1", "2", "3"]
    assert all(r.signature_valid for r in receiver.received)
    [logged] = deliveries(partner, endpoint["id"])
    assert logged["state"] == "succeeded"
    assert logged["object_id"] == str(event.pk)
    log = logged["attempt_log"]
    assert [a["status_code"] for a in log] == [500, 503, 200]
    assert [a["error"] for a in log] == ["HTTP 500", "HTTP 503", ""]
    assert log[0]["response_excerpt"] == "receiver is down"
    assert all(a["duration_ms"] >= 0 for a in log)
    # Each retry waited until its backoff was due.
    attempts = WebhookDelivery.objects.get().attempt_log.order_by("number")
    assert attempts[1].started_at > attempts[0].started_at
    shown = partner.client.get(f"{URL}{endpoint['id']}/").json()
    assert shown["last_status_code"] == 200
    assert shown["consecutive_failures"] == 0


@pytest.mark.django_db(transaction=True)
def test_a_delivery_gives_up_after_the_last_attempt(partner, receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    endpoint = register(partner, receiver)
    receiver.statuses = [500] * 5
    make_event()
    work_until_done()

    assert len(receiver.received) == 3
    [logged] = deliveries(partner, endpoint["id"])
    assert logged["state"] == "failed"
    assert logged["attempts"] == 3


@pytest.mark.django_db(transaction=True)
def test_an_endpoint_failing_repeatedly_is_disabled_its_contact_told_and_can_be_re_enabled(
    partner, receiver, settings, editor
):
    settings.WEBHOOK_MAX_ATTEMPTS = 10
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    endpoint = register(partner, receiver, contact_email="hooks@partner.example")
    receiver.statuses = [500] * 10
    make_event()
    work_until_done()

    assert len(receiver.received) == 3
    shown = partner.client.get(f"{URL}{endpoint['id']}/").json()
    assert shown["enabled"] is False
    assert "3 failed attempts in a row" in shown["disabled_reason"]
    assert shown["disabled_at"]
    [message] = mail.outbox
    assert message.to == ["hooks@partner.example"]
    assert receiver.url in message.body
    assert deliveries(partner, endpoint["id"])[0]["state"] == "cancelled"

    # While disabled, nothing is queued for it.
    make_event()
    assert WebhookDelivery.objects.count() == 1

    response = partner.client.patch(f"{URL}{endpoint['id']}/", {"enabled": True}, format="json")
    assert response.status_code == 200
    assert response.json()["enabled"] is True
    assert response.json()["disabled_reason"] == ""
    assert response.json()["consecutive_failures"] == 0
    receiver.statuses = []
    workflow.archive(item=make_event(), by=editor)
    work_until_done()
    assert receiver.events[-1][0] == "withdrawn"


@pytest.mark.django_db(transaction=True)
def test_a_delivery_can_be_replayed_with_the_same_event_id(partner, receiver):
    endpoint = register(partner, receiver)
    make_event(title="Summit")
    run_worker()
    [original] = deliveries(partner, endpoint["id"])

    response = partner.client.post(f"{URL}{endpoint['id']}/deliveries/{original['id']}/replay/")
    assert response.status_code == 202
    assert response.json()["replay_of"] == original["id"]
    run_worker()

    assert len(receiver.received) == 2
    first, again = receiver.received
    assert again.headers["Webhook-Id"] == first.headers["Webhook-Id"]
    assert again.signature_valid
    assert again.json["data"]["title"] == "Summit"
    assert [d["state"] for d in deliveries(partner, endpoint["id"])] == ["succeeded", "succeeded"]


@pytest.mark.django_db(transaction=True)
def test_a_rotated_secret_signs_beside_the_old_one_for_a_while(partner, receiver):
    endpoint = register(partner, receiver)
    old = receiver.secret
    response = partner.client.post(f"{URL}{endpoint['id']}/rotate-secret/")
    assert response.status_code == 200
    new = response.json()["secret"]
    assert new.startswith("whsec_") and new != old
    make_event()
    run_worker()

    [delivered] = receiver.received
    header = delivered.headers["Webhook-Signature"]
    assert header.count("v1=") == 2
    assert signing.verify(new, header, delivered.body)
    assert signing.verify(old, header, delivered.body)
    assert not signing.verify("whsec_wrong", header, delivered.body)


# --- The API ---------------------------------------------------------------------------------


def test_the_secret_is_shown_only_when_the_endpoint_is_created(partner, receiver):
    created = register(partner, receiver)
    assert created["secret"].startswith("whsec_")
    assert created["enabled"] is True
    shown = partner.client.get(f"{URL}{created['id']}/").json()
    assert "secret" not in shown
    assert "secret" not in partner.client.get(URL).json()["results"][0]


def test_a_partner_sees_and_replays_only_its_own_endpoints_and_deliveries(partner, receiver):
    endpoint = register(partner, receiver)
    make_event()
    delivery = WebhookDelivery.objects.get()
    other = make_partner()

    assert other.client.get(URL).json()["results"] == []
    base = f"{URL}{endpoint['id']}/"
    assert other.client.get(base).status_code == 404
    assert other.client.get(f"{base}deliveries/").status_code == 404
    assert other.client.post(f"{base}deliveries/{delivery.pk}/replay/").status_code == 404
    assert other.client.post(f"{base}rotate-secret/").status_code == 404
    assert other.client.patch(base, {"enabled": False}, format="json").status_code == 404
    assert other.client.delete(base).status_code == 404
    # Nor can its own endpoint reach another's delivery.
    mine = register(other, Receiver(url=receiver.url))
    replay = other.client.post(f"{URL}{mine['id']}/deliveries/{delivery.pk}/replay/")
    assert replay.status_code == 404
    assert replay.json()["error"]["code"] == "not_found"
    assert not WebhookDelivery.objects.filter(replay_of__isnull=False).exists()
    assert WebhookEndpoint.objects.get(pk=endpoint["id"]).enabled


def test_webhooks_need_a_partner_key(client):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_read_only_key_may_register_endpoints(reader, receiver):
    assert register(reader, receiver)["id"]


@pytest.mark.parametrize(
    "url, message",
    [
        ("http://127.0.0.1:8000/hooks", "https://"),
        ("https://127.0.0.1/hooks", "loopback"),
        ("https://localhost/hooks", "loopback"),
        ("https://10.1.2.3/hooks", "private"),
        ("https://192.168.0.10/hooks", "private"),
        ("https://169.254.169.254/latest/meta-data", "private"),
        ("https://[::1]/hooks", "loopback"),
        ("https://[::ffff:10.0.0.1]/hooks", "private"),
        ("https://[fd00::1]/hooks", "private"),
        ("ftp://93.184.215.14/hooks", "https://"),
        ("https://user:secret@93.184.215.14/hooks", "user name"),
        ("not a url", "https://"),
    ],
)
def test_private_and_non_https_targets_are_refused_in_production(partner, settings, url, message):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    response = partner.client.post(URL, {"url": url, "events": ["published"]}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert message in error["fields"]["url"][0]
    assert not WebhookEndpoint.objects.exists()


def test_a_public_https_target_is_accepted_in_production(partner, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    response = partner.client.post(
        URL, {"url": "https://93.184.215.14/hooks", "events": ["published"]}, format="json"
    )
    assert response.status_code == 201, response.content


def test_plain_http_is_allowed_only_to_loopback_when_the_setting_allows_it(partner):
    ok = partner.client.post(
        URL, {"url": "http://127.0.0.1:9/hooks", "events": ["published"]}, format="json"
    )
    assert ok.status_code == 201
    refused = partner.client.post(
        URL, {"url": "http://10.0.0.1/hooks", "events": ["published"]}, format="json"
    )
    assert refused.status_code == 400
    assert "fields" in refused.json()["error"]


def test_unknown_events_and_content_types_are_refused(partner, receiver):
    response = partner.client.post(
        URL,
        {"url": receiver.url, "events": ["deleted"], "content_types": ["spaceship"]},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"events", "content_types"}
    empty = partner.client.post(URL, {"url": receiver.url, "events": []}, format="json")
    assert empty.status_code == 400


def test_a_partner_can_change_pause_and_remove_its_endpoint(partner, receiver):
    endpoint = register(partner, receiver)
    base = f"{URL}{endpoint['id']}/"
    changed = partner.client.patch(base, {"events": ["withdrawn"]}, format="json")
    assert changed.json()["events"] == ["withdrawn"]
    paused = partner.client.patch(base, {"enabled": False}, format="json").json()
    assert paused["enabled"] is False
    assert paused["disabled_reason"] == "Paused by the partner."
    make_event()
    assert not WebhookDelivery.objects.exists()
    assert partner.client.delete(base).status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_replaying_to_a_disabled_endpoint_is_a_conflict(partner, receiver):
    endpoint = register(partner, receiver)
    make_event()
    delivery = WebhookDelivery.objects.get()
    partner.client.patch(f"{URL}{endpoint['id']}/", {"enabled": False}, format="json")
    response = partner.client.post(f"{URL}{endpoint['id']}/deliveries/{delivery.pk}/replay/")
    assert response.status_code == 409
    assert "enable it" in response.json()["error"]["message"]


def test_the_delivery_log_can_be_filtered_by_state(partner, receiver):
    endpoint = register(partner, receiver)
    make_event()
    base = f"{URL}{endpoint['id']}/deliveries/"
    assert len(partner.client.get(base, {"state": "pending"}).json()["results"]) == 1
    assert partner.client.get(base, {"state": "failed"}).json()["results"] == []
    bad = partner.client.get(base, {"state": "lost"})
    assert bad.status_code == 400
    assert "state" in bad.json()["error"]["fields"]


def test_delivery_log_query_count_does_not_grow(partner, receiver, django_assert_num_queries):
    endpoint = register(partner, receiver)
    make_event()
    base = f"{URL}{endpoint['id']}/deliveries/"
    partner.client.get(base)
    # Key, endpoint, count, page, attempts.
    with django_assert_num_queries(5):
        assert len(partner.client.get(base).json()["results"]) == 1
    for _ in range(5):
        make_event()
    with django_assert_num_queries(5):
        assert len(partner.client.get(base).json()["results"]) == 6


def test_endpoint_list_query_count_does_not_grow(partner, receiver, django_assert_num_queries):
    register(partner, receiver)
    partner.client.get(URL)
    with django_assert_num_queries(3):
        assert len(partner.client.get(URL).json()["results"]) == 1
    for _ in range(4):
        register(partner, receiver)
    with django_assert_num_queries(3):
        assert len(partner.client.get(URL).json()["results"]) == 5


# --- The schema ------------------------------------------------------------------------------


def test_the_schema_documents_the_webhook_payloads_and_the_endpoints(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert schema["openapi"].startswith("3.1")
    hooks = schema["webhooks"]
    assert set(hooks) == {"itemPublished", "itemChanged", "itemWithdrawn"}

    def payload(name):
        ref = hooks[name]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]

    assert set(payload("itemWithdrawn")["properties"]) == ENVELOPE
    assert set(payload("itemPublished")["properties"]) == ENVELOPE | {"data"}
    assert "Webhook-Signature" in hooks["itemPublished"]["post"]["description"]
    for path in (
        "/api/v1/webhooks/",
        "/api/v1/webhooks/{id}/",
        "/api/v1/webhooks/{id}/deliveries/",
        "/api/v1/webhooks/{id}/deliveries/{delivery_id}/replay/",
        "/api/v1/webhooks/{id}/rotate-secret/",
    ):
        assert path in schema["paths"]
    created = schema["paths"]["/api/v1/webhooks/"]["post"]["responses"]["201"]
    ref = created["content"]["application/json"]["schema"]["$ref"]
    assert "secret" in schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]


def test_in_process_deliveries_need_no_worker_and_are_not_retried(partner, receiver, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    endpoint = register(partner, receiver)
    event = make_event()
    assert receiver.events == [("published", "event", event.pk)]
    assert receiver.received[0].signature_valid

    receiver.statuses = [500]
    workflow.archive(item=event, by=make_staff(username="chief", superuser=True))
    assert len(receiver.received) == 2
    latest = deliveries(partner, endpoint["id"])[0]
    assert latest["state"] == "failed"
    assert "not retried" in latest["last_error"]
