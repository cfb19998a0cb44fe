"""Spreadsheet import and export in the admin: previews with row errors, drafts only,
idempotent imports, exports of filtered lists that round-trip, permissions, sanitising."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import tablib
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Version

from core.publishing import Status
from events.models import Organisation, Person, Session
from initiatives.models import Initiative, Signatory
from tests.factories import (
    add_participant,
    make_event,
    make_initiative,
    make_member,
    make_organisation,
    make_person,
    make_session,
    make_signatory,
    make_staff,
    make_topic,
    make_track,
)

pytestmark = pytest.mark.django_db

CSV, XLSX = "0", "1"

ORGANISATIONS = "events_organisation"
PEOPLE = "events_person"
SESSIONS = "events_session"
INITIATIVES = "initiatives_initiative"
SIGNATORIES = "initiatives_signatory"


# --- Helpers --------------------------------------------------------------------------------


def sheet(rows: list[dict], fmt: str = CSV) -> bytes:
    """A CSV or XLSX file with the rows' keys as its header."""
    headers = list(dict.fromkeys(key for row in rows for key in row))
    data = tablib.Dataset(*[[row.get(h, "") for h in headers] for row in rows], headers=headers)
    return data.export("csv").encode() if fmt == CSV else data.export("xlsx")


def preview(client, admin_name: str, content: bytes, fmt: str = CSV, filename: str = ""):
    filename = filename or ("sheet.csv" if fmt == CSV else "sheet.xlsx")
    return client.post(
        reverse(f"admin:{admin_name}_import"),
        {"import_file": SimpleUploadedFile(filename, content), "format": fmt, "resource": "0"},
    )


def confirm(client, admin_name: str, response):
    form = response.context["confirm_form"]
    assert form is not None, "the preview offered no confirmation"
    return client.post(reverse(f"admin:{admin_name}_process_import"), form.initial)


def import_sheet(client, admin_name: str, content: bytes, fmt: str = CSV):
    """Preview, then confirm; returns the preview's result."""
    response = preview(client, admin_name, content, fmt)
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    assert confirm(client, admin_name, response).status_code == 302
    return result


def row_errors(result) -> dict[int, list[str]]:
    """Each invalid row's number with its messages, field by field, as the preview shows."""
    errors = {}
    for row in result.invalid_rows:
        messages = [f"{name}: {m}" for name, ms in row.field_specific_errors.items() for m in ms]
        errors[row.number] = messages + list(row.non_field_specific_errors)
    return errors


def import_types(result) -> list[str]:
    return [row.import_type for row in result.rows]


def export(client, admin_name: str, query: str = "", fmt: str = CSV):
    response = client.post(
        reverse(f"admin:{admin_name}_export") + query, {"format": fmt, "resource": "0"}
    )
    assert response.status_code == 200
    return response


def exported_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.fixture
def editor(client):
    user = make_member(username="sheet-editor", group="Editors")
    client.force_login(user)
    return user


@pytest.fixture
def contributor(client):
    user = make_member(username="sheet-contributor", group="Contributors")
    client.force_login(user)
    return user


# --- Preview ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [CSV, XLSX])
def test_preview_shows_each_rows_errors_and_writes_nothing(client, editor, fmt):
    make_topic(slug="ai-safety")
    content = sheet(
        [
            {"slug": "good-org", "name": "Good Org", "kind": "company", "topics": "ai-safety"},
            {"slug": "bad-org", "name": "", "kind": "spaceship", "country": "ZZ"},
            {"slug": "third", "name": "Third", "parent": "nobody", "topics": "ai-safety, nope"},
        ],
        fmt,
    )
    response = preview(client, ORGANISATIONS, content, fmt)

    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    errors = row_errors(response.context["result"])
    assert set(errors) == {2, 3}
    assert any(m.startswith("name: ") for m in errors[2])
    assert any("“spaceship” is not one of" in m for m in errors[2])
    assert any("“ZZ” is not an ISO 3166-1 country code" in m for m in errors[2])
    assert any("no organisation with the slug “nobody”" in m for m in errors[3])
    assert any("no topics with the slugs: nope" in m for m in errors[3])
    assert "spaceship" in response.content.decode()
    assert not Organisation.objects.exists()


