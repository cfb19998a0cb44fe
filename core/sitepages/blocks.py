"""The kinds of block a page's body is made of: what each needs, how it is checked, and how a
page's blocks are made ready to render with a fixed number of queries.

Every block is one ``PageBlock`` row; ``KINDS`` says which of its fields a kind uses and which
it needs. ``clean_block`` (the model's ``clean()``) refuses a block without what its kind
needs, with a message on the field, empties the fields its kind does not use (so a block
changed from a quote to a heading keeps no hidden quote), and sanitises: plain texts lose
markup and control characters, rich text is cleaned by its field, links keep http(s) only,
an embed must be a recording on a known host, a live list must be a registered one.

``prepare(blocks, user)`` resolves what the blocks point to all at once: the references in
every rich text, every call to action and every chosen item go to one
``core.references.targets`` call (one query per type referenced, whatever the number of
blocks); each live list asks its registered listing for published items (one list, one
query or two). A page with fifty text, image and link blocks asks the database as often as
a page with one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.html import strip_tags

from core import registry
from core.references import Ref, linkable_model, targets
from core.richtext import clean_rich_text, is_safe_url, refs_in, render_rich_text

from .models import PageBlock

Kind = PageBlock.Kind

#: Every field a kind may use; the others are emptied on save.
CONTENT_FIELDS = (
    "heading", "text", "body", "image", "image_alt", "image_decorative", "caption", "credit",
    "attribution", "link_label", "link_item", "link_url", "embed_url", "listing", "topic",
    "limit", "items",
)  # fmt: skip
LINK = ("link_label", "link_item", "link_url")
IMAGE = ("image", "image_alt", "image_decorative")


@dataclass(frozen=True)
class KindSpec:
    uses: tuple[str, ...]
    needs: tuple[str, ...] = ()


KINDS: dict[str, KindSpec] = {
    Kind.HERO: KindSpec(("heading", "text", *IMAGE, *LINK), needs=("heading",)),
    Kind.HEADING: KindSpec(("heading",), needs=("heading",)),
    Kind.TEXT: KindSpec(("body",), needs=("body",)),
    Kind.IMAGE: KindSpec((*IMAGE, "caption", "credit"), needs=("image",)),
    Kind.QUOTE: KindSpec(("text", "attribution"), needs=("text",)),
    Kind.CTA: KindSpec(LINK, needs=("link_label",)),
    Kind.EMBED: KindSpec(("heading", "embed_url", "caption"), needs=("heading", "embed_url")),
    Kind.LISTING: KindSpec(("heading", "listing", "topic", "limit"), needs=("listing",)),
    Kind.ITEMS: KindSpec(("heading", "items"), needs=("items",)),
}

NEEDED = {
    "heading": "Write the heading.",
    "body": "Write the text.",
    "image": "Upload the image.",
    "text": "Write the text.",
    "link_label": "Write the words of the link.",
    "embed_url": "Give the recording's address.",
    "listing": "Choose what the list shows.",
    "items": "Choose at least one item.",
}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PLAIN_FIELDS = ("heading", "text", "caption", "credit", "attribution", "link_label", "image_alt")
MAX_ITEMS = 24


def plain(value: str) -> str:
    """Text with no markup and no control characters (templates escape it on output)."""
    return _CONTROL.sub("", strip_tags(value or "")).strip()


# ---------------------------------------------------------------------------------------------
# Recordings: click-to-load players on hosts that offer a privacy-enhanced one.


@dataclass(frozen=True)
class Player:
    host: str  # shown to the visitor before anything is loaded
    src: str  # the player's address, loaded only when the visitor asks


#: The origins players are loaded from (the page views add them to CSP ``frame-src``).
PLAYER_ORIGINS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


def player(url: str) -> Player | None:
    """The click-to-load player of a recording's address, or None for an unknown host."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https":
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    segments = [s for s in parts.path.split("/") if s]
    video = ""
    if host == "youtu.be" and segments:
        video = segments[0]
    elif host in ("youtube.com", "youtube-nocookie.com"):
        if segments[:1] == ["watch"]:
            video = parse_qs(parts.query).get("v", [""])[0]
        elif len(segments) >= 2 and segments[0] in ("embed", "live", "shorts"):
            video = segments[1]
    if video and _YOUTUBE_ID.match(video):
        return Player("YouTube", f"https://www.youtube-nocookie.com/embed/{video}")
    if host in ("vimeo.com", "player.vimeo.com"):
        number = next((s for s in reversed(segments) if s.isdigit()), "")
        if number:
            return Player("Vimeo", f"https://player.vimeo.com/video/{number}?dnt=1")
    return None


# ---------------------------------------------------------------------------------------------
# Validation


def _ref_of(value: str) -> Ref | None:
    ref = Ref.parse(value)
    return ref if ref is not None and linkable_model(ref.label) is not None else None


