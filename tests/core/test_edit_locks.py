"""Edit locks (take, refuse others' saves, expire, break) and presence on change forms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from core import locking
from core.locking import EditLock
from core.publishing import Status
from tests.factories import admin_form_data, make_member, make_news_post, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def edna():
    return make_member(username="edna", group="Editors")


@pytest.fixture
def eric():
    return make_member(username="eric", group="Editors")


def change_url(item) -> str:
    return reverse("admin:publications_newspost_change", args=[item.pk])


def review_url(item, name: str) -> str:
    return reverse(f"admin:publications_newspost_review_{name}", args=[item.pk])


def travel(monkeypatch, delta: timedelta) -> None:
    """Move the clock of ``timezone.now`` forward by ``delta``."""
    real_now = timezone.now
    later = real_now() + delta
    monkeypatch.setattr(timezone, "now", lambda: later)


def test_editor_locks_and_others_see_who_and_since_when_and_cannot_save(client, edna, eric):
    post = make_news_post(title="Summit round-up")
    client.force_login(edna)
    response = client.post(review_url(post, "lock"), follow=True)
    assert "You have locked this news post" in response.content.decode()
    lock = EditLock.objects.get()
    assert lock.user == edna

    client.force_login(eric)
    page = client.get(change_url(post))
    html = page.content.decode()
    assert "Locked by <strong>edna</strong> since" in html
    assert 'name="_save"' not in html  # no save buttons while someone else holds the lock
    assert 'id="review-break"' not in html  # editors cannot break a lock

    data = admin_form_data(page, title="Eric's title")
    refused = client.post(change_url(post), data)
    assert refused.status_code == 200
    assert "Your changes were not saved. This news post is locked by edna since" in (
        refused.content.decode()
    )
    post.refresh_from_db()
    assert post.title == "Summit round-up"

    client.force_login(edna)
    page = client.get(change_url(post))
    assert 'id="review-unlock"' in page.content.decode()
    saved = client.post(change_url(post), admin_form_data(page, title="Edna's title"))
    assert saved.status_code == 302
    post.refresh_from_db()
    assert post.title == "Edna's title"


def test_lock_taken_by_another_is_refused_until_released(client, edna, eric):
    post = make_news_post()
    locking.acquire(item=post, by=edna)
    client.force_login(eric)
    response = client.post(review_url(post, "lock"), follow=True)
    assert "This news post is locked by edna since" in response.content.decode()
    assert EditLock.objects.get().user == edna

    client.post(review_url(post, "unlock"))  # not his to remove
    assert EditLock.objects.exists()
    client.force_login(edna)
    client.post(review_url(post, "unlock"))
    assert not EditLock.objects.exists()


def test_bulk_action_skips_an_item_locked_by_someone_else(client, edna, eric):
    locked = make_news_post(title="Locked one", status=Status.REVIEW)
    free = make_news_post(title="Free one", status=Status.REVIEW)
    locking.acquire(item=locked, by=edna)
    client.force_login(eric)
    response = client.post(
        reverse("admin:publications_newspost_changelist"),
        {"action": "publish_now", "_selected_action": [locked.pk, free.pk]},
        follow=True,
    )
    locked.refresh_from_db()
    free.refresh_from_db()
    assert (locked.status, free.status) == (Status.REVIEW, Status.PUBLISHED)
    assert "Locked one: Your changes were not saved. This news post is locked by edna" in (
        response.content.decode()
    )


def test_lock_expires_after_the_configured_minutes(client, edna, eric, settings, monkeypatch):
    settings.ADMIN_LOCK_MINUTES = 10
    post = make_news_post(title="Summit round-up")
    locking.acquire(item=post, by=edna)
    travel(monkeypatch, timedelta(minutes=9))
    assert locking.current_lock(post).user == edna

    travel(monkeypatch, timedelta(minutes=11))
    assert locking.current_lock(post) is None
    client.force_login(eric)
    page = client.get(change_url(post))
    assert "Not locked" in page.content.decode()
    assert client.post(change_url(post), admin_form_data(page, title="New")).status_code == 302
    assert locking.acquire(item=post, by=eric).user == eric


def test_administrator_breaks_a_lock(client, edna):
    post = make_news_post()
    locking.acquire(item=post, by=edna)
    admin_user = make_member(username="ada", group="Administrators")
    assert (
        Group.objects.get(name="Administrators")
        .permissions.filter(codename="break_editlock")
        .exists()
    )
    client.force_login(admin_user)
    assert 'id="review-break"' in client.get(change_url(post)).content.decode()
    response = client.post(review_url(post, "break"), follow=True)
    assert "You broke edna" in response.content.decode()
    assert not EditLock.objects.exists()


def test_an_editor_cannot_break_a_lock(client, edna, eric):
    post = make_news_post()
    locking.acquire(item=post, by=edna)
    client.force_login(eric)
    assert client.post(review_url(post, "break")).status_code == 403
    assert EditLock.objects.exists()


def test_a_contributor_cannot_lock_what_they_cannot_change(client, edna):
    post = make_news_post(created_by=edna)
    client.force_login(make_member(username="connie", group="Contributors"))
    assert client.post(review_url(post, "lock")).status_code == 403
    assert not EditLock.objects.exists()


def test_presence_lists_the_others_with_the_form_open_and_expires(client, edna, eric, monkeypatch):
    post = make_news_post()
    client.force_login(edna)
    client.get(change_url(post))
    client.force_login(eric)
    page = client.get(change_url(post)).content.decode()
    assert "Also open by edna." in page
    assert client.post(review_url(post, "presence")).json() == {"others": ["edna"], "lock": None}

    travel(monkeypatch, timedelta(seconds=locking.PRESENCE_SECONDS + 1))
    assert client.post(review_url(post, "presence")).json()["others"] == []


def test_presence_is_refused_to_staff_who_cannot_view_the_item(client):
    post = make_news_post()
    client.force_login(make_staff(username="other-staff"))
    assert client.post(review_url(post, "presence")).status_code == 403
    assert client.get(review_url(post, "presence")).status_code == 405


def test_change_form_with_comments_and_lock_costs_constant_queries(
    client, edna, django_assert_num_queries
):
    from core.comments import add_comment

    post = make_news_post()
    locking.acquire(item=post, by=edna)
    client.force_login(edna)
    add_comment(item=post, by=edna, text="One.")
    client.get(change_url(post))
    with django_assert_num_queries(19):
        assert client.get(change_url(post)).status_code == 200
    for n in range(5):
        thread = add_comment(item=post, by=edna, text=f"Thread {n}.")
        add_comment(item=post, by=make_staff(username=f"s{n}"), text="Reply.", reply_to=thread)
    with django_assert_num_queries(19):
        assert client.get(change_url(post)).status_code == 200


@pytest.mark.parametrize("group", ["Contributors", "Editors", "Administrators"])
def test_change_form_panels_and_presence_answer_each_role_with_constant_queries(client, group):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.comments import add_comment

    owner = make_member(username="owner", group="Editors")
    user = make_member(username="someone", group=group)
    post = make_news_post(created_by=owner)
    locking.acquire(item=post, by=owner)
    add_comment(item=post, by=owner, text="First.")
    client.force_login(user)
    client.get(change_url(post))

    def cost(url, method="get") -> int:
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(url)
        assert response.status_code == 200
        return len(queries)

    few = cost(change_url(post)), cost(review_url(post, "presence"), "post")
    for n in range(5):
        thread = add_comment(item=post, by=owner, text=f"Thread {n}.")
        add_comment(item=post, by=make_staff(username=f"s{n}"), text="Reply.", reply_to=thread)
        client.force_login(make_staff(username=f"viewer{n}", superuser=True))
        client.get(change_url(post))  # more people present
    client.force_login(user)
    many = cost(change_url(post)), cost(review_url(post, "presence"), "post")
    assert few == many
    assert "Thread 4." in client.get(change_url(post)).content.decode()