def test_preview_of_a_valid_file_writes_nothing_until_confirmed(client, editor):
    response = preview(client, PEOPLE, sheet([{"slug": "ada", "name": "Ada Lovelace"}]))

    assert import_types(response.context["result"]) == ["new"]
    assert not Person.objects.exists()
    confirm(client, PEOPLE, response)
    assert Person.objects.get().sort_name == "Lovelace, Ada"


def test_a_row_breaking_a_database_rule_is_a_row_error_not_a_server_error(client, editor):
    initiative = make_initiative(status=Status.DRAFT, slug="pledge")
    make_organisation(slug="acme")
    make_person(slug="someone", orcid="0000-0002-1825-0097")
    both = {"initiative": "pledge", "organisation": "acme", "country": "FR", "stance": "signed"}

    response = preview(client, SIGNATORIES, sheet([both]))
    errors = row_errors(response.context["result"])
    assert any("either a country or an organisation" in m for m in errors[1])

    taken = {"slug": "other", "name": "Other Person", "orcid": "0000-0002-1825-0097"}
    errors = row_errors(preview(client, PEOPLE, sheet([taken])).context["result"])
    assert any("orcid" in m.lower() for m in errors[1])
    assert not initiative.signatories.exists()


# --- Confirm: drafts, through the workflow ------------------------------------------------------


@pytest.mark.parametrize("fmt", [CSV, XLSX])
def test_confirmed_import_creates_drafts_owned_by_the_importer(client, editor, fmt):
    import_sheet(
        client,
        INITIATIVES,
        sheet([{"slug": "compute-fund", "title": "Compute Fund", "kind": "fund"}], fmt),
        fmt,
    )

    initiative = Initiative.objects.get(slug="compute-fund")
    assert initiative.status == Status.DRAFT
    assert initiative.created_by == editor
    assert not Initiative.objects.published().exists()
    assert Version.objects.get_for_object(initiative).count() == 1
    assert LogEntry.objects.filter(
        object_id=str(initiative.pk), action_flag=ADDITION, user=editor
    ).exists()


def test_imported_drafts_are_not_public(client, editor):
    event = make_event(slug="summit")
    import_sheet(
        client,
        SESSIONS,
        sheet([{"event": "summit", "slug": "opening", "title": "Opening", "kind": "keynote"}]),
    )

    session = Session.objects.get(event=event, slug="opening")
    assert session.status == Status.DRAFT
    assert not Session.objects.published().filter(pk=session.pk).exists()
    client.logout()
    assert client.get(f"/events/{event.slug}/sessions/opening/").status_code == 404


def test_status_column_cannot_publish_or_change_a_state(client, editor):
    published = {"slug": "new-org", "name": "New", "status": "published"}
    errors = row_errors(preview(client, ORGANISATIONS, sheet([published])).context["result"])
    assert any("does not change states" in m for m in errors[1])

    make_organisation(slug="draft-org", name="Draft", status=Status.DRAFT)
    archived = {"slug": "draft-org", "name": "Draft", "status": "Archived"}
    errors = row_errors(preview(client, ORGANISATIONS, sheet([archived])).context["result"])
    assert any("does not change states" in m for m in errors[1])
    assert Organisation.objects.get(slug="draft-org").status == Status.DRAFT
    assert not Organisation.objects.filter(slug="new-org").exists()


def test_changes_to_a_draft_are_saved_as_a_revision(client, editor):
    org = make_organisation(slug="acme", name="Acme", status=Status.DRAFT)
    import_sheet(client, ORGANISATIONS, sheet([{"slug": "acme", "name": "Acme Ltd"}]))

    org.refresh_from_db()
    assert org.name == "Acme Ltd"
    assert org.status == Status.DRAFT
    version = Version.objects.get_for_object(org).first()
    assert version.revision.user == editor
    assert "name" in version.revision.comment


def test_import_refuses_to_change_a_published_item(client, editor):
    org = make_organisation(slug="live-org", name="Live")
    before = org.updated_at
    response = preview(client, ORGANISATIONS, sheet([{"slug": "live-org", "name": "Renamed"}]))

    errors = row_errors(response.context["result"])
    assert any("is published: an import changes only drafts" in m for m in errors[1])
    org.refresh_from_db()
    assert (org.name, org.status, org.updated_at) == ("Live", Status.PUBLISHED, before)


