"""One workflow on every path: the graph refuses the same moves in the form, the actions, the
bulk actions, the partner API and the services; ownership is a field set wherever an item is
created, and who may edit does not depend on the admin log."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from reversion.models import Version

from core import workflow
from core.publishing import Status
from core.workflow import TransitionError
from events.models import Person, Session
from events.services import SubmissionClosed, update_side_session
from publications.models import NewsPost
from tests.api.conftest import make_partner
from tests.factories import (
    admin_form_data,
    make_event,
    make_member,
    make_news_post,
    make_session,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:publications_newspost_changelist"
SUBMISSIONS = "/api/v1/submissions/sessions/"


@pytest.fixture
def editor():
    return make_member(username="edna", group="Editors")


@pytest.fixture
def contributor():
    return make_member(username="connie", group="Contributors")


def change_url(item) -> str:
    return reverse("admin:publications_newspost_change", args=[item.pk])


def add_via_admin(client, user, **fields) -> NewsPost:
    client.force_login(user)
    data = {
        "title": "Summit round-up",
        "slug": fields.pop("slug", "summit-round-up"),
        "standfirst": "What happened.",
        "body": "<p>Text.</p>",
        "status": Status.DRAFT,
        "edit_token": "",
        **fields,
    }
    response = client.post(reverse("admin:publications_newspost_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return NewsPost.objects.get(slug=data["slug"])


def status_choices(client, item) -> list[str]:
    form = client.get(change_url(item)).context["adminform"].form
    return [value for value, _ in form.fields["status"].choices]


def post_status(client, item, status):
    return client.post(
        change_url(item), admin_form_data(client.get(change_url(item)), status=status)
    )


# --- The change form ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "offered"),
    [
        (Status.DRAFT, ["draft", "review", "published"]),
        (Status.REVIEW, ["review", "draft", "published", "rejected"]),
        (Status.PUBLISHED, ["published", "draft", "archived"]),
        (Status.ARCHIVED, ["archived", "draft"]),
        (Status.REJECTED, ["rejected", "draft", "review"]),
    ],
)
def test_editor_is_offered_only_the_states_reachable_from_the_current_one(
    client, editor, state, offered
):
    post = make_news_post(status=state)
    client.force_login(editor)
    assert status_choices(client, post) == offered


@pytest.mark.parametrize(
    ("state", "forbidden"),
    [
        (Status.DRAFT, Status.ARCHIVED),
        (Status.ARCHIVED, Status.REJECTED),
        (Status.DRAFT, Status.REJECTED),
        (Status.PUBLISHED, Status.REVIEW),
        (Status.ARCHIVED, Status.PUBLISHED),
    ],
)
def test_form_post_along_a_forbidden_edge_is_refused_with_a_form_error(
    client, editor, state, forbidden
):
    post = make_news_post(status=state)
    client.force_login(editor)
    response = post_status(client, post, forbidden)
    assert response.status_code == 200
    error = " ".join(response.context["adminform"].form.errors["status"])
    assert f"This item is {Status(state).label.lower()}" in error
    assert f"not {Status(forbidden).label.lower()}" in error
    assert NewsPost.objects.get(pk=post.pk).status == state


@pytest.mark.parametrize(
    ("state", "target"),
    [
        (Status.PUBLISHED, Status.ARCHIVED),
        (Status.REVIEW, Status.REJECTED),
        (Status.ARCHIVED, Status.DRAFT),
        (Status.REJECTED, Status.REVIEW),
    ],
)
def test_form_post_along_an_allowed_edge_moves_the_item_and_is_audited(
    client, editor, state, target
):
    post = make_news_post(status=state)
    client.force_login(editor)
    assert post_status(client, post, target).status_code == 302
    assert NewsPost.objects.get(pk=post.pk).status == target
    assert LogEntry.objects.filter(
        object_id=str(post.pk),
        change_message=f"Status changed from {Status(state).label.lower()} "
        f"to {Status(target).label.lower()}.",
    ).exists()


def test_add_form_offers_the_states_reachable_from_draft(client, editor):
    client.force_login(editor)
    form = client.get(reverse("admin:publications_newspost_add")).context["adminform"].form
    assert [value for value, _ in form.fields["status"].choices] == ["draft", "review", "published"]
    data = {"title": "T", "slug": "t", "standfirst": "x", "body": "<p>x</p>", "status": "archived"}
    response = client.post(reverse("admin:publications_newspost_add"), data)
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not NewsPost.objects.filter(slug="t").exists()


def test_contributor_can_send_own_draft_for_review_through_the_form(client, contributor):
    post = add_via_admin(client, contributor)
    assert post_status(client, post, Status.REVIEW).status_code == 302
    assert NewsPost.objects.get(pk=post.pk).status == Status.REVIEW


def test_reverting_to_a_published_version_cannot_publish_for_a_contributor(
    client, contributor, editor
):
    post = add_via_admin(client, contributor)
    workflow.publish(item=post, by=editor)
    client.force_login(editor)
    data = admin_form_data(client.get(change_url(post)), title="Edited live")
    assert client.post(change_url(post), data).status_code == 302
    published_version = next(
        v
        for v in Version.objects.get_for_object(post)
        if v.field_dict["status"] == Status.PUBLISHED
    )
    workflow.return_to_draft(item=NewsPost.objects.get(pk=post.pk), by=editor)

    client.force_login(contributor)
    revert_url = reverse(
        "admin:publications_newspost_revision", args=[post.pk, published_version.pk]
    )
    page = client.get(revert_url)
    response = client.post(revert_url, admin_form_data(page, status=Status.PUBLISHED))
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert NewsPost.objects.get(pk=post.pk).status == Status.DRAFT


# --- Admin actions and bulk actions ---------------------------------------------------------


def test_action_along_a_forbidden_edge_is_refused(client, editor):
    archived = make_news_post(status=Status.ARCHIVED)
    client.force_login(editor)
    response = client.post(
        reverse(CHANGELIST), {"action": "reject", "_selected_action": [archived.pk]}, follow=True
    )
    assert "cannot be rejected" in response.content.decode()
    assert NewsPost.objects.get(pk=archived.pk).status == Status.ARCHIVED


def test_bulk_action_moves_the_items_it_may_and_names_the_ones_it_refuses(client, editor):
    live = [make_news_post(title=f"Live {n}") for n in range(3)]
    draft = make_news_post(title="Still a draft", status=Status.DRAFT)
    rejected = make_news_post(title="Turned down", status=Status.REJECTED)
    client.force_login(editor)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "archive", "_selected_action": [p.pk for p in [*live, draft, rejected]]},
        follow=True,
    )
    text = response.content.decode()
    assert "3 item(s) archived." in text
    assert "Still a draft" in text and "Turned down" in text
    statuses = dict(NewsPost.objects.values_list("title", "status"))
    assert [statuses[p.title] for p in live] == [Status.ARCHIVED] * 3
    assert statuses["Still a draft"] == Status.DRAFT
    assert statuses["Turned down"] == Status.REJECTED


def test_contributor_bulk_send_for_review_moves_only_own_drafts(client, contributor):
    mine = add_via_admin(client, contributor, slug="mine")
    other = make_member(username="otto", group="Contributors")
    theirs = workflow.create(
        item=NewsPost(title="Theirs", slug="theirs", standfirst="x", body="<p>x</p>"), by=other
    )
    client.force_login(contributor)
    client.post(
        reverse(CHANGELIST), {"action": "send_for_review", "_selected_action": [mine.pk, theirs.pk]}
    )
    assert NewsPost.objects.get(pk=mine.pk).status == Status.REVIEW
    assert NewsPost.objects.get(pk=theirs.pk).status == Status.DRAFT


# --- Services -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "move"),
    [
        (Status.DRAFT, workflow.archive),
        (Status.PUBLISHED, workflow.reject),
        (Status.ARCHIVED, workflow.publish),
        (Status.ARCHIVED, workflow.send_for_review),
        (Status.DRAFT, workflow.return_to_draft),
    ],
)
def test_service_call_along_a_forbidden_edge_is_refused_and_changes_nothing(editor, state, move):
    post = make_news_post(status=state)
    with pytest.raises(TransitionError):
        move(item=post, by=editor)
    assert NewsPost.objects.get(pk=post.pk).status == state
    assert not LogEntry.objects.filter(object_id=str(post.pk)).exists()


def test_service_cannot_create_an_item_in_a_state_unreachable_from_draft(editor, contributor):
    with pytest.raises(TransitionError):
        workflow.create(item=NewsPost(title="A", slug="a"), by=editor, state=Status.ARCHIVED)
    with pytest.raises(PermissionDenied):
        workflow.create(item=NewsPost(title="B", slug="b"), by=contributor, state=Status.PUBLISHED)
    assert not NewsPost.objects.exists()


def test_graph_is_the_documented_one():
    assert sorted(workflow.edges()) == sorted(
        [
            ("draft", "review"),
            ("rejected", "review"),
            ("draft", "published"),
            ("review", "published"),
            ("published", "published"),
            ("published", "archived"),
            ("review", "rejected"),
            ("review", "draft"),
            ("published", "draft"),
            ("archived", "draft"),
            ("rejected", "draft"),
        ]
    )


# --- The partner API ------------------------------------------------------------------------


def submission(partner) -> Session:
    make_event(slug="summit")
    response = partner.client.post(
        SUBMISSIONS,
        {
            "event": "summit",
            "title": "Open models",
            "start": "2025-02-10T18:00:00+01:00",
            "end": "2025-02-10T19:30:00+01:00",
            "room": "Salle Gaveau",
            "speakers": [{"name": "Grace New"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return Session.objects.get(pk=response.json()["id"])


def test_partner_cannot_change_the_state_of_its_submission(db):
    partner = make_partner(can_submit=True)
    session = submission(partner)
    response = partner.client.patch(
        f"{SUBMISSIONS}{session.pk}/", {"status": "published"}, format="json"
    )
    assert response.status_code in (200, 400)
    assert Session.objects.get(pk=session.pk).status == Status.REVIEW


@pytest.mark.parametrize("decision", ["publish", "reject"])
def test_partner_cannot_change_or_withdraw_a_submission_editors_decided_on(editor, decision):
    partner = make_partner(can_submit=True)
    session = submission(partner)
    getattr(workflow, decision)(item=session, by=editor)
    url = f"{SUBMISSIONS}{session.pk}/"
    response = partner.client.patch(url, {"room": "Elsewhere"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert partner.client.delete(url).status_code == 409
    assert Session.objects.get(pk=session.pk).room == "Salle Gaveau"
    # The service refuses the same, whoever calls it.
    with pytest.raises(SubmissionClosed):
        update_side_session(partner_key=partner.key, session=session, changes={"room": "Elsewhere"})


def test_submission_reaches_review_through_the_graph_and_editors_take_it_on(editor):
    partner = make_partner(can_submit=True)
    session = submission(partner)
    assert session.status == Status.REVIEW
    assert workflow.reachable(session, editor) == ["review", "draft", "published", "rejected"]
    workflow.reject(item=session, by=editor, reason="Off topic.")
    assert Session.objects.get(pk=session.pk).status == Status.REJECTED


# --- Ownership ------------------------------------------------------------------------------


def test_admin_add_form_makes_the_signed_in_user_the_owner(client, contributor):
    post = add_via_admin(client, contributor)
    assert post.created_by == contributor


def test_service_create_makes_the_acting_user_the_owner(editor):
    post = workflow.create(
        item=NewsPost(title="Note", slug="note", standfirst="x", body="<p>x</p>"), by=editor
    )
    assert NewsPost.objects.get(pk=post.pk).created_by == editor
    assert LogEntry.objects.get(object_id=str(post.pk)).action_flag == ADDITION


def test_api_submission_is_owned_by_its_organisation_not_a_user(db):
    partner = make_partner(can_submit=True)
    session = submission(partner)
    assert session.created_by is None
    assert session.submitted_by == partner.organisation
    assert Person.objects.get(name="Grace New").created_by is None


def test_contributor_edits_own_draft_but_not_another_contributors(client, contributor):
    other = make_member(username="otto", group="Contributors")
    mine = workflow.create(
        item=NewsPost(title="Mine", slug="mine", standfirst="x", body="<p>x</p>"), by=contributor
    )
    theirs = workflow.create(
        item=NewsPost(title="Theirs", slug="theirs", standfirst="x", body="<p>x</p>"), by=other
    )
    client.force_login(contributor)
    data = admin_form_data(client.get(change_url(mine)), title="Mine, better")
    assert client.post(change_url(mine), data).status_code == 302
    assert NewsPost.objects.get(pk=mine.pk).title == "Mine, better"
    assert not client.get(change_url(theirs)).context["has_change_permission"]
    data = {"title": "Hijacked", "slug": "theirs", "standfirst": "x", "body": "<p>x</p>"}
    assert client.post(change_url(theirs), {**data, "status": "draft"}).status_code == 403
    assert NewsPost.objects.get(pk=theirs.pk).title == "Theirs"


def test_pruning_the_admin_log_changes_nothing_about_who_may_edit(client, contributor):
    other = make_member(username="otto", group="Contributors")
    mine = add_via_admin(client, contributor, slug="mine")
    theirs = add_via_admin(client, other, slug="theirs")
    LogEntry.objects.all().delete()

    client.force_login(contributor)
    data = admin_form_data(client.get(change_url(mine)), title="Still mine")
    assert client.post(change_url(mine), data).status_code == 302
    assert NewsPost.objects.get(pk=mine.pk).title == "Still mine"
    assert not client.get(change_url(theirs)).context["has_change_permission"]
    drafts = client.get(reverse("admin:index")).context["columns"]["drafts"]
    assert [e["item"].slug for e in drafts] == ["mine"]


def test_owner_migration_fills_created_by_from_the_first_addition_in_the_log(contributor, editor):
    post = make_news_post(status=Status.DRAFT)
    assert post.created_by is None
    content_type = ContentType.objects.get_for_model(NewsPost)
    for user in (contributor, editor):  # the first addition is the one that counts
        LogEntry.objects.create(
            user=user,
            content_type=content_type,
            object_id=str(post.pk),
            object_repr=str(post),
            action_flag=ADDITION,
        )
    unlogged = make_news_post(status=Status.DRAFT)
    workflow.fill_created_by_from_admin_log("publications", "NewsPost")(apps, None)
    assert NewsPost.objects.get(pk=post.pk).created_by == contributor
    assert NewsPost.objects.get(pk=unlogged.pk).created_by is None


# --- Misuse caught at start-up --------------------------------------------------------------


def test_system_check_reports_a_status_editable_on_the_changelist(monkeypatch):
    assert workflow.check_workflow() == []
    model_admin = admin.site._registry[NewsPost]
    monkeypatch.setattr(model_admin, "list_editable", ("status",))
    errors = workflow.check_workflow()
    assert [e.id for e in errors] == ["core.E102"]
    assert "bypasses the workflow" in errors[0].msg


# --- Inline rows of a publishable model (sessions on their event's page) --------------------


def event_page_with_a_draft_session(client, editor):
    event = make_event()
    session = make_session(event=event, status=Status.DRAFT)
    client.force_login(editor)
    url = reverse("admin:events_event_change", args=[event.pk])
    data = admin_form_data(client.get(url))
    (status_key,) = [k for k in data if k.endswith("-0-status")]
    return url, data, status_key, session


def test_inline_row_status_along_a_forbidden_edge_is_refused(client, editor):
    url, data, status_key, session = event_page_with_a_draft_session(client, editor)
    response = client.post(url, {**data, status_key: Status.ARCHIVED})
    assert response.status_code == 200
    errors = " ".join(str(f.formset.errors) for f in response.context["inline_admin_formsets"])
    assert "This item is draft" in errors and "not archived" in errors
    assert Session.objects.get(pk=session.pk).status == Status.DRAFT


def test_inline_row_status_along_an_allowed_edge_is_saved(client, editor):
    url, data, status_key, session = event_page_with_a_draft_session(client, editor)
    assert client.post(url, {**data, status_key: Status.REVIEW}).status_code == 302
    assert Session.objects.get(pk=session.pk).status == Status.REVIEW


def test_session_added_on_its_events_page_is_owned_by_the_user_who_added_it(client, editor):
    url, data, status_key, _ = event_page_with_a_draft_session(client, editor)
    prefix = status_key.removesuffix("-0-status")
    row = {
        k.removeprefix(f"{prefix}-0-"): v for k, v in data.items() if k.startswith(f"{prefix}-0-")
    }
    row.update({"id": "", "title": "Added here", "slug": "added-here", "status": Status.DRAFT})
    data.update({f"{prefix}-1-{k}": v for k, v in row.items()})
    data[f"{prefix}-TOTAL_FORMS"] = "2"
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        f.formset.errors for f in response.context["inline_admin_formsets"]
    ]
    assert Session.objects.get(slug="added-here").created_by == editor
