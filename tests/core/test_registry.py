"""The content-type registry and its system check."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
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
    from django.apps import apps

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
        public_with=("authors",),
    ):
        errors = [e for e in check_registry() if e.obj is NewsPost]
        assert {e.id for e in errors} == {"core.E008", "core.E009"}
        assert any("'subtitle'" in e.msg for e in errors)


def test_a_type_is_registered_only_once():
    with pytest.raises(registry.AlreadyRegistered):
        registry.register(Topic)
