"""Export routes for events: calendars, the programme as JSON and the events feed.

Included before the page routes so that ``/events/feed/`` is not taken for an event slug.
"""

from django.urls import path

from . import views_exports as views
from .feeds import EventFeed

urlpatterns = [
    path("events/feed/", EventFeed(), name="event-feed"),
    path("events/<slug:slug>/calendar.ics", views.event_calendar, name="event-calendar"),
    path(
        "events/<slug:slug>/programme.json",
        views.event_programme_json,
        name="event-programme-json",
    ),
    path(
        "events/<slug:event_slug>/sessions/<slug:slug>/calendar.ics",
        views.session_calendar,
        name="session-calendar",
    ),
    path("speakers/<slug:slug>/calendar.ics", views.person_calendar, name="person-calendar"),
]
