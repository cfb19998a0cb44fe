"""Changes to live content behind review: a pending version of a published item is saved,
previewed, reviewed, scheduled, published or discarded while the public sees the live one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.db import IntegrityError, OperationalError, connection
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from core import pending
from core.models import WebhookDelivery, WebhookEndpoint
from core.pending import PendingChange
from core.redirects import Redirect
from tests.factories import (
    add_author,
    admin_form_data,
    make_article,
    make_member,
    make_news_post,
    make_organisation,
    make_person,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_member(username="eddie", group="Editors")


@pytest.fixture
def contributor():
    return make_member(username="connie", group="Contributors")


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def action_url(obj, action: str) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_pending", args=[obj.pk, action])


def save_pending(client, obj, **changes):
    """Open ``obj``'s change form and save it with ``changes`` as a pending version."""
    url = change_url(obj)
    data = admin_form_data(client.get(url), **changes)
    data["_save_pending"] = "1"
    return client.post(url, data)


def page(client, obj, **params) -> str:
    response = client.get(obj.get_absolute_url(), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_pending_change_leaves_the_public_page_api_feed_and_search_live(client, editor):
    post = make_news_post(title="Rivers treaty signed", slug="rivers", body="<p>Old text.</p>")
    client.force_login(editor)

    response = save_pending(client, post, title="Rivers treaty signed by 12 states")

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Rivers treaty signed"
    change = pending.for_item(post)
    assert change.state == PendingChange.State.DRAFT and change.author == editor
    client.logout()
    assert "by 12 states" not in page(client, post)
    assert "by 12 states" not in client.get("/api/v1/news/rivers/").content.decode()
    assert "by 12 states" not in client.get("/news/feed/").content.decode()
    assert "by 12 states" not in client.get("/search/", {"q": "rivers"}).content.decode()
    found = client.get("/search/", {"q": "rivers"}).content.decode()
    assert "<mark>Rivers</mark> treaty signed<" in found  # the live title, not the pending one


def test_the_change_form_shows_and_saves_the_pending_version(client, editor):
    post = make_news_post(title="Live title")
    client.force_login(editor)
    save_pending(client, post, title="First pending title")

    response = client.get(change_url(post))

    assert response.context["adminform"].form.initial["title"] == "First pending title"
    assert "Pending changes by eddie" in response.content.decode()
    save_pending(client, post, title="Second pending title")
    assert PendingChange.objects.count() == 1
    assert pending.for_item(post).data[0]["data"].count("Second pending title") == 1
    post.refresh_from_db()
    assert post.title == "Live title"


def test_preview_at_the_public_url_shows_the_pending_version_to_editors_only(client, editor):
    post = make_news_post(title="Live title")
    client.force_login(editor)
    save_pending(client, post, title="Corrected title")

    response = client.get(post.get_absolute_url(), {"pending": "1"})

    html = response.content.decode()
    assert "Corrected title" in html and "Preview of pending changes" in html
    assert "no-store" in response["Cache-Control"]
    assert "Corrected title" not in page(client, post)  # without ?pending: the live page
    api = client.get(f"/api/v1/news/{post.slug}/", {"pending": "1"}).content.decode()
    assert "Live title" in api and "Corrected title" not in api
    post.refresh_from_db()
    assert post.title == "Live title"
    client.logout()
    assert "Corrected title" not in page(client, post, pending="1")


def test_staff_who_may_not_preview_the_type_see_the_live_version(client, editor):
    from tests.factories import make_staff

    post = make_news_post(title="Live title")
    client.force_login(editor)
    save_pending(client, post, title="Corrected title")
    client.force_login(make_staff(username="stranger"))

    assert "Corrected title" not in page(client, post, pending="1")


def test_inline_rows_are_part_of_the_pending_version(client, editor):
    article = make_article(title="On rivers", slug="on-rivers")
    add_author(article, make_person(name="Ada Lovelace"), order=1)
    newcomer = make_person(name="Grace Hopper")
    client.force_login(editor)
    url = change_url(article)
    data = admin_form_data(client.get(url))
    data.update(
        {
            "authorships-TOTAL_FORMS": "2",
            "authorships-1-person": str(newcomer.pk),
            "authorships-1-order": "2",
            "authorships-1-article": str(article.pk),
            "_save_pending": "1",
        }
    )
    assert client.post(url, data).status_code == 302

    assert article.authorships.count() == 1
    client.logout()
    assert "Grace Hopper" not in page(client, article)
    client.force_login(editor)
    assert "Grace Hopper" in page(client, article, pending="1")
    assert article.authorships.count() == 1

    client.post(action_url(article, "publish"))

    assert sorted(a.person.name for a in article.authorships.all()) == [
        "Ada Lovelace",
        "Grace Hopper",
    ]
    client.logout()
    assert "Grace Hopper" in page(client, article)


def test_a_removed_inline_row_is_deleted_when_the_change_is_published(client, editor):
    article = make_article(title="On rivers")
    add_author(article, make_person(name="Ada Lovelace"), order=1)
    add_author(article, make_person(name="Wrong Person"), order=2)
    client.force_login(editor)
    url = change_url(article)
    data = admin_form_data(client.get(url))
    data["authorships-1-DELETE"] = "on"
    data["_save_pending"] = "1"
    client.post(url, data)
    assert article.authorships.count() == 2

    client.post(action_url(article, "publish"))

    assert [a.person.name for a in article.authorships.all()] == ["Ada Lovelace"]


def test_publishing_replaces_the_live_version_with_a_revision_and_an_audit_entry(client, editor):
    post = make_news_post(title="Live title")
    client.force_login(editor)
    save_pending(client, post, title="Corrected title")

    response = client.post(action_url(post, "publish"))

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Corrected title"
    assert post.status == "published"
    assert not PendingChange.objects.exists()
    assert Version.objects.get_for_object(post).first().revision.comment == (
        "Published pending changes."
    )
    messages = list(
        LogEntry.objects.filter(object_id=str(post.pk)).values_list("change_message", flat=True)
    )
    assert "Saved changes as a pending version." in messages
    assert "Published pending changes." in messages
    client.logout()
    assert "Corrected title" in page(client, post)
    assert "Corrected title" in client.get(f"/api/v1/news/{post.slug}/").content.decode()


def test_discarding_keeps_the_live_version(client, editor):
    post = make_news_post(title="Live title")
    client.force_login(editor)
    save_pending(client, post, title="Bad idea")

    client.post(action_url(post, "discard"))

    assert not PendingChange.objects.exists()
    post.refresh_from_db()
    assert post.title == "Live title"
    assert LogEntry.objects.filter(change_message="Discarded the pending changes.").exists()
    assert "Bad idea" not in client.get(change_url(post)).content.decode()


def test_a_contributor_prepares_a_change_to_a_live_item_and_an_editor_publishes_it(
    client, editor, contributor
):
    post = make_news_post(title="Live title")
    client.force_login(contributor)
    url = change_url(post)
    form = client.get(url)
    assert "Your changes are saved as a pending version" in form.content.decode()
    data = admin_form_data(form, title="Contributor's correction")
    data["_save"] = "Save"

    assert client.post(url, data).status_code == 302

    post.refresh_from_db()
    assert post.title == "Live title"
    change = pending.for_item(post)
    assert change.author == contributor
    assert client.post(action_url(post, "publish")).status_code == 403
    client.post(action_url(post, "review"))
    change.refresh_from_db()
    assert change.state == PendingChange.State.REVIEW
    # In review it is the editors': its author may no longer change or discard it.
    assert save_pending(client, post, title="Another go").status_code == 403
    assert client.post(action_url(post, "discard")).status_code == 403

    client.force_login(editor)
    client.post(action_url(post, "publish"))

    post.refresh_from_db()
    assert post.title == "Contributor's correction"


def test_a_contributor_may_not_touch_someone_elses_pending_change(client, editor, contributor):
    post = make_news_post(title="Live title")
    client.force_login(editor)
    save_pending(client, post, title="Editor's change")
    client.force_login(contributor)

    assert client.post(action_url(post, "discard")).status_code == 403
    assert (
        client.post(
            action_url(post, "schedule"), {"pending_publish_at": "2099-01-01T09:00"}
        ).status_code
        == 403
    )
    assert pending.for_item(post) is not None


def test_a_scheduled_change_goes_live_when_the_clock_passes_its_time(client, editor, monkeypatch):
    post = make_news_post(title="Live title", slug="live")
    client.force_login(editor)
    save_pending(client, post, title="Correction at nine")
    at = timezone.localtime() + timedelta(hours=2)
    client.post(action_url(post, "schedule"), {"pending_publish_at": at.strftime("%Y-%m-%dT%H:%M")})
    change = pending.for_item(post)
    assert change.state == PendingChange.State.SCHEDULED
    client.logout()
    assert "Correction at nine" not in page(client, post)

    later = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert "Correction at nine" in page(client, post)
    assert "Correction at nine" in client.get("/api/v1/news/live/").content.decode()
    assert not PendingChange.objects.exists()
    assert LogEntry.objects.filter(change_message="Published pending changes (scheduled).").exists()


def test_a_scheduled_change_is_applied_after_the_cache_forgot_its_time(client, editor, monkeypatch):
    post = make_news_post(title="Live title", slug="live")
    client.force_login(editor)
    save_pending(client, post, title="Correction at nine")
    client.post(action_url(post, "schedule"), {"pending_publish_at": "2099-01-01T09:00"})
    client.logout()
    cache.clear()
    later = timezone.make_aware(timezone.datetime(2099, 1, 1, 10, 0))
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert "Correction at nine" in client.get("/api/v1/news/live/").content.decode()


def test_the_health_check_never_asks_the_clock(client, django_assert_num_queries):
    cache.delete(pending.DUE_KEY)
    with django_assert_num_queries(0):
        assert client.get("/healthz").status_code == 200


def test_a_failed_look_at_the_clock_is_not_tried_again_on_every_request(client):
    looks = []

    def database_away(execute, sql, params, many, context):
        if PendingChange._meta.db_table in sql:
            looks.append(sql)
            raise OperationalError("connection timeout expired")
        return execute(sql, params, many, context)

    cache.delete(pending.DUE_KEY)
    with connection.execute_wrapper(database_away):
        for _ in range(3):
            assert client.get("/api/v1/news/").status_code == 200
    assert len(looks) == 1


@pytest.mark.page_cache
def test_a_cached_page_expires_when_a_scheduled_change_is_due(client, editor):
    from core import pagecache

    post = make_news_post(title="Live title")
    client.force_login(editor)
    save_pending(client, post, title="Correction")
    at = timezone.now() + timedelta(hours=2)
    pending.schedule_change(change=pending.for_item(post), by=editor, at=at)

    assert abs(pagecache.next_boundary(timezone.now()) - at.timestamp()) < 1


def test_changelist_marks_live_items_with_pending_changes_in_constant_queries(
    client, editor, django_assert_num_queries
):
    client.force_login(editor)
    url = reverse("admin:publications_newspost_changelist")
    first = make_news_post(title="Changed one")
    save_pending(client, first, title="Changed one, corrected")
    make_news_post(title="Untouched")
    client.get(url)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    for n in range(3):
        post = make_news_post(title=f"More {n}")
        save_pending(client, post, title=f"More {n}, corrected")
    with django_assert_num_queries(9):
        response = client.get(url)
    rows = {row.title: row.pending_state for row in response.context["cl"].result_list}
    assert rows["Changed one"] == "draft" and rows["Untouched"] is None
    assert "pending changes" in response.content.decode()

    only = client.get(url, {"pending": "any"}).context["cl"].result_list
    assert sorted(row.title for row in only) == ["Changed one", "More 0", "More 1", "More 2"]
    rest = client.get(url, {"pending": "none"}).context["cl"].result_list
    assert [row.title for row in rest] == ["Untouched"]


def test_a_failed_publish_leaves_the_live_version_and_the_change(client, editor, monkeypatch):
    post = make_news_post(title="Live title")
    client.force_login(editor)
    save_pending(client, post, title="Corrected title")

    def fail(**kwargs):
        raise IntegrityError("the audit log refused the entry")

    monkeypatch.setattr(pending.workflow, "record_action", fail)
    with pytest.raises(IntegrityError):
        pending.publish_change(change=pending.for_item(post), by=editor)

    post.refresh_from_db()
    assert post.title == "Live title"
    assert pending.for_item(post) is not None


def test_a_slug_changed_in_a_pending_version_redirects_once_published(client, editor):
    post = make_news_post(title="Live title", slug="old-address")
    client.force_login(editor)
    save_pending(client, post, slug="new-address")
    assert not Redirect.objects.exists()
    client.post(action_url(post, "publish"))
    client.logout()

    response = client.get("/news/old-address/")

    assert response.status_code == 301
    assert response["Location"].endswith("/news/new-address/")


def test_webhooks_fire_for_the_publish_of_a_pending_change_not_for_saving_it(client, editor):
    from core.webhooks import signing

    WebhookEndpoint.objects.create(
        organisation=make_organisation(),
        url="http://127.0.0.1:9/hooks",
        events=["published", "changed", "withdrawn"],
        secret=signing.new_secret(),
    )
    post = make_news_post(title="Live title")
    WebhookDelivery.objects.all().delete()
    client.force_login(editor)
    save_pending(client, post, title="Corrected title")
    assert not WebhookDelivery.objects.exists()

    client.post(action_url(post, "publish"))

    assert list(WebhookDelivery.objects.values_list("event", flat=True)) == ["changed"]


def test_deleting_an_item_deletes_its_pending_change(client, editor):
    post = make_news_post(title="Live title")
    client.force_login(editor)
    save_pending(client, post, title="Corrected title")

    post.delete()

    assert not PendingChange.objects.exists()


def test_the_list_of_pending_changes_names_each_item_in_constant_queries(
    client, editor, django_assert_num_queries
):
    client.force_login(editor)
    url = reverse("admin:core_pendingchange_changelist")
    save_pending(client, make_news_post(title="First"), title="First, corrected")
    client.get(url)
    with django_assert_num_queries(7):
        client.get(url)
    save_pending(client, make_article(title="Second"), title="Second, corrected")
    with django_assert_num_queries(7):
        html = client.get(url).content.decode()

    assert "First, corrected" in html and "Second, corrected" in html
