"""Addresses that keep working: redirects from old URLs, and 410 Gone for removed ones.

One table, ``Redirect``: an old path and what it leads to now. A row's target is an *item*
(any registered content type with a page, by type and primary key, plus which of its
addresses: the page or one of its exports), a *URL*, or nothing at all, which means the
address was public once and is gone (410). Item targets are resolved at request time, so a
later rename is followed, and only while the item is public: a redirect to an item that is
not public answers 404, so no row ever reveals a draft.

Rows are made in one place, the save and delete signals of the registered types with a page
(connected by ``core.registry.register``, see :func:`track`), by comparing an item's public
addresses before and after:

- the slug (or a parent's slug that is part of the URL: a session's event) changed while the
  item was public: each old address (the page and every export under it, read from the
  export tables) redirects permanently to the same address of the item; children whose URLs
  embed the item (the sessions of an event) get theirs too, in bulk;
- a public item is archived or deleted: its addresses are recorded as gone (410); an editor
  may choose a replacement instead (``replace``), in the admin. What was public below an
  archived item (an event's sessions, a page's subpages at every depth) answers 410 too;
- a site page moved to another parent is a rename of its path: the page and, as each is
  saved with its new path, every page below it redirect permanently to their new addresses;
- an item becomes (or is again) public at an address: rows *from* that address are removed,
  since a live page needs no redirect, which is how renaming back (A→B→A) leaves no loop.

Editors add, change and remove rows in the admin (``core.admin.redirects``). A chain is
collapsed when it is saved (A→B and B→C store A→C), a loop is refused by ``clean()``.
:class:`RedirectFallbackMiddleware` reads the table only for responses that are already 404,
so a page that exists costs nothing more.

Why not ``django.contrib.redirects``: its rows hold an old and a new path only (no item that
a rename is followed to, no temporary redirects, no hits, no 410 for a row's own reason but
for an empty new path), and it needs ``django.contrib.sites`` and a ``SITE_ID``, which this
single-site project does not otherwise use. This module keeps its idea (a table read by a
middleware on 404s) and adds what it lacks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.signals import post_save, pre_delete, pre_save
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, Resolver404, get_resolver, resolve, reverse
from django.utils import timezone

#: How many redirects a chain may hold while it is being followed to its end.
MAX_CHAIN = 20


class Redirect(models.Model):
    """An old address of the site, and where it leads now (nothing: it is gone, 410)."""

    old_path = models.CharField(
        "old address",
        max_length=500,
        unique=True,
        help_text="The path on this site that moved, e.g. /events/old-name/.",
    )
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    #: Which address of the target item: "" its page, else the URL name of one of its exports.
    target_route = models.CharField(max_length=100, blank=True)
    target_url = models.CharField(
        "target address",
        max_length=500,
        blank=True,
        help_text="An address elsewhere (https://…) or a path on this site. Leave empty when "
        "the target is an item.",
    )
    permanent = models.BooleanField(
        default=True,
        help_text="Permanent (301): search engines replace the old address. Untick for a "
        "temporary redirect (302).",
    )
    automatic = models.BooleanField(
        default=False,
        editable=False,
        help_text="Made by the site when an item was renamed, archived or deleted.",
    )
    hits = models.PositiveIntegerField(default=0, editable=False)
    last_hit_at = models.DateTimeField("last hit", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_type__isnull=True, target_id__isnull=True)
                | Q(target_type__isnull=False, target_id__isnull=False),
                name="redirect_target_type_and_id_together",
            ),
            models.CheckConstraint(
                condition=Q(target_id__isnull=True) | Q(target_url=""),
                name="redirect_item_or_url",
                violation_error_message="Choose an item or an address, not both.",
            ),
            models.CheckConstraint(
                condition=Q(old_path__startswith="/"), name="redirect_old_path_is_a_path"
            ),
        ]
        # The middleware's lookup is the unique index on old_path; the admin's "where does
        # this item's traffic come from" and the re-pointing on removal read this one.
        indexes = [models.Index(fields=["target_type", "target_id"], name="redirect_target")]

    def __str__(self) -> str:
        return f"{self.old_path} → {self.target_label}"

    @property
    def is_gone(self) -> bool:
        return self.target_id is None and not self.target_url

    @property
    def target_label(self) -> str:
        if self.target_url:
            return self.target_url
        if self.target_id is None:
            return "gone (410)"
        item = self.target
        if item is None:
            return "a deleted item"
        suffix = f" ({self.target_route})" if self.target_route else ""
        return f"{item}{suffix}"

    def clean(self) -> None:
        super().clean()
        try:
            self.old_path = site_path(self.old_path)
        except ValidationError as exc:
            raise ValidationError({"old_path": exc.messages}) from None
        if self.target_url:
            self.target_url = self.target_url.strip()
            local = _local_path(self.target_url)
            if local is None and urlsplit(self.target_url).scheme not in ("http", "https"):
                raise ValidationError(
                    {"target_url": "Enter a path on this site (/…) or an http(s) address."}
                )
        self._collapse_chain()

    def _collapse_chain(self) -> None:
        """Store the end of the chain that the target starts (refusing a loop)."""
        self._follow_target_url()
        if self.target_id is not None:
            url = self.item_url(public_only=False)
            if url is not None and _normal(url) == _normal(self.old_path):
                raise ValidationError(
                    "That item's address is this old address: it would redirect to itself."
                )

    def _follow_target_url(self) -> None:
        seen = [self.old_path]
        hops = 0
        while self.target_url:
            path = _local_path(self.target_url)
            if path is None:
                return  # an address elsewhere ends the chain
            if _normal(path) in {_normal(p) for p in seen}:
                loop = " → ".join([*seen, path])
                raise ValidationError({"target_url": f"This would make a loop: {loop}."})
            ref = _item_at(path)
            if ref is not None:
                # A page of one of our items: follow the item, not its address of today.
                self.target_type_id, self.target_id, self.target_route = ref
                self.target_url = ""
                return
            nxt = Redirect.objects.filter(old_path=path).exclude(pk=self.pk).first()
            if nxt is None:
                return
            hops += 1
            if hops > MAX_CHAIN:
                raise ValidationError(
                    {"target_url": "This address is the start of too long a chain."}
                )
            if nxt.is_gone:
                raise ValidationError(
                    {"target_url": f"{path} is itself gone (410): choose another target."}
                )
            seen.append(path)
            if nxt.target_id is not None:
                self.target_type_id, self.target_id = nxt.target_type_id, nxt.target_id
                self.target_route, self.target_url = nxt.target_route, ""
                return
            self.target_url = nxt.target_url

    # -- at request time ------------------------------------------------------------------

    def item_url(self, *, public_only: bool = True) -> str | None:
        """The target item's address now (its page, or the chosen export), if it may be shown."""
        from core import registry

        if self.target_type_id is None:
            return None
        model = ContentType.objects.get_for_id(self.target_type_id).model_class()
        content_type = registry.get(model) if model else None
        if content_type is None or content_type.page is None:
            return None
        queryset = content_type.published() if public_only else _with_parents(content_type)
        item = queryset.filter(pk=self.target_id).first()
        if item is None:
            return None
        return route_url(item, self.target_route)

    def destination(self) -> str | None:
        """Where a visitor is sent, or None: this address answers 404 (or 410 when gone)."""
        if self.target_url:
            return self.target_url
        return self.item_url()


