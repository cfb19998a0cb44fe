"""Sanitised rich text: HTML from editors and partners, cleaned with an allow-list.

Cleaning happens on the way in (form field and model save) so that whatever is
stored can be rendered as is; nh3 (the Ammonia sanitiser) does the work.
"""

from __future__ import annotations

import nh3
from django import forms
from django.db import models

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "em", "figcaption", "figure",
    "h2", "h3", "h4", "hr", "i", "li", "ol", "p", "pre", "q", "s", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(value: str | None) -> str:
    """Return ``value`` with every tag, attribute and URL scheme not on the allow-list removed."""
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


class RichTextFormField(forms.CharField):
    def clean(self, value):
        return sanitise_html(super().clean(value))


class RichTextField(models.TextField):
    """A TextField holding sanitised HTML; safe to render with ``|safe``."""

    def pre_save(self, model_instance, add):
        value = sanitise_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": RichTextFormField, **kwargs})