def test_unchanged_rows_of_published_items_are_skipped_not_refused(client, editor):
    make_organisation(slug="live-org", name="Live", kind="company")
    content = export(client, ORGANISATIONS).content

    result = preview(client, ORGANISATIONS, content).context["result"]
    assert import_types(result) == ["skip"]


def test_signatories_follow_their_initiatives_state(client, editor):
    make_initiative(slug="live-pledge", kind="declaration")
    draft = make_initiative(slug="draft-pledge", kind="declaration", status=Status.DRAFT)
    rows = [
        {"initiative": "live-pledge", "country": "FR", "stance": "signed"},
        {"initiative": "draft-pledge", "country": "de", "stance": "Declined to sign"},
    ]

    errors = row_errors(preview(client, SIGNATORIES, sheet(rows)).context["result"])
    assert set(errors) == {1}
    assert any("changes its signatories only while it is a draft" in m for m in errors[1])

    import_sheet(client, SIGNATORIES, sheet(rows[1:]))
    signatory = Signatory.objects.get()
    assert (signatory.initiative, signatory.country, signatory.stance) == (
        draft,
        "DE",
        "declined",
    )
    assert not Signatory.objects.published().exists()


def test_importing_a_signatory_moves_its_initiatives_edit_token(client, editor):
    """An initiative form opened before the import cannot overwrite the imported rows."""
    initiative = make_initiative(slug="pledge", kind="declaration", status=Status.DRAFT)
    before = initiative.updated_at
    import_sheet(client, SIGNATORIES, sheet([{"initiative": "pledge", "country": "FR"}]))

    initiative.refresh_from_db()
    assert initiative.updated_at > before


# --- Idempotence and round trips ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [CSV, XLSX])
def test_importing_the_same_file_twice_changes_nothing_the_second_time(client, editor, fmt):
    make_topic(slug="ai")
    make_organisation(slug="acme")
    content = sheet(
        [
            {"slug": "ada", "name": "Ada Lovelace", "affiliation": "acme", "topics": "ai"},
            {"slug": "alan", "name": "Alan Turing", "orcid": "0000-0002-1825-0097"},
        ],
        fmt,
    )
    import_sheet(client, PEOPLE, content, fmt)
    saved = dict(Person.objects.values_list("slug", "updated_at"))
    versions = Version.objects.count()

    result = import_sheet(client, PEOPLE, content, fmt)

    assert import_types(result) == ["skip", "skip"]
    assert dict(Person.objects.values_list("slug", "updated_at")) == saved
    assert Version.objects.count() == versions


@pytest.mark.parametrize("fmt", [CSV, XLSX])
def test_export_then_import_round_trips_unchanged(client, editor, fmt):
    topic = make_topic(slug="compute")
    lead = make_organisation(slug="lead-org")
    event = make_event(slug="summit", timezone="Asia/Kolkata")
    session = make_session(event=event, slug="launch", track=make_track(event=event))
    session.topics.add(topic)
    initiative = make_initiative(
        slug="fund",
        kind="fund",
        status=Status.DRAFT,
        description='<p>See <a href="https://example.org/x">this</a>.</p>',
        jurisdictions=["FR", "DE"],
        amount="1500000.50",
        currency="EUR",
        announced_at=event,
        announced_in=session,
        announced_on=datetime(2025, 2, 11).date(),
    )
    initiative.lead_organisations.add(lead)
    initiative.related_sessions.add(session)
    initiative.topics.add(topic)
    make_signatory(initiative, country="FR")
    make_signatory(initiative, organisation=lead, stance="supports")
    make_person(slug="ada", name="Ada Lovelace", affiliation=lead, orcid="0000-0002-1825-0097")

    for admin_name in (INITIATIVES, SIGNATORIES, SESSIONS, ORGANISATIONS, PEOPLE):
        content = export(client, admin_name, fmt=fmt).content
        result = preview(client, admin_name, content, fmt).context["result"]
        assert result.rows, admin_name
        assert set(import_types(result)) == {"skip"}, (admin_name, row_errors(result))


