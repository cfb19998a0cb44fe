"""Webhooks inside the platform: which targets are allowed, the signature, the backoff, the
scheduled check for publish and unpublish times, and the editors' admin."""

import random
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import workflow
from core.models import WebhookDelivery, WebhookEndpoint
from core.publishing import Status
from core.webhooks import signing
from core.webhooks.delivery import backoff_seconds, disable
from core.webhooks.targets import check_target
from events.models import Event
from tests.factories import make_event, make_member, make_organisation, make_staff
from tests.webhook_receiver import Receiver, run_worker

ALL_EVENTS = ["published", "changed", "withdrawn"]
CHECK_TASK = "core.webhooks.tasks.check_scheduled_webhooks"


def make_endpoint(**kwargs) -> WebhookEndpoint:
    kwargs.setdefault("organisation", make_organisation())
    kwargs.setdefault("url", "http://127.0.0.1:9/hooks")
    kwargs.setdefault("events", ALL_EVENTS)
    return WebhookEndpoint.objects.create(secret=signing.new_secret(), **kwargs)


@pytest.fixture
def editor(db):
    return make_staff(username="chief", superuser=True)


def dispatch() -> str:
    out = StringIO()
    call_command("dispatch_scheduled_webhooks", "--once", stdout=out)
    return out.getvalue()


# --- Targets, signatures, backoff -------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.1/",
        "https://172.16.5.4/",
        "https://100.64.0.1/",  # carrier-grade NAT
        "https://0.0.0.0/",
        "https://[fe80::1]/",
        "https://224.0.0.1/",
        "https://localhost./",
        "http://93.184.215.14/",
        "https://93.184.215.14/#fragment",
        "https://93.184.215.14:99999/",
    ],
)
def test_targets_outside_the_public_internet_are_refused_without_the_loopback_setting(
    settings, url
):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    with pytest.raises(ValidationError):
        check_target(url)