def _with_parents(content_type):
    manager = content_type.model._default_manager
    return (
        manager.select_related(*content_type.public_with) if content_type.public_with else manager
    )


# ---------------------------------------------------------------------------------------------
# Addresses


def _normal(path: str) -> str:
    return path.rstrip("/") or "/"


def _local_path(url: str) -> str | None:
    """The path of ``url`` when it is an address of this site (relative or on SITE_URL)."""
    parts = urlsplit(url.strip())
    if not parts.scheme and not parts.netloc:
        return parts.path if parts.path.startswith("/") else None
    site = urlsplit(settings.SITE_URL)
    if (parts.scheme, parts.netloc) == (site.scheme, site.netloc):
        return parts.path or "/"
    return None


def site_path(value: str) -> str:
    """``value`` as a path of this site (an address on SITE_URL is cut to its path)."""
    value = (value or "").strip()
    path = _local_path(value)
    if path is None:
        raise ValidationError("Enter a path on this site, starting with /.")
    return path


def export_routes() -> list:
    """Every download of every app, from the export tables (``core.exports``)."""
    from core import exports

    get_resolver().url_patterns  # noqa: B018 - loading the URLs fills the export tables
    return exports.registered()


def item_urls(item: models.Model) -> dict[str, str]:
    """Every public address of ``item``: its page ("") and each export under it, by URL name.

    An export belongs to an item when the export's route takes the same arguments as the
    item's page and its address lies under the page (``/events/x/calendar.ics`` under
    ``/events/x/``), so a new format in an app's export table is covered without a list here.
    """
    page = item.get_absolute_url()
    urls = {"": page}
    try:
        kwargs = resolve(page).kwargs
    except Resolver404:
        return urls
    for export in export_routes():
        try:
            url = reverse(export.name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        if url.startswith(page) and url != page:
            urls[export.name] = url
    return urls


def route_url(item: models.Model, route: str) -> str | None:
    """The address ``route`` ("" for the page) of ``item`` now."""
    if not route:
        return item.get_absolute_url()
    return item_urls(item).get(route)


def _item_at(path: str) -> tuple[int, int, str] | None:
    """(content type id, pk, route) of the item one of whose addresses is ``path``, if any."""
    from core.references import refs_for_paths

    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.url_name in {e.name for e in export_routes()}:
        # An export: the item is the page whose address the export's lies under.
        route = match.url_name
        prefixes = [path[: i + 1] for i, char in enumerate(path[:-1]) if char == "/"]
    else:
        route, prefixes = "", [path]
    refs = refs_for_paths(prefixes)
    if not refs:
        return None
    ref = refs[max(refs, key=len)]
    app_label, model_name = ref.label.split(".")
    content_type = ContentType.objects.get_by_natural_key(app_label, model_name)
    return content_type.pk, ref.pk, route


# ---------------------------------------------------------------------------------------------
# Writing rows: renames, removals, replacements


def _is_public(item: models.Model) -> bool:
    """Whether ``item`` (with its parents, as loaded) is public, read from memory."""
    from core import registry

    if hasattr(item, "is_published") and not item.is_published:
        return False
    content_type = registry.get(type(item))
    for name in content_type.public_with if content_type else ():
        parent = getattr(item, name, None)
        if parent is not None and not _is_public(parent):
            return False
    return True


def _ct_id(item: models.Model) -> int:
    return ContentType.objects.get_for_model(item).pk


def _point(paths_to_routes: dict[str, str], item: models.Model | None, *, automatic: bool) -> None:
    """Make each path lead to ``item``'s address of the same route (None: gone), in bulk.

    Rows whose target is one of these paths (an address that now redirects) are pointed at
    the same place, so no chain forms.
    """
    if not paths_to_routes:
        return
    paths = list(paths_to_routes)
    ct_id = _ct_id(item) if item is not None else None
    pk = item.pk if item is not None else None
    Redirect.objects.filter(old_path__in=paths).delete()
    Redirect.objects.bulk_create(
        [
            Redirect(
                old_path=path,
                target_type_id=ct_id,
                target_id=pk,
                target_route=route if item is not None else "",
                automatic=automatic,
            )
            for path, route in paths_to_routes.items()
        ]
    )
    for path, route in paths_to_routes.items():
        Redirect.objects.filter(target_url=path).update(
            target_type_id=ct_id, target_id=pk, target_route=route if item else "", target_url=""
        )


def _clear_live(paths: Iterable[str]) -> None:
    """A live address needs no row: remove those from it (rename back, publish again)."""
    Redirect.objects.filter(old_path__in=list(paths)).delete()


def _routes_for(old: dict[str, str], replacement: models.Model | None) -> dict[str, str]:
    """Old paths -> the route of ``replacement`` each should lead to (its page if it lacks one)."""
    if replacement is None:
        return dict.fromkeys(old.values(), "")
    available = item_urls(replacement)
    return {path: (route if route in available else "") for route, path in old.items()}


def replace(item: models.Model, replacement: models.Model, *, urls: dict[str, str] | None = None):
    """Send the addresses of a removed ``item`` (``urls``, default its current ones), and every
    redirect that led to it, to ``replacement`` instead."""
    urls = urls if urls is not None else item_urls(item)
    _point(_routes_for(urls, replacement), replacement, automatic=True)
    if item.pk is not None:
        available = item_urls(replacement)
        for row in Redirect.objects.filter(target_type_id=_ct_id(item), target_id=item.pk):
            row.target_type_id, row.target_id = _ct_id(replacement), replacement.pk
            row.target_route = row.target_route if row.target_route in available else ""
            row.save(update_fields=["target_type", "target_id", "target_route"])


def set_target(row: Redirect, item: models.Model | None) -> None:
    """Point ``row`` at ``item``'s page (None: no item target); the same item keeps its route."""
    if item is None:
        row.target_type, row.target_id, row.target_route = None, None, ""
        return
    ct_id = _ct_id(item)
    if (row.target_type_id, row.target_id) != (ct_id, item.pk):
        row.target_type_id, row.target_id, row.target_route = ct_id, item.pk, ""


def collapse_into(row: Redirect) -> int:
    """Rows that led to ``row``'s old path lead where it leads now (A→B, B→C: A→C).

    Returns how many were changed. ``row.clean()`` has refused the loop this could make.
    """
    paths = {row.old_path, row.old_path.rstrip("/") or "/"}
    site = settings.SITE_URL.rstrip("/")
    paths |= {f"{site}{path}" for path in paths}
    return (
        Redirect.objects.filter(target_url__in=paths)
        .exclude(pk=row.pk)
        .update(
            target_type_id=row.target_type_id,
            target_id=row.target_id,
            target_route=row.target_route,
            target_url=row.target_url,
        )
    )


def record_gone(urls: dict[str, str], item: models.Model | None = None) -> None:
    """Record ``urls`` as removed public addresses (410), and rows to ``item`` as gone too."""
    _point(dict.fromkeys(urls.values(), ""), None, automatic=True)
    if item is not None and item.pk is not None:
        Redirect.objects.filter(target_type_id=_ct_id(item), target_id=item.pk).update(
            target_type=None, target_id=None, target_route=""
        )


def _child_relations(
    model: type[models.Model], *, visibility_only: bool = False
) -> list[tuple[type[models.Model], str]]:
    """(registered model with a page, foreign key name) pairs that point at ``model``; with
    ``visibility_only``, only the keys a child's own visibility follows (``published_with``:
    a session's event, a page's parent), not mere mentions (the event an initiative was
    announced at stays public when that event is archived)."""
    from core import registry
    from core.publishing import visibility_parents

    found = []
    for content_type in registry.with_page():
        follows = visibility_parents(content_type.model)
        for field in content_type.model._meta.concrete_fields:
            points_here = field.many_to_one and field.related_model is model._meta.concrete_model
            if points_here and (not visibility_only or field.name in follows):
                found.append((content_type.model, field.name))
    return found


_STATE = "_redirects_before"
#: Replacements chosen for items being archived or deleted now: (model label, pk) -> item.
_replacements: ContextVar[dict | None] = ContextVar("redirect_replacements", default=None)


@contextmanager
def removing(item: models.Model, replacement: models.Model | None) -> Iterator[None]:
    """While ``item`` is archived or deleted in this block, send its addresses to
    ``replacement`` rather than answering 410 (None: 410)."""
    chosen = dict(_replacements.get() or {})
    chosen[(item._meta.label, item.pk)] = replacement
    token = _replacements.set(chosen)
    try:
        yield
    finally:
        _replacements.reset(token)


def _replacement_for(item: models.Model) -> models.Model | None:
    return (_replacements.get() or {}).get((item._meta.label, item.pk))


def _remove(urls: dict[str, str], item: models.Model, *, deleted: bool) -> None:
    """An item leaves the site: its addresses go to the chosen replacement, or answer 410.

    Rows that led to an archived item are kept (they answer 404 while it is not public, and
    work again if it is published again); rows that led to a deleted one lead nowhere now.
    """
    replacement = _replacement_for(item)
    if replacement is not None:
        replace(item, replacement, urls=urls)
    else:
        record_gone(urls, item if deleted else None)


def _before_save(sender, instance, raw=False, **kwargs) -> None:
    from core import registry

    content_type = registry.get(sender)
    if raw or content_type is None or content_type.page is None or instance._state.adding:
        return
    before = content_type.published().filter(pk=instance.pk).first()
    if before is None:
        return  # not public: its addresses were never seen, so none is kept
    from core.workflow import Status

    old_urls = item_urls(before)
    children = []
    # Children matter when their addresses embed this item's (a rename); when the item
    # leaves the site, everything public below it leaves with it (archiving an event takes
    # its sessions off, archiving a page its subpages and theirs).
    if getattr(instance, "status", None) == Status.ARCHIVED:
        children = [(child, "", urls) for child, urls in _public_below(sender, instance.pk)]
    elif old_urls[""] != instance.get_absolute_url():
        for child_model, fk in _child_relations(sender):
            child_type = registry.get(child_model)
            for child in child_type.published().filter(**{f"{fk}_id": instance.pk}):
                children.append((child, fk, item_urls(child)))
    setattr(instance, _STATE, (old_urls, children))


#: How many generations below an archived item are followed (deeper than any tree here).
MAX_GENERATIONS = 10


def _public_below(model: type[models.Model], pk) -> list[tuple[models.Model, dict[str, str]]]:
    """The public items below ``model``'s item ``pk`` (children, their children, …) with
    their addresses: one query per relation and generation, whatever their number."""
    from core import registry

    found = []
    seen = {(model, pk)}
    generation = {model: {pk}}
    for _ in range(MAX_GENERATIONS):
        below: dict[type[models.Model], set] = {}
        for parent_model, pks in generation.items():
            for child_model, fk in _child_relations(parent_model, visibility_only=True):
                queryset = registry.get(child_model).published().filter(**{f"{fk}_id__in": pks})
                for child in queryset:
                    if (child_model, child.pk) not in seen:
                        seen.add((child_model, child.pk))
                        found.append((child, item_urls(child)))
                        below.setdefault(child_model, set()).add(child.pk)
        if not below:
            break
        generation = below
    return found


def _after_save(sender, instance, created=False, raw=False, **kwargs) -> None:
    from core import registry
    from core.workflow import Status

    content_type = registry.get(sender)
    if raw or content_type is None or content_type.page is None:
        return
    old_urls, children = instance.__dict__.pop(_STATE, (None, []))
    public = _is_public(instance)
    new_urls = item_urls(instance) if (public or old_urls) else {}
    if old_urls and public:
        moved = {old: route for route, old in old_urls.items() if new_urls.get(route, old) != old}
        _point(moved, instance, automatic=True)
        if moved:
            _clear_live(new_urls.values())
        moved_children: dict[models.Model, dict[str, str]] = {}
        for child, fk, child_old in children:
            setattr(child, fk, instance)
            child_new = item_urls(child)
            child_moved = {
                old: route for route, old in child_old.items() if child_new.get(route, old) != old
            }
            if child_moved:
                moved_children[child] = child_moved
        _point_many(moved_children)
    elif old_urls and getattr(instance, "status", None) == Status.ARCHIVED:
        _remove(old_urls, instance, deleted=False)
        # What was public below it went with it: those addresses answer 410 too.
        gone = [url for _child, _fk, urls in children for url in urls.values()]
        if gone:
            Redirect.objects.filter(old_path__in=gone).delete()
            Redirect.objects.bulk_create([Redirect(old_path=url, automatic=True) for url in gone])
    elif public and not old_urls:
        _clear_live(new_urls.values())


def _point_many(moved: dict[models.Model, dict[str, str]]) -> None:
    """The children's moves in a few queries whatever their number."""
    if not moved:
        return
    rows = []
    for child, paths in moved.items():
        ct_id = _ct_id(child)
        rows += [
            Redirect(
                old_path=path,
                target_type_id=ct_id,
                target_id=child.pk,
                target_route=route,
                automatic=True,
            )
            for path, route in paths.items()
        ]
    Redirect.objects.filter(old_path__in=[r.old_path for r in rows]).delete()
    Redirect.objects.bulk_create(rows)
    new_paths = [item_urls(child)[""] for child in moved]
    _clear_live(new_paths)


def _before_delete(sender, instance, **kwargs) -> None:
    from core import registry

    content_type = registry.get(sender)
    if content_type is None or content_type.page is None:
        return
    item = content_type.published().filter(pk=instance.pk).first()
    if item is not None:
        _remove(item_urls(item), item, deleted=True)
    elif _replacement_for(instance) is not None:
        # Archived before, and now deleted: its addresses (gone) go to the replacement.
        _remove(item_urls(_with_parents(content_type).get(pk=instance.pk)), instance, deleted=True)
    else:
        # Not public: rows that led to it answered 404 and now lead nowhere.
        Redirect.objects.filter(target_type_id=_ct_id(instance), target_id=instance.pk).delete()


def track(model: type[models.Model]) -> None:
    """Keep the addresses of ``model``'s items (called by ``core.registry.register``)."""
    uid = f"core.redirects:{model._meta.label}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
    post_save.connect(_after_save, sender=model, dispatch_uid=uid)
    pre_delete.connect(_before_delete, sender=model, dispatch_uid=uid)


# ---------------------------------------------------------------------------------------------
# Serving


class RedirectFallbackMiddleware:
    """On a 404 only: a redirect from an old address, or 410 for a removed one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        return answer(request) or response


def answer(request: HttpRequest) -> HttpResponse | None:
    """The redirect or 410 for ``request``'s path, or None to keep the 404."""
    path = request.path_info
    if "\x00" in path:
        return None  # no address we record holds a NUL, and PostgreSQL text cannot
    candidates = [path] if path.endswith("/") else [path, f"{path}/"]
    rows = {row.old_path: row for row in Redirect.objects.filter(old_path__in=candidates)}
    row = next((rows[p] for p in candidates if p in rows), None)
    if row is None:
        return None
    if row.is_gone:
        _hit(row)
        return gone(request)
    destination = row.destination()
    if destination is None:
        return None  # the target is not public: say nothing about it
    _hit(row)
    if row.permanent:
        return HttpResponsePermanentRedirect(destination)
    return HttpResponseRedirect(destination)


def _hit(row: Redirect) -> None:
    Redirect.objects.filter(pk=row.pk).update(hits=F("hits") + 1, last_hit_at=timezone.now())


def gone(request: HttpRequest) -> HttpResponse:
    return HttpResponse(render_to_string("410.html", request=request), status=410)
