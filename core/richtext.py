"""Sanitised rich text: HTML from editors and partners, cleaned with an allow-list.

Two guarantees, whatever path a body took into the database:

- **On the way in** (form field, serializer, model ``save()``: the field's ``pre_save``),
  the HTML is cleaned with nh3 (the Ammonia sanitiser) and every link to a page of ours is
  turned into a reference to the item (``<a data-ref="events.session:12">``, see
  ``core.references``), so no URL of ours is stored.
- **On the way out**, :func:`render_rich_text` (the ``rich_text`` template filter, the API's
  rich-text field, the feeds) cleans the stored HTML again, fills in the current URL of each
  referenced item the reader may see and leaves the others as text. What is output unescaped
  is always the sanitiser's own output, so a body written by ``QuerySet.update()`` or raw
  SQL cannot put a script on a page.

URL-bearing attributes (``href``, ``cite``, ...) keep only http, https, mailto and relative
addresses; the check is made on the decoded value with the whitespace and control
characters a browser ignores removed, so ``jav&#x09;ascript:`` is caught too.

**Images** come from the media library only, and are stored as references too:
``<figure><img data-ref="core.image:7" alt="…"><figcaption>…</figcaption></figure>`` (the
``alt`` is optional and overrides the library's alt text). An ``<img>`` keeps no other
attribute: no ``src``, ``srcset`` or size from a user is ever stored or shown, and an
``<img>`` without a reference to a library image is removed, wherever it came from (the
editor, a paste, the API, a spreadsheet). On the way out each reference becomes the image's
responsive rendition (``srcset`` of WebP renditions, width and height, the alt text, the
credit in the caption), built here from the library's fields with every value escaped; a
reference to a deleted image shows nothing, caption included. All the images of a text (or
of a page's texts) come with one query. The library's "used by" and its refusal to delete a
used image read these references (``core.references.used_by``).

In forms the text is edited with django-prose-editor (ProseMirror, served from its own
static files, no CDN), with a link dialog that can pick one of our items by search
(``static/admin-extra/item-link.js``, the endpoint in ``core.admin.link_picker``) and an
"Image from the library" button whose dialog searches the library by title
(``static/admin-extra/library-image.js``, the endpoints in ``core.admin.image_picker``). The
editor is configured to produce only markup that the allow-list keeps, so what editors see
is what gets stored; the allow-list, not the editor, is what keeps pasted scripts off the
pages.
"""

from __future__ import annotations

import re
from html import escape, unescape

import nh3
from django import forms
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.urls import reverse_lazy
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

from core.links import absolute_url
from core.references import IMAGE_LABEL, Ref, internal_path, refs_for_paths, targets

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "em", "figcaption", "figure",
    "h2", "h3", "h4", "hr", "i", "img", "li", "ol", "p", "pre", "q", "s", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang", "data-ref"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    # A library image and the alt text it has here, nothing else: never a URL.
    "img": {"data-ref", "alt"},
    "ol": {"start"},
    "q": {"cite"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
#: Attributes whose value a browser follows or fetches; each is scheme-filtered.
URL_ATTRIBUTES = {
    "href", "src", "cite", "action", "formaction", "poster", "background", "longdesc",
    "usemap", "srcset", "data", "codebase", "manifest", "ping", "icon", "xlink:href",
}  # fmt: skip

# What the admin editor offers: a subset of the allow-list (h1 is the page title).
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Code": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {
        "enableTarget": False,
        "protocols": sorted(ALLOWED_URL_SCHEMES),
        # Read by static/admin-extra/item-link.js: where the dialog searches our items.
        "itemSearchUrl": reverse_lazy("rich-text-link-targets"),
    },
    # static/admin-extra/library-image.js: the toolbar's "Image from the library".
    "LibraryImage": {
        "searchUrl": reverse_lazy("rich-text-images"),
        "previewUrl": reverse_lazy("rich-text-image-preview"),
    },
}

#: How an image in rich text is offered to browsers (the text column is at most 68ch wide).
IMAGE_WIDTHS = "320,640,1024"
IMAGE_SIZES = "(min-width: 45rem) 42rem, 100vw"

_EMPTY_BLOCKS = re.compile(r"^(\s|<p>(\s|&nbsp;|<br>)*</p>)*$")


# A scheme is what comes before the first colon, if no slash, ? or # comes first.
_SCHEME = re.compile(r"^([^/?#]*?):")
# What browsers skip inside a URL: ASCII whitespace and control characters anywhere.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")


