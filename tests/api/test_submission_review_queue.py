"""A side session sent by a partner lands in the editors' "Awaiting review" column."""

import html5lib
import pytest

from tests.factories import make_event, make_member

pytestmark = pytest.mark.django_db


def review_column(page: str) -> str:
    """The text of the dashboard's "Awaiting review" section."""
    root = html5lib.parse(page, namespaceHTMLElements=False)
    (section,) = [s for s in root.iter("section") if s.get("id") == "dashboard-review"]
    return " ".join("".join(section.itertext()).split())


def test_partner_submission_is_awaiting_review_on_the_editors_dashboard(client, partner):
    make_event(slug="summit")
    response = partner.client.post(
        "/api/v1/submissions/sessions/",
        {
            "event": "summit",
            "title": "Open models for the public interest",
            "start": "2025-02-10T18:00:00+01:00",
            "end": "2025-02-10T19:30:00+01:00",
            "room": "Salle Gaveau",
            "hosts": [],
            "speakers": [],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    session_id = response.json()["id"]

    client.force_login(make_member(username="editor", group="Editors"))
    response = client.get("/admin/")

    assert response.status_code == 200
    column = review_column(response.content.decode())
    assert "Open models for the public interest" in column
    assert "Nothing is waiting for review" not in column
    assert f"/admin/events/session/{session_id}/change/" in response.content.decode()
