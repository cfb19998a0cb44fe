"""schema.org JSON-LD for events, sessions, people and organisations, built as plain dicts.

Views pass these dicts to templates, which emit them with the ``jsonld`` filter. Only the
related objects a view has already filtered for visibility are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.links import absolute_url

from .models import Event, Organisation, Person, Session

CONTEXT = "https://schema.org"

ATTENDANCE_MODES = {
    Event.AttendanceMode.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Event.AttendanceMode.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Event.AttendanceMode.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}
EVENT_STATUSES = {
    Event.EventStatus.SCHEDULED: "https://schema.org/EventScheduled",
    Event.EventStatus.POSTPONED: "https://schema.org/EventPostponed",
    Event.EventStatus.CANCELLED: "https://schema.org/EventCancelled",
    # schema.org has no "completed": a past event that took place was scheduled.
    Event.EventStatus.COMPLETED: "https://schema.org/EventScheduled",
}


def clean_ld(data: dict) -> dict:
    """Drop empty values so that no property is published without content."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def organisation_ref(org: Organisation) -> dict:
    return clean_ld(
        {
            "@type": "Organization",
            "name": org.name,
            "alternateName": org.acronym,
            "url": absolute_url(org.get_absolute_url()),
        }
    )


def person_ref(person: Person) -> dict:
    return clean_ld(
        {
            "@type": "Person",
            "name": person.name,
            "url": absolute_url(person.get_absolute_url()),
            "sameAs": person.orcid_url,
        }
    )


def event_location(event: Event) -> dict | list[dict]:
    place = clean_ld(
        {
            "@type": "Place",
            "name": event.venue or event.city,
            "address": clean_ld(
                {
                    "@type": "PostalAddress",
                    "addressLocality": event.city,
                    "addressCountry": event.country.code if event.country else "",
                }
            ),
        }
    )
    virtual = clean_ld(
        {"@type": "VirtualLocation", "url": event.website or absolute_url(event.get_absolute_url())}
    )
    if event.attendance_mode == Event.AttendanceMode.ONLINE:
        return virtual
    if event.attendance_mode == Event.AttendanceMode.HYBRID:
        return [place, virtual]
    return place


def event_ld(
    event: Event,
    *,
    organisers: Iterable[Organisation],
    performers: Iterable[Person],
    hosts: Iterable[Person] = (),
    parent: Event | None = None,
) -> dict:
    return clean_ld(
        {
            "@context": CONTEXT,
            "@type": "Event",
            "name": event.title,
            "url": absolute_url(event.get_absolute_url()),
            "description": event.summary,
            "startDate": event.local_start.isoformat(),
            "endDate": event.local_end.isoformat(),
            "eventAttendanceMode": ATTENDANCE_MODES[event.attendance_mode],
            "eventStatus": EVENT_STATUSES[event.event_status],
            "location": event_location(event),
            "organizer": [organisation_ref(org) for org in organisers]
            + [person_ref(person) for person in hosts],
            "performer": [person_ref(person) for person in performers],
            "superEvent": clean_ld(
                {
                    "@type": "Event",
                    "name": parent.title,
                    "url": absolute_url(parent.get_absolute_url()),
                }
            )
            if parent
            else None,
        }
    )


def session_ld(
    session: Session, *, hosts: Iterable[Organisation], performers: Iterable[Person]
) -> dict:
    event = session.event
    return clean_ld(
        {
            "@context": CONTEXT,
            "@type": "Event",
            "name": session.title,
            "url": absolute_url(session.get_absolute_url()),
            "description": session.summary,
            "startDate": session.local_start.isoformat() if session.start else "",
            "endDate": session.local_end.isoformat() if session.end else "",
            "eventAttendanceMode": ATTENDANCE_MODES[event.attendance_mode],
            "eventStatus": EVENT_STATUSES[event.event_status],
            "location": event_location(event),
            "organizer": [organisation_ref(org) for org in hosts],
            "performer": [person_ref(person) for person in performers],
            "superEvent": {
                "@type": "Event",
                "name": event.title,
                "url": absolute_url(event.get_absolute_url()),
            },
        }
    )


def person_ld(person: Person, *, affiliation: Organisation | None) -> dict:
    return clean_ld(
        {
            "@context": CONTEXT,
            **person_ref(person),
            "honorificPrefix": person.honorific,
            "jobTitle": person.role,
            "affiliation": organisation_ref(affiliation) if affiliation else None,
            "identifier": person.orcid_url,
            "image": absolute_url(person.image.url) if person.image else "",
        }
    )


def organisation_ld(org: Organisation, *, parent: Organisation | None) -> dict:
    return clean_ld(
        {
            "@context": CONTEXT,
            **organisation_ref(org),
            "sameAs": org.website,
            "address": {"@type": "PostalAddress", "addressCountry": org.country.code}
            if org.country
            else None,
            "parentOrganization": organisation_ref(parent) if parent else None,
            "logo": absolute_url(org.image.url) if org.image else "",
        }
    )
