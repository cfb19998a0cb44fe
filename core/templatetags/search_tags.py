"""Search results: the reader's words marked in titles and snippets.

``{{ text|highlight:query }}`` escapes ``text`` and wraps each place a word of ``query`` starts a
word (case-insensitively, so "regul" marks "Regulation") in ``<mark>``;
``{{ text|excerpt:query }}`` is the stretch of a long text around the first such place.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

_WORD = re.compile(r"[^\W_]+")
#: Characters of context an excerpt keeps before the first match, and its length in all.
BEFORE, LENGTH = 60, 240


def _pattern(query: str) -> re.Pattern | None:
    words = sorted({w for w in _WORD.findall(query or "") if len(w) > 1}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, words)) + ")", re.IGNORECASE)


@register.filter
def highlight(text, query: str) -> str:
    text = str(text or "")
    pattern = _pattern(query)
    if pattern is None:
        return escape(text)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above


@register.filter
def excerpt(text, query: str) -> str:
    """At most ``LENGTH`` characters of ``text``, from a little before the first match."""
    text = " ".join(str(text or "").split())
    pattern = _pattern(query)
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.start() > BEFORE:
        start = text.rfind(" ", 0, match.start() - BEFORE) + 1
    piece = text[start : start + LENGTH]
    if start + LENGTH < len(text):
        piece = piece[: piece.rfind(" ")] if " " in piece else piece
        piece += "…"
    return ("…" if start else "") + piece
