"""The content-type registry: each publishable model says once what it is and where it appears.

An app registers its content types in its own ``registry.py`` (imported from its
``AppConfig.ready()``)::

    registry.register(
        Event,
        page=registry.Page("event-list", "events/event_list.html", "events/event_detail.html"),
        api=registry.Api("events", "events.api.views.EventViewSet", "event"),
        search=registry.Search("events", "Events", ("title", "summary", "description", "city")),
        sitemap=registry.Sitemap(priority=0.8, changefreq="weekly"),
        feed=registry.Feed("event-feed"),
        card=registry.Card(date="start", summary="summary"),
    )

Everything that lists content across types reads it: site search (``config.search``), the
sitemaps (``core.sitemaps``), the API router (``config.api_urls``), the editors' dashboard
(``core.admin.dashboard``), the cards and search results (``card`` in ``site_tags``) and
the no-leak crawler's start list. A type with a page also keeps its addresses: renames
redirect and removals answer 410 (``core.redirects.track``, connected here). Later apps
also contribute *related sections* to an earlier app's pages (``add_section``) and fields to
its API details (``add_api_field``) here, so that ``events`` never has to know which later
apps point at its items. Apps also offer *listings* (``add_listing``): the live lists of their
published items that site pages show (``core.sitepages``) without ``core`` naming an app.
``core.checks`` reports a publishable model that is not registered, or is registered
incompletely. The page cache (``core.pagecache``) drops its pages when any table of a
registered type's app changes, and at the next ``publish_at``, ``unpublish_at`` or
``changes_at`` moment of any type.

``core`` imports no content app: models come in as arguments, viewsets and feeds as dotted
paths resolved on first use (so a registration does not import the API at start-up).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.text import capfirst

# An attribute name, or a function of the item.
Getter = str | Callable[[Any], Any] | None


def _get(item, getter: Getter, default=None):
    if getter is None:
        return default
    if callable(getter):
        return getter(item)
    return getattr(item, getter, default)


@dataclass(frozen=True)
class Page:
    """The public pages: a list (by URL name; ``None`` when there is none) and a detail page.

    The detail page's address is the model's ``get_absolute_url()``.
    """

    list_url_name: str | None
    list_template: str | None
    detail_template: str


@dataclass(frozen=True)
class Api:
    """The read-only API viewset, at ``/api/v1/<prefix>/``.

    ``detail_path`` replaces the router's ``<slug>/`` for items addressed by more than one
    slug (a session by its event's and its own); those routes are then built by
    ``config.api_urls`` rather than by the router.
    """

    prefix: str
    viewset: str  # dotted path
    basename: str
    detail_path: str = ""

    @property
    def viewset_class(self):
        return import_string(self.viewset)

    @property
    def list_url_name(self) -> str:
        return f"api:{self.basename}-list"


@dataclass(frozen=True)
class Facets:
    """What a type's search results can be narrowed by, besides their type and year.

    ``topics`` names the many-to-many field to the topics (``events.Topic``); ``country`` the
    path to a country code: a field of the item (``"country"``), of a related item
    (``"affiliation__country"``, counted only while that item is published too), or a
    multiple-choice country field (``"jurisdictions"``). Empty: the type has none.
    """

    topics: str = ""
    country: str = ""


@dataclass(frozen=True)
class Search:
    """Site search: ``fields`` most important first (weighted A, B, then C on PostgreSQL).

    On PostgreSQL the fields and weights are stored, per row, in a generated ``tsvector``
    column with a GIN index, created by a migration (``core.fulltext.AddSearchVector``) that
    names the same fields and weights; ``core.checks`` reports a registration and a migration
    that disagree.

    ``key`` is the ``?type=`` of a search by type, ``label`` the group's heading, and
    ``order`` places the group on the results page (lowest first). ``facets`` says which
    topic and country facets its results offer (``config.search_facets``).
    """

    key: str
    label: str
    fields: tuple[str, ...]
    order: int = 100
    facets: Facets = Facets()
    #: One weight ("A" to "D") per field; by default A, B, then C for the rest.
    weights: tuple[str, ...] = ()

    @property
    def weighted_fields(self) -> tuple[tuple[str, str], ...]:
        """``(field, weight)`` pairs: what the stored search vector holds, and how much each
        field counts when results are ranked (``core.fulltext``)."""
        weights = self.weights or ("A", "B", *("C",) * max(len(self.fields) - 2, 0))
        return tuple(zip(self.fields, weights[: len(self.fields)], strict=False))


@dataclass(frozen=True)
class Sitemap:
    key: str = ""  # the section's name; defaults to the search key or the model's plural
    priority: float | None = None
    changefreq: str | None = None


@dataclass(frozen=True)
class Feed:
    """An Atom feed of the type, by URL name (the feed class lives in the app's feeds.py)."""

    url_name: str


@dataclass(frozen=True)
class Card:
    """How an item appears in mixed lists and search results.

    ``title`` defaults to ``str(item)``; ``date`` is the date a reader associates with it (when
    it happens or was published); ``summary`` a plain-text sentence or two; ``context`` a
    short phrase after the title ("at <event>"); ``template`` the partial that renders one
    item of this type in a list of cards.
    """

    date: Getter = "publish_at"
    summary: Getter = None
    title: Getter = None
    context: Getter = None
    template: str = ""


@dataclass(frozen=True)
class Section:
    """A list of related items on another type's page, contributed by a (later) app.

    ``items(obj, user)`` returns what ``user`` may see (their queries are the section's own
    app's knowledge); the page renders each with ``template``, the item in its context as
    ``as_name``, inside ``<ul class="{list_class}">``. ``more(obj) -> (url, label)`` links to
    the full list, when there is one. For sections shown on many rows of one page (the tracks
    of a programme), ``prefetch(user, prefix)`` returns a ``Prefetch`` that ``items`` then
    reads, so the page's query count does not grow with its rows.
    """

    key: str
    title: str
    items: Callable[[models.Model, Any], Any]
    template: str
    as_name: str = "item"
    list_class: str = "cards"
    more: Callable[[models.Model], tuple[str, str]] | None = None
    prefetch: Callable[[Any, str], models.Prefetch] | None = None
    order: int = 100


@dataclass(frozen=True)
class Listing:
    """A live list of published content that a site page can show (upcoming events, the
    latest news), contributed by the app whose items it lists.

    ``items(limit=..., topic=...)`` returns at most ``limit`` *published* items (never what
    a previewer could see: a page's list is what the public gets), filtered by a topic's
    slug when ``by_topic`` and one is given; each is rendered with ``template``, the item in
    its context as ``as_name``. ``more()`` returns ``(url, label)`` of the full list.
    """

    key: str
    label: str
    items: Callable[..., Any]
    template: str
    as_name: str = "item"
    by_topic: bool = False
    more: Callable[[], tuple[str, str]] | None = None
    order: int = 100


@dataclass(frozen=True)
class ApiField:
    """A field a (later) app adds to another type's API detail, with the prefetch it reads.

    ``field()`` returns a new serializer field; ``prefetch(user)`` the ``Prefetch`` that loads
    what it shows, published rows only.
    """

    name: str
    field: Callable[[], Any]
    prefetch: Callable[[Any], models.Prefetch] | None = None


@dataclass(frozen=True)
class CardData:
    title: str
    url: str
    date: date | datetime | None
    summary: str
    context: str
    type_label: str


@dataclass
class ContentType:
    model: type[models.Model]
    page: Page | None = None
    api: Api | None = None
    search: Search | None = None
    sitemap: Sitemap | None = None
    feed: Feed | None = None
    card: Card = field(default_factory=Card)
    dashboard_label: str = ""
    #: Date-time fields at which the clock changes what pages show of an item, besides
    #: ``publish_at`` and ``unpublish_at``: an event moves from "upcoming" to "past" at its
    #: ``end``. Cached pages expire at the nearest of them (``core.pagecache``).
    changes_at: tuple[str, ...] = ()

    def __post_init__(self):
        if not self.dashboard_label:
            self.dashboard_label = capfirst(self.model._meta.verbose_name)

    @property
    def public_with(self) -> tuple[str, ...]:
        """The parents without which an item is not public (a session's event).

        Declared once, on the model's QuerySet (``published_with``, read by ``published()``);
        search and the sitemap load them with the item, since its URL and card need them.
        """
        queryset_class = getattr(self.model._default_manager, "_queryset_class", None)
        return tuple(name.rstrip("?") for name in getattr(queryset_class, "published_with", ()))

    @property
    def label(self) -> str:
        return self.model._meta.label

    def published(self) -> QuerySet:
        """The public items, with the parents their URLs and cards need."""
        queryset = self.model._default_manager.published()
        return queryset.select_related(*self.public_with) if self.public_with else queryset

    @property
    def sitemap_key(self) -> str:
        if self.sitemap and self.sitemap.key:
            return self.sitemap.key
        if self.search:
            return self.search.key
        return str(self.model._meta.verbose_name_plural).replace(" ", "-")

    def list_url(self) -> str | None:
        if self.page and self.page.list_url_name:
            return reverse(self.page.list_url_name)
        return None


_types: dict[type[models.Model], ContentType] = {}
_sections: dict[type[models.Model], list[Section]] = {}
_api_fields: dict[type[models.Model], list[ApiField]] = {}
_listings: dict[str, Listing] = {}
_watchers: list[Callable[[ContentType], None]] = []


class AlreadyRegistered(Exception):
    pass


def register(model: type[models.Model], **options) -> ContentType:
    """Register ``model`` as a content type; see the module docstring for the options."""
    if model in _types:
        raise AlreadyRegistered(f"{model._meta.label} is already registered.")
    content_type = ContentType(model=model, **options)
    _types[model] = content_type
    if content_type.page:
        from core import redirects

        # A type with pages keeps its addresses: renames redirect, removals answer 410.
        redirects.track(model)
    for callback in _watchers:
        callback(content_type)
    return content_type


def on_register(callback: Callable[[ContentType], None]) -> None:
    """Call ``callback(content_type)`` for each type registered so far and from now on.

    For platform services that must hook into every content type's tables once the type is
    known (the page cache's invalidation, ``core.pagecache``); the callback must be idempotent,
    since a type can be registered again (tests replace registrations).
    """
    _watchers.append(callback)
    for content_type in list(_types.values()):
        callback(content_type)


def unregister(model: type[models.Model]) -> None:
    """Remove a registration (for tests that register a type of their own)."""
    _types.pop(model, None)


def add_section(model: type[models.Model], section: Section) -> None:
    """Show ``section`` on the detail pages of ``model`` (registered from the section's app)."""
    sections = _sections.setdefault(model, [])
    if any(existing.key == section.key for existing in sections):
        raise AlreadyRegistered(f"{model._meta.label} already has a section {section.key!r}.")
    sections.append(section)
    sections.sort(key=lambda s: s.order)


def add_api_field(model: type[models.Model], api_field: ApiField) -> None:
    """Add ``api_field`` to the API detail of ``model`` (registered from the field's app)."""
    fields = _api_fields.setdefault(model, [])
    if any(existing.name == api_field.name for existing in fields):
        raise AlreadyRegistered(f"{model._meta.label} already has an API field {api_field.name!r}.")
    fields.append(api_field)


def add_listing(listing: Listing) -> None:
    """Offer ``listing`` to site pages' live-list blocks (registered from its items' app)."""
    if listing.key in _listings:
        raise AlreadyRegistered(f"A listing {listing.key!r} is already registered.")
    _listings[listing.key] = listing


def listings() -> list[Listing]:
    """The live lists a page can show, in their order (for the editors' choice)."""
    return sorted(_listings.values(), key=lambda listing: (listing.order, listing.label))


def listing(key: str) -> Listing | None:
    return _listings.get(key)


def api_fields(model: type[models.Model]) -> list[ApiField]:
    return list(_api_fields.get(model._meta.concrete_model, ()))


def api_prefetches(model: type[models.Model], user) -> list[models.Prefetch]:
    return [f.prefetch(user) for f in api_fields(model) if f.prefetch]


def types() -> list[ContentType]:
    """Every registered type, in registration order (the app chain's order)."""
    return list(_types.values())


def get(model: type[models.Model]) -> ContentType | None:
    return _types.get(model._meta.concrete_model)


def with_page() -> Iterator[ContentType]:
    return (t for t in _types.values() if t.page)


def searchable() -> list[ContentType]:
    return sorted((t for t in _types.values() if t.search), key=lambda t: t.search.order)


def in_sitemap() -> Iterator[ContentType]:
    return (t for t in _types.values() if t.sitemap)


def in_api() -> Iterator[ContentType]:
    return (t for t in _types.values() if t.api)


def with_feed() -> Iterator[ContentType]:
    return (t for t in _types.values() if t.feed)


def related_sections(obj: models.Model, user) -> list[dict]:
    """The sections other apps add to ``obj``'s page, each with the items ``user`` may see.

    Sections without items are left out, so a template can show what it gets.
    """
    found = []
    for section in _sections.get(type(obj)._meta.concrete_model, ()):
        items = list(section.items(obj, user))
        if items:
            more_url, more_label = section.more(obj) if section.more else ("", "")
            found.append(
                {"section": section, "items": items, "more_url": more_url, "more_label": more_label}
            )
    return found


def section_prefetches(model: type[models.Model], user, prefix: str = "") -> list[models.Prefetch]:
    """The prefetches of the sections on ``model`` that have one (``prefix`` to reach it)."""
    return [
        section.prefetch(user, prefix)
        for section in _sections.get(model._meta.concrete_model, ())
        if section.prefetch
    ]


def card(item: models.Model) -> CardData:
    """What a card or search result shows for ``item``, read from its registration."""
    content_type = get(type(item))
    spec = content_type.card if content_type else Card()
    title = _get(item, spec.title)
    url = item.get_absolute_url() if hasattr(item, "get_absolute_url") else ""
    return CardData(
        title=str(title if title is not None else item),
        url=url,
        date=_get(item, spec.date),
        summary=_get(item, spec.summary, "") or "",
        context=_get(item, spec.context, "") or "",
        type_label=content_type.dashboard_label if content_type else "",
    )
