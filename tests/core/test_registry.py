"""The content-type registry and its system check."""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from core import registry
from core.checks import check_registry
from core.publishing import Publishable
from events.models import Topic
from publications.models import NewsPost


@contextmanager
def registered_instead(model, **options):
    """Replace ``model``'s registration for the block (``None`` options: not registered)."""
    original = registry.get(model)
    registry.unregister(model)
    try:
        if options:
            registry.register(model, **options)
        yield
    finally:
        registry.unregister(model)
        registry.register(model, **{k: v for k, v in vars(original).items() if k != "model"})


def error_ids(model) -> set[str]:
    return {error.id for error in check_registry() if error.obj is model}


def test_every_publishable_model_is_registered_completely():
    assert check_registry() == []
    publishable = {m for m in apps.get_models() if issubclass(m, Publishable)}
    assert publishable == {t.model for t in registry.types()}


def test_check_reports_a_publishable_model_that_is_not_registered():
    with registered_instead(Topic):
        (error,) = [e for e in check_registry() if e.obj is Topic]
        assert error.id == "core.E001"
        assert "events.Topic is publishable but not registered" in error.msg
        assert "registry.py" in error.hint
        with pytest.raises(SystemCheckError, match=r"core\.E001"):
            call_command("check")


def test_check_reports_an_incomplete_registration():
    with registered_instead(
        NewsPost,
        page=registry.Page("no-such-list", "publications/no_such_list.html", "x/missing.html"),
        api=registry.Api("news", "publications.api.NoSuchViewSet", "news"),
        search=None,
        sitemap=None,
        feed=registry.Feed("no-such-feed"),
    ):
        assert error_ids(NewsPost) == {
            "core.E003",  # the templates do not exist
            "core.E004",  # nor do the list page's and the feed's URL names
            "core.E005",  # a type with pages that search does not know
            "core.E006",  # nor the sitemap
            "core.E007",  # the viewset cannot be imported
        }


def test_check_reports_search_fields_the_model_does_not_have():
    original = registry.get(NewsPost)
    with registered_instead(
        NewsPost,
        page=original.page,
        search=registry.Search("news", "News", ("title", "subtitle")),
        sitemap=original.sitemap,
    ):
        errors = [e for e in check_registry() if e.obj is NewsPost]
        assert {e.id for e in errors} == {"core.E008"}
        assert any("'subtitle'" in e.msg for e in errors)


def test_check_reports_a_changes_at_that_is_not_a_moment_of_the_model():
    original = registry.get(NewsPost)
    with registered_instead(
        NewsPost,
        page=original.page,
        search=original.search,
        sitemap=original.sitemap,
        changes_at=("updated_at", "title", "no_such_field"),
    ):
        errors = [e for e in check_registry() if e.obj is NewsPost]
        assert {e.id for e in errors} == {"core.E015"}
        assert sorted(e.msg.split("'")[1] for e in errors) == ["no_such_field", "title"]


def test_a_type_is_registered_only_once():
    with pytest.raises(registry.AlreadyRegistered):
        registry.register(Topic)


def test_events_code_names_no_relation_that_a_later_app_declares():
    """The chain holds in knowledge: events reaches later apps only through the registry."""
    later_models = [
        model
        for model in apps.get_models()
        if model._meta.app_label in ("initiatives", "publications")
    ]
    names = set()
    for model in later_models:
        for field in model._meta.get_fields():
            remote = getattr(field, "remote_field", None)
            if field.concrete and remote and remote.model._meta.app_label == "events":
                names |= {remote.get_accessor_name(), field.related_query_name()}
    names.discard(None)
    pattern = re.compile(
        rf"""(?:\.|\b)({"|".join(sorted(names))})(?:__|\b)(?![.(]abc)""",
    )
    root = Path(settings.BASE_DIR)
    files = [*(root / "events").rglob("*.py"), *(root / "templates" / "events").rglob("*.html")]
    found = {
        f"{path.relative_to(root)}:{number}": line.strip()
        for path in files
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if (match := pattern.search(line)) and _is_relation_use(line, match)
    }
    assert names >= {"articles", "initiatives_announced", "collections", "stances"}
    assert not found


def _is_relation_use(line: str, match: re.Match) -> bool:
    """Attribute access (``obj.articles``), a lookup (``articles__``) or a quoted name."""
    start, end = match.span(1)
    before, after = line[start - 1 : start], line[end : end + 2]
    return before == "." or after == "__" or (before in "\"'" and after[:1] in "\"'")


@pytest.mark.django_db
def test_session_api_shows_only_the_published_initiatives_it_discussed(client):
    from tests.factories import make_initiative, make_session

    session = make_session(slug="talk")
    session.related_initiatives.add(
        make_initiative(title="Shown fund"), make_initiative(title="Draft fund", status="draft")
    )
    data = client.get(f"/api/v1/sessions/{session.event.slug}/talk/").json()
    assert [i["title"] for i in data["related_initiatives"]] == ["Shown fund"]


def test_check_reports_search_facets_that_name_no_field():
    original = registry.get(NewsPost)
    with registered_instead(
        NewsPost,
        page=original.page,
        search=registry.Search(
            "news",
            "News",
            original.search.fields,
            facets=registry.Facets(topics="title", country="authors__country"),
        ),
        sitemap=original.sitemap,
    ):
        errors = [e for e in check_registry() if e.obj is NewsPost]
        assert {e.id for e in errors} == {"core.E016"}
        assert sorted(e.msg.split("'")[1] for e in errors) == ["authors__country", "title"]
