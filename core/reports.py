"""What the editors' reports read: every item of every registered type, by page, at any size.

The reports (``core.admin.reports``) list content across types: the inventory (every item,
newest change first), aging content (oldest change first), the scheduled timeline and the
broken links. Each reads the content-type registry (``core.registry``), so a new type is in
every report once it is registered.

*At scale* (the archive holds 100k rows): a page of the inventory is one ``UNION ALL`` of one
part per type, each part ``ORDER BY updated_at DESC LIMIT n+1`` read from the index on
``updated_at`` (filtered by ``status`` or ``created_by``, both indexed), and the outer query
keeps the first ``n``. Pages follow each other by *keyset* (the last row's ``updated_at``,
type and id, in the ``after`` cursor), never by ``OFFSET``, and nothing is counted: a page
costs the same on page 1 and on page 2,000, and no ``COUNT(*)`` runs over the archive. The
CSV export walks the same pages.

*Pending changes* (a saved version of a live item that is not public yet) are asked of
:func:`pending_changes`, one call per page.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, models
from django.db.models import F, Q, Value
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core import registry
from core.publishing import Publishable, Status
from core.references import Ref, linkable_model, rich_text_fields, title_field

PAGE_SIZE = 50
#: Rows a CSV export reads per query.
EXPORT_BATCH = 500
#: The scheduled timeline lists at most this many moments.
TIMELINE_LIMIT = 500
#: The broken-links report lists at most this many links.
BROKEN_LIMIT = 500

_COLUMNS = (
    "r_type",
    "r_pk",
    "r_title",
    "r_status",
    "r_owner_id",
    "r_owner",
    "r_updated",
    "r_publish",
    "r_unpublish",
)


# ---------------------------------------------------------------------------------------------
# Pending changes


def _no_pending_changes(model: type[models.Model], pks: Iterable[int]) -> set[int]:
    return set()


_pending_source: Callable[[type[models.Model], Iterable[int]], set[int]] = _no_pending_changes


def pending_changes(model: type[models.Model], pks: Iterable[int]) -> set[int]:
    """The ids among ``pks`` of ``model`` that have pending changes (a version saved for
    review while the live one stays public). Empty until a source is set with
    :func:`set_pending_changes`; one call per type on a page, so it should make one query."""
    pks = list(pks)
    return set(_pending_source(model, pks)) if pks else set()


def set_pending_changes(source: Callable[[type[models.Model], Iterable[int]], set[int]]) -> None:
    """Where :func:`pending_changes` asks: ``source(model, pks) -> set of pks``."""
    global _pending_source
    _pending_source = source


# ---------------------------------------------------------------------------------------------
# Rows across types


@dataclass
class Row:
    """One item in a report, whatever its type."""

    content_type: registry.ContentType
    pk: int
    title: str
    status: str
    owner_id: int | None
    owner: str
    updated_at: datetime
    publish_at: datetime | None
    unpublish_at: datetime | None
    pending: bool = False

    @property
    def model(self) -> type[models.Model]:
        return self.content_type.model

    @property
    def type_label(self) -> str:
        return self.content_type.dashboard_label

    @property
    def status_label(self) -> str:
        return Status(self.status).label if self.status in Status.values else self.status

    @property
    def state(self) -> str:
        """The state as a reader of the site sees it: scheduled and expired items apart."""
        now = timezone.now()
        if self.status == Status.PUBLISHED and self.publish_at and self.publish_at > now:
            return "Scheduled"
        if self.status == Status.PUBLISHED and self.unpublish_at and self.unpublish_at <= now:
            return "Expired"
        return self.status_label


@dataclass
class Filters:
    """What a report is narrowed to; empty values mean everything."""

    types: list[registry.ContentType]
    status: str = ""
    owner_id: int | None = None
    #: Only items not changed since then (aging content).
    changed_before: datetime | None = None


@dataclass
class Page:
    rows: list[Row]
    #: The cursor of the next page, or "" on the last one.
    after: str = ""


def publishable_types() -> list[registry.ContentType]:
    return [t for t in registry.types() if issubclass(t.model, Publishable)]


def type_rank(content_type: registry.ContentType) -> int:
    """The type's place among the registered types: how rows changed at the same moment are
    ordered (a number, so that the database and Python order them alike, whatever the
    collation)."""
    return publishable_types().index(content_type)


def type_key(content_type: registry.ContentType) -> str:
    return content_type.model._meta.label_lower


def _part(
    content_type: registry.ContentType,
    filters: Filters,
    cursor,
    descending: bool,
    limit: int | None,
):
    model = content_type.model
    key = type_rank(content_type)
    queryset = model._base_manager.all()
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.owner_id is not None:
        queryset = queryset.filter(created_by_id=filters.owner_id)
    if filters.changed_before is not None:
        queryset = queryset.filter(updated_at__lt=filters.changed_before)
    if cursor is not None:
        moment, cursor_key, cursor_pk = cursor
        before = "lt" if descending else "gt"
        # Rows are ordered by (updated_at, type, id): the same moment goes on by type and id.
        if key == cursor_key:
            queryset = queryset.filter(
                Q(**{f"updated_at__{before}": moment})
                | Q(updated_at=moment, **{f"pk__{before}": cursor_pk})
            )
        elif (key < cursor_key) == descending:
            queryset = queryset.filter(**{f"updated_at__{before}e": moment})
        else:
            queryset = queryset.filter(**{f"updated_at__{before}": moment})
    name = title_field(model)
    sign = "-" if descending else ""
    return _each_limited(
        queryset.annotate(
            r_type=Value(key, models.IntegerField()),
            r_pk=F("pk"),
            r_title=F(name) if name else Value("", models.CharField()),
            r_status=F("status"),
            r_owner_id=F("created_by_id"),
            r_owner=F("created_by__username"),
            r_updated=F("updated_at"),
            r_publish=F("publish_at"),
            r_unpublish=F("unpublish_at"),
        ).values_list(*_COLUMNS),
        (f"{sign}updated_at", f"{sign}pk"),
        limit,
    )


def _each_limited(queryset, ordering: tuple[str, ...], limit: int | None):
    """A part of a ``UNION ALL`` that reads its first ``limit`` rows by ``ordering`` from its
    index, where the database allows a limit inside a union (PostgreSQL; not SQLite, whose
    union then reads each part whole, at the sizes SQLite is used for)."""
    if limit is not None and connection.features.supports_slicing_ordering_in_compound:
        return queryset.order_by(*ordering)[:limit]
    return queryset.order_by()


def _encode(row: Row) -> str:
    return f"{row.updated_at.isoformat()}|{type_rank(row.content_type)}|{row.pk}"


def _decode(after: str):
    try:
        moment, rank, pk = after.split("|")
        parsed = parse_datetime(moment)
        return (parsed, int(rank), int(pk)) if parsed else None
    except ValueError:
        return None


def content_page(
    filters: Filters, *, after: str = "", descending: bool = True, size: int = PAGE_SIZE
) -> Page:
    """One page of items of ``filters.types``, by last change (newest first unless
    ``descending`` is false), after the cursor ``after``: one query, plus the pending-changes
    source once per type on the page."""
    if not filters.types:
        return Page([])
    cursor = _decode(after) if after else None
    by_key = {type_rank(t): t for t in filters.types}
    # A single type is one query limited at the end; several, a union of limited parts.
    limit = size + 1 if len(filters.types) > 1 else None
    parts = [_part(t, filters, cursor, descending, limit) for t in filters.types]
    sign = "-" if descending else ""
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    query = query.order_by(f"{sign}r_updated", f"{sign}r_type", f"{sign}r_pk")
    rows = [
        Row(by_key[key], pk, str(title), status, owner_id, owner or "", updated, publish, end)
        for key, pk, title, status, owner_id, owner, updated, publish, end in query[: size + 1]
    ]
    more = len(rows) > size
    rows = rows[:size]
    by_type: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        by_type[type_rank(row.content_type)].append(row)
    for key, group in by_type.items():
        pending = pending_changes(by_key[key].model, [row.pk for row in group])
        for row in group:
            row.pending = row.pk in pending
    return Page(rows, _encode(rows[-1]) if more else "")


def all_rows(filters: Filters, *, descending: bool = True) -> Iterator[Row]:
    """Every item, page after page (what the CSV export streams): one query per
    ``EXPORT_BATCH`` rows, whatever the size."""
    after = ""
    while True:
        page = content_page(filters, after=after, descending=descending, size=EXPORT_BATCH)
        yield from page.rows
        if not page.after:
            return
        after = page.after


def months_ago(months: int, now: datetime | None = None) -> datetime:
    """The moment ``months`` calendar months before ``now`` (the 31st becomes the month's last)."""
    now = now or timezone.now()
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    return now.replace(year=year, month=month + 1, day=min(now.day, monthrange(year, month + 1)[1]))


# ---------------------------------------------------------------------------------------------
# The scheduled timeline


@dataclass
class Moment:
    content_type: registry.ContentType
    pk: int
    title: str
    when: datetime
    #: "live" (publish_at) or "expires" (unpublish_at).
    kind: str


def timeline(
    types: list[registry.ContentType], *, days: int, now: datetime | None = None
) -> tuple[list[tuple[object, list[Moment]]], bool]:
    """What goes live and what expires in the next ``days`` days, by day in the site's time
    zone, and whether the list was cut at ``TIMELINE_LIMIT``. One query: two parts per type
    (published items with a future ``publish_at``, or ``unpublish_at``), both read from the
    publishing index on (status, publish_at, unpublish_at)."""
    now = now or timezone.now()
    until = now + timedelta(days=days)
    by_key = {type_key(t): t for t in types}
    parts = []
    for content_type in types:
        model = content_type.model
        name = title_field(model)
        for kind, moment in (("live", "publish_at"), ("expires", "unpublish_at")):
            parts.append(
                _each_limited(
                    model._base_manager.filter(
                        status=Status.PUBLISHED,
                        **{f"{moment}__gt": now, f"{moment}__lte": until},
                    )
                    .annotate(
                        r_type=Value(type_key(content_type), models.CharField()),
                        r_pk=F("pk"),
                        r_title=F(name) if name else Value("", models.CharField()),
                        r_when=F(moment),
                        r_kind=Value(kind, models.CharField()),
                    )
                    .values_list("r_type", "r_pk", "r_title", "r_when", "r_kind"),
                    (moment,),
                    TIMELINE_LIMIT + 1,
                )
            )
    if not parts:
        return [], False
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    query = query.order_by("r_when", "r_type", "r_pk")
    moments = [
        Moment(by_key[key], pk, str(title), when, kind)
        for key, pk, title, when, kind in query[: TIMELINE_LIMIT + 1]
    ]
    cut = len(moments) > TIMELINE_LIMIT
    days_found: dict[object, list[Moment]] = {}
    for moment in moments[:TIMELINE_LIMIT]:
        days_found.setdefault(timezone.localdate(moment.when), []).append(moment)
    return list(days_found.items()), cut


# ---------------------------------------------------------------------------------------------
# Links in rich text

_HREF = re.compile(r'<a\s[^>]*?href="(https?://[^"]+)"', re.I)
_DATA_REF = re.compile(r'data-ref="([^"]+)"')


@dataclass
class Source:
    """An item whose rich text holds links."""

    content_type: registry.ContentType
    pk: int
    title: str

    @property
    def type_label(self) -> str:
        return self.content_type.dashboard_label


@dataclass
class BrokenReference:
    source: Source
    ref: Ref
    #: The target's title ("" when it was deleted) and why it is not public.
    title: str
    reason: str


@dataclass
class Links:
    """The links found in the rich text of published items."""

    broken: list[BrokenReference] = field(default_factory=list)
    #: External address -> the items that link to it.
    external: dict[str, list[Source]] = field(default_factory=dict)
    #: True when ``broken`` was cut at ``BROKEN_LIMIT``.
    cut: bool = False


def _why_not_public(status: str, publish_at, unpublish_at, now) -> str:
    if status == Status.PUBLISHED and publish_at and publish_at > now:
        return "scheduled, not public yet"
    if status == Status.PUBLISHED and unpublish_at and unpublish_at <= now:
        return "expired"
    if status == Status.PUBLISHED:
        return "not public (a parent item is not public)"
    return Status(status).label.lower() if status in Status.values else status


def links_in_rich_text(types: list[registry.ContentType]) -> Links:
    """Links in the rich text of the published items of ``types``: the references to items
    no longer public (with why), and the external addresses with who links to them.

    One query per type with rich text (only rows whose text holds a link are read, in
    chunks), then one or two per type of item referenced, whatever the number of links.
    """
    now = timezone.now()
    found = Links()
    refs: dict[Ref, list[Source]] = defaultdict(list)
    for content_type in types:
        model = content_type.model
        fields = rich_text_fields(model)
        name = title_field(model)
        if not fields:
            continue
        has_link = Q()
        for field_name in fields:
            has_link |= Q(**{f"{field_name}__contains": "<a "})
        rows = (
            model._base_manager.filter(has_link, status=Status.PUBLISHED)
            .order_by("pk")
            .values_list("pk", name or "pk", *fields)
        )
        for pk, title, *texts in rows.iterator(chunk_size=1000):
            source = Source(content_type, pk, str(title))
            for text in texts:
                for value in _DATA_REF.findall(text or ""):
                    ref = Ref.parse(value)
                    if ref is not None and source not in refs[ref]:
                        refs[ref].append(source)
                for url in _HREF.findall(text or ""):
                    sources = found.external.setdefault(url, [])
                    if source not in sources:
                        sources.append(source)
    by_label: dict[str, set[int]] = defaultdict(set)
    for ref in refs:
        by_label[ref.label].add(ref.pk)
    for label, pks in sorted(by_label.items()):
        model = linkable_model(label)
        if model is None:
            reasons = dict.fromkeys(pks, ("", "not a type that can be linked"))
        else:
            public = set(
                model._default_manager.published().filter(pk__in=pks).values_list("pk", flat=True)
            )
            hidden = pks - public
            name = title_field(model)
            reasons = dict.fromkeys(hidden, ("", "deleted"))
            if hidden:
                for pk, title, status, publish_at, unpublish_at in model._base_manager.filter(
                    pk__in=hidden
                ).values_list("pk", name or "pk", "status", "publish_at", "unpublish_at"):
                    why = _why_not_public(status, publish_at, unpublish_at, now)
                    reasons[pk] = (str(title), why)
        for pk, (title, reason) in sorted(reasons.items()):
            ref = Ref(label, pk)
            for source in refs[ref]:
                found.broken.append(BrokenReference(source, ref, title, reason))
    found.broken.sort(key=lambda b: (b.source.type_label, b.source.title.casefold()))
    found.cut = len(found.broken) > BROKEN_LIMIT
    found.broken = found.broken[:BROKEN_LIMIT]
    return found
