"""Public pages for events, sessions, speakers, organisations, topics and recordings.

Every queryset goes through ``published()``, or ``visible_to(user)`` on detail pages so
that staff allowed to preview see drafts at their public address. Related items follow
the same rule (``visible_q`` in Prefetch querysets), so a published event never shows a
draft session or speaker to the public.
"""

from __future__ import annotations

import re
from collections import OrderedDict

from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from core import registry
from core.links import absolute_url
from core.pages import RELATED_LIMIT, DetailPage, Related, paginate, render_page
from core.publishing import prefetch_published, shown

from .exports import ICS, public_events, with_session_details
from .ical import build_calendar
from .jsonld import event_ld, organisation_ld, person_ld, session_ld
from .models import (
    Event,
    Organisation,
    Person,
    Recording,
    Session,
    SessionParticipant,
    Topic,
    Track,
)
from .programme import arrange, build_timetable, filter_programme, now_and_next


def people_prefetch(user, to_attr: str | None = None) -> Prefetch:
    """Session participants whose person is visible, with the person loaded."""
    return Prefetch(
        "appearances",
        queryset=SessionParticipant.objects.visible_to(user)
        .select_related("person")
        .order_by("order", "id"),
        to_attr=to_attr,
    )


# --- events ----------------------------------------------------------------------------------


def event_list(request: HttpRequest) -> HttpResponse:
    events = Event.objects.published()
    upcoming = list(events.upcoming()[:RELATED_LIMIT])
    past = paginate(request, events.past())
    return render_page(request, "events/event_list.html", {"upcoming": upcoming, "past": past})


def _event_programme(request: HttpRequest, event: Event, context: dict) -> dict:
    user = request.user
    sessions = list(
        event.sessions.visible_to(user)
        .select_related("track__organiser")
        .prefetch_related(
            people_prefetch(user),
            prefetch_published("hosts", Organisation, user=user),
            # What later apps show on each track (a journal's collections), in one query each.
            *registry.section_prefetches(Track, user, prefix="track__"),
        )
        .order_by("start", "title")
    )
    for session in sessions:
        session.event = event  # already loaded; avoids a query per session for its time zone
        if session.track:
            session.track.sections = registry.related_sections(session.track, user)
    chosen = filter_programme(sessions, event, request.GET)
    programme = arrange(chosen.sessions, event)
    live = now_and_next(sessions, event, timezone.now())
    # Rendered only while the event runs, and every session's start and end is a schedule
    # boundary of the page cache (events/registry.py): no copy outlives what it says is on.
    # Browsers and proxies are asked to check again each time (a 304 while nothing moved).
    if event.start <= timezone.now() < event.end:
        request.public_max_age = 0
    view = "list" if request.GET.get("view") == "list" else "grid"
    parent = shown(user, event.parent)
    performers = list(
        OrderedDict((a.person.pk, a.person) for s in sessions for a in s.appearances.all()).values()
    )
    return {
        "parent": parent,
        "programme": programme.days_for_page,
        "timetable": build_timetable(programme) if view == "grid" else [],
        "side_sessions": programme.side,
        "has_sessions": bool(sessions),
        # Every session the reader may see, filtered or not: an agenda keeps no other.
        "agenda_ids": ",".join(str(s.pk) for s in sessions),
        # The timetable lays out the official programme's timed sessions.
        "has_timetable": any(s.start and not s.is_side_session for s in sessions),
        "filter": chosen,
        "view": view,
        "view_links": _view_links(request),
        "now_next": live,
        "zone_abbr": event.local_start.strftime("%Z"),
        "jsonld": event_ld(
            event,
            organisers=context["organisers"] or context["hosts"],
            hosts=context["host_people"],
            performers=performers,
            parent=parent,
        ),
    }


def _view_links(request: HttpRequest) -> dict[str, str]:
    """The addresses of the two views of the programme, keeping the filters in use."""
    links = {}
    for view in ("grid", "list"):
        query = request.GET.copy()
        query.pop("view", None)
        if view == "list":
            query["view"] = "list"
        links[view] = f"?{query.urlencode()}#programme" if query else "?#programme"
    return links


_event_page = DetailPage(
    Event,
    "events/event_detail.html",
    name="event",
    queryset=lambda user: Event.objects.visible_to(user).select_related("parent", "image"),
    related=(
        Related("side_events", lambda event: event.side_events.order_by("start")),
        Related("organisers", lambda event: event.organisers),
        Related("hosts", lambda event: event.hosts),
        Related("host_people", lambda event: event.host_people.select_related("affiliation")),
        Related("topics", lambda event: event.topics),
    ),
    more_context=_event_programme,
)


event_detail = _event_page


#: The most sessions one agenda calendar may name.
AGENDA_LIMIT = 200
AGENDA_IDS = re.compile(r"\d{1,12}(,\d{1,12})*")
#: Larger ids name no row (and would overflow an integer column on PostgreSQL).
LARGEST_ID = 2**31 - 1


