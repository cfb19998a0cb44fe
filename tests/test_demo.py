"""The demo command: idempotent loading of the seed content, its key facts, the editor account."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.management.commands import runserver

from config import demo_workflow
from core import workflow
from core.comments import Comment
from core.publishing import Publishable
from events.models import Recording
from publications.models import Article, NewsPost

pytestmark = pytest.mark.django_db

CONTENT_APPS = ("events", "initiatives", "publications")


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


def dump() -> dict[str, list[dict]]:
    """Every row of every content model (timestamps included) plus the user accounts."""
    models = [m for app in CONTENT_APPS for m in apps.get_app_config(app).get_models()]
    models.append(get_user_model())
    return {
        m._meta.label: serializers.serialize("python", m._default_manager.order_by("pk"))
        for m in models
    }


def test_second_run_of_the_demo_changes_nothing():
    run_demo()
    first = dump()
    output = run_demo()
    second = dump()

    assert {k: len(v) for k, v in second.items()} == {k: len(v) for k, v in first.items()}
    assert second == first
    assert " created" not in output.split("Loading the demo content")[1]
    assert " updated" not in output
    assert "unchanged" in output
    assert Comment.objects.count() == 1  # the editor's comment is not made twice


def test_demo_writes_the_menus_once_as_links_editors_can_change():
    run_demo()
    from core.menus import MenuItem

    labels = list(MenuItem.objects.filter(menu="main").values_list("label", flat=True))
    assert labels[:2] == ["Events", "Speakers"] and len(labels) == 6
    assert MenuItem.objects.filter(menu="footer").count() == 4
    run_demo()
    assert MenuItem.objects.count() == 10


def publishable_models() -> list:
    return [
        m
        for app in CONTENT_APPS
        for m in apps.get_app_config(app).get_models()
        if issubclass(m, Publishable)
    ]


#: The news posts that show the workflow (config.demo_workflow); everything else is published.
WORKFLOW_POSTS = (demo_workflow.DRAFT, demo_workflow.IN_REVIEW, demo_workflow.SCHEDULED)


def content(model):
    rows = model._default_manager.all()
    return rows.exclude(slug__in=WORKFLOW_POSTS) if model is NewsPost else rows


def test_every_demo_item_is_published_but_the_workflows_examples():
    run_demo()
    for model in publishable_models():
        total = content(model).count()
        if model is Recording:
            # No public recording of a demo session is known with its source: none is invented.
            assert total == 0
            continue
        assert total, model
        assert content(model).published().count() == total, model


def log_of(item):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(item), object_id=str(item.pk)
    )


def test_demo_reloaded_over_a_changed_item_moves_it_back_along_the_graph():
    run_demo()
    editor = get_user_model().objects.get(username="editor")
    article = Article.objects.first()
    workflow.archive(item=article, by=editor)
    assert "1 updated" in run_demo()
    article.refresh_from_db()
    assert article.is_published
    moves = log_of(article).order_by("pk")
    assert [e.change_message for e in moves][-2:] == ["Returned to draft.", "Published."]


def test_editor_is_a_superuser_and_its_sign_in_details_are_printed_when_debug_is_on(
    settings, monkeypatch
):
    settings.DEBUG = True
    Group.objects.filter(name="Editors").delete()
    monkeypatch.setenv("DEMO_EDITOR_PASSWORD", "a-long-local-password")
    output = run_demo()
    assert "as editor with password a-long-local-password" in output
    editor = get_user_model().objects.get(username="editor")
    assert editor.is_staff and editor.is_superuser
    assert editor.check_password("a-long-local-password")


def test_editor_password_is_never_printed_when_debug_is_off(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.setenv("DEMO_EDITOR_PASSWORD", "a-long-secret-password")
    output = run_demo()
    assert "a-long-secret-password" not in output
    assert "Sign in at" not in output
    assert get_user_model().objects.get(username="editor").check_password("a-long-secret-password")


def test_without_debug_or_a_set_password_the_editor_cannot_sign_in(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.delenv("DEMO_EDITOR_PASSWORD", raising=False)
    run_demo()
    assert not get_user_model().objects.get(username="editor").has_usable_password()


def test_editor_joins_the_editors_group_when_there_is_one(settings):
    group, _ = Group.objects.get_or_create(name="Editors")
    run_demo()
    editor = get_user_model().objects.get(username="editor")
    assert editor.is_staff and not editor.is_superuser
    assert list(editor.groups.all()) == [group]


def test_demo_serves_on_the_given_address(monkeypatch):
    served = {}

    def record(self, *args, **options):
        served.update(options)

    monkeypatch.setattr(runserver.Command, "handle", record)
    call_command("demo", "127.0.0.1:8123", stdout=StringIO())
    assert served["addrport"] == "127.0.0.1:8123"
    assert served["use_reloader"] is False


# --- The workflow --------------------------------------------------------------------------
