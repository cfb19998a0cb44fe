"""Money in one module: amounts in euros at the editors' reference rates, and amounts as people
read them. The tracker's funding chart, an initiative's page and the template filters all use
it, so an amount is converted and written the same way everywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F

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


def rate_text(rate: ReferenceRate) -> str:
    """``1 USD = 0.92 EUR``: the rate as editors set it, without trailing zeros."""
    return f"1 {rate.currency} = {rate.euros_per_unit.normalize():f} EUR"


#: How many levels of "part of" the chart follows up to find the initiative a part is in.
PART_OF_DEPTH = 3
#: The ancestors each chart row carries, nearest first (annotations of the chart's query).
ANCESTORS = tuple(f"ancestor_{level}" for level in range(1, PART_OF_DEPTH + 1))


def ancestor_annotations() -> dict[str, F]:
    """``ancestor_1`` is ``part_of``, ``ancestor_2`` its ``part_of``…, read with the rows."""
    return {
        name: F("__".join(["part_of"] * level)) for level, name in enumerate(ANCESTORS, start=1)
    }


def funding_chart(initiatives, rates: dict[str, ReferenceRate]) -> dict:
    """Rows for the initiatives with an amount, in euros at the editors' reference rates.

    Every amount has a row: one without a rate for its currency has ``euros`` None and no
    bar, and says so. Bars are drawn against an axis of round values (``axis``: value, label
    and position in percent). A part of another initiative in the chart (a fund inside a
    programme: ``part_of``, followed up ``PART_OF_DEPTH`` levels when the rows carry
    ``ancestor_annotations``) comes right under it, names it as ``within`` and is left out
    of the ``total``, since the other's amount includes it. Rows at one level are the
    largest first, those without a rate last.
    """
    rows = []
    for initiative in initiatives:
        converted = in_euros(initiative.amount, initiative.currency, rates)
        rows.append(
            {
                "initiative": initiative,
                "euros": converted.euros if converted else None,
                "rate": converted.rate if converted else None,
                "within": None,
                "within_row": None,
                "parts": [],
                "depth": 0,
            }
        )
    by_pk = {row["initiative"].pk: row for row in rows}
    for row in rows:
        initiative = row["initiative"]
        ancestors = [getattr(initiative, name, None) for name in ANCESTORS]
        if not any(ancestors):
            ancestors = [getattr(initiative, "part_of_id", None)]
        parent = next((by_pk[pk] for pk in ancestors if pk in by_pk and pk != initiative.pk), None)
        if parent is not None:
            row["within"], row["within_row"] = parent["initiative"], parent
            parent["parts"].append(row)

    def largest_first(row):
        return (row["euros"] is None, -(row["euros"] or 0), row["initiative"].display_title)

    ordered: list[dict] = []
    seen: set = set()

    def place(row, depth):
        if row["initiative"].pk in seen:
            return
        seen.add(row["initiative"].pk)
        row["depth"] = depth
        ordered.append(row)
        for part in sorted(row["parts"], key=largest_first):
            place(part, depth + 1)

    for row in sorted((row for row in rows if row["within"] is None), key=largest_first):
        place(row, 0)
    for row in sorted(rows, key=largest_first):  # caught in a loop of "part of": drawn once
        if row["initiative"].pk not in seen:
            row["within"] = row["within_row"] = None
            place(row, 0)

    converted = [row for row in ordered if row["euros"] is not None]
    ticks = axis_ticks(max((row["euros"] for row in converted), default=Decimal(0)))
    axis_max = ticks[-1]
    for row in converted:
        share = (row["euros"] / axis_max * 100) if axis_max else Decimal(0)
        # Keep a sliver visible for small amounts next to very large ones.
        row["percent"] = f"{max(share, Decimal('0.5')):.1f}"
    axis = [
        {"value": tick, "label": short_amount(tick), "percent": f"{tick / axis_max * 100:.1f}"}
        for tick in ticks
        if axis_max
    ]
    counted = [row for row in converted if not _inside_a_converted(row)]
    used = {row["rate"].currency: row["rate"] for row in converted if row["rate"]}
    return {
        "bars": ordered,
        "unconverted": [row for row in ordered if row["euros"] is None],
        "axis": axis,
        "total": sum((row["euros"] for row in counted), Decimal(0)),
        "parts_not_added": len(converted) - len(counted),
        "rates": [used[code] for code in sorted(used)],
    }


def _inside_a_converted(row: dict) -> bool:
    """Whether an initiative that ``row`` lies within has an amount in euros (it includes
    the row's)."""
    seen = {row["initiative"].pk}
    within = row["within_row"]
    while within is not None and within["initiative"].pk not in seen:
        if within["euros"] is not None:
            return True
        seen.add(within["initiative"].pk)
        within = within["within_row"]
    return False


def round_amount(amount: Decimal, digits: int = 4) -> Decimal:
    """``amount`` to ``digits`` significant digits (a total of rounded amounts claims no
    more): ``309388000000`` → ``309400000000``."""
    if not amount:
        return Decimal(0)
    exponent = amount.adjusted() - digits + 1
    return amount.quantize(Decimal(1).scaleb(exponent)) if exponent > 0 else amount


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
