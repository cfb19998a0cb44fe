"""The server-side page cache: anonymous pages are served rendered, and never out of date.

Every rule of ``core.pagecache`` seen from a visitor's side: what is served from the cache
(``X-Page-Cache: HIT``, with no database query), what a change, the clock or a preview does
to it, and what is never stored.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.utils import timezone

from core import workflow
from core.caching import page_cache_exempt
from core.publishing import Status
from events.models import Organisation, Person
from publications.models import NewsPost
from tests.factories import (
    add_participant,
    make_event,
    make_initiative,
    make_news_post,
    make_organisation,
    make_person,
    make_session,
    make_signatory,
    make_staff,
)

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]

NEWS = "/news/"


def get(url: str, **headers):
    """A request from a new anonymous visitor (no cookie from an earlier response)."""
    return Client().get(url, headers=headers)


def cached(url: str) -> str:
    """Fill the cache with ``url`` and check that the next visitor is served from it."""
    first = get(url)
    assert first.status_code == 200, url
    assert get(url)["X-Page-Cache"] == "HIT", url
    return first.content.decode()


def editor():
    return make_staff(username="chief", superuser=True)


# --- Served from the cache ------------------------------------------------------------------


def test_second_anonymous_request_is_served_from_the_cache_without_a_query(
    django_assert_num_queries,
):
    make_news_post(title="Cached headline")
    first = get(NEWS)
    assert first["X-Page-Cache"] == "MISS"
    with django_assert_num_queries(0):
        second = get(NEWS)
    assert second.status_code == 200
    assert second["X-Page-Cache"] == "HIT"
    assert second.content == first.content
    assert "Cached headline" in second.content.decode()
    assert second["Cache-Control"] == first["Cache-Control"] == "public, max-age=60"
    assert second["ETag"] == first["ETag"]
    assert "Cookie" in second["Vary"]


def test_query_parameters_in_another_order_are_the_same_page(django_assert_num_queries):
    make_news_post()
    get(f"{NEWS}?page=1&sort=new")
    with django_assert_num_queries(0):
        assert get(f"{NEWS}?sort=new&page=1")["X-Page-Cache"] == "HIT"
    assert get(f"{NEWS}?page=2&sort=new")["X-Page-Cache"] == "MISS"


def test_head_requests_are_answered_from_the_same_entry(django_assert_num_queries):
    make_news_post()
    get(NEWS)
    with django_assert_num_queries(0):
        response = Client().head(NEWS)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "HIT"


def test_exports_and_feeds_are_cached_with_their_own_headers(django_assert_num_queries):
    make_news_post(title="In the feed")
    first = get("/news/feed/")
    with django_assert_num_queries(0):
        second = get("/news/feed/")
    assert second["X-Page-Cache"] == "HIT"
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Last-Modified"] == first["Last-Modified"]
    assert get("/news/feed/", **{"If-Modified-Since": first["Last-Modified"]}).status_code == 304


def test_embedded_programme_keeps_its_framing_policy_when_served_from_the_cache():
    event = make_event(slug="summit")
    make_session(event=event, title="Opening")
    first = get("/embed/events/summit/")
    second = get("/embed/events/summit/")
    assert second["X-Page-Cache"] == "HIT"
    for response in (first, second):
        assert "frame-ancestors *" in response["Content-Security-Policy"]
        assert not response.has_header("X-Frame-Options")


# --- Conditional requests -------------------------------------------------------------------


def test_matching_if_none_match_is_answered_304_before_the_view_runs(
    django_assert_num_queries,
):
    make_news_post()
    etag = get(NEWS)["ETag"]
    with django_assert_num_queries(0):
        again = get(NEWS, **{"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "public, max-age=60"
    assert get(NEWS, **{"If-None-Match": '"something-else"'}).status_code == 200


def test_an_etag_from_before_a_change_gets_the_new_page():
    post = make_news_post(title="First wording")
    etag = get(NEWS)["ETag"]
    post.title = "Second wording"
    post.save()
    again = get(NEWS, **{"If-None-Match": etag})
    assert again.status_code == 200
    assert "Second wording" in again.content.decode()
    assert again["ETag"] != etag


# --- Invalidation ---------------------------------------------------------------------------


def test_publishing_an_item_shows_it_on_the_cached_list():
    draft = make_news_post(title="Fresh announcement", status=Status.DRAFT)
    assert "Fresh announcement" not in cached(NEWS)
    workflow.publish(item=draft, by=editor())
    response = get(NEWS)
    assert response["X-Page-Cache"] == "MISS"
    assert "Fresh announcement" in response.content.decode()


def test_editing_a_published_item_changes_its_cached_page_and_the_lists():
    post = make_news_post(title="Old headline")
    detail = post.get_absolute_url()
    for url in (detail, NEWS, "/"):
        assert "Old headline" in cached(url)
    post.title = "New headline"
    post.save()
    for url in (detail, NEWS, "/"):
        page = get(url).content.decode()
        assert "New headline" in page, url
        assert "Old headline" not in page, url


@pytest.mark.parametrize("move", [workflow.archive, workflow.return_to_draft])
def test_withdrawing_an_item_removes_it_from_the_cached_pages(move):
    post = make_news_post(title="Soon withdrawn")
    detail = post.get_absolute_url()
    assert "Soon withdrawn" in cached(detail)
    assert "Soon withdrawn" in cached(NEWS)
    move(item=NewsPost.objects.get(pk=post.pk), by=editor())
    # An archived page answers 410 Gone (it once was public), a draft's 404.
    assert get(detail).status_code == (410 if move is workflow.archive else 404)
    assert "Soon withdrawn" not in get(NEWS).content.decode()


def test_deleting_an_item_removes_it_from_the_cached_list():
    post = make_news_post(title="Deleted later")
    assert "Deleted later" in cached(NEWS)
    post.delete()
    assert "Deleted later" not in get(NEWS).content.decode()


def test_a_speakers_new_name_reaches_the_cached_session_page():
    session = make_session(title="Keynote")
    add_participant(session, make_person(name="Ada Lovelace", slug="ada"))
    url = session.get_absolute_url()
    assert "Ada Lovelace" in cached(url)
    person = Person.objects.get(slug="ada")
    person.name = "Augusta Ada King"
    person.save()
    assert "Augusta Ada King" in get(url).content.decode()


def test_a_new_speaker_on_a_session_reaches_its_cached_page():
    session = make_session(title="Panel")
    url = session.get_absolute_url()
    assert "Grace Hopper" not in cached(url)
    add_participant(session, make_person(name="Grace Hopper"))
    assert "Grace Hopper" in get(url).content.decode()


def test_an_organisations_new_name_reaches_the_cached_initiative_page():
    initiative = make_initiative(title="Clean Air Pledge")
    make_signatory(initiative, organisation=make_organisation(name="Acme Energy", slug="acme"))
    url = initiative.get_absolute_url()
    assert "Acme Energy" in cached(url)
    organisation = Organisation.objects.get(slug="acme")
    organisation.name = "Acme Renewables"
    organisation.save()
    page = get(url).content.decode()
    assert "Acme Renewables" in page
    assert "Acme Energy" not in page


def test_a_topic_added_to_an_item_reaches_its_cached_page():
    from tests.factories import make_topic

    post = make_news_post(title="Tagged later")
    url = post.get_absolute_url()
    assert "Air quality" not in cached(url)
    post.topics.add(make_topic(name="Air quality"))
    assert "Air quality" in get(url).content.decode()


def test_writes_without_signals_are_announced_with_content_changed():
    from core.pagecache import content_changed

    post = make_news_post(title="Before the bulk update")
    assert "Before the bulk update" in cached(NEWS)
    NewsPost.objects.filter(pk=post.pk).update(title="After the bulk update")
    content_changed()
    assert "After the bulk update" in get(NEWS).content.decode()


# --- The clock ------------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """Move Django's clock (``timezone.now``, which every visibility query reads) forward."""

    class Clock:
        offset = timedelta(0)

        def advance(self, delta: timedelta) -> None:
            self.offset += delta

    clock = Clock()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + clock.offset)
    return clock


