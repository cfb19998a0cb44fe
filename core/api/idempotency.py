"""``Idempotency-Key`` for partner writes: a retried request is answered, not repeated.

A partner that sends ``Idempotency-Key: <up to 255 visible ASCII characters>`` with a
submission and loses the response may send the same request with the same key again: it
gets the first response back (same status, body and Location, plus
``Idempotent-Replayed: true``) and nothing is created twice. The same key with a different
request (method, path or JSON body) is refused with 422. Keys are scoped to the partner
organisation and remembered for ``API_IDEMPOTENCY_HOURS``; a request that fails (any status
other than 2xx) leaves no key behind, so it can be corrected and retried with the same key.

The key's row (``core.models.IdempotencyKey``) is written in the same transaction as the work
it records: either both are stored or neither is. Two requests racing with one key meet at the
row's unique constraint; on PostgreSQL the second waits for the first to commit, then replays.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from core.models import IdempotencyKey

from .errors import error_body
from .keys import partner_of

HEADER = "Idempotency-Key"
_KEY_RE = re.compile(r"^[\x21-\x7e]{1,255}$")
HEADER_DESCRIPTION = (
    "Optional. A unique value you choose (up to 255 visible ASCII characters, e.g. a UUID) "
    "to make a retry safe: the same key with the same request returns the first response "
    "(same status, body and Location, with `Idempotent-Replayed: true`) without creating "
    "anything again; the same key with a different request is refused with 422. Keys are "
    "kept per partner organisation for 24 hours; a failed request keeps no key."
)


class _Failed(Exception):
    """Rolls back the key with a response that is not a success, which is still returned."""

    def __init__(self, response):
        self.response = response


def fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), cls=JSONEncoder)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _replay(record: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(
        record.response_body, status=record.status_code, content_type="application/json"
    )
    if record.location:
        response["Location"] = record.location
    response["Idempotent-Replayed"] = "true"
    return response


def _reused() -> JsonResponse:
    return JsonResponse(
        error_body(
            422,
            f"This {HEADER} was already used with a different request. Send a new key for a "
            "new request, or the very same request to get its first response again.",
            code="idempotency_key_reused",
        ),
        status=422,
    )


def idempotent(action):
    """Decorate a viewset's write action to honour ``Idempotency-Key`` (see the module)."""

    @functools.wraps(action)
    def wrapper(view, request, *args, **kwargs):
        # Twice at most: a second pass only follows a racing request that failed.
        for _attempt in range(2):
            response = _once(view, request, *args, **kwargs)
            if response is not None:
                return response
        return JsonResponse(
            error_body(409, "Another request with this key is still in progress: retry soon."),
            status=409,
        )

    def _once(view, request, *args, **kwargs):
        raw = request.headers.get(HEADER)
        partner = partner_of(request)
        if raw is None or partner is None:
            return action(view, request, *args, **kwargs)
        key = raw.strip()
        if not _KEY_RE.match(key):
            raise ValidationError(
                {HEADER: "Use 1 to 255 visible ASCII characters (a UUID, for example)."}
            )
        organisation = partner.organisation
        cutoff = timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
        IdempotencyKey.objects.filter(organisation=organisation, created_at__lt=cutoff).delete()
        digest = fingerprint(request)
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        record = IdempotencyKey.objects.create(
                            organisation=organisation, key=key, fingerprint=digest, status_code=0
                        )
                except IntegrityError:
                    record = None
                if record is not None:
                    response = action(view, request, *args, **kwargs)
                    if not 200 <= response.status_code < 300:
                        raise _Failed(response)
                    record.status_code = response.status_code
                    record.response_body = JSONRenderer().render(response.data).decode()
                    record.location = response.get("Location", "")
                    record.save(update_fields=["status_code", "response_body", "location"])
                    return response
        except _Failed as failed:
            return failed.response
        # The key was taken: by the first request (now committed) or by one just finished.
        existing = IdempotencyKey.objects.filter(organisation=organisation, key=key).first()
        if existing is None:  # the other request failed and kept no key: carry this one out
            return None
        if existing.fingerprint != digest:
            return _reused()
        return _replay(existing)

    wrapper.idempotent = True
    return wrapper
