"""The world map of a declaration's signatories, drawn on the server as inline SVG.

Countries are filled by stance (a solid fill, a hatch or dots, so colour is not the only cue),
over the land drawn as one shape: the countries that took a stance are outlined, and the inner
borders of the rest are left out to keep the page within its weight budget. The outlines are
``data/world.json`` (Natural Earth, public domain: see ``data/README.md``), read once per
process. The map is drawn from the signatories the page already has, so it adds no query; the
signatory table stays its text equivalent. Organisations are not on the map, nor is a code with
no outline (the EU): the legend lists them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .models import Signatory

WORLD = Path(__file__).resolve().parent / "data" / "world.json"


@cache
def world() -> dict:
    """The outlines: paths keyed by ISO 3166-1 alpha-2 code, markers for the smallest."""
    return json.loads(WORLD.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class MapCountry:
    code: str
    name: str
    stance: str
    stance_label: str
    path: str
    point: tuple[float, float] | None


@dataclass(frozen=True)
class LegendEntry:
    stance: str
    label: str
    count: int


def signatory_map(signatories: list[Signatory]) -> dict | None:
    """What the map template needs, or None when no country took a stance.

    ``signatories`` are the rows the page shows (already filtered for the reader).
    """
    countries = [s for s in signatories if s.country]
    if not countries:
        return None
    outlines = world()
    drawn, undrawn = [], []
    for signatory in countries:
        code = signatory.country.code
        path = outlines["countries"].get(code, "")
        point = outlines["points"].get(code)
        country = MapCountry(
            code=code,
            name=signatory.country.name,
            stance=signatory.stance,
            stance_label=signatory.get_stance_display(),
            path=path,
            point=tuple(point) if point else None,
        )
        (drawn if path or point else undrawn).append(country)
    legend = [
        LegendEntry(stance, label, sum(1 for c in drawn if c.stance == stance))
        for stance, label in Signatory.Stance.choices
    ]
    return {
        "width": outlines["width"],
        "height": outlines["height"],
        "land": outlines["land"],
        "drawn": drawn,
        "undrawn": undrawn,
        "legend": [entry for entry in legend if entry.count],
        "organisations": sum(1 for s in signatories if s.organisation_id),
    }
