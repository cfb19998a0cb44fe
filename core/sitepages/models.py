"""A site page and the blocks of its body.

A page sits in a tree (``parent``, ``order`` among its siblings) and is public only when it
and every page above it are (``PageQuerySet.published_with``: the parent, followed up the
tree). Its ``path`` (``about/team``) is derived from the slugs on save, so the address of a
page is read from its own row. A page marked *home* is the home page: it has no parent and
no children, and is shown at ``/`` (the latest published one, so a new home page can be
prepared or scheduled while the current one is live).

The body is a list of ``PageBlock`` rows, one table for every kind of block, each with an
``order``: editors add, reorder and remove them as inline rows, and a page loads all its
blocks in one query whatever their number and kinds (``core.sitepages.blocks`` renders them).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import get_script_prefix

from core.library import Illustrated
from core.publishing import Publishable, PublishableQuerySet, VisibleQuerySet
from core.richtext import RichTextField

from .tree import MAX_DEPTH, reserved_slugs

__all__ = ["Page", "PageBlock"]


class PageQuerySet(PublishableQuerySet):
    # A page of a draft parent is not public: the parent is followed up the tree.
    published_with = ("parent?",)
    tree_depth = MAX_DEPTH

    def in_tree_order(self) -> PageQuerySet:
        return self.order_by("path")


class Page(Illustrated, Publishable):
    """One page of the organisation's site; its image is the one shared on social media."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100,
        help_text="The last part of the address; unique among the pages with the same parent.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The page this one sits under (its address starts with the parent's).",
    )
    order = models.PositiveIntegerField(
        default=0, help_text="Position among the pages with the same parent (lowest first)."
    )
    path = models.CharField(max_length=600, unique=True, editable=False)
    is_home = models.BooleanField(
        "home page",
        default=False,
        help_text="Shown at the site's address instead of the automatic home page. The latest "
        "published home page is the one shown; a home page has no parent.",
    )
    summary = models.TextField(
        blank=True, help_text="A sentence or two, shown in lists and search results."
    )
    seo_title = models.CharField(
        "SEO title",
        max_length=70,
        blank=True,
        help_text="The title search engines show, if it should differ from the title.",
    )
    seo_description = models.CharField(
        "SEO description",
        max_length=160,
        blank=True,
        help_text="What search engines and social media show under the title (else the summary).",
    )

    objects = PageQuerySet.as_manager()

    #: What ``get_absolute_url`` reads (the sitemap loads these fields only).
    url_fields = ("path", "is_home")

    class Meta:
        ordering = ["path"]
        verbose_name = "page"
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "slug"],
                name="page_slug_unique_among_siblings",
                violation_error_message="Another page under the same parent has this slug.",
            ),
            # NULLs are distinct in the constraint above: top-level pages need their own.
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(parent__isnull=True),
                name="page_top_level_slug_unique",
                violation_error_message="Another top-level page has this slug.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="page_not_its_own_parent",
                violation_error_message="A page cannot be its own parent.",
            ),
            models.CheckConstraint(
                condition=Q(is_home=False) | Q(parent__isnull=True),
                name="page_home_has_no_parent",
                violation_error_message="The home page has no parent.",
            ),
        ]
        indexes = [
            # The children of a page in their order: WHERE parent_id = … ORDER BY order.
            models.Index(fields=["parent", "order"], name="page_children_idx"),
            # The home view: WHERE is_home AND <published> ORDER BY publish_at DESC.
            models.Index(fields=["-publish_at"], condition=Q(is_home=True), name="page_home_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.is_home:
            return get_script_prefix()
        return f"{get_script_prefix()}{self.path}/"

    @property
    def depth(self) -> int:
        return self.path.count("/") + 1

    def computed_path(self) -> str:
        return f"{self.parent.path}/{self.slug}" if self.parent_id else self.slug

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.parent_id is None and not self.is_home and self.slug in reserved_slugs():
            errors["slug"] = (
                f"“{self.slug}” is taken by the site's own addresses (/{self.slug}/…); "
                "choose another slug, or place the page under a parent."
            )
        if self.parent_id is not None:
            parent = self.parent
            if self.is_home:
                errors["parent"] = "The home page has no parent."
            elif parent.is_home:
                errors["parent"] = "Pages cannot be placed under the home page."
            elif self.pk is not None and self._would_cycle(parent):
                errors["parent"] = "A page cannot be placed under itself or one of its subpages."
            elif parent.depth + 1 + self._subtree_height() > MAX_DEPTH:
                errors["parent"] = f"Pages can be nested at most {MAX_DEPTH} levels deep."
        if self.is_home and self.pk is not None and self.children.exists():
            errors["is_home"] = "A page with subpages cannot be the home page."
        if errors:
            raise ValidationError(errors)

    def _would_cycle(self, parent: Page) -> bool:
        seen = set()
        while parent is not None and parent.pk not in seen:
            if parent.pk == self.pk:
                return True
            seen.add(parent.pk)
            parent = parent.parent
        return parent is not None  # an existing cycle above is refused too

    def _subtree_height(self) -> int:
        """Levels of subpages below this page (0 without any): a move carries them along."""
        if self.pk is None or not self.path:
            return 0
        paths = Page.objects.filter(path__startswith=f"{self.path}/").values_list("path", flat=True)
        return max((p.count("/") - self.path.count("/") for p in paths), default=0)

    def save(self, *args, **kwargs) -> None:
        # The path is this row's own derived data, kept with it; the subpages' paths move in
        # the same transaction, so an address never points at a stale place in the tree.
        from django.db import transaction

        old_path = self.path
        self.path = self.computed_path()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                for child in Page.objects.filter(parent=self):
                    child.save(update_fields=["path"])


class PageBlockQuerySet(VisibleQuerySet):
    published_with = ("page",)


class PageBlock(Illustrated, models.Model):
    """One block of a page's body; which fields it uses depends on its kind
    (``core.sitepages.blocks.KINDS``)."""

    class Kind(models.TextChoices):
        HERO = "hero", "Hero (title, text, image, link)"
        HEADING = "heading", "Heading"
        TEXT = "text", "Rich text"
        IMAGE = "image", "Image"
        QUOTE = "quote", "Quote"
        CTA = "cta", "Call to action"
        EMBED = "embed", "Recording (embedded)"
        LISTING = "listing", "Live list of content"
        ITEMS = "items", "Chosen items"

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="blocks")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    heading = models.CharField(
        max_length=200, blank=True, help_text="A heading, a hero's title, a list's title."
    )
    text = models.TextField(blank=True, help_text="Plain text: a quote, a hero's text.")
    body = RichTextField(blank=True)
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="Who made the image.")
    attribution = models.CharField(max_length=200, blank=True, help_text="Who said the quote.")
    link_label = models.CharField(max_length=100, blank=True)
    link_item = models.CharField(
        "link to an item",
        max_length=40,
        blank=True,
        help_text="One of our items (its reference, as the link picker gives it).",
    )
    link_url = models.CharField(
        "link to an address",
        max_length=500,
        blank=True,
        help_text="An https:// address elsewhere, or a path of this site such as /journal/.",
    )
    embed_url = models.URLField(
        "recording link",
        max_length=500,
        blank=True,
        help_text="The recording's page on YouTube or Vimeo.",
    )
    listing = models.CharField(max_length=50, blank=True)
    topic = models.SlugField(
        max_length=200, blank=True, help_text="Only items on this topic (its slug)."
    )
    limit = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    items = models.JSONField(default=list, blank=True)

    objects = PageBlockQuerySet.as_manager()

    class Meta:
        ordering = ["page", "order", "pk"]
        verbose_name = "block"
        constraints = [
            models.CheckConstraint(
                condition=Q(limit__gte=1, limit__lte=12),
                name="page_block_limit_range",
                violation_error_message="A list shows between 1 and 12 items.",
            ),
        ]
        indexes = [
            # A page's body: WHERE page_id = … ORDER BY order.
            models.Index(fields=["page", "order"], name="page_block_order_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.order}"

    def clean(self) -> None:
        from .blocks import clean_block

        # Illustrated's alt-text rule applies to image blocks and heroes only (clean_block).
        models.Model.clean(self)
        clean_block(self)
