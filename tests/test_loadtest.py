"""The load test's own parts that can be checked without starting servers.

The whole run (two gunicorn servers, PostgreSQL, Redis) is CI's smoke of ``manage.py
loadtest``; here: its reading of admin forms, which its editor saves depend on, and its
latency summary.
"""

import pytest

from config.loadtest.forms import error_text, field_value, form_fields, replace_field
from config.loadtest.stats import Failure, Recorder, percentile, report
from events.models import Person
from tests.factories import make_member, make_person, make_topic


@pytest.mark.django_db
def test_admin_change_form_read_from_html_and_posted_back_saves_the_change(client):
    topic = make_topic()
    person = make_person(role="Policy adviser", honorific="Dr")
    person.topics.add(topic)
    client.force_login(make_member(username="ed", group="Editors"))
    url = f"/admin/events/person/{person.pk}/change/"

    fields = form_fields(client.get(url).content.decode(), "person_form")

    assert field_value(fields, "role") == "Policy adviser"
    assert field_value(fields, "edit_token")  # the conflict check's token travels with it
    fields = replace_field(fields, "role", "Director")
    response = client.post(url, dict_of_lists(fields))
    assert response.status_code == 302, error_text(response.content.decode())
    person = Person.objects.get(pk=person.pk)
    assert person.role == "Director"
    assert person.honorific == "Dr"
    assert list(person.topics.all()) == [topic]


def dict_of_lists(fields):
    """What the test client posts for repeated names (a multiple select)."""
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


def test_form_reader_submits_what_a_browser_would():
    html = """
    <form id="other"><input name="no" value="1"></form>
    <form id="f">
      <input type="hidden" name="csrf" value="t&amp;k">
      <input name="title" value="A">
      <input type="checkbox" name="on" checked><input type="checkbox" name="off">
      <input type="submit" name="_save" value="Save"><input type="file" name="image">
      <textarea name="body">\nline</textarea>
      <select name="one"><option value="x">X</option><option value="y" selected>Y</option></select>
      <select name="first"><option value="a">A</option><option value="b">B</option></select>
      <select name="many" multiple><option value="1" selected>1</option>
        <option value="2">2</option><option value="3" selected>3</option></select>
      <input name="locked" value="z" disabled>
    </form>"""

    assert form_fields(html, "f") == [
        ("csrf", "t&k"),
        ("title", "A"),
        ("on", "on"),
        ("body", "line"),
        ("one", "y"),
        ("first", "a"),
        ("many", "1"),
        ("many", "3"),
    ]
    assert form_fields(html, "missing") is None


def test_error_text_reads_the_admin_error_lists():
    html = '<p class="errornote">Please correct the error below.</p><ul class="errorlist">'
    html += "<li>Someone saved this person after you opened it.</li></ul><p>Other</p>"

    assert error_text(html) == (
        "Please correct the error below. Someone saved this person after you opened it."
    )


def test_percentiles_are_nearest_rank():
    values = sorted(float(n) for n in range(1, 101))

    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.99) == 99
    assert percentile([7.0], 0.99) == 7
    assert percentile([], 0.5) == 0


def test_report_counts_requests_and_errors_by_status():
    recorder = Recorder()
    for _ in range(3):
        recorder.record("page", 0.010, "200")
    failure = Failure("submit", "POST", "/api/v1/submissions/sessions/", "500", "boom")
    recorder.record("submit", 0.020, "500", failure)

    lines = report(recorder, elapsed=2.0)

    page = next(line for line in lines if line.startswith("page"))
    assert page.split()[1:3] == ["3", "1.5"]
    assert "errors by status: 500: 1" in lines
    assert any("first 500 on submit" in line for line in lines)
