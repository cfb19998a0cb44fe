"""The audit log and the account pages of the admin stay fast as they grow.

An administrator opens the LogEntry, User and Group changelists; each answers 200 with the
same number of queries for one row as for several.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from events.models import Event
from tests.factories import _n, make_event, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    return make_member(username="admin-member", group="Administrators")


def log_entry() -> LogEntry:
    event = make_event()
    return LogEntry.objects.create(
        user=make_member(username=f"writer-{_n()}", group="Editors"),
        content_type=ContentType.objects.get_for_model(Event),
        object_id=str(event.pk),
        object_repr=str(event),
        action_flag=ADDITION if _n() % 2 else CHANGE,
        change_message='[{"changed": {"fields": ["Title"]}}]',
    )


def user():
    return make_member(username=f"member-{_n()}", group="Contributors")


def group() -> Group:
    return Group.objects.create(name=f"Group {_n()}")


# changelist, how a row is made, the queries for any number of rows
CHANGELISTS: list[tuple[str, Callable[[], object], int]] = [
    ("/admin/admin/logentry/", log_entry, 11),
    ("/admin/auth/user/", user, 8),
    ("/admin/auth/group/", group, 7),
]


@pytest.mark.parametrize(
    ("url", "make", "queries"), CHANGELISTS, ids=[url for url, _, _ in CHANGELISTS]
)
def test_changelist_answers_an_administrator_in_constant_queries(
    client, django_assert_num_queries, administrator, url, make, queries
):
    client.force_login(administrator)
    make()
    client.get(url)  # content types and permissions caches warm up once per process
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    first_count = response.context["cl"].result_count
    for _ in range(4):
        make()
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == first_count + 4


def test_audit_log_lists_who_did_what(client, administrator):
    entry = log_entry()
    client.force_login(administrator)
    html = client.get("/admin/admin/logentry/").content.decode()
    assert entry.object_repr in html
    assert entry.user.username in html
