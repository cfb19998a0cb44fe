"""The platform's own tables: partner API keys, the Idempotency-Key records of their writes,
and partners' webhook endpoints with their deliveries.

A key belongs to a partner organisation; which model stands for organisations is a setting
(``PARTNER_ORGANISATION_MODEL``, like ``AUTH_USER_MODEL``), so the platform names no content app.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class PartnerKey(models.Model):
    """An API key issued to a partner organisation. Only a hash of the secret is stored."""

    organisation = models.ForeignKey(
        settings.PARTNER_ORGANISATION_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(max_length=100, help_text="What the key is for, e.g. “Summit feed”.")
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    hashed_secret = models.CharField(max_length=128, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    # Read-only by default: most keys go to indexers and data journalists, who only read.
    can_submit = models.BooleanField(
        "may submit side sessions",
        default=False,
        help_text=(
            "Lets the partner submit, change and withdraw side sessions for review. "
            "Leave unticked for keys that only read (indexers, data journalists)."
        ),
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["organisation", "-created_at"]
        verbose_name = "partner API key"
        # Renamed from core_partnerkey by migration 0002; rows and ids are kept.

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class IdempotencyKey(models.Model):
    """A partner's ``Idempotency-Key`` and the response its first request got.

    A retry with the same key and the same request is answered with that response instead of
    being carried out again, so a partner whose connection dropped cannot create a duplicate.
    Kept in the database so that every app server sees the same keys. The row is written in
    the same transaction as the submission it records, and the unique constraint makes a
    second request racing with the same key wait for the first and then replay its response.
    Keys expire after ``API_IDEMPOTENCY_HOURS`` (see ``core.api.idempotency``).
    """

    organisation = models.ForeignKey(
        settings.PARTNER_ORGANISATION_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=255)
    #: SHA-256 of the method, path and canonical JSON body the key was first used with.
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField()
    #: The response body exactly as first sent, so a replay is byte for byte the same.
    response_body = models.TextField(blank=True)
    location = models.CharField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "idempotency key"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="idempotency_key_unique_per_partner"
            ),
        ]
        indexes = [
            # Purging expired keys: WHERE created_at < cutoff.
            models.Index(fields=["created_at"], name="idempotency_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status_code})"


# ---------------------------------------------------------------------------
# Webhooks: a partner's endpoints, the deliveries queued for them and each attempt made.
# What fires them and how they are sent is core.webhooks.


class WebhookEvent(models.TextChoices):
    PUBLISHED = "published", "Published"
    CHANGED = "changed", "Changed while published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class WebhookEndpoint(models.Model):
    """A partner's address that is sent the events it chose, signed with its own secret.

    ``events`` and ``content_types`` are lists (an empty ``content_types`` means every type);
    the few endpoints there are get filtered in Python, which works the same on SQLite.
    The secret is kept as it is, since signing needs it; it is shown to the partner once.
    """

    organisation = models.ForeignKey(
        settings.PARTNER_ORGANISATION_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_by_key = models.ForeignKey(
        PartnerKey,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webhook_endpoints",
        verbose_name="registered with key",
    )
    url = models.URLField("URL", max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list, help_text="Any of: published, changed, withdrawn.")
    content_types = models.JSONField(
        default=list, blank=True, help_text="API type names (event, session, …); empty: all."
    )
    contact_email = models.EmailField(
        blank=True, help_text="Told by e-mail when the endpoint is disabled after failures."
    )
    secret = models.CharField(max_length=100, editable=False)
    # After a rotation deliveries are signed with the old secret too, for a while.
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    enabled = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.CharField(max_length=300, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    last_delivery_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    last_error = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "-created_at", "-id"]
        verbose_name = "webhook endpoint"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(enabled=True) | models.Q(disabled_at__isnull=False),
                name="webhook_endpoint_disabled_has_time",
                violation_error_message="A disabled endpoint records when it was disabled.",
            ),
        ]

    def __str__(self) -> str:
        return self.url

    def wants(self, event: str, content_type: str) -> bool:
        return event in self.events and (
            not self.content_types or content_type in self.content_types
        )


class WebhookDelivery(models.Model):
    """One event for one endpoint, attempted until it succeeds or runs out of attempts."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed (no attempts left)"
        CANCELLED = "cancelled", "Cancelled (endpoint disabled or removed)"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    #: The event's id, sent as Webhook-Id; a replay keeps it, so receivers can deduplicate.
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    event = models.CharField(max_length=12, choices=WebhookEvent.choices)
    content_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    replay_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replays"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        indexes = [
            # An endpoint's delivery log, newest first.
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log_idx"),
            # The scheduled check: what an endpoint was last told about an item.
            models.Index(
                fields=["endpoint", "content_type", "object_id", "-created_at"],
                name="webhook_delivery_item_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.content_type} {self.object_id} → {self.endpoint}"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery, as the delivery log shows it."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField()
    #: What was sent: ``withdrawn`` when the item was no longer public at delivery time.
    event = models.CharField(max_length=12, choices=WebhookEvent.choices)
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)
    error = models.CharField(max_length=300, blank=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        ordering = ["delivery", "number"]
        verbose_name = "webhook attempt"
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"], name="webhook_attempt_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number}: {self.status_code or self.error}"


class WebhookScheduleMark(models.Model):
    """How far the check for scheduled publish and unpublish times has got (one row)."""

    checked_until = models.DateTimeField()

    class Meta:
        verbose_name = "webhook schedule mark"

    def __str__(self) -> str:
        return self.checked_until.isoformat()


# Models that live with their logic: review comments (core.comments), edit locks
# (core.locking), the media library (core.library), the main menu and footer links
# (core.menus), pending versions of live items (core.pending), old addresses and where they
# lead (core.redirects).
from core.comments import Comment  # noqa: E402, F401
from core.library import Document, Image, MediaTag  # noqa: E402, F401
from core.locking import EditLock  # noqa: E402, F401
from core.menus import MenuItem  # noqa: E402, F401
from core.pending import PendingChange  # noqa: E402, F401
from core.redirects import Redirect  # noqa: E402, F401
