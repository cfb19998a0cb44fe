"""Atom feeds: the shared base (canonical links, several authors per entry), events, recordings.

Feeds are read by aggregators far from the site, so every link is absolute and
built from ``settings.SITE_URL`` (``core.links``); each entry carries its own
``updated`` date from ``updated_at`` so readers notice corrections.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape

from core.links import absolute_url, site_host
from core.publishing import prefetch_published

from .models import Event, Person, Recording, Topic

FEED_LENGTH = 30


class MultiAuthorAtom1Feed(Atom1Feed):
    """Atom allows several ``<author>`` elements per entry; Django's generator writes one."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", author["name"])
            if author.get("uri"):
                handler.addQuickElement("uri", author["uri"])
            handler.endElement("author")


class SiteFeed(Feed):
    """Atom feed with canonical links; subclasses set ``title``, ``url_name`` and ``items``."""

    feed_type = MultiAuthorAtom1Feed
    section = ""
    url_name = ""
    page_url = "/"

    def title(self):
        return f"{settings.SITE_NAME}: {self.section}"

    def link(self):
        return absolute_url(self.page_url)

    def feed_url(self):
        return absolute_url(reverse(self.url_name))

    def author_name(self):
        return settings.SITE_NAME

    def author_link(self):
        return absolute_url("/")

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        # Atom entry ids must never change; the URL might, the primary key won't.
        return f"tag:{site_host()},2025:{item._meta.label_lower}:{item.pk}"

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return item.updated_at

    def item_pubdate(self, item):
        return item.publish_at

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]

    def item_extra_kwargs(self, item):
        return {"authors": self.item_authors(item)}

    def item_authors(self, item) -> list[dict[str, str]]:
        return []

    @staticmethod
    def topics_prefetch() -> Prefetch:
        return Prefetch("topics", queryset=Topic.objects.published().order_by("name"))


class EventFeed(SiteFeed):
    section = "events"
    subtitle = "Summits, conferences, side events and lectures, newest first."
    url_name = "event-feed"
    page_url = "/events/"

    def items(self):
        return (
            Event.objects.published()
            .prefetch_related(self.topics_prefetch())
            .order_by("-publish_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item: Event) -> str:
        return item.title

    def item_description(self, item: Event) -> str:
        when = (
            f"{date_format(item.local_start, 'j F Y, H:i')} to "
            f"{date_format(item.local_end, 'j F Y, H:i')} ({item.timezone})"
        )
        place = ", ".join(p for p in (item.venue, item.city) if p)
        parts = [when, place, item.summary]
        return "".join(f"<p>{escape(part)}</p>" for part in parts if part)


class RecordingFeed(SiteFeed):
    section = "recordings"
    subtitle = "Video and podcast recordings of sessions, newest first."
    url_name = "recording-feed"
    page_url = "/recordings/"

    def items(self):
        return (
            Recording.objects.published()
            .prefetch_related(prefetch_published("people", Person))
            .order_by("-publish_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, item: Recording) -> str:
        return item.title

    def item_description(self, item: Recording) -> str:
        parts = [item.get_kind_display(), ", ".join(p.display_name for p in item.people.all())]
        return "".join(f"<p>{escape(part)}</p>" for part in parts if part)

    def item_categories(self, item: Recording):
        return []  # recordings carry no topics; their sessions do
