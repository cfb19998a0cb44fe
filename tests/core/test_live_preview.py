"""The live preview beside the change form: the public page of the unsaved form, for those who
may preview and edit the item only, never cached; and the publish confirmation that the
accessibility checker's result asks for."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from core import pagecache
from core.admin.preview import serious_problems
from core.publishing import Status
from publications.models import NewsPost
from tests.factories import (
    add_author,
    admin_form_data,
    make_article,
    make_collection,
    make_event,
    make_initiative,
    make_journal,
    make_member,
    make_news_post,
    make_organisation,
    make_page,
    make_person,
    make_recording,
    make_session,
    make_staff,
    make_topic,
)

pytestmark = pytest.mark.django_db

MISSING_ALT = {
    "checked_at": "2026-12-01T10:00:00Z",
    "violations": [
        {
            "id": "image-alt",
            "impact": "critical",
            "help": "Images must have alternative text",
            "nodes": [{"target": ["main img"]}],
        },
        {"id": "region", "impact": "moderate", "help": "Content in landmarks", "nodes": []},
    ],
}


def preview_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[obj.pk])


def change_form(client, obj):
    opts = obj._meta
    response = client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    )
    assert response.status_code == 200
    return response


@pytest.fixture
def editor(client):
    user = make_member(username="preview-editor", group="Editors")
    client.force_login(user)
    return user


def test_preview_shows_the_typed_title_and_saves_nothing(client, editor):
    post = make_news_post(title="Saved title", body="<p>Saved body.</p>")
    data = admin_form_data(
        change_form(client, post), title="Typed, not saved", body="<p>Typed body.</p>"
    )
    response = client.post(preview_url(post), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Typed, not saved" in html and "Typed body." in html
    assert "Saved title" not in html
    post.refresh_from_db()
    assert post.title == "Saved title" and post.body == "<p>Saved body.</p>"
    # The form opened before the preview still saves: the preview left no trace on the row.
    assert client.post(change_form_url(post), data).status_code == 302
    post.refresh_from_db()
    assert post.title == "Typed, not saved"


def change_form_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def test_preview_shows_a_new_inline_row_and_adds_no_row(client, editor):
    article = make_article(title="On chips")
    add_author(article, make_person(name="Ada Saved"), order=1)
    newcomer = make_person(name="Grace Unsaved")
    data = admin_form_data(change_form(client, article))
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
    row = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(row + 1)
    data[f"{prefix}-{row}-person"] = str(newcomer.pk)
    data[f"{prefix}-{row}-order"] = "2"
    html = client.post(preview_url(article), data).content.decode()
    assert "Ada Saved" in html and "Grace Unsaved" in html
    assert list(article.authors.values_list("name", flat=True)) == ["Ada Saved"]


def test_preview_of_the_add_form_creates_nothing(client, editor):
    response = client.get(reverse("admin:publications_newspost_add"))
    data = admin_form_data(
        response,
        title="A post not written yet",
        slug="a-post-not-written-yet",
        standfirst="Standfirst.",
        body="<p>Words.</p>",
    )
    before = NewsPost.objects.count()
    html = client.post(reverse("admin:publications_newspost_preview_add"), data).content.decode()
    assert "A post not written yet" in html
    assert "Preview — not public" in html
    assert NewsPost.objects.count() == before


def test_invalid_form_data_lists_the_errors_instead_of_a_page(client, editor):
    post = make_news_post(title="Saved title")
    data = admin_form_data(change_form(client, post), title="")
    response = client.post(preview_url(post), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "The preview cannot be shown yet" in html
    assert "Title:" in html and "This field is required." in html


def test_preview_is_never_cached(client, editor):
    post = make_news_post(title="Saved title")
    data = admin_form_data(change_form(client, post), title="Typed, not saved")
    response = client.post(preview_url(post), data)
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


@pytest.mark.page_cache
def test_preview_neither_fills_nor_clears_the_page_cache(client, editor):
    post = make_news_post(title="Saved title")
    visitor = Client()
    assert "Saved title" in visitor.get(post.get_absolute_url()).content.decode()
    version = cache.get(pagecache.VERSION_KEY)
    data = admin_form_data(change_form(client, post), title="Typed, not saved")
    assert client.post(preview_url(post), data).status_code == 200
    assert cache.get(pagecache.VERSION_KEY) == version
    html = visitor.get(post.get_absolute_url()).content.decode()
    assert "Saved title" in html and "Typed, not saved" not in html


def test_anonymous_visitors_are_sent_to_the_login(client):
    post = make_news_post()
    response = client.post(preview_url(post), {"title": "x"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_the_permissions_are_refused(client):
    post = make_news_post()
    client.force_login(make_staff(username="nobody"))
    assert client.post(preview_url(post), {"title": "x"}).status_code == 403
    assert client.post(reverse("admin:publications_newspost_preview_add"), {}).status_code == 403


def test_staff_who_may_view_but_not_change_are_refused(client):
    post = make_news_post()
    client.force_login(make_staff(username="viewer", perms=["publications.view_newspost"]))
    assert client.post(preview_url(post), {"title": "x"}).status_code == 403


def test_a_contributor_previews_their_own_draft_not_a_published_item(client):
    contributor = make_member(username="contributor", group="Contributors")
    client.force_login(contributor)
    own = make_news_post(status=Status.DRAFT, created_by=contributor, title="My draft")
    data = admin_form_data(change_form(client, own), title="My draft, retitled")
    assert "My draft, retitled" in client.post(preview_url(own), data).content.decode()
    published = make_news_post(title="Not mine")
    assert client.post(preview_url(published), {"title": "x"}).status_code == 403


def test_preview_answers_post_only_and_needs_the_csrf_token(editor):
    post = make_news_post()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.get(preview_url(post)).status_code == 405
    assert strict.post(preview_url(post), {"title": "x"}).status_code == 403


def test_change_form_carries_the_panel(client, editor):
    html = change_form(client, make_news_post()).content.decode()
    assert "data-live-preview=" in html
    assert "admin-extra/live-preview.js" in html
    assert "vendor/axe-core/axe.min.js" in html


def test_publishing_with_serious_problems_asks_for_a_confirmation(client, editor):
    post = make_news_post(status=Status.DRAFT)
    data = admin_form_data(
        change_form(client, post),
        status=Status.PUBLISHED,
        accessibility_report=json.dumps(MISSING_ALT),
    )
    response = client.post(change_form_url(post), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Images must have alternative text (critical, 1 element)" in html
    assert 'type="checkbox" name="publish_despite_problems"' in html
    assert "Content in landmarks (moderate" not in html  # moderate problems do not hold publishing
    post.refresh_from_db()
    assert post.status == Status.DRAFT

    data["publish_despite_problems"] = "on"
    assert client.post(change_form_url(post), data).status_code == 302
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED


def test_publishing_without_serious_problems_asks_nothing(client, editor):
    post = make_news_post(status=Status.DRAFT)
    report = {"violations": [MISSING_ALT["violations"][1]]}
    data = admin_form_data(
        change_form(client, post), status=Status.PUBLISHED, accessibility_report=json.dumps(report)
    )
    assert client.post(change_form_url(post), data).status_code == 302
    post.refresh_from_db()
    assert post.status == Status.PUBLISHED


def test_saving_a_draft_with_serious_problems_asks_nothing(client, editor):
    post = make_news_post(status=Status.DRAFT)
    data = admin_form_data(
        change_form(client, post),
        title="Still a draft",
        accessibility_report=json.dumps(MISSING_ALT),
    )
    assert client.post(change_form_url(post), data).status_code == 302


def test_a_checker_result_that_is_not_one_counts_as_none():
    assert serious_problems("") == []
    assert serious_problems("not json") == []
    assert serious_problems('{"violations": "x"}') == []
    assert serious_problems("[1, 2]") == []
    assert serious_problems(json.dumps(MISSING_ALT)) == [
        {"impact": "critical", "help": "Images must have alternative text", "count": 1}
    ]


def test_types_without_a_page_have_no_panel(client, editor):
    # The journal has no page of its own: its articles are listed at /journal/.
    response = client.get(reverse("admin:publications_journal_add"))
    assert response.status_code == 200
    assert "data-live-preview=" not in response.content.decode()
    journal = make_journal()
    assert client.post(preview_url(journal), {}).status_code == 403


def test_every_type_with_a_page_previews_its_form(client, editor):
    from core import registry

    event = make_event()
    items = [
        make_topic(),
        make_organisation(),
        make_person(),
        event,
        make_session(event=event),
        make_recording(),
        make_initiative(),
        make_collection(),
        make_article(),
        make_news_post(),
        make_page(),
    ]
    assert {type(item) for item in items} == {t.model for t in registry.with_page()}
    for item in items:
        data = admin_form_data(change_form(client, item))
        response = client.post(preview_url(item), data)
        html = response.content.decode()
        assert response.status_code == 200, item._meta.label
        assert "data-preview-errors" not in html, (item._meta.label, html)
        assert '<main id="main"' in html, item._meta.label