def test_a_cell_edited_in_an_exported_sheet_updates_that_draft_only(client, editor):
    make_initiative(slug="one", title="One", kind="fund", status=Status.DRAFT)
    make_initiative(slug="two", title="Two", kind="fund", status=Status.DRAFT)
    rows = exported_rows(export(client, INITIATIVES))
    for row in rows:
        if row["slug"] == "two":
            row["title"] = "Two, renamed"
            row["amount"] = "250"
            row["currency"] = "USD"

    result = import_sheet(client, INITIATIVES, sheet(rows))

    assert sorted(import_types(result)) == ["skip", "update"]
    two = Initiative.objects.get(slug="two")
    assert (two.title, two.amount, two.status) == ("Two, renamed", 250, Status.DRAFT)
    assert Initiative.objects.get(slug="one").title == "One"


def test_an_amount_without_a_currency_is_refused_as_the_form_refuses_it(client, editor):
    row = {"slug": "fund", "title": "Fund", "kind": "fund", "amount": "100"}
    errors = row_errors(preview(client, INITIATIVES, sheet([row])).context["result"])
    assert any("currency" in m for m in errors[1])


# --- Export ---------------------------------------------------------------------------------------


def test_export_of_a_filtered_and_searched_list_has_exactly_its_rows(client, editor):
    make_organisation(slug="acme-research", name="Acme Research", kind="academic")
    make_organisation(slug="acme-capital", name="Acme Capital", kind="investor")
    make_organisation(slug="other-research", name="Other Research", kind="academic")

    rows = exported_rows(export(client, ORGANISATIONS, "?kind__exact=academic&q=acme"))

    assert [row["slug"] for row in rows] == ["acme-research"]
    assert list(rows[0]) == [
        "slug", "name", "acronym", "kind", "country", "parent", "website", "description",
        "topics", "status",
    ]  # fmt: skip


def test_the_changelist_offers_export_with_its_filters(client, editor):
    make_organisation()
    response = client.get(reverse(f"admin:{ORGANISATIONS}_changelist") + "?kind__exact=academic")
    page = response.content.decode()
    assert reverse(f"admin:{ORGANISATIONS}_export") + "?kind__exact=academic" in page
    assert reverse(f"admin:{ORGANISATIONS}_import") in page


def test_session_times_are_written_and_read_in_the_events_time_zone(client, editor):
    event = make_event(
        slug="delhi", timezone="Asia/Kolkata", start=datetime(2026, 2, 19, 4, 0, tzinfo=UTC)
    )
    make_session(event=event, slug="keynote", start=datetime(2026, 2, 19, 5, 0, tzinfo=UTC))

    rows = exported_rows(export(client, SESSIONS))
    assert rows[0]["start"] == "2026-02-19 10:30"

    new = {"event": "delhi", "slug": "panel", "title": "Panel", "start": "2026-02-19 14:00"}
    import_sheet(client, SESSIONS, sheet([new]))
    assert Session.objects.get(slug="panel").start == datetime(2026, 2, 19, 8, 30, tzinfo=UTC)


def test_sessions_are_matched_on_their_event_and_slug(client, editor):
    first, second = make_event(slug="first"), make_event(slug="second")
    make_session(event=first, slug="opening", title="Opening", status=Status.DRAFT)
    rows = [
        {"event": "first", "slug": "opening", "title": "Opening, revised"},
        {"event": "second", "slug": "opening", "title": "Another opening"},
    ]

    result = import_sheet(client, SESSIONS, sheet(rows))

    assert import_types(result) == ["update", "new"]
    assert Session.objects.get(event=first).title == "Opening, revised"
    assert Session.objects.get(event=second).title == "Another opening"


def test_a_track_of_another_event_is_a_row_error(client, editor):
    make_event(slug="first")
    make_track(event=make_event(slug="second"), slug="policy")
    row = {"event": "first", "slug": "talk", "title": "Talk", "track": "policy"}
    errors = row_errors(preview(client, SESSIONS, sheet([row])).context["result"])
    assert any("no track with the slug “policy”" in m for m in errors[1])


def test_export_asks_the_database_the_same_number_of_times_for_1_and_many_rows(
    client, editor, django_assert_num_queries
):
    def initiative():
        item = make_initiative(announced_at=make_event(), part_of=make_initiative())
        item.lead_organisations.add(make_organisation())
        item.related_sessions.add(make_session())
        item.topics.add(make_topic())
        return item

    initiative()
    export(client, INITIATIVES)  # caches warm up
    with django_assert_num_queries(14):
        export(client, INITIATIVES)
    for _ in range(4):
        initiative()
    with django_assert_num_queries(14):
        assert len(exported_rows(export(client, INITIATIVES))) == 10


