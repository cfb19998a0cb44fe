"""Template helpers for the public pages: absolute URLs, JSON-LD and cards of any content type."""

from __future__ import annotations

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core import links, menus, registry
from core.paths import path_for

register = template.Library()

# The same escapes as Django's json_script: nothing in the data can close the script element.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def jsonld(data: dict) -> str:
    """Emit ``data`` as a schema.org JSON-LD script element, safely escaped."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.simple_tag
def absolute_url(path: str) -> str:
    """``path`` made absolute against settings.SITE_URL (used for canonical and Open Graph)."""
    return links.absolute_url(path) if path else ""


#: Words left out of initials: "Dr Jennifer Prendki" → "JP", "Ursula von der Leyen" → "UL".
_NOT_INITIALS = {
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "mr",
    "mrs",
    "ms",
    "von",
    "van",
    "der",
    "de",
    "la",
    "du",
}


@register.filter
def initials(name: str) -> str:
    """Up to two initials of a name, for the avatar shown when a person has no portrait."""
    words = [
        word for word in str(name).replace(".", " ").split() if word.isalpha() or word[0].isalpha()
    ]
    kept = [word for word in words if word.lower() not in _NOT_INITIALS] or words
    if not kept:
        return ""
    chosen = kept[:1] + kept[1:][-1:]
    return "".join(word[0].upper() for word in chosen)


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """The page's canonical address: its path on SITE_URL, keeping only the page number."""
    request = context.get("request")
    if request is None:
        return settings.SITE_URL + "/"
    url = settings.SITE_URL + request.path
    page = request.GET.get("page", "")
    if page.isdigit() and page != "1":
        url += f"?page={page}"
    return url


@register.simple_tag
def site_name() -> str:
    return settings.SITE_NAME


@register.filter
def card(item) -> registry.CardData:
    """What a card or search result shows for ``item``: title, URL, date, summary, context.

    Read from the item's registration in ``core.registry``, so lists that mix content types
    need not know any one of them.
    """
    return registry.card(item)


@register.simple_tag(takes_context=True)
def related_item(context, entry: dict, item) -> str:
    """One item of a related section (``registry.related_sections``), in its app's partial."""
    section = entry["section"]
    with context.push({section.as_name: item}):
        return get_template(section.template).template.render(context)


@register.filter
def country_link(country) -> str:
    """A country's name linked to its country page (``/countries/<code>/``).

    Only public pages name a country, and whatever names it on a public page gives the country
    its page, so the link is never dead.
    """
    if not country:
        return ""
    url = path_for("country-detail", code=str(country.code).lower())
    return format_html('<a href="{}">{}</a>', url, country.name)


@register.inclusion_tag("core/menus/main.html", takes_context=True)
def main_menu(context) -> dict:
    """The main menu (``core.menus``: edited in the admin, cached with the content version)."""
    request = context.get("request")
    return {"items": menus.menu("main"), "path": request.path if request else ""}


@register.inclusion_tag("core/menus/footer.html", takes_context=True)
def footer_menu(context) -> dict:
    """The footer links, like the main menu."""
    request = context.get("request")
    return {
        "items": menus.menu("footer"),
        "path": request.path if request else "",
        "site": settings.SITE_NAME,
    }
