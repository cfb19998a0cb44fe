"""The initiative tracker as open data agrees with the API, and says how it may be used."""

import csv
import io
from datetime import date

import pytest

from core.publishing import Status
from initiatives.open_data import COLUMN_NAMES
from tests.factories import make_event, make_initiative, make_organisation, make_signatory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracker():
    lead = make_organisation(slug="elysee")
    fund = make_initiative(
        slug="current-ai",
        title="Current AI",
        kind="fund",
        amount="400000000",
        currency="USD",
        amount_qualifier="initial",
        jurisdictions=["FR", "EU"],
        announced_on=date(2025, 2, 10),
        announced_at=make_event(slug="summit"),
    )
    fund.lead_organisations.add(lead)
    declaration = make_initiative(
        slug="statement", title="Statement", kind="declaration", announced_on=date(2025, 2, 11)
    )
    make_signatory(declaration, country="FR", stance="signed")
    make_signatory(declaration, country="US", stance="declined")
    make_signatory(declaration, organisation=make_organisation(slug="unesco"), stance="supports")
    make_initiative(slug="draft", status=Status.DRAFT)
    return fund, declaration


def test_json_has_licence_columns_and_published_initiatives_only(client, tracker):
    data = client.get("/api/v1/open-data/initiatives.json").json()
    assert data["licence"]["name"] == "CC BY 4.0"
    assert data["licence"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert [c["name"] for c in data["columns"]] == COLUMN_NAMES
    assert data["count"] == 2
    assert [r["slug"] for r in data["initiatives"]] == ["statement", "current-ai"]
    statement = data["initiatives"][0]
    assert (statement["signed_count"], statement["declined_count"]) == (1, 1)
    assert statement["supports_count"] == 1
    assert {(s["party"], s["stance"]) for s in statement["signatories"]} == {
        ("France", "signed"),
        ("United States of America", "declined"),
        (tracker[1].signatories.get(country="").organisation.name, "supports"),
    }


def test_csv_has_the_documented_columns_and_one_row_each(client, tracker):
    response = client.get("/api/v1/open-data/initiatives.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "license" in response["Link"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == COLUMN_NAMES
    by_slug = {row["slug"]: row for row in rows}
    assert set(by_slug) == {"current-ai", "statement"}
    fund = by_slug["current-ai"]
    assert fund["amount"] == "400000000.00"
    assert fund["currency"] == "USD"
    assert fund["amount_qualifier"] == "initial"
    assert fund["jurisdictions"] == "EU;FR"
    assert fund["lead_organisations"] == "elysee"
    assert fund["announced_at"] == "summit"
    assert set(by_slug["statement"]["signatories"].split("; ")) == {
        "FR:signed",
        "US:declined",
        "unesco:supports",
    }


def test_open_data_matches_the_api(client, tracker):
    records = client.get("/api/v1/open-data/initiatives.json").json()["initiatives"]
    rows = {
        row["slug"]: row
        for row in csv.DictReader(
            io.StringIO(client.get("/api/v1/open-data/initiatives.csv").content.decode())
        )
    }
    listed = client.get("/api/v1/initiatives/").json()["results"]
    assert [r["slug"] for r in records] == [i["slug"] for i in listed]
    for record in records:
        api = client.get(f"/api/v1/initiatives/{record['slug']}/").json()
        for name in ("title", "short_title", "kind", "initiative_status", "currency"):
            assert record[name] == api[name] == rows[record["slug"]][name]
            assert record["amount_qualifier"] == api["amount_qualifier"]
        assert record["amount"] == (api["amount"] or "") == rows[record["slug"]]["amount"]
        assert record["jurisdictions"] == api["jurisdictions"]
        assert record["announced_on"] == (api["announced_on"] or "")
        assert record["lead_organisations"] == [o["slug"] for o in api["lead_organisations"]]
        assert record["page_url"] == api["page_url"]
        assert record["api_url"] == api["url"]
        assert [(s["country"], s["stance"]) for s in record["signatories"]] == [
            (s["country"], s["stance"]) for s in api["signatories"]
        ]


def test_open_data_supports_conditional_get(client, tracker):
    first = client.get("/api/v1/open-data/initiatives.csv")
    again = client.get("/api/v1/open-data/initiatives.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
