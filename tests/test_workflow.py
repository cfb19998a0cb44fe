"""The editorial workflow: states, roles, scheduling, revisions, conflicts, dashboard and audit."""

from __future__ import annotations

import contextlib
import threading
from datetime import timedelta

import pytest
import reversion
from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.publishing import Status
from core.workflow import (
    TransitionError,
    archive,
    publish,
    reject,
    return_to_draft,
    schedule,
    send_for_review,
)
from publications.models import NewsPost
from tests.factories import admin_form_data, make_event, make_member, make_news_post, make_staff

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:publications_newspost_changelist"


@pytest.fixture
def editor():
    return make_member(username="edna", group="Editors")


@pytest.fixture
def contributor():
    return make_member(username="connie", group="Contributors")


def add_via_admin(client, user, **fields) -> NewsPost:
    """Create a news post through the admin add form, as ``user`` (so that it is theirs)."""
    client.force_login(user)
    data = {
        "title": "Summit round-up",
        "slug": "summit-round-up",
        "standfirst": "What happened.",
        "body": "<p>Text.</p>",
        "status": Status.DRAFT,
        "edit_token": "",
        **fields,
    }
    response = client.post(reverse("admin:publications_newspost_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return NewsPost.objects.get(slug=data["slug"])


def change_url(item) -> str:
    return reverse("admin:publications_newspost_change", args=[item.pk])


# --- Groups ---------------------------------------------------------------------------------


def test_migration_creates_the_three_groups_with_their_permissions():
    contributors = set(
        Group.objects.get(name="Contributors").permissions.values_list("codename", flat=True)
    )
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"add_newspost", "change_newspost", "view_newspost"} <= contributors
    assert "delete_newspost" not in contributors
    assert {"delete_newspost", "view_logentry", "add_partnerkey"} <= editors
    assert Group.objects.get(name="Administrators").permissions.filter(codename="add_user").exists()


# --- Transitions ----------------------------------------------------------------------------


def test_transitions_move_an_item_through_the_states_and_write_the_audit_log(editor):
    post = make_news_post(status=Status.DRAFT)
    send_for_review(item=post, by=editor)
    assert post.status == Status.REVIEW
    publish(item=post, by=editor)
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED and post.is_published
    archive(item=post, by=editor)
    assert NewsPost.objects.get(pk=post.pk).status == Status.ARCHIVED
    return_to_draft(item=post, by=editor)
    assert NewsPost.objects.get(pk=post.pk).status == Status.DRAFT

    messages = list(
        LogEntry.objects.filter(object_id=str(post.pk), action_flag=CHANGE)
        .order_by("action_time", "pk")
        .values_list("user__username", "change_message")
    )
    assert messages == [
        ("edna", "Sent for review."),
        ("edna", "Published."),
        ("edna", "Archived."),
        ("edna", "Returned to draft."),
    ]


def test_transitions_are_kept_as_revisions(editor):
    post = make_news_post(status=Status.REVIEW)
    publish(item=post, by=editor)
    version = reversion.models.Version.objects.get_for_object(post).first()
    assert version.field_dict["status"] == Status.PUBLISHED
    assert version.revision.user == editor


def test_reject_sends_an_item_in_review_back_with_the_reason(editor):
    post = make_news_post(status=Status.REVIEW)
    reject(item=post, by=editor, reason="Needs sources.")
    assert post.status == Status.REJECTED
    assert LogEntry.objects.filter(change_message="Rejected: Needs sources.").exists()


def test_a_draft_cannot_be_archived(editor):
    post = make_news_post(status=Status.DRAFT)
    with pytest.raises(TransitionError):
        archive(item=post, by=editor)


def test_contributor_cannot_publish_schedule_archive_or_reject(contributor):
    post = make_news_post(status=Status.REVIEW)
    for transition in (publish, archive, reject):
        with pytest.raises(PermissionDenied):
            transition(item=post, by=contributor)
    with pytest.raises(PermissionDenied):
        schedule(item=post, by=contributor, publish_at=timezone.now() + timedelta(days=1))
    assert NewsPost.objects.get(pk=post.pk).status == Status.REVIEW


def test_scheduled_item_is_logged_as_scheduled_and_not_public_yet(editor):
    post = make_news_post(status=Status.DRAFT)
    later = timezone.now() + timedelta(days=2)
    schedule(item=post, by=editor, publish_at=later, unpublish_at=later + timedelta(days=1))
    assert not NewsPost.objects.published().filter(pk=post.pk).exists()
    assert NewsPost.objects.published(at=later).filter(pk=post.pk).exists()
    assert LogEntry.objects.get(object_id=str(post.pk)).change_message.startswith("Scheduled")


# --- Scheduled visibility at the boundaries -------------------------------------------------


def test_publish_at_equal_to_now_is_public():
    now = timezone.now()
    post = make_news_post(publish_at=now)
    assert NewsPost.objects.published(at=now).filter(pk=post.pk).exists()
    assert (
        not NewsPost.objects.published(at=now - timedelta(microseconds=1))
        .filter(pk=post.pk)
        .exists()
    )


def test_unpublish_at_equal_to_now_is_not_public():
    now = timezone.now()
    post = make_news_post(publish_at=now - timedelta(days=1), unpublish_at=now)
    assert not NewsPost.objects.published(at=now).filter(pk=post.pk).exists()
    assert (
        NewsPost.objects.published(at=now - timedelta(microseconds=1)).filter(pk=post.pk).exists()
    )


# --- Roles in the admin ---------------------------------------------------------------------


def test_contributor_status_choices_are_draft_and_review_and_schedule_is_read_only(
    client, contributor
):
    client.force_login(contributor)
    response = client.get(reverse("admin:publications_newspost_add"))
    form = response.context["adminform"].form
    assert [value for value, _ in form.fields["status"].choices] == ["draft", "review"]
    assert "publish_at" not in form.fields


def test_contributor_forged_post_with_published_status_is_refused(client, contributor):
    client.force_login(contributor)
    response = client.post(
        reverse("admin:publications_newspost_add"),
        {
            "title": "Sneaky",
            "slug": "sneaky",
            "standfirst": "x",
            "body": "<p>x</p>",
            "status": Status.PUBLISHED,
        },
    )
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not NewsPost.objects.filter(slug="sneaky").exists()


def test_contributor_forged_publish_on_own_draft_is_refused(client, contributor):
    post = add_via_admin(client, contributor)
    data = admin_form_data(client.get(change_url(post)), status=Status.PUBLISHED)
    response = client.post(change_url(post), data)
    assert response.status_code == 200
    assert NewsPost.objects.get(pk=post.pk).status == Status.DRAFT


def test_contributor_does_not_see_the_editors_actions(client, contributor):
    client.force_login(contributor)
    response = client.get(reverse(CHANGELIST))
    actions = [name for name, _ in response.context["action_form"].fields["action"].choices]
    assert "send_for_review" in actions
    assert not {"publish_now", "archive", "reject"} & set(actions)


def test_contributor_cannot_publish_through_a_forged_bulk_action(client, contributor):
    post = add_via_admin(client, contributor)
    response = client.post(
        reverse(CHANGELIST), {"action": "publish_now", "_selected_action": [post.pk]}
    )
    assert response.status_code in (200, 302)
    assert NewsPost.objects.get(pk=post.pk).status == Status.DRAFT


def test_contributor_edits_and_sends_own_draft_for_review(client, contributor):
    post = add_via_admin(client, contributor)
    data = admin_form_data(client.get(change_url(post)), title="Better title")
    assert client.post(change_url(post), data).status_code == 302
    response = client.post(
        reverse(CHANGELIST), {"action": "send_for_review", "_selected_action": [post.pk]}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.title, post.status) == ("Better title", Status.REVIEW)


def test_contributor_cannot_edit_another_contributors_draft(client, contributor):
    other = make_member(username="otto", group="Contributors")
    post = add_via_admin(client, other)
    client.force_login(contributor)
    page = client.get(change_url(post))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]  # shown read-only
    data = {"title": "Hijacked", "slug": post.slug, "standfirst": "x", "body": "<p>x</p>"}
    assert client.post(change_url(post), {**data, "status": "draft"}).status_code == 403
    assert NewsPost.objects.get(pk=post.pk).title == "Summit round-up"


