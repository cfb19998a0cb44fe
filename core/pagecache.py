"""The server-side cache of anonymous page renders: its keys, its entries, and when they stop
being current. ``core.caching.PublicCacheMiddleware`` serves from it and fills it.

A page is stored once per *address*: the release, scheme, host, path and query string (its
parameters sorted, so ``?a=1&b=2`` and ``?b=2&a=1`` are one page). Nothing else varies for an
anonymous visitor: the site has no language negotiation and no fragment requests, and a
response that says it varies on any header but ``Cookie`` is not stored.

An entry is current while the *state* it was rendered in still holds:

- the **content version**, a counter in the shared cache (so every app server sees it), bumped
  by one signal handler whenever any table of an app that registers a content type is saved
  or deleted (items, their child rows, many-to-many links, reference data): publishing, an
  edit, withdrawing, archiving, a speaker's new name on every session page that shows it. The
  bump happens at once and again when the transaction commits, so a page rendered between the
  write and the commit (which still saw the old rows) is not kept. Writes that send no signals
  (``QuerySet.update()``, ``bulk_create``) call ``content_changed()`` themselves;
- the **next schedule boundary**: the nearest future ``publish_at``, ``unpublish_at`` or
  registered ``changes_at`` moment (``core.registry``) among published items, found by one
  query and kept in the cache with the version it was computed for. Once the clock passes it,
  the state changes and every page renders afresh: a scheduled item appears on time;
- the **release** (``RELEASE``, or a digest of the code and templates), so a deploy never
  serves pages rendered by the previous code;

and for at most ``PAGE_CACHE_SECONDS``, a cap for changes nothing signals.

The ETag of a cached page is a hash of its address and that state, so a request whose
``If-None-Match`` matches is answered 304 before the view runs, without a database query.

*Stampedes*: when a hot page's entry is out of date, the first request takes a short lock
(``cache.add``) and renders; the others serve the out-of-date copy meanwhile (for as long as
one render takes), or, when there is none, wait up to ``PAGE_CACHE_WAIT_SECONDS`` for the
first render before rendering themselves.

*CSP nonces*: a stored body has the nonce of the response it came from replaced by a
placeholder, and every response served from the cache gets a fresh nonce in its body and its
``Content-Security-Policy`` header alike.

*Redis down*: while the shared cache answers from a process's own memory
(``core.resilient_cache``), pages are neither served from nor stored in the cache, since an
edit on another app server would not reach this process's version counter.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import time
import zlib
from dataclasses import dataclass, field
from functools import cache as memoize
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
BOUNDARY_KEY = "pagecache:boundary"
PAGE_KEY = "pagecache:page:"

#: How long a render may hold a page's lock before others stop waiting for it (seconds).
LOCK_SECONDS = 30
#: How often a request waiting for another's render looks for its result (seconds).
POLL_SECONDS = 0.05
#: Bodies at least this long are stored compressed (zlib, fastest level).
COMPRESS_FROM = 4096

#: Response attributes that middleware outside the cache reads (django-csp's per-view
#: policies, the clickjacking exemption): kept with the entry, so a page served from the cache
#: gets the headers its view asked for.
RESPONSE_ATTRIBUTES = (
    "xframe_options_exempt",
    "_csp_exempt",
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt_ro",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
#: Headers not stored: set per response (by the middleware outside the cache or again here).
UNSTORED_HEADERS = {"content-length", "etag", "date", "set-cookie", "x-page-cache"}


# ---------------------------------------------------------------------------
# Invalidation


_missed_bump = False


def content_changed(**kwargs) -> None:
    """Mark every cached page out of date: now, and again when the transaction commits.

    The signal handler for every table of a registered content type's app; call it directly
    after writes that send no signals (``QuerySet.update()``, ``bulk_create``). A preview's
    writes and a pending change's (``core.previews``) are rolled back and change nothing.
    """
    from core import previews

    if previews.active():
        return
    _bump()
    connection = transaction.get_connection(kwargs.get("using") or "default")
    if connection.in_atomic_block and not any(
        callback is _bump for _, callback, _ in getattr(connection, "run_on_commit", ())
    ):
        transaction.on_commit(_bump, using=connection.alias)


def _links_changed(action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        content_changed(**kwargs)


def _new_version() -> int:
    # Above any count reached before, so a version key lost from the cache (evicted, flushed)
    # never comes back as a number that old entries were stored under.
    return time.time_ns() // 1000


def _bump() -> None:
    global _missed_bump
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there (a cold cache): any new number is a new version
        cache.add(VERSION_KEY, _new_version(), timeout=None)
    # While Redis is down the bump landed in this process's memory: repeat it once Redis is
    # back, since entries stored before the outage would otherwise look current.
    _missed_bump = _missed_bump or degraded()


def watch(content_type) -> None:
    """Invalidate on every write to the tables of ``content_type``'s app (idempotent).

    Connected per model, never for every sender: a delete listener on all models would turn
    Django's fast deletes (sessions, lockout logs) into row-by-row ones.
    """
    app_config = apps.get_app_config(content_type.model._meta.app_label)
    watch_models(app_config.get_models(include_auto_created=True))


def watch_models(models) -> None:
    """Invalidate on every write to ``models``: the tables of a registered type's app, and the
    platform's tables that every page shows (the menus, ``core.menus``). Idempotent."""
    for model in models:
        uid = f"pagecache:{model._meta.label}"
        post_save.connect(content_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(content_changed, sender=model, dispatch_uid=uid)
        m2m_changed.connect(_links_changed, sender=model, dispatch_uid=uid)


def next_boundary(now) -> float:
    """When the clock next changes what the site shows: the nearest future ``publish_at``,
    ``unpublish_at`` or ``changes_at`` of a published item of any type, or time of a scheduled
    pending change (``core.pending``), as a timestamp (``inf`` when nothing is scheduled).
    One query: a ``UNION ALL`` of one ``MIN`` per field."""
    from core import registry
    from core.pending import PendingChange
    from core.publishing import Publishable, Status

    parts = [
        content_type.model._base_manager.filter(status=Status.PUBLISHED, **{f"{name}__gt": now})
        .order_by()
        .values("status")
        .annotate(soonest=Min(name))
        .values_list("soonest", flat=True)
        for content_type in registry.types()
        if issubclass(content_type.model, Publishable)
        for name in ("publish_at", "unpublish_at", *content_type.changes_at)
    ]
    if parts:
        parts.append(
            PendingChange.objects.filter(state=PendingChange.State.SCHEDULED, publish_at__gt=now)
            .order_by()
            .values("state")
            .annotate(soonest=Min("publish_at"))
            .values_list("soonest", flat=True)
        )
    if not parts:
        return math.inf
    first, *rest = parts
    moments = [moment for moment in first.union(*rest, all=True) if moment is not None]
    return min(moments).timestamp() if moments else math.inf


# ---------------------------------------------------------------------------
# The release


@memoize
def release() -> str:
    """``RELEASE`` (a deploy's commit or tag), else a digest of what renders pages: the Python
    source and templates of the project and the static files' manifest. Every app server of
    one deploy computes the same value."""
    if settings.RELEASE:
        return settings.RELEASE
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    folders = {base / "templates"} | {
        Path(app.path) for app in apps.get_app_configs() if Path(app.path).is_relative_to(base)
    }
    for folder in sorted(folders):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".html", ".txt", ".xml") and "tests" not in path.parts:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


