"""path_for() says what reverse() says, from one reverse per URL name."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.paths import path_for

NAMES = [
    ("event-detail", {"slug": "summit"}),
    ("session-detail", {"event_slug": "summit", "slug": "opening-panel"}),
    ("article-detail", {"slug": "data_governance-2"}),
    ("api:session-detail", {"event_slug": "summit", "slug": "opening"}),
    ("api:article-detail", {"slug": "paper"}),
    ("sitemap-section", {"section": "articles"}),
]


@pytest.mark.parametrize(("name", "kwargs"), NAMES, ids=[n for n, _ in NAMES])
def test_path_for_matches_reverse(name, kwargs):
    assert path_for(name, **kwargs) == reverse(name, kwargs=kwargs)
    # The template is built once; a second item gets its own slug.
    other = {key: f"{value}-b" for key, value in kwargs.items()}
    assert path_for(name, **other) == reverse(name, kwargs=other)


def test_path_for_refuses_what_reverse_refuses():
    with pytest.raises(NoReverseMatch):
        path_for("event-detail", slug="not a slug")
    with pytest.raises(NoReverseMatch):
        path_for("event-detail", slug="summit", extra="x")


def test_path_for_follows_the_script_prefix():
    set_script_prefix("/cms/")
    try:
        assert path_for("event-detail", slug="summit") == "/cms/events/summit/"
    finally:
        set_script_prefix("/")
    assert path_for("event-detail", slug="summit") == "/events/summit/"


def test_path_for_follows_a_changed_url_configuration(settings):
    assert path_for("event-detail", slug="summit") == "/events/summit/"
    settings.ROOT_URLCONF = "tests.core.urls_for_paths"
    assert path_for("event-detail", slug="summit") == "/elsewhere/summit/"
