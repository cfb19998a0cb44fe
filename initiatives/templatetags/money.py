"""The ``money`` filter: amounts as people read them; ``rate``: a reference rate as
"1 USD = 0.92 EUR" (see ``initiatives.currency``)."""

from django import template

from initiatives.currency import format_amount, rate_text

register = template.Library()
register.filter("money", format_amount)
register.filter("rate", rate_text)
