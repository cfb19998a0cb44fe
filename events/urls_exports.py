"""Export routes for events: the events feed, then every download in ``events.exports``.

Included before the page routes so that ``/events/feed/`` is not taken for an event slug.
"""

from django.urls import path

from core.exports import export_urls

from .exports import EXPORTS
from .feeds import EventFeed, RecordingFeed

urlpatterns = [
    path("events/feed/", EventFeed(), name="event-feed"),
    path("recordings/feed/", RecordingFeed(), name="recording-feed"),
    *export_urls(EXPORTS),
]
