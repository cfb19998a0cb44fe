"""Sending deliveries: one signed attempt, retries with backoff, disabling and replays.

An attempt that gets a 2xx answer succeeds; anything else (another status, a redirect, a
timeout, a refused connection, a target that is no longer allowed) fails and is retried after
about ``WEBHOOK_RETRY_BASE_SECONDS * 2^(attempt-1)`` seconds, jittered to between half and all
of that, capped at ``WEBHOOK_RETRY_MAX_SECONDS``, until ``WEBHOOK_MAX_ATTEMPTS``. After
``WEBHOOK_DISABLE_AFTER_FAILURES`` failed attempts in a row the endpoint is disabled, its
pending deliveries are cancelled and its contact is told by e-mail.
"""

from __future__ import annotations

import http.client
import logging
import random
import socket
import ssl
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import default_task_backend

from core.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

from . import payloads, signing
from .targets import Target, check_target

logger = logging.getLogger("core.webhooks")

USER_AGENT = "PolicyCMS-Webhooks/1"
#: How much of a receiver's answer the delivery log keeps.
EXCERPT_CHARS = 1000
_READ_LIMIT = 64 * 1024


class DeliveryError(Exception):
    """A request that got no HTTP answer, in words for the delivery log."""


def backoff_seconds(attempt: int, *, rng: random.Random | None = None) -> float:
    """How long to wait after failed attempt number ``attempt`` (1-based) before the next."""
    ceiling = min(
        settings.WEBHOOK_RETRY_MAX_SECONDS,
        settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempt - 1),
    )
    return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the address that was checked, while TLS verifies the host's name."""

    def __init__(self, target: Target, timeout: float):
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """POST ``body`` to ``url`` (checked again here) and return the status and an excerpt."""
    try:
        target = check_target(url)
    except ValidationError as exc:
        raise DeliveryError(f"Target refused: {' '.join(exc.messages)}") from None
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
    host = target.host if target.port in (80, 443) else f"{target.host}:{target.port}"
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={
                "Host": host,
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                **headers,
            },
        )
        response = connection.getresponse()
        excerpt = response.read(_READ_LIMIT).decode("utf-8", "replace")[:EXCERPT_CHARS]
        return response.status, excerpt
    except TimeoutError:
        raise DeliveryError(f"No answer within {settings.WEBHOOK_TIMEOUT_SECONDS:g} s.") from None
    except ssl.SSLError as exc:
        raise DeliveryError(f"TLS error: {exc.reason or exc}") from None
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}"[:300]) from None
    finally:
        connection.close()


def signing_secrets(endpoint: WebhookEndpoint) -> list[str]:
    found = [endpoint.secret]
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_until
        and (endpoint.previous_secret_until > timezone.now())
    ):
        found.append(endpoint.previous_secret)
    return found


def attempt(delivery_id: int) -> WebhookDelivery | None:
    """Make the next attempt of a delivery; queue the one after it if this one failed.

    No transaction is held open while the receiver answers: the delivery is read, sent, and
    its outcome then written (with the retry queued) in one short transaction. Only one task
    per delivery is ever queued at a time, so two attempts of one delivery do not overlap.
    """
    from .tasks import deliver_webhook

    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != WebhookDelivery.State.PENDING:
        return delivery
    endpoint = delivery.endpoint
    if not endpoint.enabled:
        _finish(delivery, WebhookDelivery.State.CANCELLED, error="The endpoint is disabled.")
        return delivery
    number = delivery.attempts + 1
    event, body = payloads.build(delivery)
    timestamp = int(time.time())
    headers = {
        signing.ID_HEADER: str(delivery.event_id),
        signing.TIMESTAMP_HEADER: str(timestamp),
        signing.SIGNATURE_HEADER: signing.signature_header(
            signing_secrets(endpoint), timestamp, body
        ),
        "Webhook-Event": event,
        "Webhook-Attempt": str(number),
    }
    started = timezone.now()
    clock = time.monotonic()
    status_code, excerpt, error = None, "", ""
    try:
        status_code, excerpt = post(endpoint.url, body, headers)
    except DeliveryError as exc:
        error = str(exc)
    duration_ms = int((time.monotonic() - clock) * 1000)
    succeeded = status_code is not None and 200 <= status_code < 300
    if status_code is not None and not succeeded:
        error = f"HTTP {status_code}" + (
            " (redirects are not followed)" if 300 <= status_code < 400 else ""
        )
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            event=event,
            started_at=started,
            duration_ms=duration_ms,
            status_code=status_code,
            response_excerpt=excerpt,
            error=error,
            succeeded=succeeded,
        )
        delivery.attempts = number
        delivery.last_status_code = status_code
        delivery.last_error = error
        disabled = _record_on_endpoint(endpoint, started, status_code, error, succeeded)
        if succeeded:
            _finish(delivery, WebhookDelivery.State.SUCCEEDED)
        elif number >= settings.WEBHOOK_MAX_ATTEMPTS:
            _finish(delivery, WebhookDelivery.State.FAILED)
        elif disabled:
            _finish(delivery, WebhookDelivery.State.CANCELLED)
        elif not default_task_backend.supports_defer:
            # A queue that cannot hold a task until later (the immediate backend) cannot retry.
            delivery.last_error = f"{error} (not retried: the task backend cannot schedule it)"
            _finish(delivery, WebhookDelivery.State.FAILED)
        else:
            when = started + timedelta(seconds=backoff_seconds(number))
            delivery.next_attempt_at = when
            delivery.save(
                update_fields=["attempts", "last_status_code", "last_error", "next_attempt_at"]
            )
            # The queue is in the same database: the retry is queued with the outcome or not at all.
            deliver_webhook.using(run_after=when).enqueue(delivery.pk)
    if disabled:
        notify_disabled(endpoint)
    return delivery


