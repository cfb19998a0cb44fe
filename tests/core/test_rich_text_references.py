"""Links in rich text that follow their targets: references stored, URLs computed when shown."""

from __future__ import annotations

import importlib
import json
from html import unescape

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.publishing import Status
from core.references import Ref
from core.richtext import render_rich_text
from events.models import Session
from publications.models import Article, NewsPost
from tests.factories import (
    make_article,
    make_event,
    make_journal,
    make_news_post,
    make_person,
    make_session,
    make_staff,
)

pytestmark = pytest.mark.django_db


def body_linking(obj, text: str = "the talk") -> str:
    return f'<p>See <a data-ref="{Ref.to(obj)}">{text}</a> for more.</p>'


def news_page(client, post) -> str:
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_link_to_a_draft_renders_as_its_text_on_the_public_page(client):
    session = make_session(title="Secret panel on chips", status=Status.DRAFT)
    post = make_news_post(body=body_linking(session))
    page = news_page(client, post)
    assert "See the talk for more." in page
    assert session.get_absolute_url() not in page
    assert "Secret panel on chips" not in page


def test_link_becomes_a_link_when_the_target_is_published(client):
    session = make_session(status=Status.DRAFT)
    post = make_news_post(body=body_linking(session))
    assert session.get_absolute_url() not in news_page(client, post)

    Session.objects.filter(pk=session.pk).update(
        status=Status.PUBLISHED, publish_at=post.publish_at
    )
    assert f'<a href="{session.get_absolute_url()}"' in news_page(client, post)


def test_link_whose_text_is_the_hidden_targets_title_is_left_out(client):
    article = make_article(title="Unreleased findings", status=Status.DRAFT)
    post = make_news_post(body=body_linking(article, text="Unreleased  findings"))
    page = news_page(client, post)
    assert "Unreleased" not in page
    assert "See  for more." in page


def test_session_of_a_draft_event_is_not_linked(client):
    session = make_session(event=make_event(status=Status.DRAFT))
    post = make_news_post(body=body_linking(session))
    assert session.get_absolute_url() not in news_page(client, post)


def test_renamed_slug_is_followed(client):
    person = make_person(slug="ada-l")
    post = make_news_post(body=body_linking(person, "Ada"))
    assert 'href="/speakers/ada-l/"' in news_page(client, post)

    person.slug = "ada-lovelace"
    person.save()
    page = news_page(client, post)
    assert 'href="/speakers/ada-lovelace/"' in page
    assert "/speakers/ada-l/" not in page


def test_link_to_a_deleted_item_renders_as_text(client):
    person = make_person()
    post = make_news_post(body=body_linking(person, "her"))
    person.delete()
    page = news_page(client, post)
    assert "See her for more." in page


def test_previewing_staff_see_the_link_to_a_draft():
    session = make_session(status=Status.DRAFT)
    staff = make_staff(perms=["events.view_session", "events.view_event"])
    html = render_rich_text(body_linking(session), staff)
    assert f'href="{session.get_absolute_url()}"' in html
    assert session.get_absolute_url() not in render_rich_text(body_linking(session))


def test_every_reference_type_is_resolved_in_one_query_per_type(django_assert_num_queries):
    people = [make_person() for _ in range(4)]
    body = "".join(body_linking(p, f"p{i}") for i, p in enumerate(people))
    body += body_linking(make_article(), "a")
    with django_assert_num_queries(2):
        html = render_rich_text(body)
    assert html.count("<a href=") == 5


def test_saving_a_url_of_ours_stores_a_reference_and_external_links_stay(settings):
    settings.SITE_URL = "https://site.example"
    session = make_session()
    article = make_article()
    post = make_news_post(
        body=(
            f'<p><a href="{session.get_absolute_url()}">talk</a> '
            f'<a href="https://site.example{article.get_absolute_url()}">paper</a> '
            '<a href="https://example.org/report">report</a> '
            '<a href="/events/">all events</a></p>'
        )
    )
    post.refresh_from_db()
    assert f'<a data-ref="{Ref.to(session)}" rel="noopener noreferrer">talk</a>' in post.body
    assert f'<a data-ref="{Ref.to(article)}" rel="noopener noreferrer">paper</a>' in post.body
    assert session.get_absolute_url() not in post.body
    assert article.get_absolute_url() not in post.body
    assert 'href="https://example.org/report"' in post.body
    assert 'href="/events/"' in post.body


def test_news_feed_and_api_show_rich_text_as_the_public_page_does(client, settings):
    settings.SITE_URL = "https://site.example"
    draft = make_session(title="Embargoed", status=Status.DRAFT)
    public = make_person(slug="grace")
    abstract = body_linking(draft, "a draft talk") + body_linking(public, "Grace")
    article = make_article(journal=make_journal(), abstract=abstract)

    feed = client.get(reverse("article-feed")).content.decode()
    api = client.get(f"/api/v1/articles/{article.slug}/").json()["abstract"]
    for shown in (feed, api):
        assert draft.get_absolute_url() not in shown
        assert "Embargoed" not in shown
        assert "a draft talk" in shown
        assert "data-ref" not in shown
    assert "https://site.example/speakers/grace/" in api
    assert "https://site.example/speakers/grace/" in feed