def clean_block(block: PageBlock) -> None:
    spec = KINDS.get(block.kind)
    if spec is None:
        raise ValidationError({"kind": "Choose what kind of block this is."})
    blank = PageBlock()
    for name in CONTENT_FIELDS:
        if name not in spec.uses:
            setattr(block, name, None if name == "image" else getattr(blank, name))
    for name in PLAIN_FIELDS:
        setattr(block, name, plain(getattr(block, name)))
    # Cleaned here too (not only on save), so that markup with no text in it counts as empty.
    block.body = clean_rich_text(block.body)
    errors: dict[str, str] = {}
    for name in spec.needs:
        if not getattr(block, name):
            errors[name] = NEEDED[name]
    if "image" in spec.uses and block.image and not block.image_decorative and not block.image_alt:
        errors["image_alt"] = "Describe the image for people who cannot see it."
    if "link_label" in spec.uses:
        _clean_link(block, errors, required=block.kind == Kind.CTA)
    if block.kind == Kind.EMBED and block.embed_url and player(block.embed_url) is None:
        errors["embed_url"] = (
            "Give the address of a recording on YouTube or Vimeo (https://…); "
            "other hosts cannot be played here."
        )
    if block.kind == Kind.LISTING and block.listing:
        listing = registry.listing(block.listing)
        if listing is None:
            errors["listing"] = "Choose one of the lists offered."
        elif block.topic and not listing.by_topic:
            errors["topic"] = f"“{listing.label}” cannot be narrowed to a topic."
    if block.kind == Kind.ITEMS:
        items = block.items if isinstance(block.items, list) else []
        refs = [_ref_of(str(value)) for value in items]
        if any(ref is None for ref in refs) or len(refs) != len(items):
            errors["items"] = "Choose items of ours (one address of our pages a line)."
        elif len(refs) > MAX_ITEMS:
            errors["items"] = f"Choose at most {MAX_ITEMS} items."
        else:
            block.items = list(dict.fromkeys(str(ref) for ref in refs))
    if errors:
        raise ValidationError(errors)


_VALIDATE_URL = URLValidator(schemes=["http", "https"])


def _is_link(value: str) -> bool:
    """An http(s) address, or a path of this site (``/journal/``, not ``//elsewhere``)."""
    if not is_safe_url(value) or any(c.isspace() for c in value):
        return False
    if value.startswith("/"):
        return not value.startswith("//") and "\\" not in value
    try:
        _VALIDATE_URL(value)
    except ValidationError:
        return False
    return True


def _clean_link(block: PageBlock, errors: dict, *, required: bool) -> None:
    if block.link_item and _ref_of(block.link_item) is None:
        errors["link_item"] = "Choose one of our items."
    if block.link_url and not _is_link(block.link_url):
        errors["link_url"] = "Give an https:// address, or a path of this site starting with /."
    if block.link_item and block.link_url:
        errors["link_url"] = "Link to an item or to an address, not both."
    has_target = bool(block.link_item or block.link_url)
    if required and not has_target:
        errors.setdefault("link_item", "Choose the item or give the address the link leads to.")
    if has_target and not block.link_label:
        errors.setdefault("link_label", "Write the words of the link.")
    if block.link_label and not has_target and not required:
        errors.setdefault("link_item", "Choose the item or give the address the link leads to.")


# ---------------------------------------------------------------------------------------------
# Rendering


@dataclass
class Ready:
    """A block with what its template shows, resolved for the reader."""

    block: PageBlock
    template: str
    body: Any = ""
    link: str = ""
    player: Player | None = None
    items: list = field(default_factory=list)
    listing: registry.Listing | None = None


def prepare(blocks: list[PageBlock], user, *, absolute: bool = False) -> list[Ready]:
    """The blocks ready to render for ``user``, their references resolved in one go
    (``absolute``: rich text with full URLs, for the API)."""
    refs: list[Ref] = []
    for block in blocks:
        refs += refs_in(block.body)
        if block.link_item and (ref := Ref.parse(block.link_item)):
            refs.append(ref)
        refs += [ref for value in block.items or () if (ref := Ref.parse(str(value)))]
    resolved = targets(refs, user) if refs else ({}, {})
    visible = resolved[0]
    ready = []
    for block in blocks:
        item = Ready(block, f"sitepages/blocks/{block.kind}.html")
        if block.kind == Kind.TEXT:
            item.body = render_rich_text(block.body, user, absolute=absolute, resolved=resolved)
        if block.link_item:
            target = visible.get(Ref.parse(block.link_item))
            item.link = target.get_absolute_url() if target is not None else ""
        elif block.link_url:
            item.link = block.link_url
        if block.kind == Kind.EMBED:
            item.player = player(block.embed_url)
        if block.kind == Kind.ITEMS:
            chosen = (visible.get(Ref.parse(str(value))) for value in block.items or ())
            item.items = [obj for obj in chosen if obj is not None]
        if block.kind == Kind.LISTING:
            item.listing = registry.listing(block.listing)
            if item.listing is not None:
                item.items = list(item.listing.items(limit=block.limit, topic=block.topic or None))
        if _shows_something(item):
            ready.append(item)
    return ready


def _shows_something(item: Ready) -> bool:
    """A call to action whose item is not public, or a list with nothing in it, is left out."""
    kind = item.block.kind
    if kind == Kind.CTA:
        return bool(item.link)
    if kind in (Kind.ITEMS, Kind.LISTING):
        return bool(item.items)
    if kind == Kind.EMBED:
        return item.player is not None
    return True
