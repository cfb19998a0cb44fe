"""The tracker's timeline: initiatives by the day they were announced, among the events of
that time, with what builds on what, laid out on the server for an inline SVG.

Time runs down a vertical axis drawn to scale. Each item has a row of its own beside it,
joined to its day on the axis; rows that would overlap (many announcements on one summit's
day) are pushed down and share one stem, so labels never collide at any screen width. An
initiative without its own date takes the day of the (published) event where it was
announced. Three queries, however many items: the initiatives, their "builds on" links among
themselves, and the events of the period. The list beside it is its text equivalent.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import date

from django.db.models import DateField, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils.timezone import localdate

from core.publishing import published_q
from events.models import Event

from .models import Initiative

#: How many initiatives and events the timeline shows at most: the latest ones.
INITIATIVE_LIMIT = 30
EVENT_LIMIT = 10

# Geometry, in CSS pixels (the SVG is not scaled, so its text stays the size of the page's).
AXIS_X = 58  # the time axis; year labels end left of it
STEM_X = 70  # where rows sharing a day branch off
DOT_X = 86  # each item's marker
LABEL_X = 134  # labels start after the gutter where "builds on" arcs run
TOP = 14
LINE = 17  # one line of a label
ROW_GAP = 9
WRAP = 30  # characters per label line; two lines at most
PX_PER_ROW = ROW_GAP + LINE  # the axis is scaled so that the items would fill it evenly


@dataclass
class Item:
    kind: str  # "initiative" or "event"
    title: str
    url: str
    day: date
    end: date | None = None
    note: str = ""
    lines: list[str] = field(default_factory=list)
    y_time: int = 0  # the day on the axis
    y_end: int = 0  # an event's last day on the axis
    y: int = 0  # the row's marker
    builds_on: list[Item] = field(default_factory=list)


def _label(title: str) -> list[str]:
    lines = textwrap.wrap(title, WRAP, break_long_words=True) or [title]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), WRAP, placeholder="…")]
    return lines


def tracker_timeline(initiatives: QuerySet[Initiative]) -> dict | None:
    """The timeline of these (published) initiatives, or None when none has a date."""
    dated = (
        initiatives.filter(Q(announced_on__isnull=False) | published_q("announced_at__"))
        .annotate(
            day=Coalesce("announced_on", TruncDate("announced_at__start"), output_field=DateField())
        )
        .select_related(None)
        .values("pk", "slug", "title", "short_title", "kind", "announced_on", "day")
        .order_by("-day", "title")[:INITIATIVE_LIMIT]
    )
    rows = list(dated)
    if not rows:
        return None
    kinds = dict(Initiative.Kind.choices)
    items = {
        row["pk"]: Item(
            kind="initiative",
            title=row["short_title"] or row["title"],
            url=Initiative(slug=row["slug"]).get_absolute_url(),
            day=row["day"],
            note=kinds.get(row["kind"], ""),
        )
        for row in rows
    }
    first, last = min(i.day for i in items.values()), max(i.day for i in items.values())
    links = Initiative.builds_on.through.objects.filter(
        from_initiative_id__in=items, to_initiative_id__in=items
    ).values_list("from_initiative_id", "to_initiative_id")
    for newer, older in links:
        items[newer].builds_on.append(items[older])
    events = [
        Item(
            kind="event",
            title=event.title,
            url=event.get_absolute_url(),
            day=localdate(event.start),
            end=localdate(event.end) if localdate(event.end) > localdate(event.start) else None,
            note=f"Event{', ' + event.city if event.city else ''}",
        )
        for event in Event.objects.published()
        .filter(start__date__lte=last, end__date__gte=first)
        .only("slug", "title", "start", "end", "city")
        .order_by("-start")[:EVENT_LIMIT]
    ]
    ordered = sorted(
        [*items.values(), *events],
        key=lambda item: (item.day, item.kind != "event", item.title.casefold()),
    )
    return _lay_out(ordered, truncated=len(rows) == INITIATIVE_LIMIT)


def _lay_out(ordered: list[Item], *, truncated: bool) -> dict:
    first = min(item.day for item in ordered)
    last = max(item.end or item.day for item in ordered)
    span = max((last - first).days, 1)
    scale = len(ordered) * PX_PER_ROW / span

    def at(day: date) -> int:
        return round(TOP + (day - first).days * scale)

    bottom = TOP
    for item in ordered:
        item.lines = _label(item.title)
        item.y_time = at(item.day)
        item.y_end = at(item.end) if item.end else item.y_time
        item.y = max(item.y_time, bottom)
        bottom = item.y + LINE * len(item.lines) + ROW_GAP
    years = [
        {"label": year, "y": at(date(year, 1, 1))} for year in range(first.year + 1, last.year + 1)
    ]
    arcs = [
        {
            "from": newer,
            "to": older,
            "bulge": DOT_X + min(LABEL_X - DOT_X - 10, 14 + abs(newer.y - older.y) // 12),
        }
        for newer in ordered
        for older in newer.builds_on
    ]
    return {
        "items": ordered,
        "years": years,
        "arcs": arcs,
        "first": first,
        "last": last,
        "height": round(max(bottom, at(last) + TOP)),
        "axis": {"x": AXIS_X, "top": TOP, "bottom": at(last)},
        "x": {"stem": STEM_X, "dot": DOT_X, "label": LABEL_X, "axis": AXIS_X},
        "start_year": first.year,
        "truncated": truncated,
        "initiatives": sum(1 for item in ordered if item.kind == "initiative"),
        "events": sum(1 for item in ordered if item.kind == "event"),
    }