def test_no_template_outputs_anything_with_safe():
    from pathlib import Path

    from django.conf import settings

    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        assert "|safe" not in template.read_text(), template


# ---------------------------------------------------------------------------------------------
# The "used by" list and the link picker


def test_change_page_lists_the_items_that_link_here(client, django_assert_num_queries):
    client.force_login(make_staff(superuser=True))
    person = make_person()
    url = reverse("admin:events_person_change", args=[person.pk])
    client.get(url)  # caches warm up
    with CaptureQueriesContext(connection) as before:
        first = client.get(url).content.decode()
    assert "Nothing links to this item." in first
    posts = [
        make_news_post(title=f"Post {i}", body=body_linking(person), status=Status.DRAFT)
        for i in range(3)
    ]
    make_session(title="Panel with her", description=body_linking(person))
    make_news_post(title="Unrelated", body="<p>No links.</p>")
    with django_assert_num_queries(len(before.captured_queries)):
        page = client.get(url).content.decode()
    for post in posts:
        assert reverse("admin:publications_newspost_change", args=[post.pk]) in page
    assert "Post 0" in page and "Draft" in page
    assert "Panel with her" in page
    assert "Unrelated" not in page


PICKER = "/admin/rich-text/link-targets/"


def test_link_picker_finds_items_by_title_for_staff(client):
    client.force_login(make_staff(superuser=True))
    session = make_session(title="Chips and sovereignty", status=Status.DRAFT)
    article = make_article(title="Sovereignty in the cloud")
    make_person(name="Unrelated Name")
    response = client.get(PICKER, {"q": "sovereignty"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert {r["ref"] for r in results} == {str(Ref.to(session)), str(Ref.to(article))}
    by_ref = {r["ref"]: r for r in results}
    assert by_ref[str(Ref.to(session))] | {"url": None} == {
        "ref": str(Ref.to(session)),
        "type": "session",
        "label": "Chips and sovereignty",
        "state": "Draft",
        "published": False,
        "url": None,
    }
    assert by_ref[str(Ref.to(article))]["published"] is True


def test_link_picker_searches_only_what_the_user_may_view(client):
    client.force_login(make_staff(perms=["publications.view_article"]))
    make_session(title="Sovereignty panel")
    make_article(title="Sovereignty paper")
    results = client.get(PICKER, {"q": "sovereignty"}).json()["results"]
    assert [r["label"] for r in results] == ["Sovereignty paper"]


def test_link_picker_is_closed_to_everyone_but_staff(client, django_user_model):
    make_article(title="Sovereignty paper")
    response = client.get(PICKER, {"q": "sovereignty"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(django_user_model.objects.create_user(username="visitor", password="x"))
    response = client.get(PICKER, {"q": "sovereignty"})
    assert response.status_code == 302
    assert "Sovereignty" not in response.content.decode()


def test_editor_link_dialog_is_a_static_module_told_where_to_search():
    from django.contrib import admin
    from django.test import RequestFactory

    model_admin = admin.site._registry[NewsPost]
    request = RequestFactory().get("/")
    request.user = make_staff(superuser=True)
    rendered = str(model_admin.get_form(request)()["body"])
    config = json.loads(
        unescape(rendered.split('data-django-prose-editor-configurable="')[1].split('"')[0])
    )
    assert config["extensions"]["Link"]["itemSearchUrl"] == PICKER
    assert config["js_modules"][0] == "/static/admin-extra/item-link.js"
    assert "<script" not in rendered


# ---------------------------------------------------------------------------------------------
# The data migration


def test_data_migration_turns_urls_of_ours_into_references(settings):
    settings.SITE_URL = "https://site.example"
    session = make_session()
    article = make_article()
    body = (
        f'<p><a href="{session.get_absolute_url()}">talk</a> and '
        f'<a href="https://site.example{article.get_absolute_url()}">paper</a>, '
        '<a href="https://example.org/">elsewhere</a></p>'
    )
    post = make_news_post()
    NewsPost.objects.filter(pk=post.pk).update(body=body)  # as bodies were stored before
    Article.objects.filter(pk=article.pk).update(abstract=body)

    migration = importlib.import_module(
        "publications.migrations.0003_rich_text_links_become_references"
    )
    # The models as the latest migrations leave them: the database no longer has every column
    # of 0003's (images became references to the media library), and the function reads
    # only slugs and rich text, which both have.
    state = MigrationLoader(connection).project_state()
    migration.links_to_references(state.apps, None)

    for stored in (
        NewsPost.objects.get(pk=post.pk).body,
        Article.objects.get(pk=article.pk).abstract,
    ):
        assert f'data-ref="{Ref.to(session)}"' in stored
        assert f'data-ref="{Ref.to(article)}"' in stored
        assert 'href="https://example.org/"' in stored
        assert session.get_absolute_url() not in stored


def test_calendar_gives_a_draft_away_no_more_than_the_page(client):
    draft = make_article(title="Unreleased findings", status=Status.DRAFT)
    event = make_event(description=body_linking(draft, "Unreleased findings") + "<p>Agenda.</p>")
    calendar = client.get(reverse("event-calendar", args=[event.slug])).content.decode()
    assert "Agenda." in calendar
    assert "Unreleased" not in calendar
    assert draft.get_absolute_url() not in calendar
