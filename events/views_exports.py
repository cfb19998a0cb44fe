"""Machine-readable exports of the programme: iCalendar files and the programme as JSON.

Each view loads what it shows in a fixed number of queries, whatever the number
of sessions, and only ever what the public may see: the event, its sessions,
their speakers and hosts all go through ``published()``.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from core.publishing import prefetch_published

from .ical import build_calendar
from .models import Event, Organisation, Person, Session, SessionParticipant
from .programme import arrange, programme_data


def public_events() -> QuerySet[Event]:
    """Published events with their published organisers (``public_organisers``)."""
    return Event.objects.published().prefetch_related(
        prefetch_published("organisers", Organisation, to_attr="public_organisers")
    )


def with_session_details(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Sessions with their published hosts and published participants, in programme order."""
    return (
        sessions.select_related("track__organiser")
        .prefetch_related(
            prefetch_published("hosts", Organisation, to_attr="public_hosts"),
            Prefetch(
                "appearances",
                queryset=SessionParticipant.objects.published()
                .select_related("person__affiliation")
                .order_by("order", "id"),
                to_attr="public_appearances",
            ),
        )
        .order_by("start", "title", "pk")
    )


def calendar_response(calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response


@require_safe
def event_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The event itself and every published session of it."""
    event = get_object_or_404(public_events(), slug=slug)
    # Going through the reverse manager gives every session this very event object.
    sessions = with_session_details(event.sessions.published())
    calendar = build_calendar(name=event.title, events=[event], sessions=sessions)
    return calendar_response(calendar, event.slug)


@require_safe
def session_calendar(request: HttpRequest, event_slug: str, slug: str) -> HttpResponse:
    session = get_object_or_404(
        with_session_details(Session.objects.published())
        .select_related("event")
        .prefetch_related(
            prefetch_published("event__organisers", Organisation, to_attr="public_organisers")
        ),
        event__slug=event_slug,
        slug=slug,
    )
    calendar = build_calendar(name=f"{session.title} ({session.event.title})", sessions=[session])
    return calendar_response(calendar, f"{session.event.slug}-{session.slug}")


@require_safe
def person_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """Every published session the person takes part in, across events and time zones."""
    person = get_object_or_404(Person.objects.published(), slug=slug)
    sessions = (
        with_session_details(Session.objects.published())
        .filter(pk__in=SessionParticipant.objects.filter(person=person).values("session_id"))
        .select_related("event")
        .prefetch_related(
            prefetch_published("event__organisers", Organisation, to_attr="public_organisers")
        )
    )
    calendar = build_calendar(name=f"Sessions with {person.display_name}", sessions=sessions)
    return calendar_response(calendar, person.slug)


@require_safe
def event_programme_json(request: HttpRequest, slug: str) -> JsonResponse:
    event = get_object_or_404(Event.objects.published(), slug=slug)
    data = programme_data(
        programme=arrange(with_session_details(event.sessions.published()), event),
        tracks=event.tracks.select_related("organiser").order_by("order", "title"),
    )
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
