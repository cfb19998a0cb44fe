"""Long lists of choices in the admin: searched as one types in forms, one drop-down as a list
filter (not a link per country)."""

import re

import pytest

from tests.factories import make_event, make_initiative, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_member(username="ed", group="Editors"))
    return client


def test_countries_on_forms_are_searchable_selects(editor_client):
    initiative = make_initiative(jurisdictions=["FR", "PT"])
    html = editor_client.get(f"/admin/initiatives/initiative/{initiative.pk}/change/").content
    html = html.decode()
    select = re.search(r'<select[^>]*name="jurisdictions"[^>]*>', html)[0]
    assert "admin-searchable-select" in select and "multiple" in select
    assert "admin-extra/searchable-select.js" in html
    assert "select2.full" in html
    # The plain choices are still in the page: without JavaScript it is an ordinary select.
    assert '<option value="PT" selected>Portugal</option>' in html


def test_a_short_list_of_choices_stays_a_plain_select(editor_client):
    html = editor_client.get("/admin/events/event/add/").content.decode()
    kind = re.search(r'<select[^>]*name="kind"[^>]*>', html)[0]
    assert "admin-searchable-select" not in kind


def test_the_events_country_filter_is_one_dropdown_that_filters(editor_client):
    make_event(title="In Paris", country="FR")
    make_event(title="In Lisbon", country="PT")
    response = editor_client.get("/admin/events/event/", {"kind__exact": "conference"})
    html = response.content.decode()
    assert html.count("country__exact=") < 5  # not a link per country
    assert 'name="country__exact"' in html
    assert '<input type="hidden" name="kind__exact" value="conference">' in html
    response = editor_client.get("/admin/events/event/", {"country__exact": "PT"})
    titles = [str(event) for event in response.context["cl"].result_list]
    assert titles == ["In Lisbon"]
    assert '<option value="PT" selected>Portugal</option>' in response.content.decode()
