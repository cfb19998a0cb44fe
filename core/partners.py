"""Partner API keys: issue, verify and revoke.

Keys look like ``<prefix>.<secret>``. The prefix finds the key; only a SHA-256 hash of the
secret is stored, so a leaked database does not leak usable keys.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone

from core.models import PartnerKey

PREFIX_LENGTH = 8
# Writing last_used_at on every request would turn each read into a write.
LAST_USED_GRANULARITY = timedelta(minutes=1)


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_partner_key(
    *,
    organisation: models.Model,
    name: str,
    created_by=None,
    expires_at: datetime | None = None,
    can_submit: bool = False,
) -> tuple[PartnerKey, str]:
    """Create a key and return it with the raw key, which is shown once and never stored.

    Keys read only unless ``can_submit`` lets them submit side sessions too.
    """
    while True:
        prefix = secrets.token_urlsafe(6)[:PREFIX_LENGTH]
        # A prefix with a dot would make the key ambiguous to split.
        if "." not in prefix and not PartnerKey.objects.filter(prefix=prefix).exists():
            break
    secret = secrets.token_urlsafe(32)
    key = PartnerKey.objects.create(
        organisation=organisation,
        name=name,
        prefix=prefix,
        hashed_secret=_hash_secret(secret),
        created_by=created_by,
        expires_at=expires_at,
        can_submit=can_submit,
    )
    return key, f"{prefix}.{secret}"


def verify_partner_key(raw: str) -> PartnerKey | None:
    """The active key that ``raw`` stands for, or None if it is unknown, revoked or expired."""
    prefix, sep, secret = (raw or "").strip().partition(".")
    if not sep or not prefix or not secret or len(prefix) > PREFIX_LENGTH:
        return None
    key = PartnerKey.objects.select_related("organisation").filter(prefix=prefix).first()
    if key is None:
        # Compare anyway so that unknown prefixes take as long as wrong secrets.
        hmac.compare_digest(_hash_secret(secret), _hash_secret(""))
        return None
    if not hmac.compare_digest(key.hashed_secret, _hash_secret(secret)):
        return None
    if not key.is_active:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_GRANULARITY:
        PartnerKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def revoke_partner_keys(*, keys) -> int:
    """Revoke the given keys (a queryset) that are not revoked yet; return how many were."""
    return keys.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
