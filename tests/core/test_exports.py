"""Every download goes through one export pattern: same status rules, types and file names."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.publishing import Status
from events.exports import EXPORTS as EVENT_EXPORTS
from publications.exports import EXPORTS as PUBLICATION_EXPORTS
from tests.factories import add_participant, make_article, make_person, make_session

pytestmark = pytest.mark.django_db


def _kwargs(name: str, *, session, person, article) -> dict:
    if name == "session-calendar":
        return {"event_slug": session.event.slug, "slug": session.slug}
    if name.startswith("event-"):
        return {"slug": session.event.slug}
    if name == "person-calendar":
        return {"slug": person.slug}
    return {"slug": article.slug}


@pytest.fixture
def content():
    session = make_session()
    person = make_person()
    add_participant(session, person)
    return {"session": session, "person": person, "article": make_article()}


@pytest.mark.parametrize("export", [*EVENT_EXPORTS, *PUBLICATION_EXPORTS], ids=lambda e: e.name)
def test_export_serves_public_items_with_its_type_and_refuses_writes(client, content, export):
    url = reverse(export.name, kwargs=_kwargs(export.name, **content))

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == export.content_type
    if export.filename is not None:
        assert response["Content-Disposition"].startswith('attachment; filename="')
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("export", [*EVENT_EXPORTS, *PUBLICATION_EXPORTS], ids=lambda e: e.name)
def test_export_of_a_draft_is_not_found(client, content, export):
    for item in content.values():
        type(item).objects.filter(pk=item.pk).update(status=Status.DRAFT)
    content["session"].event.__class__.objects.filter(pk=content["session"].event_id).update(
        status=Status.DRAFT
    )

    response = client.get(reverse(export.name, kwargs=_kwargs(export.name, **content)))

    assert response.status_code == 404
