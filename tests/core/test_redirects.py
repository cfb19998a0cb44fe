"""Addresses that keep working: renames redirect, removals answer 410, editors manage the rest."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.checks import check_redirects
from core.publishing import Status
from core.redirects import Redirect, item_urls
from core.references import Ref
from core.workflow import archive, move_to, return_to_draft
from events.models import Event
from tests.factories import (
    admin_form_data,
    check_admin_pages,
    make_article,
    make_event,
    make_initiative,
    make_member,
    make_news_post,
    make_page,
    make_session,
)
from tests.test_html import problems

pytestmark = pytest.mark.django_db

EVENT_EXPORTS = ("calendar.ics", "calendar.xcs", "programme.json", "schedule.xml", "schedule.json")


@pytest.fixture
def editor():
    return make_member(username="edna", group="Editors")


def rename(item, slug: str):
    item.slug = slug
    item.save()
    return item


def assert_redirects(client, old: str, new: str, status: int = 301) -> None:
    response = client.get(old)
    assert response.status_code == status, old
    assert response["Location"] == new
    assert client.get(new).status_code == 200, new


# --- Renames -------------------------------------------------------------------------------


def test_renamed_event_redirects_its_page_and_every_export_permanently(client):
    event = make_event(slug="summit-2025")
    make_session(event=event, slug="opening")
    rename(event, "ai-summit-2025")
    assert_redirects(client, "/events/summit-2025/", "/events/ai-summit-2025/")
    for export in EVENT_EXPORTS:
        assert_redirects(
            client, f"/events/summit-2025/{export}", f"/events/ai-summit-2025/{export}"
        )


def test_the_addresses_of_an_item_come_from_the_export_tables():
    event = make_event(slug="summit")
    assert sorted(item_urls(event).values()) == sorted(
        ["/events/summit/", *(f"/events/summit/{e}" for e in EVENT_EXPORTS)]
    )
    article = make_article(slug="paper")
    assert sorted(item_urls(article).values()) == [
        "/journal/articles/paper/",
        "/journal/articles/paper/cite.bib",
        "/journal/articles/paper/cite.json",
        "/journal/articles/paper/cite.ris",
    ]


def test_renamed_article_redirects_its_citation_downloads(client):
    article = make_article(slug="old-title")
    rename(article, "new-title")
    assert_redirects(client, "/journal/articles/old-title/", "/journal/articles/new-title/")
    for fmt in ("bib", "ris", "json"):
        assert_redirects(
            client,
            f"/journal/articles/old-title/cite.{fmt}",
            f"/journal/articles/new-title/cite.{fmt}",
        )


def test_renaming_an_event_redirects_its_sessions_pages_and_calendars(client):
    event = make_event(slug="conference")
    sessions = [make_session(event=event, slug=f"talk-{i}") for i in range(3)]
    rename(event, "conference-2025")
    for session in sessions:
        assert_redirects(
            client,
            f"/events/conference/sessions/{session.slug}/",
            f"/events/conference-2025/sessions/{session.slug}/",
        )
        assert_redirects(
            client,
            f"/events/conference/sessions/{session.slug}/calendar.ics",
            f"/events/conference-2025/sessions/{session.slug}/calendar.ics",
        )


def test_children_are_redirected_in_a_fixed_number_of_queries():
    def queries_to_rename(sessions: int) -> int:
        event = make_event()
        for i in range(sessions):
            make_session(event=event, slug=f"s-{i}")
        event = Event.objects.get(pk=event.pk)
        with CaptureQueriesContext(connection) as captured:
            rename(event, f"{event.slug}-renamed")
        return len(captured)

    queries_to_rename(1)  # content types cached once per process
    assert queries_to_rename(1) == queries_to_rename(6)
    assert Redirect.objects.filter(old_path__contains="/sessions/s-5/").count() == 2


def test_a_redirect_follows_the_item_through_a_later_rename(client):
    post = make_news_post(slug="first")
    rename(post, "second")
    rename(post, "third")
    assert_redirects(client, "/news/first/", "/news/third/")
    assert_redirects(client, "/news/second/", "/news/third/")


def test_renaming_back_removes_the_redirect_from_the_live_address(client):
    post = make_news_post(slug="a")
    rename(post, "b")
    rename(post, "a")
    assert not Redirect.objects.filter(old_path="/news/a/").exists()
    assert client.get("/news/a/").status_code == 200
    assert_redirects(client, "/news/b/", "/news/a/")


def test_a_rename_through_the_admin_redirects(client, editor):
    post = make_news_post(slug="launch")
    client.force_login(editor)
    url = reverse("admin:publications_newspost_change", args=[post.pk])
    response = client.post(url, admin_form_data(client.get(url), slug="launch-day"))
    assert response.status_code == 302
    client.logout()
    assert_redirects(client, "/news/launch/", "/news/launch-day/")


# --- Drafts never show -----------------------------------------------------------------------


def test_renaming_a_draft_leaves_no_trace(client):
    post = make_news_post(slug="secret-plan", status=Status.DRAFT)
    rename(post, "secret-plan-v2")
    assert Redirect.objects.count() == 0
    assert client.get("/news/secret-plan/").status_code == 404
    assert client.get("/news/secret-plan-v2/").status_code == 404


def test_deleting_a_draft_leaves_no_trace(client):
    post = make_news_post(slug="never-public", status=Status.DRAFT)
    post.delete()
    assert Redirect.objects.count() == 0
    assert client.get("/news/never-public/").status_code == 404


def test_an_address_that_never_existed_is_404(client):
    assert client.get("/news/no-such-post/").status_code == 404
    assert client.get("/nowhere/").status_code == 404


def test_a_redirect_to_an_item_that_is_no_longer_public_is_404(client, editor):
    post = make_news_post(slug="old")
    rename(post, "new")
    return_to_draft(item=post, by=editor)
    response = client.get("/news/old/")
    assert response.status_code == 404
    assert "Location" not in response
    assert "/news/new/" not in response.content.decode()


# --- Removals --------------------------------------------------------------------------------


def test_an_archived_item_answers_gone_with_a_friendly_page(client, editor):
    event = make_event(slug="workshop")
    archive(item=event, by=editor)
    response = client.get("/events/workshop/")
    assert response.status_code == 410
    html = response.content.decode()
    assert "This page has been removed" in html
    assert problems(html) == []
    assert client.get("/events/workshop/calendar.ics").status_code == 410


def test_archiving_an_event_takes_its_sessions_off_with_410(client, editor):
    event = make_event(slug="expo")
    make_session(event=event, slug="keynote")
    archive(item=event, by=editor)
    assert client.get("/events/expo/sessions/keynote/").status_code == 410
    assert client.get("/events/expo/sessions/keynote/calendar.ics").status_code == 410


def test_archiving_an_event_leaves_what_only_mentions_it_alone(client, editor):
    event = make_event(slug="expo")
    fund = make_initiative(slug="fund", announced_at=event)
    archive(item=event, by=editor)
    assert client.get(fund.get_absolute_url()).status_code == 200
    assert not Redirect.objects.filter(old_path=fund.get_absolute_url()).exists()
    fund.status = Status.DRAFT
    fund.save()
    assert client.get(fund.get_absolute_url()).status_code == 404  # not "removed": never gone


def test_a_replacement_that_is_not_one_of_our_items_is_refused_on_delete(client, editor):
    post = make_news_post(slug="kept")
    client.force_login(editor)
    url = reverse("admin:publications_newspost_delete", args=[post.pk])
    response = client.post(url, {"post": "yes", "replace_with": "https://example.org/"})
    assert response.status_code == 302 and response["Location"] == url
    assert type(post).objects.filter(pk=post.pk).exists()


def test_a_deleted_item_answers_gone_and_so_do_its_sessions(client):
    event = make_event(slug="forum")
    make_session(event=event, slug="panel")
    event.delete()
    assert client.get("/events/forum/").status_code == 410
    assert client.get("/events/forum/schedule.xml").status_code == 410
    assert client.get("/events/forum/sessions/panel/").status_code == 410


def test_publishing_again_makes_the_page_live_and_removes_the_gone_record(client, editor):
    post = make_news_post(slug="back")
    archive(item=post, by=editor)
    assert client.get("/news/back/").status_code == 410
    move_to(item=post, state=Status.PUBLISHED, by=editor)
    assert client.get("/news/back/").status_code == 200
    assert not Redirect.objects.filter(old_path="/news/back/").exists()


def test_archiving_in_the_admin_with_a_replacement_redirects_to_it(client, editor):
    old, new = make_event(slug="summit-2024"), make_event(slug="summit-2025")
    client.force_login(editor)
    url = reverse("admin:events_event_change", args=[old.pk])
    data = admin_form_data(client.get(url), status=Status.ARCHIVED, replace_with=str(Ref.to(new)))
    assert client.post(url, data).status_code == 302
    client.logout()
    assert_redirects(client, "/events/summit-2024/", "/events/summit-2025/")
    assert_redirects(client, "/events/summit-2024/calendar.ics", "/events/summit-2025/calendar.ics")


def test_a_replacement_is_refused_for_an_item_that_stays_live(client, editor):
    old, new = make_event(slug="live"), make_event(slug="other")
    client.force_login(editor)
    url = reverse("admin:events_event_change", args=[old.pk])
    response = client.post(url, admin_form_data(client.get(url), replace_with=str(Ref.to(new))))
    assert response.status_code == 200
    assert "Only an item you archive is replaced" in response.content.decode()


def test_deleting_in_the_admin_with_a_replacement_redirects_to_it(client, editor):
    old = make_news_post(slug="duplicate")
    make_news_post(slug="original")
    client.force_login(editor)
    url = reverse("admin:publications_newspost_delete", args=[old.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="replace_with"' in page.content.decode()
    response = client.post(url, {"post": "yes", "replace_with": "/news/original/"})
    assert response.status_code == 302
    client.logout()
    assert_redirects(client, "/news/duplicate/", "/news/original/")


def test_deleting_in_the_admin_without_a_replacement_answers_gone(client, editor):
    post = make_news_post(slug="withdrawn")
    client.force_login(editor)
    url = reverse("admin:publications_newspost_delete", args=[post.pk])
    assert client.post(url, {"post": "yes", "replace_with": ""}).status_code == 302
    client.logout()
    assert client.get("/news/withdrawn/").status_code == 410


# --- Editors' redirects ----------------------------------------------------------------------


def add_redirect(client, **fields):
    data = {"old_path": "", "target_item": "", "target_url": "", "permanent": "on", **fields}
    if not data["permanent"]:
        del data["permanent"]
    return client.post(reverse("admin:core_redirect_add"), data)


def test_a_temporary_redirect_added_in_the_admin_counts_its_hits(client, editor):
    post = make_news_post(slug="call-for-papers-2026")
    client.force_login(editor)
    response = add_redirect(client, old_path="/cfp/", target_item=str(Ref.to(post)), permanent="")
    assert response.status_code == 302
    client.logout()
    for _ in range(2):
        assert_redirects(client, "/cfp/", "/news/call-for-papers-2026/", status=302)
    redirect = Redirect.objects.get(old_path="/cfp/")
    assert redirect.hits == 2 and redirect.last_hit_at is not None
    assert not redirect.automatic


def test_a_pasted_address_of_our_page_is_stored_as_the_item(client, editor):
    post = make_news_post(slug="today")
    client.force_login(editor)
    add_redirect(client, old_path="/latest/", target_url=f"{settings.SITE_URL}/news/today/")
    redirect = Redirect.objects.get(old_path="/latest/")
    assert redirect.target == post and redirect.target_url == ""
    rename(post, "yesterday")
    client.logout()
    assert_redirects(client, "/latest/", "/news/yesterday/")


def test_editing_an_automatic_redirect_of_a_download_keeps_it_a_download(client, editor):
    event = make_event(slug="before")
    rename(event, "after")
    row = Redirect.objects.get(old_path="/events/before/calendar.ics")
    client.force_login(editor)
    url = reverse("admin:core_redirect_change", args=[row.pk])
    assert client.post(url, admin_form_data(client.get(url), permanent="")).status_code == 302
    client.logout()
    assert_redirects(
        client, "/events/before/calendar.ics", "/events/after/calendar.ics", status=302
    )


def test_a_chain_is_collapsed_whichever_link_comes_first(client, editor):
    client.force_login(editor)
    add_redirect(client, old_path="/b/", target_url="https://example.org/c")
    add_redirect(client, old_path="/a/", target_url="/b/")
    assert Redirect.objects.get(old_path="/a/").target_url == "https://example.org/c"
    add_redirect(client, old_path="/x/", target_url="/y/")
    add_redirect(client, old_path="/y/", target_url="https://example.org/z")
    assert Redirect.objects.get(old_path="/x/").target_url == "https://example.org/z"


def test_a_redirect_to_an_address_that_later_moves_follows_it(client, editor):
    client.force_login(editor)
    add_redirect(client, old_path="/promo/", target_url="/news/coming-soon/")
    assert Redirect.objects.get(old_path="/promo/").target_url == "/news/coming-soon/"
    post = make_news_post(slug="coming-soon")
    rename(post, "out-now")
    client.logout()
    assert_redirects(client, "/promo/", "/news/out-now/")
    assert Redirect.objects.get(old_path="/promo/").target == post


def test_a_loop_is_refused_with_a_form_error(client, editor):
    client.force_login(editor)
    add_redirect(client, old_path="/b/", target_url="/a/")
    response = add_redirect(client, old_path="/a/", target_url="/b/")
    assert response.status_code == 200
    assert "This would make a loop: /a/ → /b/ → /a/." in response.content.decode()
    assert not Redirect.objects.filter(old_path="/a/").exists()


def test_a_redirect_to_itself_is_refused(client, editor):
    post = make_news_post(slug="here")
    client.force_login(editor)
    response = add_redirect(client, old_path="/news/here/", target_item=str(Ref.to(post)))
    assert response.status_code == 200
    assert "would redirect to itself" in response.content.decode()


def test_a_redirect_from_a_live_page_is_not_used(client):
    make_news_post(slug="live")
    make_news_post(slug="other")
    Redirect.objects.create(old_path="/news/live/", target_url="/news/other/")
    assert client.get("/news/live/").status_code == 200


def test_the_redirects_admin_answers_editors_and_administrators_only(
    client, django_assert_num_queries
):
    post = make_news_post()

    def make():
        return Redirect.objects.create(
            old_path=f"/old/{Redirect.objects.count()}/",
            target_type=ContentType.objects.get_for_model(post),
            target_id=post.pk,
        )

    check_admin_pages(
        client,
        django_assert_num_queries,
        name="core_redirect",
        make=make,
        queries={"changelist": 8, "add": 5, "change": 6},
    )
    client.force_login(make_member(username="ada", group="Administrators"))
    assert client.get(reverse("admin:core_redirect_changelist")).status_code == 200
    client.force_login(make_member(username="connie", group="Contributors"))
    assert client.get(reverse("admin:core_redirect_changelist")).status_code == 403


# --- Moving a site page -----------------------------------------------------------------------


@pytest.fixture
def tree():
    """/about/, /about/team/, /about/team/alumni/, /about/team/alumni/class-of-2024/, /network/."""
    about = make_page(title="About us", slug="about")
    team = make_page(title="Our team", slug="team", parent=about)
    alumni = make_page(title="Alumni", slug="alumni", parent=team)
    make_page(title="Class of 2024", slug="class-of-2024", parent=alumni)
    network = make_page(title="Our network", slug="network")
    return {"about": about, "team": team, "network": network}


MOVED = {
    "/about/team/": "/network/team/",
    "/about/team/alumni/": "/network/team/alumni/",
    "/about/team/alumni/class-of-2024/": "/network/team/alumni/class-of-2024/",
}


def move(page, parent):
    page.parent = parent
    page.full_clean()
    page.save()


def test_moving_a_page_redirects_it_and_every_page_below_it(client, tree):
    move(tree["team"], tree["network"])
    for old, new in MOVED.items():
        assert_redirects(client, old, new)
    assert client.get("/about/").status_code == 200
    # A site page has no downloads of its own: its page is its one address.
    assert item_urls(tree["team"]) == {"": "/network/team/"}


def test_moving_a_page_in_the_admin_redirects_every_page_below_it(client, editor, tree):
    client.force_login(editor)
    url = reverse("admin:sitepages_page_change", args=[tree["team"].pk])
    response = client.post(url, admin_form_data(client.get(url), parent=tree["network"].pk))
    assert response.status_code == 302
    client.logout()
    for old, new in MOVED.items():
        assert_redirects(client, old, new)


def test_moving_a_page_twice_sends_every_old_address_to_the_last_in_one_hop(client, editor, tree):
    client.force_login(editor)
    add_redirect(client, old_path="/team/", target_url="/about/team/alumni/")
    client.logout()
    move(tree["team"], tree["network"])
    elsewhere = make_page(title="Elsewhere", slug="elsewhere")
    move(tree["team"], elsewhere)
    for old in [*MOVED, *MOVED.values()]:
        new = "/elsewhere/team/" + old.split("/team/", 1)[1]
        assert_redirects(client, old, new)
    assert_redirects(client, "/team/", "/elsewhere/team/alumni/")


def test_moving_a_page_back_leaves_no_loop(client, tree):
    move(tree["team"], tree["network"])
    move(tree["team"], tree["about"])
    for old, new in MOVED.items():
        assert client.get(old).status_code == 200, old
        assert_redirects(client, new, old)
    assert not Redirect.objects.filter(old_path__in=list(MOVED)).exists()


def test_a_redirect_from_a_moved_pages_address_back_to_its_old_one_is_refused(client, editor, tree):
    move(tree["team"], tree["network"])
    client.force_login(editor)
    response = add_redirect(client, old_path="/network/team/", target_url="/about/team/")
    assert response.status_code == 200
    assert "would redirect to itself" in response.content.decode()
    assert not Redirect.objects.filter(old_path="/network/team/").exists()


# --- Cost ------------------------------------------------------------------------------------


def test_a_live_page_costs_no_query_more(client, settings):
    event = make_event(slug="fast")
    make_session(event=event)
    client.get("/events/fast/")  # warm caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/events/fast/").status_code == 200
        return len(captured)

    with_fallback = queries()
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "redirects" not in m]
    assert queries() == with_fallback


def test_a_missing_page_costs_one_query_more(client, django_assert_num_queries):
    # An address with the shape of a site page's is looked for among the pages first; the
    # 404 page shows the menus.
    with django_assert_num_queries(3):
        assert client.get("/nowhere/").status_code == 404


def test_the_system_check_warns_when_the_fallback_middleware_is_missing(settings):
    assert check_redirects() == []
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "redirects" not in m]
    assert [message.id for message in check_redirects()] == ["core.W010"]