# --- Bad files ------------------------------------------------------------------------------------


def test_a_file_that_is_not_a_spreadsheet_gets_a_clear_message(client, editor):
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    response = preview(client, ORGANISATIONS, png, XLSX, filename="logo.xlsx")

    assert response.status_code == 200
    assert "could not be read as XLSX" in " ".join(response.context["form"].errors["import_file"])
    assert not Organisation.objects.exists()


def test_a_file_with_the_wrong_columns_gets_a_clear_message(client, editor):
    response = preview(client, ORGANISATIONS, sheet([{"title": "Acme", "colour": "red"}]))

    page = response.content.decode()
    assert response.context.get("confirm_form") is None
    assert "columns do not match the organisation sheet" in page
    assert "it has no slug column" in page
    assert "title, colour" in page
    assert "Traceback" not in page
    assert not Organisation.objects.exists()


# --- Permissions ----------------------------------------------------------------------------------


def test_a_user_who_may_only_view_cannot_import(client):
    viewer = make_staff(username="viewer", perms=["events.view_organisation"])
    client.force_login(viewer)
    make_organisation()

    page = client.get(reverse(f"admin:{ORGANISATIONS}_changelist")).content.decode()
    assert reverse(f"admin:{ORGANISATIONS}_import") not in page
    assert client.get(reverse(f"admin:{ORGANISATIONS}_import")).status_code == 403
    response = preview(client, ORGANISATIONS, sheet([{"slug": "x", "name": "X"}]))
    assert response.status_code == 403
    assert client.post(reverse(f"admin:{ORGANISATIONS}_process_import"), {}).status_code == 403
    assert not Organisation.objects.filter(slug="x").exists()


def test_a_contributor_imports_new_drafts_but_not_into_someone_elses(client, contributor):
    someone = make_member(username="someone", group="Contributors")
    make_organisation(slug="theirs", name="Theirs", status=Status.DRAFT, created_by=someone)
    rows = [{"slug": "mine", "name": "Mine"}, {"slug": "theirs", "name": "Changed"}]

    errors = row_errors(preview(client, ORGANISATIONS, sheet(rows)).context["result"])
    assert set(errors) == {2}
    assert any("someone else's draft" in m for m in errors[2])

    import_sheet(client, ORGANISATIONS, sheet(rows[:1]))
    mine = Organisation.objects.get(slug="mine")
    assert (mine.status, mine.created_by) == (Status.DRAFT, contributor)
    assert Organisation.objects.get(slug="theirs").name == "Theirs"


# --- Rich text ------------------------------------------------------------------------------------


def test_html_in_a_cell_is_sanitised_on_import(client, editor):
    body = '<p onclick="steal()">Hello <script>alert(1)</script><a href="javascript:x">link</a></p>'
    response = preview(client, PEOPLE, sheet([{"slug": "ada", "name": "Ada", "bio": body}]))
    assert "<script>" not in response.content.decode()
    confirm(client, PEOPLE, response)

    bio = Person.objects.get(slug="ada").bio
    assert "script" not in bio
    assert "onclick" not in bio
    assert "javascript" not in bio
    assert bio.startswith("<p>Hello")


def test_links_without_a_scheme_are_taken_as_https_like_the_form(client, editor):
    import_sheet(client, ORGANISATIONS, sheet([{"slug": "a", "name": "A", "website": "a.org"}]))
    assert Organisation.objects.get(slug="a").website == "https://a.org"


def test_an_initiative_can_be_given_sessions_by_event_and_slug(client, editor):
    session = make_session(event=make_event(slug="summit"), slug="launch")
    row = {
        "slug": "fund", "title": "Fund", "kind": "fund", "announced_in": "summit/launch",
        "related_sessions": "summit/launch", "jurisdictions": "fr, DE",
    }  # fmt: skip
    import_sheet(client, INITIATIVES, sheet([row]))

    initiative = Initiative.objects.get(slug="fund")
    assert initiative.announced_in == session
    assert list(initiative.related_sessions.all()) == [session]
    assert sorted(c.code for c in initiative.jurisdictions) == ["DE", "FR"]
    assert initiative.updated_at > datetime.now(UTC) - timedelta(minutes=5)


