"""The site's main menu and footer links, edited in the admin, kept in the cache.

One table, ``MenuItem``: a label, where it leads (one of our items with a page, by type and
id like a rich-text reference, or an address: a path of this site or an http(s) URL), its
menu (main or footer), its order and, for a second level, its parent. Nesting is one level
deep: an item with a parent cannot be a parent (``clean()``; the admin edits the second level
as the inline rows of a first-level item).

*No leak*: a link to an item is shown only while the item is public (``published()`` of its
registered type, parents included); a first-level entry that is hidden takes its children
with it. A label left empty is the item's title.

*Cost*: both menus are built together (one query for the rows, one per type of item they
link to) and kept in the cache under the content version (``core.pagecache``), which every
save of a menu row or of any content bumps; the entry also ends at the next moment the clock
changes what the menus show (a linked item going live or expiring), and after
``MENU_CACHE_SECONDS`` at most. A page rendered from the cache makes no query for its menus.

While no row of a menu exists, the menu is ``settings.DEFAULT_MENUS`` (the site's list pages
by URL name), which the demo loader also writes as rows (:func:`seed_defaults`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Min, Q
from django.utils import timezone

from core import pagecache, registry
from core.paths import path_for
from core.publishing import Status
from core.references import item_title

CACHE_KEY = "menus:"
MENU_CACHE_SECONDS = 300
URL_SCHEMES = ("http", "https", "mailto")


class Menu(models.TextChoices):
    MAIN = "main", "Main menu"
    FOOTER = "footer", "Footer"


class MenuItem(models.Model):
    """A link in the main menu or the footer, to one of our items or to an address."""

    menu = models.CharField(max_length=10, choices=Menu.choices, default=Menu.MAIN)
    label = models.CharField(
        max_length=100, blank=True, help_text="Left empty for an item, the item's title is shown."
    )
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    url = models.CharField(
        "address",
        max_length=500,
        blank=True,
        help_text="A path on this site (/events/) or an address elsewhere (https://…). "
        "Leave empty when the link is to an item.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
        help_text="For a second-level link: the first-level link it is under.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["menu", "order", "pk"]
        verbose_name = "menu link"
        constraints = [
            models.CheckConstraint(
                condition=Q(target_type__isnull=True, target_id__isnull=True)
                | Q(target_type__isnull=False, target_id__isnull=False),
                name="menuitem_target_type_and_id_together",
            ),
            models.CheckConstraint(
                condition=(Q(target_id__isnull=True) & ~Q(url=""))
                | (Q(target_id__isnull=False) & Q(url="")),
                name="menuitem_item_or_url",
                violation_error_message="Choose an item or an address (one of them).",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="menuitem_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.label or (str(self.target) if self.target_id else self.url)

    def clean(self) -> None:
        super().clean()
        self.url = self.url.strip()
        if self.url:
            scheme = urlsplit(self.url).scheme
            if not (self.url.startswith("/") and not self.url.startswith("//")) and (
                scheme not in URL_SCHEMES
            ):
                raise ValidationError(
                    {"url": "Enter a path on this site (/…) or an http(s) or mailto address."}
                )
        if self.url and self.target_id:
            raise ValidationError("Choose an item or an address, not both.")
        if not self.url and not self.target_id:
            raise ValidationError("Choose an item or enter an address.")
        if self.parent_id is not None:
            parent = self.parent
            if parent.parent_id is not None:
                raise ValidationError(
                    {"parent": "Menus are one level deep: choose a first-level link as parent."}
                )
            if self.pk is not None and self.children.exists():
                raise ValidationError(
                    {"parent": "This link has links under it, so it must stay at the first level."}
                )
            if parent.menu != self.menu:
                raise ValidationError({"parent": "The parent link is in another menu."})


def set_target(item: MenuItem, target: models.Model | None) -> None:
    if target is None:
        item.target_type, item.target_id = None, None
    else:
        item.target_type = ContentType.objects.get_for_model(target, for_concrete_model=True)
        item.target_id = target.pk


# ---------------------------------------------------------------------------------------------
# Building and caching


def _defaults(menu: str) -> list[dict]:
    return [
        {"label": label, "url": path_for(name), "children": []}
        for label, name in settings.DEFAULT_MENUS.get(menu, ())
    ]


def build(now: datetime | None = None) -> tuple[dict[str, list[dict]], float]:
    """Both menus as the public may see them, and until when that holds (a timestamp).

    One query for the rows, then one per type of item linked (two when some of them are not
    public: when the next of them goes live)."""
    now = now or timezone.now()
    rows = list(MenuItem.objects.select_related("target_type").order_by("order", "pk"))
    wanted: dict[type[models.Model], set[int]] = defaultdict(set)
    type_ids: dict[type[models.Model], int] = {}
    for row in rows:
        if row.target_type_id is not None:
            model = row.target_type.model_class()
            if model is not None:
                wanted[model].add(row.target_id)
                type_ids[model] = row.target_type_id
    valid_until = now.timestamp() + MENU_CACHE_SECONDS
    public: dict[tuple[int, int], models.Model] = {}
    for model, pks in wanted.items():
        content_type = registry.get(model)
        if content_type is None or content_type.page is None:
            continue
        ct_id = type_ids[model]
        public_items = model._default_manager.published(at=now)
        if content_type.public_with:
            public_items = public_items.select_related(*content_type.public_with)
        for obj in public_items.filter(pk__in=pks):
            public[(ct_id, obj.pk)] = obj
            if obj.unpublish_at:
                valid_until = min(valid_until, obj.unpublish_at.timestamp())
        hidden = pks - {pk for (ct, pk) in public if ct == ct_id}
        if hidden:
            soonest = model._base_manager.filter(
                pk__in=hidden, status=Status.PUBLISHED, publish_at__gt=now
            ).aggregate(soonest=Min("publish_at"))["soonest"]
            if soonest:
                valid_until = min(valid_until, soonest.timestamp())

    def entry(row: MenuItem) -> dict | None:
        if row.target_type_id is None:
            return {"label": row.label, "url": row.url, "children": []}
        target = public.get((row.target_type_id, row.target_id))
        if target is None:
            return None
        label = row.label or item_title(target)
        return {"label": label, "url": target.get_absolute_url(), "children": []}

    menus: dict[str, list[dict]] = {menu: [] for menu in Menu.values}
    first_level: dict[int, dict | None] = {}
    for row in rows:
        if row.parent_id is None:
            shown = entry(row)
            first_level[row.pk] = shown
            if shown is not None:
                menus[row.menu].append(shown)
    for row in rows:
        if row.parent_id is not None and (parent := first_level.get(row.parent_id)):
            shown = entry(row)
            if shown is not None:
                parent["children"].append(shown)
    existing = {row.menu for row in rows}
    for menu in Menu.values:
        if menu not in existing:
            menus[menu] = _defaults(menu)
    return menus, valid_until


def menus() -> dict[str, list[dict]]:
    """Both menus, from the cache when it holds them for the current content version."""
    version = pagecache.content_version()
    if version is None:  # the shared cache is unreachable: build, keep nothing
        return build()[0]
    key = f"{CACHE_KEY}{version}"
    found = cache.get(key)
    now = timezone.now()
    if found is not None and found[0] > now.timestamp():
        return found[1]
    built, valid_until = build(now)
    cache.set(key, (valid_until, built), timeout=max(int(valid_until - now.timestamp()), 1))
    return built


def menu(name: str) -> list[dict]:
    return menus().get(name, [])


def seed_defaults() -> int:
    """Write ``settings.DEFAULT_MENUS`` as rows of each menu that has none (idempotent);
    returns how many rows were written."""
    written = 0
    for name in Menu.values:
        if MenuItem.objects.filter(menu=name).exists():
            continue
        for order, entry in enumerate(_defaults(name)):
            MenuItem.objects.create(menu=name, label=entry["label"], url=entry["url"], order=order)
            written += 1
    return written