def _finish(delivery: WebhookDelivery, state: str, *, error: str = "") -> None:
    delivery.state = state
    delivery.completed_at = timezone.now()
    delivery.next_attempt_at = None
    if error:
        delivery.last_error = error
    delivery.last_error = delivery.last_error[:300]
    delivery.save(
        update_fields=[
            "state",
            "completed_at",
            "next_attempt_at",
            "attempts",
            "last_status_code",
            "last_error",
        ]
    )


def _record_on_endpoint(
    endpoint: WebhookEndpoint, at: datetime, status_code: int | None, error: str, succeeded: bool
) -> bool:
    """Keep the endpoint's last status; True when this failure disabled it."""
    fields = {"last_delivery_at": at, "last_status_code": status_code, "last_error": error[:300]}
    if succeeded:
        fields["consecutive_failures"] = 0
    else:
        fields["consecutive_failures"] = F("consecutive_failures") + 1
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(**fields)
    endpoint.refresh_from_db(fields=[*fields, "enabled"])
    limit = settings.WEBHOOK_DISABLE_AFTER_FAILURES
    if not succeeded and endpoint.enabled and endpoint.consecutive_failures >= limit:
        disable(
            endpoint=endpoint,
            reason=f"Disabled after {endpoint.consecutive_failures} failed attempts in a row "
            f"(last: {error or status_code}).",
        )
        return True
    return False


def disable(*, endpoint: WebhookEndpoint, reason: str) -> WebhookEndpoint:
    """Stop sending to ``endpoint``; its pending deliveries are cancelled."""
    now = timezone.now()
    endpoint.enabled = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = reason[:300]
    endpoint.save(update_fields=["enabled", "disabled_at", "disabled_reason", "updated_at"])
    endpoint.deliveries.filter(state=WebhookDelivery.State.PENDING).update(
        state=WebhookDelivery.State.CANCELLED, completed_at=now, next_attempt_at=None
    )
    logger.warning("Webhook endpoint %s disabled: %s", endpoint.pk, reason)
    return endpoint


def contact_of(endpoint: WebhookEndpoint) -> str:
    return endpoint.contact_email or getattr(endpoint.organisation, "email", "") or ""


def notify_disabled(endpoint: WebhookEndpoint) -> None:
    """E-mail the endpoint's contact (its own address, else its organisation's) that it stopped."""
    recipient = contact_of(endpoint)
    if not recipient:
        return
    send_mail(
        subject=f"[{settings.SITE_NAME}] Webhook endpoint disabled",
        message=(
            f"Deliveries to your webhook endpoint\n\n    {endpoint.url}\n\nhave stopped.\n\n"
            f"{endpoint.disabled_reason}\n\nOnce the endpoint answers again, re-enable it with "
            f'PATCH /api/v1/webhooks/{endpoint.pk}/ {{"enabled": true}}, or ask the editors; '
            "then replay the deliveries you missed from its delivery log."
        ),
        from_email=None,
        recipient_list=[recipient],
        fail_silently=True,
    )


def enable(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    endpoint.enabled = True
    endpoint.disabled_at = None
    endpoint.disabled_reason = ""
    endpoint.consecutive_failures = 0
    endpoint.save(
        update_fields=[
            "enabled",
            "disabled_at",
            "disabled_reason",
            "consecutive_failures",
            "updated_at",
        ]
    )
    return endpoint


def rotate_secret(*, endpoint: WebhookEndpoint) -> str:
    """Give ``endpoint`` a new secret; the old one keeps signing for the overlap period."""
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = timezone.now() + timedelta(
        hours=settings.WEBHOOK_SECRET_OVERLAP_HOURS
    )
    endpoint.secret = signing.new_secret()
    endpoint.save(
        update_fields=["secret", "previous_secret", "previous_secret_until", "updated_at"]
    )
    return endpoint.secret


class ReplayRefused(Exception):
    pass


def replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery's event again as a new delivery (same event id, fresh attempts)."""
    from .tasks import deliver_webhook

    if not delivery.endpoint.enabled:
        raise ReplayRefused("The endpoint is disabled: enable it before replaying deliveries.")
    with transaction.atomic():
        copy = WebhookDelivery.objects.create(
            endpoint=delivery.endpoint,
            event_id=delivery.event_id,
            event=delivery.event,
            content_type=delivery.content_type,
            object_id=delivery.object_id,
            replay_of=delivery,
        )
        deliver_webhook.enqueue(copy.pk)
    return copy