def test_a_scheduled_item_appears_on_the_cached_list_when_its_time_comes(clock, settings):
    settings.PAGE_CACHE_SECONDS = 4 * 60 * 60
    make_news_post(title="Embargoed report", publish_at=timezone.now() + timedelta(hours=1))
    assert "Embargoed report" not in cached(NEWS)
    clock.advance(timedelta(minutes=30))
    assert get(NEWS)["X-Page-Cache"] == "HIT"  # nothing is due yet
    clock.advance(timedelta(minutes=31))
    response = get(NEWS)
    assert response["X-Page-Cache"] == "MISS"
    assert "Embargoed report" in response.content.decode()


def test_an_item_leaves_the_cached_pages_at_its_unpublish_time(clock):
    until = timezone.now() + timedelta(hours=2)
    post = make_news_post(title="Time-limited offer", unpublish_at=until)
    detail = post.get_absolute_url()
    assert "Time-limited offer" in cached(NEWS)
    assert "Time-limited offer" in cached(detail)
    clock.advance(timedelta(hours=3))
    assert "Time-limited offer" not in get(NEWS).content.decode()
    assert get(detail).status_code == 404


def test_an_event_moves_from_upcoming_to_past_on_the_cached_list_at_its_end(clock):
    start = timezone.now() - timedelta(hours=2)
    make_event(title="Live summit", start=start, end=start + timedelta(hours=4))
    before = cached("/events/")
    upcoming = before.split("Live summit")[0]
    clock.advance(timedelta(hours=3))
    after = get("/events/")
    assert after["X-Page-Cache"] == "MISS"
    assert after.content.decode().split("Live summit")[0] != upcoming


