"""The ``rich_text`` filter: how every template shows a rich-text body.

``{{ post.body|rich_text:user }}`` renders the stored HTML for that reader
(``core.richtext.render_rich_text``): sanitised again, references to our items turned into
their current URLs or, when the reader may not see the item, into text. It is a builtin
(settings ``TEMPLATES``), so no template needs ``|safe`` for rich text.
"""

from django import template

from core.richtext import render_rich_text

register = template.Library()


@register.filter
def rich_text(value, user=None):
    # Without a user (a template rendered outside a request) the reader is anonymous.
    return render_rich_text(value, user or None)
