"""Public pages for events, sessions, speakers, organisations, topics and recordings.

Every queryset goes through ``published()``, or ``visible_to(user)`` on detail pages so
that staff allowed to preview see drafts at their public address. Related items follow
the same rule (``visible_q`` in Prefetch querysets), so a published event never shows a
draft session or speaker to the public.
"""

from __future__ import annotations

from collections import OrderedDict

from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from core import registry
from core.links import absolute_url
from core.pages import RELATED_LIMIT, paginate, render_page
from core.publishing import prefetch_published, shown

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
from .programme import arrange, build_timetable


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


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    event = get_object_or_404(Event.objects.visible_to(user).select_related("parent"), slug=slug)
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
    programme = arrange(sessions, event)
    organisers = list(event.organisers.visible_to(user))
    hosts = list(event.hosts.visible_to(user))
    host_people = list(event.host_people.visible_to(user).select_related("affiliation"))
    parent = shown(user, event.parent)
    performers = list(
        OrderedDict((a.person.pk, a.person) for s in sessions for a in s.appearances.all()).values()
    )
    context = {
        "event": event,
        "parent": parent,
        "programme": programme.days_for_page,
        "timetable": build_timetable(programme),
        "side_sessions": programme.side,
        "side_events": list(event.side_events.visible_to(user).order_by("start")),
        "organisers": organisers,
        "hosts": hosts,
        "host_people": host_people,
        "topics": list(event.topics.visible_to(user)),
        "sections": registry.related_sections(event, user),
        "zone_abbr": event.local_start.strftime("%Z"),
        "jsonld": event_ld(
            event,
            organisers=organisers or hosts,
            hosts=host_people,
            performers=performers,
            parent=parent,
        ),
    }
    return render_page(request, "events/event_detail.html", context, obj=event)


def session_detail(request: HttpRequest, event_slug: str, slug: str) -> HttpResponse:
    user = request.user
    session = get_object_or_404(
        Session.objects.visible_to(user).select_related("event", "track"),
        event__slug=event_slug,
        slug=slug,
    )
    event = session.event
    appearances = list(
        session.appearances.visible_to(user)
        .select_related("person__affiliation")
        .order_by("order", "id")
    )
    hosts = list(session.hosts.visible_to(user))
    context = {
        "session": session,
        "event": event,
        "event_shown": shown(user, event),
        "appearances": appearances,
        "hosts": hosts,
        "topics": list(session.topics.visible_to(user)),
        "sections": registry.related_sections(session, user),
        "zone_abbr": session.local_start.strftime("%Z") if session.start else "",
        "jsonld": session_ld(session, hosts=hosts, performers=[a.person for a in appearances]),
    }
    return render_page(request, "events/session_detail.html", context, obj=session)


# --- people and organisations ----------------------------------------------------------------


def person_list(request: HttpRequest) -> HttpResponse:
    people = Person.objects.published().select_related("affiliation")
    return render_page(request, "events/person_list.html", {"page": paginate(request, people)})


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    person = get_object_or_404(
        Person.objects.visible_to(user).select_related("affiliation"), slug=slug
    )
    appearances = list(
        person.appearances.visible_to(user)
        .select_related("session__event")
        .order_by("-session__start")
    )
    affiliation = shown(user, person.affiliation)
    context = {
        "person": person,
        "affiliation": affiliation,
        "hosted_events": list(person.hosted_events.visible_to(user).order_by("-start")),
        "appearances": appearances,
        "sections": registry.related_sections(person, user),
        "jsonld": person_ld(person, affiliation=affiliation),
    }
    return render_page(request, "events/person_detail.html", context, obj=person)


def organisation_list(request: HttpRequest) -> HttpResponse:
    orgs = Organisation.objects.published()
    return render_page(request, "events/organisation_list.html", {"page": paginate(request, orgs)})


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    org = get_object_or_404(
        Organisation.objects.visible_to(user).select_related("parent"), slug=slug
    )
    events = (
        Event.objects.visible_to(user)
        .filter(Q(hosts=org) | Q(organisers=org))
        .distinct()
        .order_by("-start")
    )
    parent = shown(user, org.parent)
    context = {
        "organisation": org,
        "parent": parent,
        "events": list(events[:RELATED_LIMIT]),
        "sessions": list(
            org.hosted_sessions.visible_to(user)
            .select_related("event")
            .order_by("-start")[:RELATED_LIMIT]
        ),
        "sections": registry.related_sections(org, user),
        "people": list(org.people.visible_to(user)[:RELATED_LIMIT]),
        "units": list(org.units.visible_to(user)),
        "jsonld": organisation_ld(org, parent=parent),
    }
    return render_page(request, "events/organisation_detail.html", context, obj=org)


# --- topics ----------------------------------------------------------------------------------


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.visible_to(request.user), slug=slug)
    context = {
        "topic": topic,
        "events": list(topic.events.published().order_by("-start")[:RELATED_LIMIT]),
        "sessions": list(
            topic.sessions.published().select_related("event").order_by("-start")[:RELATED_LIMIT]
        ),
        "sections": registry.related_sections(topic, request.user),
        "people": list(topic.people.published()[:RELATED_LIMIT]),
        "jsonld": {
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": topic.name,
            "description": topic.description,
            "url": absolute_url(topic.get_absolute_url()),
        },
    }
    return render_page(request, "events/topic_detail.html", context, obj=topic)


# --- recordings ------------------------------------------------------------------------------


def recording_list(request: HttpRequest) -> HttpResponse:
    recordings = Recording.objects.published()
    return render_page(
        request, "events/recording_list.html", {"page": paginate(request, recordings)}
    )


def recording_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    recording = get_object_or_404(Recording.objects.visible_to(user), slug=slug)
    context = {
        "recording": recording,
        "sessions": list(recording.sessions.visible_to(user).select_related("event")),
        "people": list(recording.people.visible_to(user)),
    }
    return render_page(request, "events/recording_detail.html", context, obj=recording)