def is_safe_url(value: str) -> bool:
    """True for a relative address or one whose scheme is on the allow-list."""
    match = _SCHEME.match(_IGNORED_IN_URL.sub("", value))
    return match is None or match[1].lower() in ALLOWED_URL_SCHEMES


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in URL_ATTRIBUTES and not is_safe_url(value):
        return None
    if attribute == "data-ref":
        ref = Ref.parse(value)
        if ref is None or (tag == "img" and ref.label != IMAGE_LABEL):
            return None
    return value


_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    attribute_filter=_filter_attribute,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


# The attributes of a tag in the sanitiser's output, which always writes them as name="value"
# with quotes escaped: one group, read by ``_ATTRIBUTE``.
_ATTRS = r"((?:\s[^\s=>]+(?:=\"[^\"]*\")?)*)"
# Images in the sanitiser's output (a void element).
_IMG = re.compile(rf"<img{_ATTRS}>")
_EMPTY_FIGURE = re.compile(r"<figure>\s*</figure>")


def _library_images_only(html: str) -> str:
    """Remove every ``<img>`` that is not a reference to a library image (and the figure
    it leaves empty)."""
    if "<img" not in html:
        return html
    kept = _IMG.sub(lambda match: match[0] if "data-ref" in _attributes(match[1]) else "", html)
    return _EMPTY_FIGURE.sub("", kept)


def sanitise_html(value: str | None) -> str:
    """Return ``value`` with every tag, attribute and URL scheme not on the allow-list removed,
    and every image that is not a reference to the media library."""
    if not value:
        return ""
    cleaned = _library_images_only(_CLEANER.clean(value)).strip()
    # The editor always leaves an empty paragraph behind; store that as no text at all.
    return "" if _EMPTY_BLOCKS.match(cleaned) else cleaned


# Links in the sanitiser's output, which always writes attributes as name="value" with
# quotes escaped and never nests one <a> in another: a pattern can read them reliably.
_LINK = re.compile(rf"<a{_ATTRS}>(.*?)</a>", re.S)
_ATTRIBUTE = re.compile(r"\s([^\s=>]+)(?:=\"([^\"]*)\")?")


def _attributes(raw: str) -> dict[str, str]:
    return {name: unescape(value or "") for name, value in _ATTRIBUTE.findall(raw)}


def _link(attributes: dict[str, str], inner: str) -> str:
    written = "".join(f' {name}="{escape(value)}"' for name, value in attributes.items())
    return f"<a{written}>{inner}</a>"


def clean_rich_text(value: str | None, *, get_model=None) -> str:
    """The stored form: sanitised, and every link to one of our items made a reference.

    A link that has a reference loses its URL (the reference wins); a URL that is the page
    of one of our items becomes a reference; every other URL stays. ``get_model`` is
    passed on to :func:`core.references.refs_for_paths` (the data migration's models).
    """
    html = sanitise_html(value)
    if "<a" not in html:
        return html
    links = [(match, _attributes(match[1])) for match in _LINK.finditer(html)]
    paths = {
        path
        for _, attributes in links
        if "data-ref" not in attributes and (path := internal_path(attributes.get("href", "")))
    }
    refs = refs_for_paths(paths, get_model=get_model) if paths else {}

    def store(match: re.Match) -> str:
        attributes = _attributes(match[1])
        if "data-ref" not in attributes:
            ref = refs.get(internal_path(attributes.get("href", "")) or "")
            if ref is None:
                return match[0]
            attributes = {"data-ref": str(ref), **attributes}
        attributes.pop("href", None)
        return _link(attributes, match[2])

    return sanitise_html(_LINK.sub(store, html))


def _words(html: str) -> str:
    return " ".join(unescape(strip_tags(html)).split()).casefold()


def refs_in(value: str | None) -> list[Ref]:
    """The references in stored rich text (to resolve many texts' references at once)."""
    if not value or "data-ref=" not in value:
        return []
    tags = [*_LINK.finditer(value), *_IMG.finditer(value)]
    found = (Ref.parse(_attributes(match[1]).get("data-ref")) for match in tags)
    return [ref for ref in found if ref]