def test_contributor_cannot_edit_own_item_once_in_review(client, contributor):
    post = add_via_admin(client, contributor, status=Status.REVIEW)
    page = client.get(change_url(post))
    assert not page.context["has_change_permission"]


def test_editor_can_edit_and_publish_a_contributors_draft(client, contributor, editor):
    post = add_via_admin(client, contributor)
    client.force_login(editor)
    data = admin_form_data(client.get(change_url(post)), title="Edited")
    assert client.post(change_url(post), data).status_code == 302
    response = client.post(
        reverse(CHANGELIST), {"action": "publish_now", "_selected_action": [post.pk]}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Edited" and post.is_published
    assert LogEntry.objects.filter(
        object_id=str(post.pk), user=editor, change_message="Published."
    ).exists()


def test_editor_status_change_in_the_form_is_audited(client, editor):
    post = add_via_admin(client, editor)
    data = admin_form_data(client.get(change_url(post)), status=Status.PUBLISHED)
    assert client.post(change_url(post), data).status_code == 302
    assert NewsPost.objects.get(pk=post.pk).is_published
    assert LogEntry.objects.filter(
        object_id=str(post.pk), change_message="Status changed from draft to published."
    ).exists()


def test_bulk_action_reports_items_it_could_not_move(client, editor):
    draft = make_news_post(status=Status.DRAFT)
    client.force_login(editor)
    response = client.post(
        reverse(CHANGELIST), {"action": "archive", "_selected_action": [draft.pk]}, follow=True
    )
    assert "cannot be archived" in response.content.decode()
    assert NewsPost.objects.get(pk=draft.pk).status == Status.DRAFT


def test_changelist_filters_by_status_and_schedule(client, editor):
    make_news_post(title="Live one")
    make_news_post(title="Later one", publish_at=timezone.now() + timedelta(days=3))
    make_news_post(title="Draft one", status=Status.DRAFT)
    client.force_login(editor)
    scheduled = client.get(reverse(CHANGELIST), {"schedule": "scheduled"})
    assert [p.title for p in scheduled.context["cl"].result_list] == ["Later one"]
    drafts = client.get(reverse(CHANGELIST), {"status__exact": "draft"})
    assert [p.title for p in drafts.context["cl"].result_list] == ["Draft one"]


# --- No lost work ---------------------------------------------------------------------------


def test_save_is_refused_when_someone_saved_after_the_form_was_opened(client, editor):
    post = add_via_admin(client, editor)
    colleague = make_member(username="colin", group="Editors")
    mine = admin_form_data(client.get(change_url(post)), title="My title")

    client.force_login(colleague)
    theirs = admin_form_data(client.get(change_url(post)), standfirst="Their standfirst.")
    assert client.post(change_url(post), theirs).status_code == 302

    client.force_login(editor)
    response = client.post(change_url(post), mine)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "colin saved this news post" in errors
    assert "standfirst" in errors
    post.refresh_from_db()
    assert (post.title, post.standfirst) == ("Summit round-up", "Their standfirst.")


def test_save_goes_through_when_nobody_else_saved(client, editor):
    post = add_via_admin(client, editor)
    data = admin_form_data(client.get(change_url(post)), title="Mine")
    assert client.post(change_url(post), data).status_code == 302
    assert NewsPost.objects.get(pk=post.pk).title == "Mine"


def test_save_without_the_edit_token_is_refused(client, editor):
    post = add_via_admin(client, editor)
    data = admin_form_data(client.get(change_url(post)), title="Blind overwrite", edit_token="")

    response = client.post(change_url(post), data)

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "sent without its edit token" in errors
    assert NewsPost.objects.get(pk=post.pk).title == "Summit round-up"


def test_every_publishable_change_form_sends_its_edit_token(rf):
    """A form that left the token out of its fieldsets would have every save refused."""
    from django.contrib import admin
    from django.contrib.admin.utils import flatten_fieldsets

    from core.admin.conflicts import PublishableAdminForm

    request = rf.get("/admin/")
    request.user = make_staff(superuser=True, username="chief")
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin.form, type) and issubclass(
            model_admin.form, PublishableAdminForm
        ):
            fields = flatten_fieldsets(model_admin.get_fieldsets(request, model()))
            assert "edit_token" in fields, model.__name__
            checked += 1
    assert checked >= 10


