"""Paths to pages and API items, built without a ``reverse()`` per row.

``django.urls.reverse`` walks the URL resolver on every call; a list of 100 items with a
few links each spends more time there than in SQL. ``path_for(name, **kwargs)`` reverses
each URL name once, with placeholders in place of the arguments, and from then on fills the
arguments into that template by string formatting. It returns what ``reverse()`` would.

Only values the ``slug`` converter accepts (``[-a-zA-Z0-9_]+``: every slug and every whole
number) are filled in this way, since they need no quoting; anything else goes through
``reverse()``, which quotes it or refuses it as usual. The templates are kept per URL
configuration and script prefix, and forgotten when ``ROOT_URLCONF`` changes.
"""

from __future__ import annotations

import re
from functools import cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

_SAFE = re.compile(r"[-a-zA-Z0-9_]+\Z")


@cache
def _template(name: str, keys: tuple[str, ...], urlconf, prefix: str) -> str | None:
    """``name``'s path with ``{key}`` fields, or None when it cannot be built that way."""
    placeholders = {key: f"zz{index}placeholder{index}zz" for index, key in enumerate(keys)}
    try:
        path = reverse(name, kwargs=placeholders, urlconf=urlconf)
    except NoReverseMatch:
        return None  # a converter that refuses the placeholder (int): reverse() every time
    template = path.replace("{", "{{").replace("}", "}}")
    for key, placeholder in placeholders.items():
        if template.count(placeholder) != 1:
            return None
        template = template.replace(placeholder, f"{{{key}}}")
    return template


def path_for(name: str, /, **kwargs) -> str:
    """``reverse(name, kwargs=kwargs)``, from a template reversed once per URL name."""
    values = {key: str(value) for key, value in kwargs.items()}
    if all(_SAFE.match(value) for value in values.values()):
        template = _template(name, tuple(sorted(values)), get_urlconf(), get_script_prefix())
        if template is not None:
            return template.format(**values)
    return reverse(name, kwargs=kwargs)


@receiver(setting_changed)
def _forget_templates(*, setting, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _template.cache_clear()