def test_the_lifetime_is_capped_by_the_setting(clock, settings):
    settings.PAGE_CACHE_SECONDS = 120
    make_news_post()
    cached(NEWS)
    clock.advance(timedelta(seconds=121))
    assert get(NEWS)["X-Page-Cache"] == "MISS"


def test_the_cache_is_off_with_zero_seconds(settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_news_post()
    get(NEWS)
    response = get(NEWS)
    assert response.status_code == 200
    assert not response.has_header("X-Page-Cache")


# --- Never for staff, previews or personal responses ----------------------------------------


def test_a_staff_preview_of_a_draft_never_reaches_anonymous_visitors():
    draft = make_news_post(title="Unreleased plan", status=Status.DRAFT)
    staff = Client()
    staff.force_login(make_staff(perms=["publications.view_newspost"]))
    preview = staff.get(draft.get_absolute_url())
    assert preview.status_code == 200
    assert "Unreleased plan" in preview.content.decode()
    assert not preview.has_header("X-Page-Cache")
    assert "Unreleased plan" not in staff.get(NEWS).content.decode()
    assert get(draft.get_absolute_url()).status_code == 404
    assert get(draft.get_absolute_url()).status_code == 404
    assert "Unreleased plan" not in get(NEWS).content.decode()


def test_signed_in_staff_are_never_served_from_the_cache_nor_fill_it():
    make_news_post(title="Shared page")
    staff = Client()
    staff.force_login(make_staff())
    first = staff.get(NEWS)
    assert not first.has_header("X-Page-Cache")
    assert get(NEWS)["X-Page-Cache"] == "MISS"  # the staff render was not stored
    assert get(NEWS)["X-Page-Cache"] == "HIT"
    again = staff.get(NEWS)
    assert not again.has_header("X-Page-Cache")
    assert "no-store" in again["Cache-Control"]


def test_a_visitor_with_a_session_is_always_rendered():
    make_news_post()
    cached(NEWS)
    visitor = Client()
    visitor.cookies["sessionid"] = "not-a-real-session"
    assert not visitor.get(NEWS).has_header("X-Page-Cache")


def test_not_found_pages_are_not_stored():
    get("/news/no-such-post/")
    response = get("/news/no-such-post/")
    assert response.status_code == 404
    assert not response.has_header("X-Page-Cache")


def set_cookie_view(request):
    response = HttpResponse("<p>personal</p>")
    response.set_cookie("seen", "1")
    return response


def shared_view(request):
    return HttpResponse("<p>shared</p>")


def nonce_view(request):
    return HttpResponse(f'<p>page</p><script nonce="{request.csp_nonce}">go()</script>')


urlpatterns = [
    path("cookie/", set_cookie_view),
    path("exempt/", page_cache_exempt(shared_view)),
    path("shared/", shared_view),
    path("nonce/", nonce_view),
]


@pytest.fixture
def test_urls(settings):
    settings.ROOT_URLCONF = __name__


def test_responses_that_set_a_cookie_are_not_stored(test_urls):
    get("/cookie/")
    assert not get("/cookie/").has_header("X-Page-Cache")
    assert get("/shared/")["X-Page-Cache"] == "MISS"
    assert get("/shared/")["X-Page-Cache"] == "HIT"


def test_exempt_views_are_never_cached(test_urls):
    get("/exempt/")
    assert not get("/exempt/").has_header("X-Page-Cache")


def test_health_probes_are_never_cached():
    get("/healthz")
    assert not get("/healthz").has_header("X-Page-Cache")


# --- CSP nonces -----------------------------------------------------------------------------


def nonces(response) -> tuple[str, str]:
    """The nonce in the page's script tag, and the one its Content-Security-Policy allows."""
    body = re.search(r'<script nonce="([^"]+)">', response.content.decode()).group(1)
    header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    return body, header


def test_each_response_from_the_cache_carries_a_fresh_nonce_matching_its_policy(test_urls):
    first, second, third = get("/nonce/"), get("/nonce/"), get("/nonce/")
    assert [r["X-Page-Cache"] for r in (first, second, third)] == ["MISS", "HIT", "HIT"]
    seen = set()
    for response in (first, second, third):
        in_body, in_header = nonces(response)
        assert in_body == in_header
        seen.add(in_body)
    assert len(seen) == 3
    # The bodies differ in the nonce alone, so their shared ETag is a weak one.
    assert first["ETag"].startswith("W/") and first["ETag"] == third["ETag"]
    assert get("/nonce/", **{"If-None-Match": first["ETag"]}).status_code == 304


# --- Stampedes ------------------------------------------------------------------------------


def hold_lock_on(url: str) -> None:
    """Take the page's render lock, as another app server rendering it does."""
    from django.core.cache import cache
    from django.test import RequestFactory

    from core import pagecache

    key = pagecache.page_key(RequestFactory().get(url))
    assert cache.add(pagecache.lock_key(key), 1, timeout=30)


def test_while_another_request_renders_a_page_its_previous_copy_is_served(
    django_assert_num_queries,
):
    post = make_news_post(title="Old copy")
    cached(NEWS)
    post.title = "New copy"
    post.save()
    hold_lock_on(NEWS)
    with django_assert_num_queries(1):  # finding the next scheduled moment for the new version
        stale = get(NEWS)
    assert stale["X-Page-Cache"] == "STALE"
    assert "Old copy" in stale.content.decode()
    assert stale["Cache-Control"] == "public, max-age=0"


def test_without_a_copy_a_request_waits_briefly_then_renders_itself(settings):
    settings.PAGE_CACHE_WAIT_SECONDS = 0.2
    make_news_post(title="Rendered anyway")
    hold_lock_on(NEWS)
    response = get(NEWS)
    assert response.status_code == 200
    assert "Rendered anyway" in response.content.decode()


# --- Redis down -----------------------------------------------------------------------------


def test_pages_serve_current_content_while_redis_is_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.resilient_cache.ResilientRedisCache",
            # Nothing listens here: every connection is refused at once.
            "LOCATION": "redis://127.0.0.1:8329/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    post = make_news_post(title="Served without Redis")
    first = get(NEWS)
    assert first.status_code == 200
    assert "Served without Redis" in first.content.decode()
    post.title = "Edited without Redis"
    post.save()
    second = get(NEWS)
    assert second.status_code == 200
    assert "Edited without Redis" in second.content.decode()
    assert not second.has_header("X-Page-Cache")


def test_the_next_scheduled_moment_of_every_type_is_found_with_one_query(
    django_assert_num_queries,
):
    from core.pagecache import next_boundary

    soon = timezone.now() + timedelta(hours=3)
    make_news_post(publish_at=soon + timedelta(hours=1))
    make_initiative(unpublish_at=soon)
    make_event(start=soon - timedelta(days=2), end=soon + timedelta(minutes=30))
    make_news_post(status=Status.DRAFT, publish_at=soon - timedelta(hours=1))  # not published
    with django_assert_num_queries(1):
        assert next_boundary(timezone.now()) == soon.timestamp()
