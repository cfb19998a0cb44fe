"""Changelists that stay small and cheap however large the tables: bounded filters by a
related item, no full count, no date drill-down, long texts left out of the rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.admin.filters import CHOICES_LIMIT
from tests.factories import make_article, make_event, make_member, make_session

pytestmark = pytest.mark.django_db

SESSIONS = "/admin/events/session/"


@pytest.fixture
def editor_client(client):
    client.force_login(make_member(username="ed", group="Editors"))
    return client


def event_filter(response) -> list[str]:
    spec = next(s for s in response.context["cl"].filter_specs if s.field_path == "event")
    return [choice["display"] for choice in spec.choices(response.context["cl"])][1:]


def make_events(count: int) -> list:
    start = timezone.now() - timedelta(days=400)
    return [
        make_event(
            title=f"Forum {n:02}",
            start=start + timedelta(days=n),
            end=start + timedelta(days=n, hours=8),
        )
        for n in range(count)
    ]


def test_session_filter_by_event_lists_the_latest_few_not_every_event(editor_client):
    events = make_events(CHOICES_LIMIT + 5)
    make_session(event=events[0])
    choices = event_filter(editor_client.get(SESSIONS))
    assert len(choices) == CHOICES_LIMIT
    assert choices[0] == "Forum 14"  # the event admin's own order: latest first
    assert "Forum 00" not in choices


def test_the_event_filter_searches_the_rest(editor_client):
    events = make_events(CHOICES_LIMIT + 5)
    events[0].title = "Delhi summit"
    events[0].save()
    make_session(event=events[0], title="Opening")
    make_session(event=events[1], title="Closing")
    response = editor_client.get(SESSIONS, {"event_search": "delhi"})
    assert event_filter(response) == ["Delhi summit"]
    assert 'name="event_search" value="delhi"' in response.content.decode()
    chosen = editor_client.get(SESSIONS, {"event__id__exact": events[0].pk})
    assert [str(s) for s in chosen.context["cl"].result_list] == ["Opening"]
    # The chosen event stays listed (and selected), though it is not among the latest.
    assert "Delhi summit" in event_filter(chosen)


def test_the_event_filter_costs_the_same_with_many_events(editor_client, django_assert_num_queries):
    make_session(event=make_events(1)[0])
    editor_client.get(SESSIONS)
    with django_assert_num_queries(10):
        editor_client.get(SESSIONS)
    make_events(3 * CHOICES_LIMIT)
    with django_assert_num_queries(10):
        response = editor_client.get(SESSIONS)
    assert len(response.content) < 200_000


def test_changelist_rows_leave_long_texts_unloaded(editor_client):
    make_article(title="Data trusts", abstract="<p>" + "Long text. " * 500 + "</p>")
    row = editor_client.get("/admin/publications/article/").context["cl"].result_list[0]
    assert {"abstract", "plain_language_summary"} <= row.get_deferred_fields()
    assert "doi" not in row.get_deferred_fields()  # a column shows it


def test_large_changelists_have_no_full_count_and_no_date_drill_down(editor_client):
    make_article()
    response = editor_client.get("/admin/publications/article/")
    cl = response.context["cl"]
    assert cl.full_result_count is None
    assert cl.date_hierarchy is None
