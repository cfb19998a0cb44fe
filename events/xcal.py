"""xCal (RFC 6321): the iCalendar of an event's programme, in XML.

It is the same calendar as ``calendar.ics`` (``events.ical.build_calendar``: the event, its
published timed sessions, a VTIMEZONE per zone used), written element by element in the
``urn:ietf:params:xml:ns:icalendar-2.0`` namespace: times stay in the event's zone with their
``tzid`` parameter, and the value types are those RFC 5545 gives each property.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import icalendar
from lxml import etree

from core.xmltext import xml_safe

NS = "urn:ietf:params:xml:ns:icalendar-2.0"
DATE_TIME_PROPERTIES = {
    "dtstart", "dtend", "dtstamp", "created", "last-modified", "rdate", "exdate",
    "recurrence-id", "due", "completed",
}  # fmt: skip
VALUE_TYPES = {
    "tzoffsetfrom": "utc-offset",
    "tzoffsetto": "utc-offset",
    "rrule": "recur",
    "url": "uri",
    "tzurl": "uri",
    "organizer": "cal-address",
    "attendee": "cal-address",
    "sequence": "integer",
    "priority": "integer",
}
# The order RFC 6321 (section 3.6.10) gives the parts of a recurrence rule.
RECUR_PARTS = [
    "freq", "until", "count", "interval", "bysecond", "byminute", "byhour", "byday",
    "bymonthday", "byyearday", "byweekno", "bymonth", "bysetpos", "wkst",
]  # fmt: skip


def _el(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        element.text = xml_safe(text)
    return element


def _moment(value: date | datetime) -> tuple[str, str]:
    if not isinstance(value, datetime):
        return "date", value.isoformat()
    if (
        value.tzinfo is not None
        and value.utcoffset() == timedelta(0)
        and (str(value.tzinfo) in ("UTC", "utc"))
    ):
        return "date-time", value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return "date-time", value.strftime("%Y-%m-%dT%H:%M:%S")


def _offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _values(parent: etree._Element, name: str, prop) -> None:
    if name in DATE_TIME_PROPERTIES:
        moments = [d.dt for d in prop.dts] if hasattr(prop, "dts") else [prop.dt]
        for moment in moments:
            kind, text = _moment(moment)
            _el(parent, kind, text)
        return
    kind = VALUE_TYPES.get(name, "text")
    if kind == "utc-offset":
        _el(parent, kind, _offset(prop.td))
    elif kind == "recur":
        recur = _el(parent, "recur")
        for part in RECUR_PARTS:
            for value in prop.get(part.upper(), []):
                if isinstance(value, date):
                    value = _moment(value)[1]
                _el(recur, part, str(value))
    else:
        _el(parent, kind, str(prop))


def _component(parent: etree._Element, component: icalendar.cal.Component) -> None:
    element = _el(parent, component.name.lower())
    properties = _el(element, "properties")
    for name, prop in component.property_items(recursive=False, sorted=False):
        name = name.lower()
        if name in ("begin", "end"):
            continue
        item = _el(properties, name)
        params = {k.lower(): v for k, v in getattr(prop, "params", {}).items() if k != "VALUE"}
        if params:
            parameters = _el(item, "parameters")
            for key, value in params.items():
                _el(_el(parameters, key), "text", str(value))
        _values(item, name, prop)
    if component.subcomponents:
        components = _el(element, "components")
        for sub in component.subcomponents:
            _component(components, sub)


def to_xcal(calendar: icalendar.Calendar) -> bytes:
    root = etree.Element(f"{{{NS}}}icalendar", nsmap={None: NS})
    _component(root, calendar)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
