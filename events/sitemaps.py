"""Sitemap sections for events, sessions, people, organisations and topics.

``PublicSitemap`` is the base every app's sections use: published items only,
``lastmod`` from ``updated_at`` and canonical URLs from ``settings.SITE_URL``
(the sites framework is not installed, and the request's host may be internal).
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap

from core.links import site_domain, site_scheme

from .models import Event, Organisation, Person, Session, Topic


class PublicSitemap(Sitemap):
    model = None

    def get_domain(self, site=None) -> str:
        return site_domain()

    def get_protocol(self, protocol=None) -> str:
        return site_scheme()

    def items(self):
        return self.model.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class EventSitemap(PublicSitemap):
    model = Event


class SessionSitemap(PublicSitemap):
    model = Session

    def items(self):
        # The event's slug is part of the session's URL.
        return super().items().select_related("event")


class PersonSitemap(PublicSitemap):
    model = Person


class OrganisationSitemap(PublicSitemap):
    model = Organisation


class TopicSitemap(PublicSitemap):
    model = Topic


SITEMAPS = {
    "events": EventSitemap,
    "sessions": SessionSitemap,
    "people": PersonSitemap,
    "organisations": OrganisationSitemap,
    "topics": TopicSitemap,
}
