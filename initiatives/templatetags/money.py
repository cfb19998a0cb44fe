"""Amounts as people read them in policy news, and in euros at a reference rate."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()

SCALES = [(Decimal(10**12), "trillion"), (Decimal(10**9), "billion"), (Decimal(10**6), "million")]


@register.filter
def money(amount: Decimal | None, currency: str = "") -> str:
    """Amounts as people read them in policy news.

    ``200000000000, "EUR"`` → ``EUR 200 billion``; ``1500000`` → ``1.5 million`` (to three
    significant decimals at most); below a million, ``12,345.50`` with cents only when present.
    """
    if amount is None:
        return ""
    amount = Decimal(amount)
    for size, word in SCALES:
        if abs(amount) >= size:
            scaled = f"{amount / size:,.3f}".rstrip("0").rstrip(".")
            return f"{currency} {scaled} {word}".strip()
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"{currency} {text}".strip()


@register.filter
def to_euros(rate, amount: Decimal) -> str:
    """The amount converted at a ReferenceRate, formatted in euros."""
    return money(rate.to_euros(Decimal(amount)), "EUR")
