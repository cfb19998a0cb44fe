"""Endpoint secrets and the signature every delivery carries.

A delivery has three headers::

    Webhook-Id: 5f0c…               the event's id (the same on a retry or a replay)
    Webhook-Timestamp: 1767225600   Unix seconds when this attempt was signed
    Webhook-Signature: t=1767225600,v1=<hex>

``v1`` is the hexadecimal HMAC-SHA256, keyed with the endpoint's secret, of
``"<timestamp>.<body>"`` (the raw request body). For a while after a secret is rotated a second
``v1=`` signed with the previous secret follows, so receivers can switch over without losing a
delivery; a receiver accepts the request when any ``v1`` matches and the timestamp is recent.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)
SIGNATURE_HEADER = "Webhook-Signature"
TIMESTAMP_HEADER = "Webhook-Timestamp"
ID_HEADER = "Webhook-Id"
#: Receivers should refuse signatures older than this (seconds); replays are re-signed.
DEFAULT_TOLERANCE = 300


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secrets_: list[str], timestamp: int, body: bytes) -> str:
    return ",".join([f"t={timestamp}", *(f"v1={signature(s, timestamp, body)}" for s in secrets_)])


def verify(
    secret: str, header: str, body: bytes, *, tolerance: int = DEFAULT_TOLERANCE, now=None
) -> bool:
    """Whether ``header`` (a Webhook-Signature value) signs ``body`` with ``secret`` recently."""
    timestamp, candidates = None, []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1":
            candidates.append(value)
    if timestamp is None or abs((now or time.time()) - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)
