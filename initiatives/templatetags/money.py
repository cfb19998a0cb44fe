"""The ``money`` filter: amounts as people read them; ``rate``: a reference rate as
"1 USD = 0.92 EUR" (see ``initiatives.currency``)."""

from django import template

from initiatives.currency import format_amount, rate_text, round_amount

register = template.Library()
register.filter("money", format_amount)
register.filter("rate", rate_text)


@register.filter
def money_about(amount, currency: str = "") -> str:
    """An approximate amount (a total), to four significant digits."""
    return format_amount(round_amount(amount), currency) if amount is not None else ""
