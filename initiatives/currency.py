"""Money in one module: amounts in euros at the editors' reference rates, and amounts as people
read them. The tracker's funding chart, an initiative's page and the template filters all use
it, so an amount is converted and written the same way everywhere.
"""

from __future__ import annotations

import math
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


#: Steps an axis may take, times a power of ten: 0, 50, 100, 150, 200 rather than 0, 37, 74.
NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))
SHORT_SCALES = [(Decimal(10**12), "tn"), (Decimal(10**9), "bn"), (Decimal(10**6), "m")]


def axis_ticks(top: Decimal, intervals: int = 4) -> list[Decimal]:
    """Round values from 0 to at least ``top``, at most ``intervals`` equal steps apart."""
    if top <= 0:
        return [Decimal(0)]
    exponent = top.adjusted()  # the power of ten of top's first digit
    for power in (exponent - 1, exponent, exponent + 1):
        for multiple in NICE_STEPS:
            step = multiple * Decimal(10) ** power
            count = math.ceil(top / step)
            if count <= intervals:
                return [step * n for n in range(count + 1)]
    raise AssertionError("unreachable: a step of 10^(exponent+1) always fits")


def short_amount(amount: Decimal) -> str:
    """An axis label: ``50000000000`` → ``50 bn``, ``2500000`` → ``2.5 m``."""
    for size, word in SHORT_SCALES:
        if abs(amount) >= size:
            return f"{amount / size:,.2f}".rstrip("0").rstrip(".") + f" {word}"
    return f"{amount:,.2f}".rstrip("0").rstrip(".")


def funding_chart(initiatives, rates: dict[str, ReferenceRate]) -> dict:
    """Bars for the initiatives with an amount, in euros at the editors' reference rates.

    Bars are drawn against an axis of round values (``ticks``: value, label and position in
    percent). A bar whose initiative is part of another one in the chart (a fund inside a
    programme) names it as ``within``: its amount is included in the other, not added to it.
    """
    bars, unconverted = [], []
    for initiative in initiatives:
        converted = in_euros(initiative.amount, initiative.currency, rates)
        if converted is None:
            unconverted.append(initiative)
            continue
        bars.append({"initiative": initiative, "euros": converted.euros, "rate": converted.rate})
    bars.sort(key=lambda bar: bar["euros"], reverse=True)
    ticks = axis_ticks(bars[0]["euros"] if bars else Decimal(0))
    axis_max = ticks[-1]
    by_pk = {bar["initiative"].pk: bar["initiative"] for bar in bars}
    for bar in bars:
        share = (bar["euros"] / axis_max * 100) if axis_max else Decimal(0)
        # Keep a sliver visible for small amounts next to very large ones.
        bar["percent"] = f"{max(share, Decimal('0.5')):.1f}"
        bar["within"] = by_pk.get(getattr(bar["initiative"], "part_of_id", None))
    axis = [
        {"value": tick, "label": short_amount(tick), "percent": f"{tick / axis_max * 100:.1f}"}
        for tick in ticks
        if axis_max
    ]
    return {"bars": bars, "unconverted": unconverted, "axis": axis}


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
