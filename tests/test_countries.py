"""Country pages: what names a country, linked from where it is named; in sitemap, API, search."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from core.workflow import Status
from initiatives.models import Initiative, Signatory
from tests.factories import (
    make_event,
    make_initiative,
    make_organisation,
    make_person,
    make_signatory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def declaration(**kwargs) -> Initiative:
    return make_initiative(kind=Initiative.Kind.DECLARATION, **kwargs)


@pytest.fixture
def france():
    statement = declaration(title="Statement on inclusive AI", slug="statement")
    make_signatory(statement, country="FR", source_url="https://example.org/fr")
    refused = declaration(title="Another declaration", slug="another")
    make_signatory(
        refused,
        country="FR",
        stance=Signatory.Stance.DECLINED,
        statement="It did not go far enough.",
    )
    fund = make_initiative(title="A national fund", slug="fund", jurisdictions=["FR", "DE"])
    ministry = make_organisation(name="A ministry", slug="ministry", country="FR")
    make_event(title="Summit in Paris", slug="summit", city="Paris", country="FR")
    make_person(name="Ada Example", slug="ada", affiliation=ministry)
    return {"statement": statement, "refused": refused, "fund": fund, "ministry": ministry}


def test_country_page_gathers_everything_public_that_names_the_country(client, france):
    response = client.get("/countries/fr/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>France</h1>" in page
    for text in (
        "Statement on inclusive AI",
        "Another declaration",
        "Declined to sign",
        "It did not go far enough.",
        "A national fund",
        "A ministry",
        "Summit in Paris",
        "Ada Example",
    ):
        assert text in page
    assert 'href="https://example.org/fr"' in page


def test_drafts_never_name_a_country_or_appear_on_its_page(client, france):
    draft = declaration(title="Secret draft declaration", slug="secret", status=Status.DRAFT)
    make_signatory(draft, country="FR")
    make_organisation(name="Hidden body", slug="hidden", country="FR", status=Status.DRAFT)
    make_organisation(name="Draft only", slug="draft-only", country="NZ", status=Status.DRAFT)
    page = client.get("/countries/fr/").content.decode()
    assert "Secret draft declaration" not in page
    assert "Hidden body" not in page
    # New Zealand is named by a draft only: it has no page, in no list.
    assert client.get("/countries/nz/").status_code == 404
    assert "New Zealand" not in client.get("/countries/").content.decode()
    assert "new-zealand" not in client.get("/api/v1/countries/").content.decode()


def test_country_list_counts_each_kind(client, france):
    page = client.get("/countries/").content.decode()
    assert 'href="/countries/fr/"' in page
    assert "2 declarations · 1 initiative · 1 organisation · 1 event · 1 person" in page
    # Germany is in the fund's jurisdiction only.
    assert 'href="/countries/de/"' in page
    assert "Germany" in page


def test_unknown_codes_are_404_and_upper_case_redirects(client, france):
    assert client.get("/countries/zz/").status_code == 404
    assert client.get("/countries/de/").status_code == 200
    response = client.get("/countries/FR/")
    assert response.status_code == 301
    assert response["Location"] == "/countries/fr/"


def test_the_eu_has_a_page_of_its_own(client):
    make_initiative(title="AI Act", slug="ai-act", jurisdictions=["EU"])
    response = client.get("/countries/eu/")
    assert response.status_code == 200
    assert "European Union" in response.content.decode()


def test_every_place_a_country_is_named_links_to_its_page(client, france):
    links = 'href="/countries/fr/"'
    assert links in client.get("/organisations/ministry/").content.decode()
    assert links in client.get("/organisations/").content.decode()
    assert links in client.get("/events/summit/").content.decode()
    assert links in client.get("/initiatives/fund/").content.decode()
    assert links in client.get("/initiatives/statement/").content.decode()


def test_a_new_item_naming_a_country_shows_at_once(client, france):
    assert client.get("/countries/jp/").status_code == 404
    make_organisation(name="A Tokyo lab", slug="tokyo-lab", country="JP")
    assert client.get("/countries/jp/").status_code == 200


def test_country_pages_cost_the_same_queries_with_more_items(client, django_assert_num_queries):
    def add(n: int) -> None:
        for _ in range(n):
            item = declaration()
            make_signatory(item, country="FR")
            org = make_organisation(country="FR")
            make_person(affiliation=org)
            make_event(country="FR")
            make_initiative(jurisdictions=["FR"])

    add(1)
    cache.clear()
    client.get("/countries/fr/")  # the list of countries is computed and kept
    with django_assert_num_queries(5):
        client.get("/countries/fr/")
    add(4)
    cache.clear()
    client.get("/countries/fr/")
    with django_assert_num_queries(5):
        page = client.get("/countries/fr/").content.decode()
    assert page.count('class="card"') >= 20


def test_countries_are_in_the_sitemap(client, france):
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-countries.xml" in index
    section = client.get("/sitemap-countries.xml").content.decode()
    assert "http://testserver/countries/fr/" in section or "/countries/fr/</loc>" in section
    assert "/countries/de/</loc>" in section


def test_countries_in_the_api(client, france):
    listing = client.get("/api/v1/countries/").json()
    codes = [country["code"] for country in listing["results"]]
    assert codes == ["FR", "DE"]  # by name: France, Germany
    france_row = next(c for c in listing["results"] if c["code"] == "FR")
    assert france_row["counts"] == {
        "declarations": 2,
        "initiatives": 1,
        "organisations": 1,
        "events": 1,
        "people": 1,
    }
    detail = client.get(france_row["url"]).json()
    assert detail["name"] == "France"
    stances = {d["title"]: d["stance"] for d in detail["declarations"]}
    assert stances == {"Statement on inclusive AI": "signed", "Another declaration": "declined"}
    assert detail["people"][0]["title"] == "Ada Example"
    assert detail["organisations"][0]["url"].endswith("/api/v1/organisations/ministry/")
    missing = client.get("/api/v1/countries/zz/")
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "Nothing public names this country."


def test_search_finds_a_country_by_name_or_code(client, france):
    page = client.get("/search/", {"q": "france"}).content.decode()
    assert 'href="/countries/fr/"' in page
    assert "Countries (1)" in page
    assert 'href="/countries/fr/"' in client.get("/search/", {"q": "FR"}).content.decode()
