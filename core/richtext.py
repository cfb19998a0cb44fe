"""Sanitised rich text: HTML from editors and partners, cleaned with an allow-list.

Cleaning happens on the way in (form field and model save) so that whatever is
stored can be rendered as is; nh3 (the Ammonia sanitiser) does the work.

In forms the text is edited with django-prose-editor (ProseMirror, served from
its own static files, no CDN). The editor is configured to produce only markup
that the allow-list keeps, so what editors see is what gets stored; the
allow-list, not the editor, is what keeps pasted scripts off the pages.
"""

from __future__ import annotations

import re

import nh3
from django import forms
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django_prose_editor.fields import ProseEditorFormField
from django_prose_editor.widgets import AdminProseEditorWidget

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "em", "figcaption", "figure",
    "h2", "h3", "h4", "hr", "i", "li", "ol", "p", "pre", "q", "s", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "ol": {"start"},
    "q": {"cite"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

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
    "Link": {"enableTarget": False, "protocols": sorted(ALLOWED_URL_SCHEMES)},
}

_EMPTY_BLOCKS = re.compile(r"^(\s|<p>(\s|&nbsp;|<br>)*</p>)*$")


def sanitise_html(value: str | None) -> str:
    """Return ``value`` with every tag, attribute and URL scheme not on the allow-list removed."""
    if not value:
        return ""
    cleaned = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
    # The editor always leaves an empty paragraph behind; store that as no text at all.
    return "" if _EMPTY_BLOCKS.match(cleaned) else cleaned


class AdminRichTextWidget(AdminProseEditorWidget):
    """The prose editor in the admin, with room to write in."""

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["admin-extra/rich-text.css"]})


class RichTextFormField(ProseEditorFormField):
    """A form field edited with the prose editor and cleaned with :func:`sanitise_html`."""

    def __init__(self, *args, **kwargs):
        kwargs.pop("max_length", None)
        widget = kwargs.get("widget")
        if widget is not None and (
            isinstance(widget, AdminTextareaWidget)
            or (isinstance(widget, type) and issubclass(widget, AdminTextareaWidget))
        ):
            kwargs["widget"] = AdminRichTextWidget
        kwargs.setdefault("extensions", dict(EDITOR_EXTENSIONS))
        kwargs["sanitize"] = sanitise_html
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        # Sanitise before the required check, so that markup with no text in it
        # (an empty paragraph, a stripped <script>) counts as empty.
        return sanitise_html(super().to_python(value))


class RichTextField(models.TextField):
    """A TextField holding sanitised HTML; safe to render with ``|safe``."""

    def pre_save(self, model_instance, add):
        value = sanitise_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": RichTextFormField, **kwargs})