def test_save_with_a_garbled_edit_token_is_refused(client, editor):
    post = add_via_admin(client, editor)
    data = admin_form_data(client.get(change_url(post)), title="Blind", edit_token="2026-99-99")

    response = client.post(change_url(post), data)

    assert response.status_code == 200
    assert NewsPost.objects.get(pk=post.pk).title == "Summit round-up"


@pytest.mark.skipif(
    "sqlite" in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite lets one writer in at a time: two saves cannot overlap there.",
)
@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_saves_exactly_one_wins_and_the_other_sees_what_changed():
    with reversion.create_revision():
        post = make_news_post(title="Summit round-up", standfirst="What happened.")
    edits = {
        "edna": {"title": "Edna's title"},
        "colin": {"standfirst": "Colin's standfirst."},
    }
    clients = {}
    for username, change in edits.items():
        browser = Client()
        # Superusers: a transactional test's database has no migration-made groups after
        # another transactional test has emptied it.
        browser.force_login(make_staff(username=username, superuser=True))
        clients[username] = (browser, admin_form_data(browser.get(change_url(post)), **change))

    # Each save waits here until the other one has got this far too (or 3 s have passed), so
    # both are under way at the same moment: a check made apart from the write lets both in.
    both_saving = threading.Barrier(2, timeout=3)

    def hold(sender, instance, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            both_saving.wait()

    responses = {}

    def save(username):
        browser, data = clients[username]
        try:
            responses[username] = browser.post(change_url(post), data)
        finally:
            connections.close_all()  # this thread's own connection

    pre_save.connect(hold, sender=NewsPost)
    try:
        threads = [threading.Thread(target=save, args=(name,)) for name in edits]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        pre_save.disconnect(hold, sender=NewsPost)

    statuses = {name: response.status_code for name, response in responses.items()}
    assert sorted(statuses.values()) == [200, 302], statuses
    (winner,) = [name for name, status in statuses.items() if status == 302]
    (loser,) = [name for name, status in statuses.items() if status == 200]
    page = responses[loser].content.decode()
    assert f"{winner} saved this news post" in page
    assert ("title" if winner == "edna" else "standfirst") in page.split("They changed:")[1]
    post.refresh_from_db()
    if winner == "edna":
        assert (post.title, post.standfirst) == ("Edna's title", "What happened.")
    else:
        assert (post.title, post.standfirst) == ("Summit round-up", "Colin's standfirst.")


# --- Revisions: compare, revert, recover ----------------------------------------------------


def test_history_compare_and_revert_to_an_earlier_version(client, editor):
    post = add_via_admin(client, editor)
    data = admin_form_data(client.get(change_url(post)), title="Second title")
    assert client.post(change_url(post), data).status_code == 302
    versions = list(reversion.models.Version.objects.get_for_object(post))
    newest, first = versions[0], versions[-1]

    history = client.get(reverse("admin:publications_newspost_history", args=[post.pk]))
    assert history.status_code == 200
    compare = client.get(
        reverse("admin:publications_newspost_compare", args=[post.pk]),
        {"a": first.pk, "b": newest.pk},
    )
    assert compare.status_code == 200
    changed = [row["label"] for row in compare.context["rows"] if row["changed"]]
    assert "Title" in changed and "Body" not in changed

    revert_url = reverse("admin:publications_newspost_revision", args=[post.pk, first.pk])
    response = client.post(revert_url, admin_form_data(client.get(revert_url)))
    assert response.status_code == 302
    assert NewsPost.objects.get(pk=post.pk).title == "Summit round-up"
    entry = LogEntry.objects.filter(object_id=str(post.pk)).order_by("-pk").first()
    assert entry.change_message.startswith("Reverted to the version of")
    assert entry.user == editor


def test_deleted_item_can_be_recovered(client, editor):
    post = add_via_admin(client, editor)
    pk = post.pk
    delete_url = reverse("admin:publications_newspost_delete", args=[pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not NewsPost.objects.filter(pk=pk).exists()

    recover_list = client.get(reverse("admin:publications_newspost_recoverlist"))
    assert recover_list.status_code == 200
    version = recover_list.context["deleted"][0]
    recover_url = reverse("admin:publications_newspost_recover", args=[version.pk])
    response = client.post(recover_url, admin_form_data(client.get(recover_url)))
    assert response.status_code == 302
    assert NewsPost.objects.get(pk=pk).title == "Summit round-up"
    assert LogEntry.objects.filter(object_id=str(pk), change_message="Recovered.").exists()


# --- Dashboard ------------------------------------------------------------------------------


def test_dashboard_shows_review_scheduled_recent_and_my_drafts(client, contributor, editor):
    add_via_admin(client, contributor, title="Connie's draft", slug="connies-draft")
    make_news_post(title="Waiting", status=Status.REVIEW)
    make_event(title="Scheduled summit", publish_at=timezone.now() + timedelta(days=5))
    make_news_post(title="Fresh news", publish_at=timezone.now() - timedelta(hours=2))
    make_news_post(title="Someone else's draft", status=Status.DRAFT)

    client.force_login(contributor)
    columns = client.get(reverse("admin:index")).context["columns"]
    titles = {name: [str(e["item"]) for e in entries] for name, entries in columns.items()}
    assert titles["review"] == ["Waiting"]
    assert titles["scheduled"] == ["Scheduled summit"]
    assert "Fresh news" in titles["recent"]
    assert titles["drafts"] == ["Connie's draft"]

    client.force_login(editor)
    page = client.get(reverse("admin:index"))
    assert page.context["columns"]["drafts"] == []
    assert "Awaiting review" in page.content.decode()


def test_dashboard_query_count_does_not_grow_with_content(
    client, editor, django_assert_num_queries
):
    client.force_login(editor)
    make_news_post(status=Status.REVIEW)
    client.get(reverse("admin:index"))  # warm the content type cache
    # Two queries per registered content type (core.registry: what waits, the latest published),
    # one for open comments, one for the reports panel, the rest for the user and the page.
    with django_assert_num_queries(31):
        client.get(reverse("admin:index"))
    for _ in range(4):
        make_news_post(status=Status.REVIEW)
        make_event(publish_at=timezone.now() + timedelta(days=1))
    with django_assert_num_queries(31):
        client.get(reverse("admin:index"))


# --- Audit log in the admin -----------------------------------------------------------------


def test_audit_log_is_listed_read_only_and_filterable(client, editor):
    post = make_news_post(status=Status.REVIEW)
    publish(item=post, by=editor)
    client.force_login(editor)
    url = reverse("admin:admin_logentry_changelist")
    response = client.get(url, {"action_flag__exact": CHANGE})
    assert response.status_code == 200
    assert "Published." in response.content.decode()
    assert client.get(url, {"action_flag__exact": ADDITION}).context["cl"].result_count == 0
    entry = LogEntry.objects.get(change_message="Published.")
    change = client.get(reverse("admin:admin_logentry_change", args=[entry.pk]))
    assert change.status_code == 200 and not change.context["has_change_permission"]
    assert client.get(reverse("admin:admin_logentry_add")).status_code == 403


def test_read_only_page_for_a_contributor_has_no_edit_token(client, contributor):
    other = make_member(username="otto", group="Contributors")
    post = add_via_admin(client, other)
    client.force_login(contributor)
    assert "edit_token" not in client.get(change_url(post)).content.decode()


def test_change_form_puts_content_first_then_the_image_then_publishing(client):
    from tests.factories import make_news_post, make_staff

    post = make_news_post()
    client.force_login(make_staff(superuser=True, username="chief"))
    html = client.get(f"/admin/publications/newspost/{post.pk}/change/").content.decode()
    assert html.index('name="title"') < html.index('name="body"') < html.index('name="image_alt"')
    assert html.index('name="image_alt"') < html.index('name="publish_at_0"')
    assert "editorial" in html  # the site's own admin header, not Django's
