"""The event page's programme and timetable, each session's markup built in one pass.

An event of 100 sessions lists every session twice, in the programme and in the timetable.
Through an included template per session (and one per host and speaker for the draft
badge) that page spent most of its time in the template engine. These tags build the same
markup as ``events/_session_item.html`` and the timetable cell with ``format_html``, from
one ``SessionRow`` per session that the programme and the timetable share: its address,
its local times and its kind are worked out once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from events.models import Session

register = template.Library()

DRAFT_BADGE = mark_safe(' <span class="badge badge--draft">Not public</span>')


def _badge(obj) -> str:
    return DRAFT_BADGE if obj is not None and not obj.is_published else ""


@dataclass(frozen=True)
class SessionRow:
    url: str
    start_iso: str
    start_time: str
    end_iso: str
    end_time: str
    kind: str


def session_row(session: Session) -> SessionRow:
    """What the programme and the timetable show of ``session``, computed once per page."""
    row = getattr(session, "_programme_row", None)
    if row is None:
        tz = session.event.tz
        start = session.start.astimezone(tz) if session.start else None
        end = session.end.astimezone(tz) if session.end else None
        row = SessionRow(
            url=session.get_absolute_url(),
            start_iso=start.isoformat() if start else "",
            start_time=f"{start:%H:%M}" if start else "",
            end_iso=end.isoformat() if end else "",
            end_time=f"{end:%H:%M}" if end else "",
            kind=session.get_kind_display(),
        )
        session._programme_row = row
    return row


@register.simple_tag
def programme_session(session: Session, level: int, zone_abbr: str) -> SafeString:
    """One ``<li>`` of the programme, as ``events/_session_item.html`` renders it."""
    row = session_row(session)
    if row.start_iso:
        when = format_html('<time datetime="{}">{}</time>', row.start_iso, row.start_time)
        if row.end_iso:
            when = format_html('{}–<time datetime="{}">{}</time>', when, row.end_iso, row.end_time)
        when = format_html("{} {}", when, zone_abbr)
    else:
        when = "Time to be announced"
    room = format_html(" · {}", session.room) if session.room else ""
    hosts = list(session.hosts.all())
    people = list(session.appearances.all())
    hosts_html = (
        format_html(
            '\n  <p class="hosts">Hosted by {}</p>',
            mark_safe(  # noqa: S308 (built from escaped parts)
                ", ".join(
                    format_html('<a href="{}">{}</a>{}', o.get_absolute_url(), o.name, _badge(o))
                    for o in hosts
                )
            ),
        )
        if hosts
        else ""
    )
    people_html = (
        format_html(
            '\n  <ul class="people-inline">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}">{}</a>{} <span class="role">({})</span></li>',
                (
                    (
                        a.person.get_absolute_url(),
                        a.person.display_name,
                        _badge(a.person),
                        a.get_role_display(),
                    )
                    for a in people
                ),
            ),
        )
        if people
        else ""
    )
    return format_html(
        '<li class="session{}" id="session-{}" data-session="{}" data-start="{}">\n'
        '  <h{} class="session-title"><a href="{}">{}</a>{}</h{}>\n'
        '  <p class="meta"><span class="session-when">{}</span>{} · {}'
        ' · <a class="session-anchor" href="#session-{}">Link to this session'
        '<span class="visually-hidden">: {}</span></a></p>{}{}\n'
        "</li>\n",
        " session--side" if session.is_side_session else "",
        session.slug,
        session.pk,
        row.start_iso,
        level,
        row.url,
        session.title,
        _badge(session),
        level,
        when,
        room,
        row.kind,
        session.slug,
        session.title,
        hosts_html,
        people_html,
    )


@register.simple_tag
def timetable_cell(cell) -> SafeString:
    """One cell of a day's timetable: an empty slot, or a session spanning its rows."""
    if cell is None:
        return mark_safe('<td class="tt-empty"></td>')
    session = cell.session
    row = session_row(session)
    special = " tt-session--special" if session.track_id and session.track.is_special else ""
    when = format_html("{}–{}", row.start_time, row.end_time) if row.end_time else row.start_time
    rowspan = format_html(' rowspan="{}"', cell.rowspan) if cell.rowspan > 1 else ""
    track = (
        format_html('<span class="tt-track">{}</span>', session.track.title)
        if session.track_id
        else ""
    )
    return format_html(
        '<td class="tt-cell"{} headers="{}">'
        '<div class="tt-session{}" data-session="{}" data-start="{}">'
        '<a href="{}"><span class="tt-when">{}</span> <span class="tt-title">{}</span></a>{}'
        '<span class="tt-kind">{}</span>{}</div></td>',
        rowspan,
        cell.headers,
        special,
        session.pk,
        row.start_iso,
        row.url,
        when,
        session.title,
        _badge(session),
        row.kind,
        track,
    )


@register.simple_tag
def now_session(session: Session, zone_abbr: str) -> SafeString:
    """One session in "now and next": its times, title and room."""
    row = session_row(session)
    when = format_html('<time datetime="{}">{}</time>', row.start_iso, row.start_time)
    if row.end_iso:
        when = format_html('{}–<time datetime="{}">{}</time>', when, row.end_iso, row.end_time)
    room = format_html(" · {}", session.room) if session.room else ""
    return format_html(
        '<li><a href="{}">{}</a>{} <span class="meta">{} {}{}</span></li>',
        row.url,
        session.title,
        _badge(session),
        when,
        zone_abbr,
        room,
    )
