"""Review comments on items, and the e-mails that tell the people involved of moves and comments."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from core import workflow
from core.comments import Comment, add_comment
from core.publishing import Status
from tests.factories import make_member, make_news_post, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_member(username="edna", group="Editors")


@pytest.fixture
def contributor():
    return make_member(username="connie", group="Contributors")


def with_email(*users):
    for user in users:
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])


def change_url(item) -> str:
    return reverse("admin:publications_newspost_change", args=[item.pk])


def review_url(item, name: str) -> str:
    return reverse(f"admin:publications_newspost_review_{name}", args=[item.pk])


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


# --- Comments in the admin ------------------------------------------------------------------


def test_editor_comments_on_a_field_replies_and_resolves_on_the_change_form(client, editor):
    post = make_news_post(title="Summit round-up", status=Status.REVIEW)
    client.force_login(editor)

    response = client.post(
        review_url(post, "comment"),
        {"text": "Please add the source link for the 200bn figure.", "field": "body"},
    )
    assert response.status_code == 302
    thread = Comment.objects.on(post).get()
    assert (thread.field_name, thread.author, thread.is_resolved) == ("body", editor, False)
    assert response["Location"].endswith(f"#comment-{thread.pk}")

    client.post(review_url(post, "comment"), {"text": "Added.", "comment": thread.pk})
    reply = Comment.objects.on(post).exclude(pk=thread.pk).get()
    assert (reply.parent, reply.field_name) == (thread, "body")

    page = client.get(change_url(post)).content.decode()
    assert "Review comments (1 open)" in page
    assert "Please add the source link for the 200bn figure." in page
    assert 'data-comment-field="body"' in page
    assert '<option value="body">' in page  # the field picker lists the form's fields

    client.post(review_url(post, "comment"), {"action": "resolve", "comment": reply.pk})
    thread.refresh_from_db()
    assert thread.is_resolved and thread.resolved_by == editor
    page = client.get(change_url(post)).content.decode()
    assert "Review comments (0 open)" in page
    assert "resolved by edna" in page

    client.post(review_url(post, "comment"), {"action": "reopen", "comment": thread.pk})
    thread.refresh_from_db()
    assert not thread.is_resolved


def test_a_reply_to_a_reply_joins_the_first_comments_thread(editor):
    post = make_news_post()
    first = add_comment(item=post, by=editor, text="One.")
    reply = add_comment(item=post, by=editor, text="Two.", reply_to=first)
    again = add_comment(item=post, by=editor, text="Three.", reply_to=reply)
    assert again.parent == first


def test_comment_text_is_escaped_on_the_form(client, editor):
    post = make_news_post()
    add_comment(item=post, by=editor, text='<script>alert("x")</script><b>bold</b>')
    client.force_login(editor)
    page = client.get(change_url(post)).content.decode()
    assert "<script>alert" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert" in page


def test_an_empty_comment_is_refused_with_a_message(client, editor):
    post = make_news_post()
    client.force_login(editor)
    response = client.post(review_url(post, "comment"), {"text": "   "}, follow=True)
    assert "Write a comment first." in response.content.decode()
    assert not Comment.objects.exists()


def test_contributor_comments_on_an_item_they_may_view_but_not_change(client, contributor):
    post = make_news_post(status=Status.REVIEW)
    client.force_login(contributor)
    assert client.post(review_url(post, "comment"), {"text": "A question."}).status_code == 302
    assert Comment.objects.on(post).get().author == contributor


def test_staff_who_cannot_view_the_item_can_neither_read_nor_comment(client):
    post = make_news_post()
    add_comment(item=post, by=make_staff(superuser=True, username="chief"), text="Secret note.")
    client.force_login(make_staff(username="other-staff"))
    assert client.post(review_url(post, "comment"), {"text": "Hi"}).status_code == 403
    assert client.get(change_url(post)).status_code == 403
    assert Comment.objects.count() == 1


def test_comments_are_on_no_public_page_or_api(client, editor):
    post = make_news_post(title="Public news")
    add_comment(item=post, by=editor, text="Internal remark about sources")
    for url in (post.get_absolute_url(), "/api/", "/search/?q=remark"):
        response = client.get(url, follow=True)
        assert "Internal remark" not in response.content.decode(), url


def test_dashboard_lists_the_open_comments_on_my_items_and_threads(client, editor, contributor):
    mine = make_news_post(title="Connie's news", status=Status.DRAFT, created_by=contributor)
    other = make_news_post(title="Someone else's news")
    add_comment(item=mine, by=editor, text="Please add the source link.")
    add_comment(item=other, by=editor, text="Not about Connie's work.")
    done = add_comment(item=mine, by=editor, text="Resolved already.")
    done.resolved_at = done.created_at
    done.save()

    client.force_login(contributor)
    page = client.get(reverse("admin:index"))
    entries = page.context["columns"]["comments"]
    assert [(str(e["item"]), e["comment"].text) for e in entries] == [
        ("Connie's news", "Please add the source link.")
    ]
    assert "Open comments for me" in page.content.decode()
    client.force_login(editor)
    assert len(client.get(reverse("admin:index")).context["columns"]["comments"]) == 2


def test_dashboard_comments_cost_constant_queries(client, editor, django_assert_num_queries):
    client.force_login(editor)
    add_comment(item=make_news_post(), by=editor, text="First.")
    client.get(reverse("admin:index"))
    with django_assert_num_queries(32):
        client.get(reverse("admin:index"))
    for n in range(4):
        add_comment(item=make_news_post(), by=editor, text=f"More {n}.")
    with django_assert_num_queries(32):
        client.get(reverse("admin:index"))


# --- Notifications --------------------------------------------------------------------------


def test_comment_tells_the_author_and_earlier_commenters_but_not_the_commenter(
    editor, contributor, django_capture_on_commit_callbacks
):
    reviewer = make_member(username="rita", group="Editors")
    with_email(editor, contributor, reviewer)
    post = make_news_post(title="Connie's news", status=Status.REVIEW, created_by=contributor)
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(item=post, by=reviewer, text="Where is this figure from?")
    assert recipients() == ["connie@example.org"]
    assert "Where is this figure from?" in mail.outbox[0].body
    assert "Connie's news" in mail.outbox[0].subject

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(item=post, by=editor, text="Agreed.")
    assert recipients() == ["connie@example.org", "rita@example.org"]


def test_sent_for_review_tells_the_editors_not_the_sender(
    editor, contributor, django_capture_on_commit_callbacks
):
    outsider = make_member(username="otto", group="Contributors")
    with_email(editor, contributor, outsider)
    post = make_news_post(status=Status.DRAFT, created_by=contributor)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.send_for_review(item=post, by=contributor)
    assert recipients() == ["edna@example.org"]
    assert "sent for review" in mail.outbox[0].subject


def test_published_and_rejected_tell_the_author_and_commenters(
    editor, contributor, django_capture_on_commit_callbacks
):
    reviewer = make_member(username="rita", group="Editors")
    with_email(editor, contributor, reviewer)
    post = make_news_post(status=Status.REVIEW, created_by=contributor)
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(item=post, by=reviewer, text="Looks good.")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.reject(item=post, by=editor)
    assert recipients() == ["connie@example.org", "rita@example.org"]
    assert "was rejected" in mail.outbox[0].subject

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.send_for_review(item=post, by=contributor)
        workflow.publish(item=post, by=editor)
    published = [m for m in mail.outbox if "was published" in m.subject]
    assert sorted(a for m in published for a in m.to) == ["connie@example.org", "rita@example.org"]


def test_a_move_made_in_the_admin_form_is_told_once(
    client, editor, contributor, django_capture_on_commit_callbacks
):
    from tests.factories import admin_form_data

    with_email(editor, contributor)
    post = make_news_post(status=Status.REVIEW, created_by=contributor)
    client.force_login(editor)
    data = admin_form_data(client.get(change_url(post)), status=Status.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change_url(post), data).status_code == 302
    assert [m.to for m in mail.outbox] == [["connie@example.org"]]
    assert "was published" in mail.outbox[0].subject


def test_a_move_that_fails_validation_tells_no_one(
    client, editor, contributor, django_capture_on_commit_callbacks
):
    from tests.factories import admin_form_data

    with_email(editor, contributor)
    post = make_news_post(status=Status.REVIEW, created_by=contributor)
    client.force_login(editor)
    data = admin_form_data(client.get(change_url(post)), status=Status.PUBLISHED, title="")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change_url(post), data).status_code == 200
    assert mail.outbox == []


def test_mail_failure_is_logged_and_the_move_stands(
    editor, contributor, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "tests.core.test_review_comments.BrokenBackend"
    with_email(editor, contributor)
    post = make_news_post(status=Status.REVIEW, created_by=contributor)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(item=post, by=editor)
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED
    assert "Could not send" in caplog.text


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")