# ---------------------------------------------------------------------------
# Entries


@dataclass
class Entry:
    """One stored page: its response without the per-response headers, and its state."""

    state: str
    etag: str
    expires: float
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    compressed: bool = False
    nonce: bool = False
    attributes: dict = field(default_factory=dict)

    def response(self, request: HttpRequest) -> HttpResponse:
        body = zlib.decompress(self.body) if self.compressed else self.body
        if self.nonce:
            # django-csp's lazy nonce is falsy until read: reading it here makes one, and
            # puts it in this response's Content-Security-Policy.
            nonce = getattr(request, "csp_nonce", None)
            body = body.replace(placeholder(), b"" if nonce is None else str(nonce).encode())
        response = HttpResponse(body, status=self.status)
        for name, value in self.headers:
            response[name] = value
        for name, value in self.attributes.items():
            setattr(response, name, value)
        response["ETag"] = self.etag
        response["Content-Length"] = str(len(body))
        return response


@memoize
def placeholder() -> bytes:
    """What stands for the CSP nonce in a stored body: derived from SECRET_KEY, so that no
    content can contain it, and the same on every app server."""
    key = settings.SECRET_KEY.encode()
    return b"csp-nonce-" + hmac.new(key, b"page cache nonce", "sha256").hexdigest()[:24].encode()


def degraded() -> bool:
    """True while the shared cache answers from this process's memory (Redis unreachable)."""
    return bool(getattr(cache, "degraded", False))


@dataclass
class Lookup:
    """What the middleware knows about a request's page before the view runs."""

    key: str
    state: str
    etag: str
    entry: Entry | None
    locked: bool = False

    @property
    def current(self) -> bool:
        return (
            self.entry is not None
            and self.entry.state == self.state
            and self.entry.expires > timezone.now().timestamp()
        )

    @property
    def lock_key(self) -> str:
        return lock_key(self.key)


def page_key(request: HttpRequest) -> str:
    """The cache key of the page at this request's address (see the module docstring)."""
    query = "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
    address = f"{release()}|{request.scheme}://{request.get_host()}{request.path}?{query}"
    return PAGE_KEY + hashlib.sha256(address.encode()).hexdigest()[:40]


