"""The platform's own tables: partner API keys, and the Idempotency-Key records of their writes.

A key belongs to a partner organisation; which model stands for organisations is a setting
(``PARTNER_ORGANISATION_MODEL``, like ``AUTH_USER_MODEL``), so the platform names no content app.
"""

from __future__ import annotations

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


# Old addresses and where they lead (the model lives with its logic in core.redirects).
from core.redirects import Redirect  # noqa: E402, F401