def render_rich_text(
    value: str | None,
    user=None,
    *,
    absolute: bool = False,
    resolved: tuple[dict, dict] | None = None,
) -> SafeString:
    """Stored rich text as ``user`` may see it, safe to output unescaped.

    A reference to an item the reader may see becomes a link to its current URL; any other
    reference becomes its text, and disappears when that text would name the hidden item
    (a draft's title must not be shown). One query per type of item referenced.
    ``absolute`` writes full URLs on ``SITE_URL``, for what is read away from the site
    (feeds, the API). ``resolved`` is what :func:`core.references.targets` answered for
    these references and more, when a page resolves all its texts' references at once.
    """
    html = sanitise_html(value)
    if "data-ref=" not in html:
        return mark_safe(html)  # noqa: S308 - the sanitiser's output
    if resolved is None:
        resolved = targets(refs_in(html), user)
    visible, hidden_titles = resolved

    def render(match: re.Match) -> str:
        attributes = _attributes(match[1])
        ref = Ref.parse(attributes.pop("data-ref", None))
        if ref is None:
            return match[0]
        target = visible.get(ref) if ref.label != IMAGE_LABEL else None
        if target is not None:
            attributes.pop("href", None)
            url = target.get_absolute_url()
            return _link({"href": absolute_url(url) if absolute else url, **attributes}, match[2])
        title = hidden_titles.get(ref)
        if title and _words(title) in _words(match[2]):
            return ""
        return match[2]

    html = sanitise_html(_LINK.sub(render, html))
    if "<img" in html:
        html = _show_images(html, visible, absolute=absolute)
    # The sanitiser's output, with images built from the library's fields, each escaped.
    return mark_safe(html)  # noqa: S308


# A figure around one library image, with its caption, in the sanitiser's output.
_FIGURE = re.compile(
    rf"<figure>\s*<img{_ATTRS}>\s*"
    r"(?:<figcaption>(.*?)</figcaption>\s*)?</figure>",
    re.S,
)


def _show_images(html: str, visible: dict, *, absolute: bool) -> str:
    """Each ``<img data-ref>`` as the library image's rendition (nothing if it is gone)."""

    def image_of(raw: str):
        attributes = _attributes(raw)
        ref = Ref.parse(attributes.get("data-ref"))
        image = visible.get(ref) if ref is not None and ref.label == IMAGE_LABEL else None
        return image, attributes.get("alt", "").strip()

    def credit(image) -> str:
        return format_html('<span class="credit">{}</span>', image.credit) if image.credit else ""

    def figure(match: re.Match) -> str:
        image, alt = image_of(match[1])
        if image is None:
            return ""
        caption = " ".join(part for part in ((match[2] or "").strip(), credit(image)) if part)
        caption = f"<figcaption>{caption}</figcaption>" if caption else ""
        return f'<figure class="rich-image">{_image_tag(image, alt, absolute)}{caption}</figure>'

    def bare(match: re.Match) -> str:
        if "data-ref" not in _attributes(match[1]):
            return match[0]  # one of the figures just made
        image, alt = image_of(match[1])
        if image is None:
            return ""
        return f"{_image_tag(image, alt, absolute)}{credit(image)}"

    return _IMG.sub(bare, _FIGURE.sub(figure, html))


def _image_tag(image, alt: str, absolute: bool) -> str:
    from core.templatetags.media_tags import responsive_image

    return responsive_image(
        image,
        alt=alt or image.alt_text,
        sizes=IMAGE_SIZES,
        widths=IMAGE_WIDTHS,
        absolute=absolute,
    )


class AdminRichTextWidget(AdminProseEditorWidget):
    """The prose editor in the admin, with room to write in."""

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["admin-extra/rich-text.css"]})


class RichTextFormField(ProseEditorFormField):
    """A form field edited with the prose editor and cleaned with :func:`clean_rich_text`."""

    def __init__(self, *args, **kwargs):
        kwargs.pop("max_length", None)
        widget = kwargs.get("widget")
        if widget is not None and (
            isinstance(widget, AdminTextareaWidget)
            or (isinstance(widget, type) and issubclass(widget, AdminTextareaWidget))
        ):
            kwargs["widget"] = AdminRichTextWidget
        kwargs.setdefault("extensions", dict(EDITOR_EXTENSIONS))
        kwargs["sanitize"] = clean_rich_text
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        # Sanitise before the required check, so that markup with no text in it
        # (an empty paragraph, a stripped <script>) counts as empty.
        return clean_rich_text(super().to_python(value))


class RichTextField(models.TextField):
    """A TextField holding sanitised HTML with references; show it with ``|rich_text``."""

    def pre_save(self, model_instance, add):
        value = clean_rich_text(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": RichTextFormField, **kwargs})