def _bad_request(message: str) -> HttpResponse:
    return HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def event_agenda_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """An iCalendar file of the sessions a visitor chose (``?sessions=1,2,3``, the ids their
    agenda keeps): those of them that are published, of this event and timed. Ids that name
    no such session are left out without a word; a list that is not one is a 400."""
    raw = request.GET.get("sessions", "").strip().strip(",")
    if not raw:
        return _bad_request("Name the sessions: ?sessions=1,2,3 (their ids, comma-separated).")
    if not AGENDA_IDS.fullmatch(raw):
        return _bad_request("The sessions are given as ids separated by commas: ?sessions=1,2,3.")
    ids = set(map(int, raw.split(",")))
    if len(ids) > AGENDA_LIMIT:
        return _bad_request(f"An agenda holds at most {AGENDA_LIMIT} sessions.")
    event = get_object_or_404(public_events(), slug=slug)
    sessions = list(
        with_session_details(
            event.sessions.published().filter(
                pk__in=[pk for pk in ids if pk <= LARGEST_ID], start__isnull=False
            )
        )
    )
    if not sessions:
        raise Http404("None of these sessions is in the event's published programme with a time.")
    calendar = build_calendar(name=f"My agenda: {event.title}", sessions=sessions)
    response = HttpResponse(calendar.to_ical(), content_type=ICS)
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-agenda.ics"'
    return response


def _session_context(request: HttpRequest, session: Session, context: dict) -> dict:
    appearances = context["appearances"]
    return {
        "event": session.event,
        "event_shown": shown(request.user, session.event),
        "zone_abbr": session.local_start.strftime("%Z") if session.start else "",
        "jsonld": session_ld(
            session, hosts=context["hosts"], performers=[a.person for a in appearances]
        ),
    }


session_detail = DetailPage(
    Session,
    "events/session_detail.html",
    name="session",
    lookups={"event__slug": "event_slug", "slug": "slug"},
    queryset=lambda user: Session.objects.visible_to(user).select_related("event", "track"),
    related=(
        Related(
            "appearances",
            lambda session: session.appearances.select_related("person__affiliation").order_by(
                "order", "id"
            ),
        ),
        Related("hosts", lambda session: session.hosts),
        Related("topics", lambda session: session.topics),
    ),
    more_context=_session_context,
)


# --- people and organisations ----------------------------------------------------------------


def person_list(request: HttpRequest) -> HttpResponse:
    people = Person.objects.published().select_related("affiliation")
    return render_page(request, "events/person_list.html", {"page": paginate(request, people)})


person_detail = DetailPage(
    Person,
    "events/person_detail.html",
    name="person",
    queryset=lambda user: Person.objects.visible_to(user).select_related("affiliation", "image"),
    related=(
        Related("hosted_events", lambda person: person.hosted_events.order_by("-start")),
        Related(
            "appearances",
            lambda person: person.appearances.select_related("session__event").order_by(
                "-session__start"
            ),
        ),
    ),
    more_context=lambda request, person, context: {
        "affiliation": (affiliation := shown(request.user, person.affiliation)),
        "jsonld": person_ld(person, affiliation=affiliation),
        # The calendar holds their published, timed sessions: offered only when it has one.
        "has_calendar": any(
            a.session.start and a.session.is_published and a.session.event.is_published
            for a in context["appearances"]
        ),
    },
)


def organisation_list(request: HttpRequest) -> HttpResponse:
    orgs = Organisation.objects.published()
    return render_page(request, "events/organisation_list.html", {"page": paginate(request, orgs)})


def _organisation_context(request: HttpRequest, org: Organisation, context: dict) -> dict:
    user = request.user
    events = (
        Event.objects.visible_to(user)
        .filter(Q(hosts=org) | Q(organisers=org))
        .distinct()
        .order_by("-start")
    )
    parent = shown(user, org.parent)
    return {
        "parent": parent,
        "events": list(events[:RELATED_LIMIT]),
        "jsonld": organisation_ld(org, parent=parent),
    }


organisation_detail = DetailPage(
    Organisation,
    "events/organisation_detail.html",
    name="organisation",
    queryset=lambda user: Organisation.objects.visible_to(user).select_related("parent", "image"),
    related=(
        Related(
            "sessions",
            lambda org: org.hosted_sessions.select_related("event").order_by("-start"),
            RELATED_LIMIT,
        ),
        Related("people", lambda org: org.people, RELATED_LIMIT),
        Related("units", lambda org: org.units),
    ),
    more_context=_organisation_context,
)


# --- topics ----------------------------------------------------------------------------------


topic_detail = DetailPage(
    Topic,
    "events/topic_detail.html",
    name="topic",
    related=(
        Related("events", lambda topic: topic.events.order_by("-start"), RELATED_LIMIT),
        Related(
            "sessions",
            lambda topic: topic.sessions.select_related("event").order_by("-start"),
            RELATED_LIMIT,
        ),
        Related("people", lambda topic: topic.people, RELATED_LIMIT),
    ),
    more_context=lambda request, topic, context: {
        "jsonld": {
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": topic.name,
            "description": topic.description,
            "url": absolute_url(topic.get_absolute_url()),
        }
    },
)


# --- recordings ------------------------------------------------------------------------------


def recording_list(request: HttpRequest) -> HttpResponse:
    recordings = Recording.objects.published()
    return render_page(
        request, "events/recording_list.html", {"page": paginate(request, recordings)}
    )


recording_detail = DetailPage(
    Recording,
    "events/recording_detail.html",
    name="recording",
    related=(
        Related("sessions", lambda recording: recording.sessions.select_related("event")),
        Related("people", lambda recording: recording.people),
    ),
)
