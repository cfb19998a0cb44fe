"""The embeddable programme (/embed/events/<slug>/, /embed/organisations/<slug>/): published
sessions only, accessible markup, no cookies, nothing loaded from elsewhere, framable by any
site and cached publicly."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import html5lib
import pytest

from core.publishing import Status
from events.models import Session
from tests.factories import (
    add_participant,
    make_event,
    make_organisation,
    make_person,
    make_session,
    make_staff,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def summit():
    event = make_event(
        title="AI Action Summit",
        slug="summit",
        start=datetime(2025, 2, 10, 9, 0, tzinfo=PARIS),
        end=datetime(2025, 2, 11, 18, 0, tzinfo=PARIS),
    )
    opening = make_session(
        event=event,
        title="Opening",
        start=datetime(2025, 2, 10, 9, 30, tzinfo=PARIS),
        end=datetime(2025, 2, 10, 10, 0, tzinfo=PARIS),
        room="Grand Palais",
    )
    add_participant(opening, make_person(name="Anne Bouverot"))
    add_participant(opening, make_person(name="Hidden Speaker", status=Status.DRAFT))
    make_session(event=event, title="Draft session", status=Status.DRAFT)
    make_session(event=event, title="Untimed panel", start=None)
    return event


def parse(content: bytes):
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(content)


def test_event_embed_lists_published_sessions_in_the_events_zone(client, summit):
    response = client.get("/embed/events/summit/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Opening" in page and "Anne Bouverot" in page and "Untimed panel" in page
    assert "09:30" in page and "Europe/Paris" in page
    assert "Draft session" not in page and "Hidden Speaker" not in page


def test_embed_is_accessible_markup(client, summit):
    document = parse(client.get("/embed/events/summit/").content)
    assert document.get("lang") == "en-GB"
    assert document.find(".//main") is not None
    assert [h.tag for h in document.iter() if h.tag in ("h1", "h2", "h3")][:3] == [
        "h1",
        "h2",
        "h3",
    ]
    assert document.findtext(".//title").startswith("Programme: AI Action Summit")


def test_embed_sets_no_cookie_and_loads_nothing_from_elsewhere(client, summit, settings):
    response = client.get("/embed/events/summit/")
    assert not response.cookies
    assert "Set-Cookie" not in response
    for url in re.findall(rb'(?:src|href)="([^"]+)"', response.content):
        # Paths on this site, or links to it (they open in a new tab, never in the frame).
        is_path = url.startswith(b"/") and not url.startswith(b"//")
        assert is_path or url.startswith(settings.SITE_URL.encode()), url
    document = parse(response.content)
    for tag in ("script", "img", "iframe", "object"):
        assert document.find(f".//{tag}") is None
    (stylesheet,) = document.iter("link")
    assert stylesheet.get("href").startswith("/static/")


def test_embed_may_be_framed_by_any_site_and_is_cached_publicly(client, summit):
    response = client.get("/embed/events/summit/")
    assert "X-Frame-Options" not in response
    csp = response.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" not in csp
    assert "public" in response["Cache-Control"]
    assert "max-age" in response["Cache-Control"]
    # The site's own pages still refuse to be framed.
    assert client.get("/events/summit/")["X-Frame-Options"] == "DENY"


def test_a_signed_in_editor_gets_the_public_embed_without_cookies(client, summit):
    client.force_login(make_staff(superuser=True))
    response = client.get("/embed/events/summit/")
    assert "Draft session" not in response.content.decode()
    assert not response.cookies
    assert "public" in response["Cache-Control"]


def test_organisation_embed_lists_the_sessions_it_hosts(client, summit):
    inria = make_organisation(name="Inria", slug="inria")
    side = make_session(
        event=summit,
        title="Open models",
        programme=Session.Programme.SIDE,
        start=datetime(2025, 2, 11, 14, 0, tzinfo=PARIS),
    )
    side.hosts.add(inria)
    hidden = make_session(event=summit, title="Hidden side", status=Status.DRAFT)
    hidden.hosts.add(inria)
    elsewhere = make_session(event=make_event(status=Status.DRAFT), title="In a draft event")
    elsewhere.hosts.add(inria)

    response = client.get("/embed/organisations/inria/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Open models" in page and "AI Action Summit" in page
    assert "Hidden side" not in page and "In a draft event" not in page
    assert "X-Frame-Options" not in response
    parse(response.content)


def test_unpublished_event_or_organisation_has_no_embed(client):
    make_event(slug="hidden", status=Status.DRAFT)
    make_organisation(slug="hidden-org", status=Status.DRAFT)
    assert client.get("/embed/events/hidden/").status_code == 404
    assert client.get("/embed/organisations/hidden-org/").status_code == 404


def test_embed_queries_do_not_grow(client, summit, django_assert_num_queries):
    with django_assert_num_queries(4):
        client.get("/embed/events/summit/")
    for _ in range(4):
        add_participant(make_session(event=summit), make_person())
    with django_assert_num_queries(4):
        client.get("/embed/events/summit/")


def test_under_the_sites_content_security_policy_only_the_embed_may_be_framed(
    client, summit, settings
):
    pytest.importorskip("csp")
    if "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, "csp.middleware.CSPMiddleware"]
        settings.CONTENT_SECURITY_POLICY = {
            "DIRECTIVES": {"default-src": ["'self'"], "frame-ancestors": ["'none'"]}
        }

    embed = client.get("/embed/events/summit/")["Content-Security-Policy"]
    page = client.get("/events/summit/")["Content-Security-Policy"]

    assert "frame-ancestors *" in embed
    assert "'none'" not in embed.split("frame-ancestors")[1].split(";")[0]
    assert "default-src 'self'" in embed, "the rest of the site's policy still holds"
    assert "frame-ancestors 'none'" in page
