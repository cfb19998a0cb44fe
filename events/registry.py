"""The events app's content types, registered once with ``core.registry``.

From here the site search, the sitemap, the API router, the editors' dashboard, the cards
and the no-leak crawler learn about topics, organisations, people, events, sessions and
recordings.
"""

from __future__ import annotations

from django.urls import reverse

from core import registry

from .models import Event, Organisation, Person, Recording, Session, Topic

registry.register(
    Topic,
    page=registry.Page(None, None, "events/topic_detail.html"),
    api=registry.Api("topics", "events.api.views.TopicViewSet", "topic"),
    search=registry.Search("topics", "Topics", ("name", "description"), order=80),
    sitemap=registry.Sitemap(priority=0.4, changefreq="monthly"),
    card=registry.Card(date=None),
)
registry.register(
    Organisation,
    page=registry.Page(
        "organisation-list", "events/organisation_list.html", "events/organisation_detail.html"
    ),
    api=registry.Api("organisations", "events.api.views.OrganisationViewSet", "organisation"),
    search=registry.Search(
        "organisations",
        "Organisations",
        ("name", "acronym", "description"),
        order=70,
        facets=registry.Facets(topics="topics", country="country"),
    ),
    sitemap=registry.Sitemap(priority=0.5, changefreq="monthly"),
    card=registry.Card(date=None, summary="acronym"),
)
registry.register(
    Person,
    page=registry.Page("person-list", "events/person_list.html", "events/person_detail.html"),
    api=registry.Api("people", "events.api.views.PersonViewSet", "person"),
    search=registry.Search(
        "people",
        "People",
        ("name", "role", "bio"),
        order=60,
        facets=registry.Facets(topics="topics", country="affiliation__country"),
    ),
    sitemap=registry.Sitemap(priority=0.5, changefreq="monthly"),
    card=registry.Card(date=None, summary="role"),
)
registry.register(
    Event,
    page=registry.Page("event-list", "events/event_list.html", "events/event_detail.html"),
    api=registry.Api("events", "events.api.views.EventViewSet", "event"),
    search=registry.Search(
        "events",
        "Events",
        ("title", "summary", "description", "city"),
        order=10,
        facets=registry.Facets(topics="topics", country="country"),
    ),
    sitemap=registry.Sitemap(priority=0.8, changefreq="weekly"),
    feed=registry.Feed("event-feed"),
    card=registry.Card(date="start", summary="summary", template="events/_event_item.html"),
    # At its end an event moves from the upcoming to the past events (home, event list); from
    # its start to its end its page says what is on now and next.
    changes_at=("start", "end"),
)
registry.register(
    Session,
    page=registry.Page(None, None, "events/session_detail.html"),
    api=registry.Api(
        "sessions",
        "events.api.views.SessionViewSet",
        "session",
        detail_path="<slug:event_slug>/<slug:slug>/",
    ),
    search=registry.Search(
        "sessions",
        "Sessions",
        ("title", "summary", "description"),
        order=20,
        facets=registry.Facets(topics="topics", country="event__country"),
    ),
    sitemap=registry.Sitemap(priority=0.6, changefreq="weekly"),
    card=registry.Card(
        date=lambda session: session.start or session.publish_at,
        summary="summary",
        context=lambda session: f"at {session.event.title}",
        template="events/_session_item.html",
    ),
    # "Now and next" on the event's page moves on as each session starts and ends.
    changes_at=("start", "end"),
)
registry.register(
    Recording,
    page=registry.Page(
        "recording-list", "events/recording_list.html", "events/recording_detail.html"
    ),
    api=registry.Api("recordings", "events.api.views.RecordingViewSet", "recording"),
    search=registry.Search("recordings", "Recordings", ("title", "description"), order=25),
    sitemap=registry.Sitemap(priority=0.5, changefreq="monthly"),
    feed=registry.Feed("recording-feed"),
    card=registry.Card(
        date=lambda recording: recording.recorded_on or recording.publish_at,
        summary=lambda recording: recording.get_kind_display(),
        template="events/_recording_item.html",
    ),
)


def _recordings(where):
    return lambda obj, user: Recording.objects.visible_to(user).filter(**where(obj))


registry.add_section(
    Session,
    registry.Section(
        "recordings",
        "Recordings",
        _recordings(lambda session: {"sessions": session}),
        template="events/_recording_item.html",
        as_name="recording",
        order=5,
    ),
)
registry.add_section(
    Person,
    registry.Section(
        "recordings",
        "Recordings",
        _recordings(lambda person: {"people": person}),
        template="events/_recording_item.html",
        as_name="recording",
        order=50,
    ),
)


# Live lists that site pages can show (core.sitepages), published items only.
def _by_topic(queryset, topic):
    return queryset.filter(topics__slug=topic) if topic else queryset


registry.add_listing(
    registry.Listing(
        "upcoming-events",
        "Upcoming events",
        lambda *, limit, topic=None: _by_topic(Event.objects.published().upcoming(), topic)[:limit],
        template="events/_event_item.html",
        as_name="event",
        by_topic=True,
        more=lambda: (reverse("event-list"), "All events"),
        order=10,
    )
)
registry.add_listing(
    registry.Listing(
        "recent-events",
        "Recent events",
        lambda *, limit, topic=None: _by_topic(Event.objects.published().past(), topic)[:limit],
        template="events/_event_item.html",
        as_name="event",
        by_topic=True,
        more=lambda: (reverse("event-list"), "All events"),
        order=20,
    )
)
registry.add_listing(
    registry.Listing(
        "latest-recordings",
        "Latest recordings",
        lambda *, limit, topic=None: Recording.objects.published()[:limit],
        template="events/_recording_item.html",
        as_name="recording",
        more=lambda: (reverse("recording-list"), "All recordings"),
        order=60,
    )
)