def test_a_public_address_is_allowed_and_pinned(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    target = check_target("https://93.184.215.14:8443/hooks?x=1")
    assert (target.host, target.port, target.path, target.address) == (
        "93.184.215.14",
        8443,
        "/hooks?x=1",
        "93.184.215.14",
    )


def test_the_loopback_setting_admits_only_loopback(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    assert check_target("http://127.0.0.1:8000/h").address == "127.0.0.1"
    assert check_target("http://localhost:8000/h").address in ("127.0.0.1", "::1")
    with pytest.raises(ValidationError):
        check_target("http://192.168.1.1/h")


def test_a_signature_is_valid_only_for_its_secret_body_and_a_recent_time():
    secret = signing.new_secret()
    body = b'{"event":"published"}'
    now = 1_767_225_600
    header = signing.signature_header([secret], now, body)
    assert header.startswith(f"t={now},v1=")
    assert signing.verify(secret, header, body, now=now + 10)
    assert not signing.verify(secret, header, body + b" ", now=now)
    assert not signing.verify(signing.new_secret(), header, body, now=now)
    assert not signing.verify(secret, header, body, now=now + signing.DEFAULT_TOLERANCE + 1)
    assert not signing.verify(secret, "v1=abc", body, now=now)


def test_backoff_doubles_with_jitter_and_is_capped(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    settings.WEBHOOK_RETRY_MAX_SECONDS = 3600
    rng = random.Random(7)
    for attempt in range(1, 12):
        ceiling = min(3600, 30 * 2 ** (attempt - 1))
        waits = [backoff_seconds(attempt, rng=rng) for _ in range(50)]
        assert all(ceiling / 2 <= wait <= ceiling for wait in waits)
        assert len(set(waits)) > 1  # jittered, so endpoints that failed together spread out
    assert backoff_seconds(20, rng=rng) <= 3600


# --- Events from saves ------------------------------------------------------------------------


def test_publishing_queues_a_delivery_and_its_task_in_the_same_transaction(db, editor):
    endpoint = make_endpoint()
    event = make_event(status=Status.DRAFT)
    workflow.publish(item=event, by=editor)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.endpoint, delivery.event, delivery.content_type) == (
        endpoint,
        "published",
        "event",
    )
    assert delivery.object_id == str(event.pk)
    task = DBTaskResult.objects.get(task_path="core.webhooks.tasks.deliver_webhook")
    assert task.args_kwargs["args"] == [delivery.pk]


def test_saving_an_item_loaded_without_its_publishing_fields_still_fires(db, editor):
    make_endpoint()
    event = make_event()
    WebhookDelivery.objects.all().delete()
    partial = Event.objects.only("pk", "title").get(pk=event.pk)
    partial.title = "Renamed"
    partial.save()
    assert list(WebhookDelivery.objects.values_list("event", flat=True)) == ["changed"]


def test_deleting_a_published_item_withdraws_it(db):
    make_endpoint()
    event = make_event()
    pk = event.pk
    event.delete()
    assert (
        list(WebhookDelivery.objects.values_list("event", "object_id"))
        == [
            ("published", str(pk)),
            ("withdrawn", str(pk)),
        ][::-1]
    )


def test_disabled_endpoints_get_nothing_queued(db):
    disable(endpoint=make_endpoint(), reason="Paused.")
    make_event()
    assert not WebhookDelivery.objects.exists()


# --- The scheduled check ----------------------------------------------------------------------


def test_an_item_reaching_its_publish_time_is_announced_once_by_the_scheduled_check(db, editor):
    make_endpoint()
    event = make_event(status=Status.DRAFT)
    workflow.schedule(item=event, by=editor, publish_at=timezone.now() + timedelta(hours=1))
    assert not WebhookDelivery.objects.exists()
    assert dispatch().startswith("0 deliveries")

    # The clock reaches the publish time: nothing is saved, the item is simply public now.
    Event.objects.filter(pk=event.pk).update(publish_at=timezone.now())
    assert dispatch().startswith("1 delivery queued")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.event, delivery.object_id) == ("published", str(event.pk))
    assert dispatch().startswith("0 deliveries")


def test_an_item_reaching_its_unpublish_time_is_withdrawn_by_the_scheduled_check(db):
    make_endpoint()
    event = make_event()  # published now: announced when saved
    assert dispatch().startswith("0 deliveries")  # not announced twice
    Event.objects.filter(pk=event.pk).update(unpublish_at=timezone.now())
    assert dispatch().startswith("1 delivery queued")
    assert list(WebhookDelivery.objects.order_by("id").values_list("event", flat=True)) == [
        "published",
        "withdrawn",
    ]
    assert dispatch().startswith("0 deliveries")


def test_the_scheduled_check_only_tells_endpoints_that_asked(db):
    make_endpoint(events=["withdrawn"])
    wants_sessions = make_endpoint(events=ALL_EVENTS, content_types=["session"])
    dispatch()
    event = make_event(publish_at=timezone.now() + timedelta(hours=1))
    Event.objects.filter(pk=event.pk).update(publish_at=timezone.now())
    assert dispatch().startswith("0 deliveries")
    assert not WebhookDelivery.objects.filter(endpoint=wants_sessions).exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_repeats_the_scheduled_check_by_itself(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_SCHEDULE_CHECK_SECONDS = 60
    receiver = Receiver().start()
    try:
        endpoint = make_endpoint(url=receiver.url)
        receiver.secret = endpoint.secret
        call_command("dispatch_scheduled_webhooks", stdout=StringIO())
        assert DBTaskResult.objects.filter(task_path=CHECK_TASK, status="READY").count() == 1
        # Queued once, however often it is asked for.
        call_command("dispatch_scheduled_webhooks", stdout=StringIO())
        assert DBTaskResult.objects.filter(task_path=CHECK_TASK, status="READY").count() == 1

        event = make_event(publish_at=timezone.now() + timedelta(hours=1))
        Event.objects.filter(pk=event.pk).update(publish_at=timezone.now())
        run_worker()
        assert receiver.events == [("published", "event", event.pk)]
        assert receiver.received[0].signature_valid
        # And it has queued itself again, a minute on.
        [following] = DBTaskResult.objects.filter(task_path=CHECK_TASK, status="READY")
        assert following.run_after > timezone.now() + timedelta(seconds=30)
    finally:
        receiver.stop()


# --- The admin --------------------------------------------------------------------------------


def test_editors_register_an_endpoint_for_a_partner_and_see_its_secret_once(db, client, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    client.force_login(make_member(username="ed", group="Editors"))
    organisation = make_organisation()
    response = client.post(
        reverse("admin:core_webhookendpoint_add"),
        {
            "organisation": organisation.pk,
            "url": "http://127.0.0.1:9/hooks",
            "events": ["published", "withdrawn"],
            "content_types": ["article"],
            "contact_email": "ops@partner.example",
        },
        follow=True,
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["published", "withdrawn"]
    assert endpoint.content_types == ["article"]
    assert endpoint.secret in response.content.decode()
    page = client.get(reverse("admin:core_webhookendpoint_change", args=[endpoint.pk]))
    assert endpoint.secret not in page.content.decode()


def test_editors_cannot_register_a_private_target(db, client, settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    client.force_login(make_member(username="ed", group="Editors"))
    response = client.post(
        reverse("admin:core_webhookendpoint_add"),
        {
            "organisation": make_organisation().pk,
            "url": "https://10.0.0.1/",
            "events": ["published"],
        },
    )
    assert response.status_code == 200
    assert "private" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_editors_see_disabled_endpoints_and_re_enable_them(db, client):
    client.force_login(make_member(username="ed", group="Editors"))
    endpoint = disable(endpoint=make_endpoint(), reason="Disabled after 15 failed attempts.")
    changelist = reverse("admin:core_webhookendpoint_changelist")
    page = client.get(changelist).content.decode()
    assert "1 endpoint(s) are disabled" in page
    assert "Disabled after 15 failed attempts." in page
    client.post(changelist, {"action": "enable", "_selected_action": [endpoint.pk]})
    endpoint.refresh_from_db()
    assert endpoint.enabled
    assert endpoint.disabled_reason == ""


def test_editors_replay_deliveries_from_the_log(db, client):
    client.force_login(make_member(username="ed", group="Editors"))
    make_endpoint()
    make_event()
    original = WebhookDelivery.objects.get()
    changelist = reverse("admin:core_webhookdelivery_changelist")
    client.post(changelist, {"action": "replay", "_selected_action": [original.pk]})
    replay = WebhookDelivery.objects.get(replay_of=original)
    assert replay.event_id == original.event_id
    assert (
        client.get(reverse("admin:core_webhookdelivery_change", args=[original.pk])).status_code
        == 200
    )


def test_webhook_admin_lists_query_count_does_not_grow(db, client, django_assert_num_queries):
    client.force_login(make_member(username="ed", group="Editors"))
    endpoints = reverse("admin:core_webhookendpoint_changelist")
    log = reverse("admin:core_webhookdelivery_changelist")
    endpoint = make_endpoint()
    make_event()
    client.get(endpoints)
    client.get(log)
    with django_assert_num_queries(8):
        client.get(endpoints)
    # The log's filters (types, dates) read the table once each, whatever it holds.
    with django_assert_num_queries(10):
        client.get(log)
    for _ in range(4):
        make_endpoint()
        make_event()
    assert endpoint.deliveries.count() >= 5
    with django_assert_num_queries(8):
        assert client.get(endpoints).context["cl"].result_count == 5
    with django_assert_num_queries(10):
        assert client.get(log).context["cl"].result_count >= 5
