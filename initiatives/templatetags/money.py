"""The ``money`` filter: amounts as people read them (see ``initiatives.currency``)."""

from django import template

from initiatives.currency import format_amount

register = template.Library()
register.filter("money", format_amount)
