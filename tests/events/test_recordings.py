"""Recordings: the content type added through one registration, on every surface it has."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
import reversion
from django.urls import reverse
from django.utils import timezone

from core.publishing import Status
from events.models import Recording
from tests.factories import (
    add_participant,
    check_admin_pages,
    make_event,
    make_member,
    make_person,
    make_recording,
    make_session,
)

pytestmark = pytest.mark.django_db

HIDDEN = [
    {"status": Status.DRAFT},
    {"status": Status.REVIEW},
    {"publish_at": timezone.now() + timedelta(days=1)},
    {
        "publish_at": timezone.now() - timedelta(days=3),
        "unpublish_at": timezone.now() - timedelta(days=1),
    },
]


def recorded_session(**kwargs) -> Recording:
    """A recording of a session, with a speaker of that session in it."""
    session = make_session(title="Opening plenary", slug="opening")
    person = make_person(name="Ada Lovelace", slug="ada")
    add_participant(session, person)
    recording = make_recording(
        title="Opening plenary, full video",
        slug="opening-video",
        recorded_on=date(2025, 2, 10),
        description="<p>The whole plenary, with questions.</p>",
        **kwargs,
    )
    recording.sessions.add(session)
    recording.people.add(person)
    return recording


def test_recording_page_links_the_host_its_sessions_and_people(client):
    recording = recorded_session()
    html = client.get("/recordings/opening-video/").content.decode()
    assert "Opening plenary, full video" in html
    assert 'href="https://video.example.org/watch/' in html
    assert "Watch on its host" in html
    assert "10 February 2025" in html and "0:45:00" in html
    session = recording.sessions.get()
    assert f'href="{session.get_absolute_url()}"' in html
    assert 'href="/speakers/ada/"' in html
    assert "The whole plenary, with questions." in html


def test_recordings_are_listed_and_shown_on_their_session_and_person_pages(client):
    recording = recorded_session()
    assert "Opening plenary, full video" in client.get("/recordings/").content.decode()
    session_page = client.get(recording.sessions.get().get_absolute_url()).content.decode()
    assert 'id="recordings-heading"' in session_page
    assert 'href="/recordings/opening-video/"' in session_page
    assert 'href="/recordings/opening-video/"' in client.get("/speakers/ada/").content.decode()


@pytest.mark.parametrize("hidden", HIDDEN)
def test_an_unpublished_recording_is_on_no_public_surface(client, hidden):
    recording = recorded_session(**hidden)
    assert client.get("/recordings/opening-video/").status_code == 404
    assert client.get("/api/v1/recordings/opening-video/").status_code == 404
    surfaces = [
        "/recordings/",
        recording.sessions.get().get_absolute_url(),
        "/speakers/ada/",
        "/recordings/feed/",
        "/sitemap-recordings.xml",
        "/search/?q=plenary+video",
        "/api/v1/recordings/",
        "/api/v1/recordings/?search=plenary",
    ]
    for url in surfaces:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "opening-video" not in response.content.decode(), url
        assert "full video" not in response.content.decode(), url


def test_staff_who_may_preview_see_a_draft_recording_at_its_address(client):
    recorded_session(status=Status.DRAFT)
    client.force_login(make_member(username="ed", group="Editors"))
    response = client.get("/recordings/opening-video/")
    assert response.status_code == 200
    assert "Not public" in response.content.decode()


def test_a_podcast_says_listen(client):
    make_recording(slug="pod", kind=Recording.Kind.PODCAST)
    assert "Listen on its host" in client.get("/recordings/pod/").content.decode()


def test_search_finds_a_recording_by_its_title_and_description(client):
    recorded_session()
    html = client.get("/search/", {"q": "plenary questions"}).content.decode()
    assert "Recordings (1)" in html
    assert 'href="/recordings/opening-video/"' in html
    assert "10 February 2025" in html  # the card's date is when it was recorded


def test_sitemap_lists_a_published_recording(client, settings):
    settings.SITE_URL = "https://policy.example.org"
    recorded_session()
    root = ET.fromstring(client.get("/sitemap-recordings.xml").content)  # noqa: S314 (our own output)
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [url.findtext("sm:loc", namespaces=ns) for url in root]
    assert "https://policy.example.org/recordings/opening-video/" in locations


def test_feed_has_an_entry_per_published_recording(client, settings):
    settings.SITE_URL = "https://policy.example.org"
    recorded_session()
    make_recording(title="Draft recording", status=Status.DRAFT)
    response = client.get("/recordings/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    atom = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", atom)
    assert [e.findtext("a:title", namespaces=atom) for e in entries] == [
        "Opening plenary, full video"
    ]
    link = entries[0].find("a:link", atom).get("href")
    assert link == "https://policy.example.org/recordings/opening-video/"
    assert "Ada Lovelace" in entries[0].findtext("a:summary", namespaces=atom)


def test_api_lists_and_shows_recordings_with_their_sessions_and_people(client):
    recording = recorded_session()
    make_recording(title="Draft recording", status=Status.DRAFT)
    listed = client.get("/api/v1/recordings/").json()
    assert [r["slug"] for r in listed["results"]] == ["opening-video"]
    detail = client.get("/api/v1/recordings/opening-video/").json()
    assert detail["recording_url"] == recording.url
    assert detail["duration"] == "00:45:00"
    assert detail["page_url"].endswith("/recordings/opening-video/")
    assert [s["slug"] for s in detail["sessions"]] == ["opening"]
    assert [p["slug"] for p in detail["people"]] == ["ada"]
    assert "The whole plenary" in detail["description"]


def test_api_hides_draft_sessions_and_people_of_a_published_recording(client):
    recording = make_recording(slug="rec")
    recording.sessions.add(
        make_session(status=Status.DRAFT), make_session(event=make_event(status=Status.DRAFT))
    )
    recording.people.add(make_person(status=Status.DRAFT))
    detail = client.get("/api/v1/recordings/rec/").json()
    assert detail["sessions"] == [] and detail["people"] == []


def test_api_filters_recordings_by_person_and_kind(client):
    recorded_session()
    make_recording(kind=Recording.Kind.PODCAST, slug="pod")
    assert [r["slug"] for r in client.get("/api/v1/recordings/?person=ada").json()["results"]] == [
        "opening-video"
    ]
    assert [
        r["slug"] for r in client.get("/api/v1/recordings/?kind=podcast").json()["results"]
    ] == ["pod"]
    assert client.get("/api/v1/recordings/?person=nobody").status_code == 400


def _recordings(count: int) -> None:
    for _ in range(count):
        recording = make_recording()
        recording.sessions.add(make_session(), make_session())
        recording.people.add(make_person(), make_person())


@pytest.mark.parametrize("count", [1, 5])
def test_api_list_query_count_does_not_grow(client, django_assert_num_queries, count):
    _recordings(count)
    with django_assert_num_queries(4):
        response = client.get("/api/v1/recordings/")
    assert response.json()["count"] == count


@pytest.mark.parametrize("count", [1, 5])
def test_api_detail_query_count_does_not_grow(client, django_assert_num_queries, count):
    recording = make_recording(slug="many")
    for _ in range(count):
        recording.sessions.add(make_session())
        recording.people.add(make_person())
    with django_assert_num_queries(3):
        response = client.get("/api/v1/recordings/many/")
    assert len(response.json()["sessions"]) == count


@pytest.mark.parametrize("count", [1, 5])
def test_list_page_query_count_does_not_grow(client, django_assert_num_queries, count):
    _recordings(count)
    with django_assert_num_queries(3):
        response = client.get("/recordings/")
    assert response.content.decode().count('class="card"') == count


def test_recording_admin_pages_answer_with_queries_that_do_not_grow(
    client, django_assert_num_queries
):
    def make():
        recording = make_recording()
        recording.sessions.add(make_session())
        return recording

    queries = {"changelist": 9, "search": 9, "add": 8, "change": 14}
    check_admin_pages(
        client, django_assert_num_queries, name="events_recording", make=make, queries=queries
    )


def test_a_recording_saved_in_the_admin_is_kept_as_a_revision(client):
    editor = make_member(username="ed", group="Editors")
    client.force_login(editor)
    session = make_session()
    data = {
        "title": "Keynote video",
        "slug": "keynote-video",
        "kind": "video",
        "url": "https://video.example.org/keynote",
        "duration": "00:30:00",
        "recorded_on": "2025-02-11",
        "sessions": [session.pk],
        "description": "<p>Keynote.</p>",
        "status": Status.DRAFT,
        "edit_token": "",
    }
    response = client.post(reverse("admin:events_recording_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    recording = Recording.objects.get(slug="keynote-video")
    assert list(recording.sessions.all()) == [session]
    (version,) = reversion.models.Version.objects.get_for_object(recording)
    assert version.field_dict["title"] == "Keynote video"
    assert version.revision.user == editor


def test_contributors_may_write_recordings_and_editors_may_delete_them():
    contributor = make_member(username="connie", group="Contributors")
    editor = make_member(username="edna", group="Editors")
    assert contributor.has_perm("events.add_recording")
    assert not contributor.has_perm("events.delete_recording")
    assert editor.has_perm("events.delete_recording")


def test_a_recording_cannot_last_no_time():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_recording(duration=timedelta(0))
