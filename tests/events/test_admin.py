"""The editors' admin for the events app: pages, query counts, time zones and partner keys."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.urls import reverse

from core.models import PartnerKey
from core.partners import issue_partner_key, verify_partner_key
from events.models import Event, Session
from tests.factories import (
    add_participant,
    check_admin_pages,
    make_event,
    make_member,
    make_organisation,
    make_person,
    make_session,
    make_topic,
    make_track,
)

pytestmark = pytest.mark.django_db


def event_with_programme():
    event = make_event(parent=make_event())
    track = make_track(event=event, organiser=make_organisation())
    session = make_session(event=event, track=track)
    add_participant(session, make_person(affiliation=make_organisation()))
    return event


def session_with_speaker():
    # The add page looks up the content type once per process: do it before counting.
    ContentType.objects.get_for_model(Session)
    track = make_track()
    session = make_session(event=track.event, track=track)
    add_participant(session, make_person(affiliation=make_organisation()))
    return session


def partner_key():
    return issue_partner_key(organisation=make_organisation(), name="Feed")[0]


@pytest.mark.parametrize(
    ("name", "make", "queries"),
    [
        ("events_topic", make_topic, {"changelist": 9, "search": 9, "add": 8, "change": 11}),
        (
            "events_organisation",
            lambda: make_organisation(parent=make_organisation()),
            {"changelist": 9, "search": 9, "add": 8, "change": 13},
        ),
        (
            "events_person",
            lambda: make_person(affiliation=make_organisation()),
            {"changelist": 9, "search": 9, "add": 8, "change": 13},
        ),
        (
            "events_event",
            event_with_programme,
            {"changelist": 11, "search": 11, "add": 8, "change": 20},
        ),
        (
            "events_session",
            session_with_speaker,
            {"changelist": 10, "search": 10, "add": 7, "change": 18},
        ),
        ("events_track", make_track, {"changelist": 10, "search": 10, "add": 7, "change": 9}),
        ("core_partnerkey", partner_key, {"changelist": 9, "search": 9, "add": 5, "change": 6}),
    ],
)
def test_admin_pages_answer_an_editor_with_queries_that_do_not_grow(
    client, django_assert_num_queries, name, make, queries
):
    check_admin_pages(client, django_assert_num_queries, name=name, make=make, queries=queries)


# --- Time zones -----------------------------------------------------------------------------


def test_event_times_are_shown_in_the_events_own_time_zone(client):
    tokyo = ZoneInfo("Asia/Tokyo")
    event = make_event(timezone="Asia/Tokyo", start=datetime(2025, 5, 1, 9, 30, tzinfo=tokyo))
    client.force_login(make_member(username="ed", group="Editors"))
    page = client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert 'value="09:30:00"' in page
    assert "In the event's own time zone (Asia/Tokyo)" in page


def test_event_times_are_entered_in_the_time_zone_chosen_in_the_form(client):
    client.force_login(make_member(username="ed", group="Editors"))
    data = {
        "title": "Delhi summit",
        "slug": "delhi-summit",
        "kind": "summit",
        "timezone": "Asia/Kolkata",
        "start_0": "2026-02-19",
        "start_1": "10:00",
        "end_0": "2026-02-20",
        "end_1": "18:00",
        "attendance_mode": "in_person",
        "event_status": "scheduled",
        "status": "draft",
        "tracks-TOTAL_FORMS": "0",
        "tracks-INITIAL_FORMS": "0",
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:events_event_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get(slug="delhi-summit")
    assert event.start == datetime(2026, 2, 19, 10, 0, tzinfo=ZoneInfo("Asia/Kolkata"))


def test_session_times_are_shown_in_its_events_time_zone(client):
    ny = ZoneInfo("America/New_York")
    event = make_event(timezone="America/New_York", start=datetime(2025, 9, 22, 8, 0, tzinfo=ny))
    session = make_session(event=event, start=datetime(2025, 9, 22, 14, 15, tzinfo=ny))
    client.force_login(make_member(username="ed", group="Editors"))
    page = client.get(reverse("admin:events_session_change", args=[session.pk]))
    assert 'value="14:15:00"' in page.content.decode()


# --- Partner keys ---------------------------------------------------------------------------


def test_issued_key_verifies_and_only_its_hash_is_stored():
    key, raw = issue_partner_key(organisation=make_organisation(), name="Feed")
    prefix, secret = raw.split(".", 1)
    assert len(prefix) == 8 and prefix == key.prefix
    assert secret not in key.hashed_secret and len(key.hashed_secret) == 64
    assert verify_partner_key(raw) == key
    assert verify_partner_key(f"{prefix}.wrong") is None
    assert verify_partner_key("nonsense") is None


def test_editor_issues_a_key_and_sees_the_secret_once(client):
    editor = make_member(username="ed", group="Editors")
    organisation = make_organisation()
    client.force_login(editor)
    response = client.post(
        reverse("admin:core_partnerkey_add"),
        {
            "organisation": organisation.pk,
            "name": "Summit feed",
            "expires_at_0": "",
            "expires_at_1": "",
        },
    )
    assert response.status_code == 302
    key = PartnerKey.objects.get(name="Summit feed")
    assert key.created_by == editor
    shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    client.get(response.url)  # the page after saving shows (and uses up) the message
    raw = next(word for word in shown.split() if word.startswith(f"{key.prefix}."))
    assert verify_partner_key(raw) == key
    change = client.get(reverse("admin:core_partnerkey_change", args=[key.pk])).content.decode()
    assert raw not in change


def test_revoked_key_no_longer_verifies(client):
    key, raw = issue_partner_key(organisation=make_organisation(), name="Feed")
    client.force_login(make_member(username="ed", group="Editors"))
    response = client.post(
        reverse("admin:core_partnerkey_changelist"),
        {"action": "revoke", "_selected_action": [key.pk]},
    )
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert verify_partner_key(raw) is None


def test_contributor_cannot_see_partner_keys(client):
    client.force_login(make_member(username="con", group="Contributors"))
    assert client.get(reverse("admin:core_partnerkey_changelist")).status_code == 403


def test_editor_issues_a_key_that_may_submit(client):
    client.force_login(make_member(username="ed", group="Editors"))
    add_url = reverse("admin:core_partnerkey_add")
    assert 'name="can_submit"' in client.get(add_url).content.decode()
    form = {"organisation": make_organisation().pk, "expires_at_0": "", "expires_at_1": ""}
    client.post(add_url, {**form, "name": "Reader"})
    client.post(add_url, {**form, "name": "Submitter", "can_submit": "on"})
    assert PartnerKey.objects.get(name="Reader").can_submit is False
    assert PartnerKey.objects.get(name="Submitter").can_submit is True


def test_editor_lets_an_existing_key_submit_and_filters_by_it(client):
    reader, submitter = partner_key(), partner_key()
    PartnerKey.objects.filter(pk=submitter.pk).update(can_submit=True)
    client.force_login(make_member(username="ed", group="Editors"))
    changelist = reverse("admin:core_partnerkey_changelist")
    page = client.get(changelist).content.decode()
    assert "may submit side sessions" in page  # the column and the filter
    assert "can_submit__exact=1" in page
    filtered = client.get(changelist, {"can_submit__exact": "1"}).context["cl"].result_list
    assert list(filtered) == [submitter]

    change = reverse("admin:core_partnerkey_change", args=[reader.pk])
    assert 'name="can_submit"' in client.get(change).content.decode()
    response = client.post(
        change, {"name": reader.name, "can_submit": "on", "expires_at_0": "", "expires_at_1": ""}
    )
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.can_submit is True
