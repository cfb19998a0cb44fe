"""Writes for the events app that do more than save a form."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import Organisation, PartnerKey

PREFIX_LENGTH = 8


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def issue_partner_key(
    *, organisation: Organisation, name: str, created_by=None, expires_at: datetime | None = None
) -> tuple[PartnerKey, str]:
    """Create a key for ``organisation`` and return it with the raw key, ``<prefix>.<secret>``.

    Only the SHA-256 of the secret is stored, so the raw key must be shown to the partner now:
    it cannot be recovered later. The prefix is stored in clear to find the key again.
    """
    while True:
        # token_urlsafe(6) gives 8 URL-safe characters; a dot never occurs in it.
        prefix = secrets.token_urlsafe(6)[:PREFIX_LENGTH]
        if not PartnerKey.objects.filter(prefix=prefix).exists():
            break
    secret = secrets.token_urlsafe(32)
    key = PartnerKey.objects.create(
        organisation=organisation,
        name=name,
        prefix=prefix,
        hashed_secret=_hash_secret(secret),
        created_by=created_by,
        expires_at=expires_at,
    )
    return key, f"{prefix}.{secret}"


def verify_partner_key(raw: str) -> PartnerKey | None:
    """The active key that ``raw`` (``<prefix>.<secret>``) belongs to, or None.

    The secret's hash is compared in constant time so that response times reveal nothing.
    """
    prefix, dot, secret = (raw or "").strip().partition(".")
    if not dot or len(prefix) != PREFIX_LENGTH or not secret:
        return None
    key = PartnerKey.objects.select_related("organisation").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.hashed_secret, _hash_secret(secret)):
        return None
    if not key.is_active:
        return None
    return key


def revoke_partner_keys(*, keys) -> int:
    """Revoke the given keys (a queryset) that are not revoked yet; return how many were."""
    return keys.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
