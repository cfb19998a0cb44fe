"""Preview: staff allowed to view an item see drafts at the public address, never cached."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.publishing import Status
from tests.factories import (
    add_participant,
    make_article,
    make_collection,
    make_event,
    make_initiative,
    make_news_post,
    make_organisation,
    make_person,
    make_session,
    make_staff,
)

pytestmark = pytest.mark.django_db

BANNER = "Preview — not public"


def draft_items():
    """One unpublished item of each public type, with the permission that previews it."""
    event = make_event(status=Status.DRAFT, title="Draft Summit")
    return [
        (event, "events.view_event"),
        (make_session(event=make_event(), status=Status.REVIEW), "events.view_session"),
        (make_person(status=Status.DRAFT), "events.view_person"),
        (make_organisation(status=Status.DRAFT), "events.view_organisation"),
        (
            make_initiative(publish_at=timezone.now() + timedelta(days=2)),
            "initiatives.view_initiative",
        ),
        (make_article(status=Status.DRAFT), "publications.view_article"),
        (make_collection(status=Status.DRAFT), "publications.view_collection"),
        (make_news_post(status=Status.REVIEW), "publications.view_newspost"),
    ]


def test_staff_with_view_permission_preview_drafts_with_banner_and_no_store(client):
    for item, perm in draft_items():
        user = make_staff(username=f"editor-{perm}", perms=[perm])
        client.force_login(user)
        response = client.get(item.get_absolute_url())
        assert response.status_code == 200, perm
        assert BANNER in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_anonymous_visitors_get_404_for_drafts(client):
    for item, _ in draft_items():
        assert client.get(item.get_absolute_url()).status_code == 404


def test_staff_without_the_permission_get_404(client):
    items = draft_items()
    client.force_login(make_staff(username="no-perms"))
    for item, _ in items:
        assert client.get(item.get_absolute_url()).status_code == 404


def test_non_staff_user_with_the_permission_gets_404(client):
    event = make_event(status=Status.DRAFT)
    user = make_staff(username="ex-staff", perms=["events.view_event"])
    user.is_staff = False
    user.save()
    client.force_login(user)
    assert client.get(event.get_absolute_url()).status_code == 404


def test_preview_shows_related_drafts_marked_as_not_public(client):
    event = make_event(status=Status.DRAFT)
    session = make_session(event=event, title="Draft Keynote", status=Status.DRAFT)
    add_participant(session, make_person(name="Unannounced Speaker", status=Status.DRAFT))
    client.force_login(make_staff(superuser=True))
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Draft Keynote" in html and "Unannounced Speaker" in html
    assert "Not public" in html


def test_preview_of_a_published_page_shows_drafts_and_is_not_cached(client):
    event = make_event(title="Public Summit")
    make_session(event=event, title="Draft Keynote", status=Status.DRAFT)
    client.force_login(make_staff(superuser=True))
    response = client.get(event.get_absolute_url())
    html = response.content.decode()
    assert "Draft Keynote" in html and BANNER not in html and "Preview." in html
    assert "no-store" in response["Cache-Control"]


def test_public_response_is_not_marked_private(client):
    event = make_event()
    make_session(event=event, title="Draft Keynote", status=Status.DRAFT)
    response = client.get(event.get_absolute_url())
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Draft Keynote" not in response.content.decode()
    assert BANNER not in response.content.decode()


def test_lists_never_show_drafts_even_to_staff(client):
    make_event(title="Draft Summit", status=Status.DRAFT)
    client.force_login(make_staff(superuser=True))
    assert "Draft Summit" not in client.get("/events/").content.decode()
    assert "Draft Summit" not in client.get("/search/?q=summit").content.decode()


def test_session_of_a_draft_event_is_hidden_from_staff_who_may_not_preview_events(client):
    session = make_session(event=make_event(status=Status.DRAFT), title="Draft Event Keynote")
    client.force_login(make_staff(username="session-viewer", perms=["events.view_session"]))
    assert client.get(session.get_absolute_url()).status_code == 404


def test_session_of_a_draft_event_is_previewed_by_staff_who_may_preview_both(client):
    session = make_session(event=make_event(status=Status.DRAFT), status=Status.DRAFT)
    user = make_staff(username="both", perms=["events.view_session", "events.view_event"])
    client.force_login(user)
    response = client.get(session.get_absolute_url())
    assert response.status_code == 200
    assert BANNER in response.content.decode()


def test_draft_session_of_a_published_event_is_previewed_without_the_event_permission(client):
    session = make_session(event=make_event(), status=Status.DRAFT)
    client.force_login(make_staff(username="session-only", perms=["events.view_session"]))
    assert client.get(session.get_absolute_url()).status_code == 200


def test_sessions_visible_to_a_user_need_an_event_that_user_may_see():
    from events.models import Session

    draft_event = make_event(status=Status.DRAFT)
    hidden = make_session(event=draft_event)
    shown = make_session(event=make_event(), status=Status.DRAFT)
    session_viewer = make_staff(username="sessions", perms=["events.view_session"])
    both = make_staff(
        username="sessions-events", perms=["events.view_session", "events.view_event"]
    )
    assert set(Session.objects.visible_to(session_viewer)) == {shown}
    assert set(Session.objects.visible_to(both)) == {hidden, shown}
    assert set(draft_event.sessions.visible_to(session_viewer)) == set()
    assert set(Session.objects.visible_to(None)) == set()
