"""Money in one module: amounts in euros at the editors' reference rates, and amounts as people
read them. The tracker's funding chart, an initiative's page and the template filters all use
it, so an amount is converted and written the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .models import ReferenceRate

EURO = "EUR"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class InEuros:
    euros: Decimal
    #: The rate used; None when the amount was in euros already.
    rate: ReferenceRate | None


def reference_rates(currencies: list[str] | None = None) -> dict[str, ReferenceRate]:
    """The editors' current rates by currency code (only ``currencies``, when given)."""
    rates = ReferenceRate.objects.all()
    if currencies is not None:
        rates = rates.filter(currency__in=currencies)
    return {rate.currency: rate for rate in rates}


def in_euros(amount: Decimal, currency: str, rates: dict[str, ReferenceRate]) -> InEuros | None:
    """``amount`` of ``currency`` in euros, or None when there is no rate for it."""
    if currency == EURO:
        return InEuros(Decimal(amount), None)
    rate = rates.get(currency)
    if rate is None:
        return None
    return InEuros((Decimal(amount) * rate.euros_per_unit).quantize(CENT), rate)


def funding_chart(initiatives, rates: dict[str, ReferenceRate]) -> dict:
    """Bars for the initiatives with an amount, in euros at the editors' reference rates."""
    bars, unconverted = [], []
    for initiative in initiatives:
        converted = in_euros(initiative.amount, initiative.currency, rates)
        if converted is None:
            unconverted.append(initiative)
            continue
        bars.append({"initiative": initiative, "euros": converted.euros, "rate": converted.rate})
    bars.sort(key=lambda bar: bar["euros"], reverse=True)
    top = bars[0]["euros"] if bars else Decimal(0)
    for bar in bars:
        share = (bar["euros"] / top * 100) if top else Decimal(0)
        # Keep a sliver visible for small amounts next to very large ones.
        bar["percent"] = f"{max(share, Decimal('0.5')):.1f}"
    return {"bars": bars, "unconverted": unconverted}


SCALES = [(Decimal(10**12), "trillion"), (Decimal(10**9), "billion"), (Decimal(10**6), "million")]


def format_amount(amount: Decimal | None, currency: str = "") -> str:
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