def lock_key(key: str) -> str:
    return f"{key}:lock"


def _state(version: int, boundary: float) -> str:
    return f"{version}.{'none' if boundary == math.inf else int(boundary)}"


def content_version() -> int | None:
    """The content version alone, without the schedule boundary: what a value that tracks its
    own moments is kept under (the menus, ``core.menus``). No query; ``None`` while the shared
    cache is unreachable."""
    version = cache.get(VERSION_KEY)
    if degraded():
        return None
    if version is None:
        cache.add(VERSION_KEY, _new_version(), timeout=None)
        version = cache.get(VERSION_KEY)
        if version is None or degraded():
            return None
    return version


def content_state() -> str | None:
    """The content version and the next schedule boundary, as one string: what a value
    computed from the published content is kept under (``core.choosers``' suggestions), so it
    is recomputed only once content changes or a scheduled item goes live or expires.
    ``None`` while the shared cache is unreachable."""
    found = cache.get_many([VERSION_KEY, BOUNDARY_KEY])
    if degraded():
        return None
    version = found.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_version(), timeout=None)
        version = cache.get(VERSION_KEY)
        if version is None or degraded():
            return None
    now = timezone.now()
    known = found.get(BOUNDARY_KEY)
    if known and known[0] == version and known[1] > now.timestamp():
        boundary = known[1]
    else:
        boundary = next_boundary(now)
        cache.set(BOUNDARY_KEY, (version, boundary), timeout=None)
    return _state(version, boundary)


def lookup(request: HttpRequest) -> Lookup | None:
    """The page's key, state, ETag and stored entry: one cache round trip (two when the version
    is new, plus one query when the schedule boundary must be found again). ``None`` while the
    shared cache is unreachable."""
    global _missed_bump
    key = page_key(request)
    found = cache.get_many([VERSION_KEY, BOUNDARY_KEY, key])
    if degraded():
        return None
    if _missed_bump:
        _missed_bump = False
        _bump()
        found.pop(VERSION_KEY, None)
    version = found.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_version(), timeout=None)
        version = cache.get(VERSION_KEY)
        if version is None or degraded():
            return None
    now = timezone.now()
    known = found.get(BOUNDARY_KEY)
    if known and known[0] == version and known[1] > now.timestamp():
        boundary = known[1]
    else:
        boundary = next_boundary(now)
        cache.set(BOUNDARY_KEY, (version, boundary), timeout=None)
    state = _state(version, boundary)
    etag = '"' + hashlib.sha256(f"{key}|{state}".encode()).hexdigest()[:32] + '"'
    entry = found.get(key)
    if not isinstance(entry, Entry):
        entry = None
    return Lookup(key=key, state=state, etag=etag, entry=entry)


def take_lock(found: Lookup) -> bool:
    found.locked = bool(cache.add(found.lock_key, 1, timeout=LOCK_SECONDS))
    return found.locked


def release_lock(found: Lookup) -> None:
    if found.locked:
        cache.delete(found.lock_key)
        found.locked = False


def wait_for(found: Lookup) -> Entry | None:
    """Wait (up to PAGE_CACHE_WAIT_SECONDS) for another request's render of this page."""
    deadline = time.monotonic() + settings.PAGE_CACHE_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        entry = cache.get(found.key)
        if isinstance(entry, Entry) and entry.state == found.state:
            return entry
        if not cache.has_key(found.lock_key):
            return None
    return None


def store(request: HttpRequest, response: HttpResponse, found: Lookup) -> None:
    """Keep ``response`` (already checked to be shareable) as the page at ``found.key``, and
    give it the page's ETag: weak when the body holds a CSP nonce, since each copy served then
    differs in those bytes."""
    body = response.content
    nonce = getattr(request, "_csp_nonce", None)
    has_nonce = isinstance(nonce, str) and nonce.encode() in body
    if has_nonce:
        body = body.replace(nonce.encode(), placeholder())
    response["ETag"] = f"W/{found.etag}" if has_nonce else found.etag
    compressed = len(body) >= COMPRESS_FROM
    if compressed:
        body = zlib.compress(body, 1)
    entry = Entry(
        state=found.state,
        etag=response["ETag"],
        expires=timezone.now().timestamp() + settings.PAGE_CACHE_SECONDS,
        status=response.status_code,
        headers=[
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in UNSTORED_HEADERS
        ],
        body=body,
        compressed=compressed,
        nonce=has_nonce,
        attributes={
            name: getattr(response, name)
            for name in RESPONSE_ATTRIBUTES
            if name in response.__dict__
        },
    )
    # Kept twice as long as it is current, so a stale copy can stand in during a re-render.
    cache.set(found.key, entry, timeout=2 * settings.PAGE_CACHE_SECONDS)
