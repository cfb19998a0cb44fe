"""Admin change pages with inline rows ask the database as often for one row as for many."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.admin.inlines import PreloadedAutocompleteSelect
from tests.factories import (
    add_author,
    add_participant,
    admin_form_data,
    make_article,
    make_event,
    make_initiative,
    make_member,
    make_organisation,
    make_person,
    make_session,
    make_signatory,
    make_track,
)

pytestmark = pytest.mark.django_db

COUNTRIES = ["FR", "IN", "DE", "CA", "BR", "JP"]


def event_with(rows: int):
    """An event with ``rows`` tracks, each organised by someone, and a session in each."""
    event = make_event()
    for _ in range(rows):
        track = make_track(event=event, organiser=make_organisation())
        make_session(event=event, track=track)
    return event


def initiative_with(rows: int):
    """Per row: a country signatory, an organisation signatory with its spokesperson, a source."""
    initiative = make_initiative(announced_at=make_event())
    for i in range(rows):
        make_signatory(initiative, country=COUNTRIES[i])
        make_signatory(
            initiative,
            organisation=make_organisation(),
            statement="We support it.",
            statement_person=make_person(affiliation=make_organisation()),
        )
        initiative.sources.create(title=f"Source {i}", url=f"https://example.org/{i}")
    return initiative


def article_with(rows: int):
    article = make_article()
    for _ in range(rows):
        add_author(article, make_person(), affiliation=make_organisation())
    return article


def session_with(rows: int):
    track = make_track()
    session = make_session(event=track.event, track=track)
    for _ in range(rows):
        add_participant(session, make_person(affiliation=make_organisation()))
    return session


def change_url(name: str, item) -> str:
    return reverse(f"admin:{name}_change", args=[item.pk])


@pytest.fixture
def editor(client):
    user = make_member(username="editor", group="Editors")
    client.force_login(user)
    return user


@pytest.mark.parametrize("rows", [1, 6])
@pytest.mark.parametrize(
    ("name", "make", "queries"),
    [
        ("events_event", event_with, 18),
        ("initiatives_initiative", initiative_with, 20),
        ("publications_article", article_with, 18),
        ("events_session", session_with, 18),
    ],
)
def test_change_page_queries_do_not_grow_with_inline_rows(
    client, editor, django_assert_num_queries, name, make, queries, rows
):
    item = make(rows)
    client.get(change_url(name, item))  # content types and permissions caches warm up
    with django_assert_num_queries(queries):
        response = client.get(change_url(name, item))
    assert response.status_code == 200


def test_inline_autocompletes_show_the_selected_objects_with_their_labels(client, editor):
    event = make_event(title="Paris Summit")
    track = make_track(event=event, title="Science Days")
    make_session(event=event, track=track, title="Opening")
    html = client.get(change_url("events_event", event)).content.decode()
    assert f'<option value="{track.pk}" selected>Science Days (Paris Summit)</option>' in html


def test_signatory_organisation_and_spokesperson_are_autocompletes(client, editor):
    organisation = make_organisation(name="Mistral AI")
    person = make_person(name="Arthur Mensch")
    initiative = make_initiative()
    make_signatory(initiative, organisation=organisation, statement_person=person)
    response = client.get(change_url("initiatives_initiative", initiative))
    formset = response.context["inline_admin_formsets"][0].formset
    for field in ("organisation", "statement_person"):
        widget = formset.forms[0].fields[field].widget.widget
        assert isinstance(widget, PreloadedAutocompleteSelect)
    html = response.content.decode()
    assert f'<option value="{organisation.pk}" selected>Mistral AI</option>' in html
    assert f'<option value="{person.pk}" selected>Arthur Mensch</option>' in html
    # The choices are fetched as the editor types, not listed on the page.
    make_organisation(name="Unrelated Body")
    html = client.get(change_url("initiatives_initiative", initiative)).content.decode()
    assert "Unrelated Body" not in html


def test_a_changed_inline_choice_is_shown_when_the_form_comes_back_with_errors(client, editor):
    article = article_with(1)
    first = article.authorships.get()
    replacement = make_person(name="Replacement Author")
    url = change_url("publications_article", article)
    data = admin_form_data(client.get(url), title="")
    data["authorships-0-person"] = str(replacement.pk)
    response = client.post(url, data)
    assert response.status_code == 200  # the title is required: the form is shown again
    html = response.content.decode()
    assert f'<option value="{replacement.pk}" selected>Replacement Author</option>' in html
    assert f"selected>{first.person.name}</option>" not in html


def test_inline_rows_are_saved_as_before(client, editor):
    session = session_with(2)
    url = change_url("events_session", session)
    new_person = make_person(name="New Speaker")
    data = admin_form_data(client.get(url))
    data["appearances-1-person"] = str(new_person.pk)
    response = client.post(url, data)
    assert response.status_code == 302
    assert new_person in session.participants.all()