def test_a_title_that_looks_like_a_formula_is_exported_as_text(client, editor):
    import openpyxl

    make_organisation(slug="sneaky", name='=HYPERLINK("https://evil.example","x")')
    content = export(client, ORGANISATIONS, fmt=XLSX).content

    sheet_ = openpyxl.load_workbook(io.BytesIO(content)).active
    cell = sheet_.cell(row=2, column=2)
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("https://evil.example","x")'
    result = preview(client, ORGANISATIONS, content, XLSX).context["result"]
    assert import_types(result) == ["skip"]


def test_confirming_a_preview_twice_imports_once_and_says_why(client, editor):
    response = preview(client, ORGANISATIONS, sheet([{"slug": "acme", "name": "Acme"}]))
    confirm(client, ORGANISATIONS, response)

    again = confirm(client, ORGANISATIONS, response)

    assert again.status_code == 302
    assert again["Location"] == reverse(f"admin:{ORGANISATIONS}_import")
    assert Organisation.objects.filter(slug="acme").count() == 1


def test_a_sessions_participants_are_imported_in_order_with_their_roles(client, editor):
    from events.models import SessionParticipant

    make_event(slug="summit")
    ada, alan = make_person(slug="ada"), make_person(slug="alan")
    row = {
        "event": "summit", "slug": "panel", "title": "Panel",
        "participants": "alan:Moderator, ada, ada:panellist",
    }  # fmt: skip
    import_sheet(client, SESSIONS, sheet([row]))

    session = Session.objects.get(slug="panel")
    assert [(a.person, a.role) for a in session.appearances.all()] == [
        (alan, "moderator"), (ada, "speaker"), (ada, "panellist"),
    ]  # fmt: skip
    assert (
        export(client, SESSIONS)
        .content.decode()
        .count("alan:moderator, ada:speaker, ada:panellist")
        == 1
    )

    SessionParticipant.objects.filter(person=alan).update(affiliation_text="Acme")
    row["participants"] = "ada:panellist, alan:moderator"
    import_sheet(client, SESSIONS, sheet([row]))
    assert [(a.person, a.role) for a in session.appearances.all()] == [
        (ada, "panellist"), (alan, "moderator"),
    ]  # fmt: skip
    assert session.appearances.get(person=alan).affiliation_text == "Acme"

    row["participants"] = "nobody:speaker, ada:juggler"
    errors = row_errors(preview(client, SESSIONS, sheet([row])).context["result"])
    assert any("no person with the slug “nobody”" in m for m in errors[1])
    assert any("“juggler” is not one of" in m for m in errors[1])


def test_participants_of_a_published_session_are_not_changed_by_import(client, editor):
    session = make_session(event=make_event(slug="summit"), slug="live")
    make_person(slug="ada")
    row = {"event": "summit", "slug": "live", "title": session.title, "participants": "ada"}

    errors = row_errors(preview(client, SESSIONS, sheet([row])).context["result"])

    assert any("an import changes only drafts" in m for m in errors[1])
    assert not session.appearances.exists()


def test_session_export_asks_the_database_the_same_number_of_times_for_1_and_many_rows(
    client, editor, django_assert_num_queries
):
    def session():
        item = make_session(track=make_track())
        item.hosts.add(make_organisation())
        item.topics.add(make_topic())
        add_participant(item, make_person())
        return item

    session()
    export(client, SESSIONS)  # caches warm up
    with django_assert_num_queries(12):
        export(client, SESSIONS)
    for _ in range(4):
        session()
    with django_assert_num_queries(12):
        assert len(exported_rows(export(client, SESSIONS))) == 5


def test_a_contributor_cannot_add_a_signatory_to_a_published_initiative_in_its_list(
    client, contributor
):
    initiative = make_initiative(kind="declaration")
    response = client.post(
        reverse(f"admin:{SIGNATORIES}_add"),
        {"initiative": initiative.pk, "country": "FR", "stance": "signed", "order": 0},
    )

    assert response.status_code == 200
    assert "only of initiatives you may edit" in response.content.decode()
    assert not Signatory.objects.exists()
