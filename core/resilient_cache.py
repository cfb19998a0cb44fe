"""The shared cache (Redis), degrading to this process's memory while Redis is unreachable.

Everything the site keeps in the cache can be lost or recomputed: image sizes, conditional-GET
validators, API rate-limit counters. So an unreachable Redis must slow the site down a little,
never take it down. Django's own ``RedisCache`` raises ``redis.exceptions.ConnectionError`` to
the caller instead, which turned every API request and every page with an image into a 500.

``ResilientRedisCache`` is that backend with each operation wrapped: when Redis fails (refused,
timed out, reset), the call is answered by a per-process ``LocMemCache`` and a warning is logged
once per outage. For ``REDIS_RETRY_SECONDS`` after a failure Redis is not asked at all, so a dead
server costs one connect timeout per process per interval, not one per cache call. Rate limits
then count per process (looser, but still limits) until Redis answers again.

Why not django-redis with ``IGNORE_EXCEPTIONS``: it turns a failed read into a miss and a failed
write into nothing, so throttles silently stop counting; and it is a second Redis client library
beside the one Django already ships a backend for.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_WRAPPED = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._fallback = LocMemCache(
            f"fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)}
        )
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def degraded(self) -> bool:
        """True while calls go to local memory because Redis failed recently."""
        return time.monotonic() < self._down_until

    def ping(self) -> None:
        """Ask Redis itself (never the fallback); raises RedisError if it does not answer."""
        self._cache.get_client(write=True).ping()

    def _failed(self, operation: str, exc: Exception) -> None:
        with self._lock:
            first = not self.degraded
            self._down_until = time.monotonic() + self.retry_seconds
        if first:
            logger.warning(
                "Redis is unreachable (%s on %s: %s); caching and rate limits use this "
                "process's memory, retrying every %ss.",
                type(exc).__name__,
                operation,
                exc,
                self.retry_seconds,
            )

    def _call(self, operation: str, *args, **kwargs):
        if not self.degraded:
            was_down = self._down_until > 0
            try:
                result = getattr(super(), operation)(*args, **kwargs)
            except RedisError as exc:
                self._failed(operation, exc)
            else:
                if was_down:
                    with self._lock:
                        self._down_until = 0.0
                    logger.warning("Redis answers again; the shared cache is back in use.")
                return result
        return getattr(self._fallback, operation)(*args, **kwargs)


def _delegate(operation: str):
    def method(self, *args, **kwargs):
        return self._call(operation, *args, **kwargs)

    method.__name__ = operation
    method.__doc__ = f"``{operation}`` on Redis, or on local memory while Redis is down."
    return method


for _operation in _WRAPPED:
    setattr(ResilientRedisCache, _operation, _delegate(_operation))
