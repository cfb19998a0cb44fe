"""Partner submissions: side sessions in review, changed or withdrawn until editors decide."""

import pytest

from core.publishing import Status
from events.models import Person, Session
from tests.api.conftest import SUBMISSIONS_URL, make_partner, submission_payload
from tests.factories import make_event, make_organisation, make_person

pytestmark = pytest.mark.django_db
URL = SUBMISSIONS_URL


def payload(**changes) -> dict:
    defaults = {
        "description": "<p>A panel.</p><script>alert(1)</script>",
        "hosts": [],
        "speakers": [],
    }
    return submission_payload(**{**defaults, **changes})


def test_full_submission_lifecycle(client, partner, event):
    host = make_organisation(slug="mozilla")
    speaker = make_person(slug="ada")
    response = partner.client.post(
        URL,
        payload(
            hosts=["mozilla"],
            speakers=[
                {"person": "ada", "role": "moderator"},
                {"name": "Grace New", "affiliation_text": "Navy"},
            ],
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "review"
    assert data["programme"] == "side"
    assert data["kind"] == "side_event"
    assert data["page_url"] is None
    assert "<script>" not in data["description"]
    session = Session.objects.get(pk=data["id"])
    assert session.submitted_by == partner.organisation
    assert list(session.hosts.all()) == [host]
    first = session.appearances.first()
    assert (first.person, first.role) == (speaker, "moderator")
    newcomer = Person.objects.get(name="Grace New")
    assert newcomer.status == Status.REVIEW  # editors check new people before publishing them

    # The public sees nothing of it yet; the partner sees it and its status.
    assert client.get("/api/v1/sessions/?event=summit").json()["count"] == 0
    assert client.get(f"/api/v1/sessions/summit/{session.slug}/").status_code == 404
    assert client.get("/api/v1/people/").json()["count"] == 1
    listed = partner.client.get(URL).json()["results"]
    assert [(s["id"], s["status"]) for s in listed] == [(session.pk, "review")]

    # Changed while in review.
    response = partner.client.patch(f"{URL}{session.pk}/", {"room": "Salle 3"}, format="json")
    assert response.status_code == 200
    assert response.json()["room"] == "Salle 3"
    response = partner.client.put(
        f"{URL}{session.pk}/",
        payload(title="Renamed", online_url="https://x.example/live"),
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Renamed"

    # Published by an editor: the partner still sees it, may no longer change it.
    session.status = Status.PUBLISHED
    session.full_clean()
    session.save()
    assert partner.client.get(f"{URL}{session.pk}/").json()["status"] == "published"
    conflict = partner.client.patch(f"{URL}{session.pk}/", {"room": "X"}, format="json")
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "conflict"
    assert partner.client.delete(f"{URL}{session.pk}/").status_code == 409
    assert client.get(f"/api/v1/sessions/summit/{session.slug}/").status_code == 200


def test_partner_withdraws_a_submission_in_review(partner, event):
    created = partner.client.post(URL, payload(), format="json").json()
    assert partner.client.delete(f"{URL}{created['id']}/").status_code == 204
    assert not Session.objects.filter(pk=created["id"]).exists()
    assert partner.client.get(f"{URL}{created['id']}/").status_code == 404


def test_rejected_submission_is_visible_to_its_partner_but_frozen(partner, event):
    created = partner.client.post(URL, payload(), format="json").json()
    Session.objects.filter(pk=created["id"]).update(status=Status.REJECTED)
    assert partner.client.get(f"{URL}{created['id']}/").json()["status"] == "rejected"
    assert partner.client.put(f"{URL}{created['id']}/", payload(), format="json").status_code == 409
    assert partner.client.delete(f"{URL}{created['id']}/").status_code == 409
    assert partner.client.get(f"{URL}?status=rejected").json()["count"] == 1


def test_other_partners_cannot_see_or_change_a_submission(partner, event):
    created = partner.client.post(URL, payload(), format="json").json()
    other = make_partner(can_submit=True)
    assert other.client.get(URL).json()["count"] == 0
    for response in (
        other.client.get(f"{URL}{created['id']}/"),
        other.client.patch(f"{URL}{created['id']}/", {"room": "X"}, format="json"),
        other.client.delete(f"{URL}{created['id']}/"),
    ):
        assert response.status_code == 404
    assert Session.objects.get(pk=created["id"]).room == "Salle Gaveau"


def test_same_organisation_keys_share_submissions(partner, event):
    created = partner.client.post(URL, payload(), format="json").json()
    colleague = make_partner(organisation=partner.organisation)
    assert colleague.client.get(f"{URL}{created['id']}/").status_code == 200


def test_submissions_only_for_published_events(partner):
    make_event(slug="draft-event", status=Status.DRAFT)
    response = partner.client.post(URL, payload(event="draft-event"), format="json")
    assert response.status_code == 400
    assert "event" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"start": "tomorrow"}, "start"),
        ({"end": "2025-02-10T17:00:00+01:00"}, "end"),
        ({"room": "", "online_url": ""}, "room"),
        ({"online_url": "not a url"}, "online_url"),
        ({"kind": "party"}, "kind"),
        ({"hosts": ["nobody"]}, "hosts"),
        ({"speakers": [{"person": "nobody"}]}, "speakers"),
        ({"speakers": [{}]}, "speakers"),
        ({"speakers": [{"person": "ada", "name": "Both"}]}, "speakers"),
        ({"event": "nowhere"}, "event"),
    ],
)
def test_submission_validation_is_field_by_field(partner, event, changes, field):
    make_person(slug="ada")
    response = partner.client.post(URL, payload(**changes), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not Session.objects.exists()


def test_speaker_must_be_published(partner, event):
    make_person(slug="secret", status=Status.DRAFT)
    response = partner.client.post(URL, payload(speakers=[{"person": "secret"}]), format="json")
    assert response.status_code == 400


def test_malformed_json_is_400_not_500(partner, event):
    response = partner.client.generic("POST", URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["status"] == 400


def test_event_cannot_be_moved_after_submission(partner, event):
    make_event(slug="other")
    created = partner.client.post(URL, payload(), format="json").json()
    response = partner.client.patch(f"{URL}{created['id']}/", {"event": "other"}, format="json")
    assert response.status_code == 200
    assert response.json()["event"] == "summit"


# --- Read-only keys -------------------------------------------------------------------------


def assert_forbidden(response) -> None:
    assert response.status_code == 403, response.content
    error = response.json()["error"]
    assert error["status"] == 403
    assert error["code"] == "permission_denied"
    assert "may read but not submit" in error["message"]
    assert "Editors" in error["message"]


def test_read_only_key_reads_but_cannot_submit(reader, event):
    assert reader.client.get("/api/v1/events/summit/").status_code == 200
    assert reader.client.get("/api/v1/sessions/?event=summit").status_code == 200
    assert reader.client.get(URL).status_code == 200
    assert_forbidden(reader.client.post(URL, payload(), format="json"))
    assert not Session.objects.exists()


def test_read_only_key_cannot_change_or_withdraw_its_organisations_submissions(partner, event):
    created = partner.client.post(URL, payload(), format="json").json()
    reader = make_partner(organisation=partner.organisation)
    # It may follow the submission's status ...
    assert reader.client.get(f"{URL}{created['id']}/").json()["status"] == "review"
    # ... but not change or withdraw it.
    item = f"{URL}{created['id']}/"
    assert_forbidden(reader.client.patch(item, {"room": "X"}, format="json"))
    assert_forbidden(reader.client.put(item, payload(title="Renamed"), format="json"))
    assert_forbidden(reader.client.delete(item))
    session = Session.objects.get(pk=created["id"])
    assert (session.title, session.room) == ("Open models for public interest", "Salle Gaveau")


def test_anonymous_submission_is_401_not_403(client, event):
    for response in (
        client.get(URL),
        client.post(URL, payload(), format="json"),
        client.patch(f"{URL}1/", {"room": "X"}, format="json"),
        client.delete(f"{URL}1/"),
    ):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"


def test_key_allowed_to_submit_by_an_editor_can_then_submit(reader, event):
    assert reader.client.post(URL, payload(), format="json").status_code == 403
    reader.key.can_submit = True
    reader.key.save(update_fields=["can_submit"])
    assert reader.client.post(URL, payload(), format="json").status_code == 201
