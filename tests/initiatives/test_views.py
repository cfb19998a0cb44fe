"""Public pages for initiatives: the filterable tracker, the funding chart and details."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest

from core.publishing import Status
from initiatives.currency import axis_ticks
from initiatives.models import Initiative, ReferenceRate, Source
from tests.factories import (
    make_article,
    make_event,
    make_initiative,
    make_journal,
    make_organisation,
    make_person,
    make_session,
    make_signatory,
    make_topic,
)

pytestmark = pytest.mark.django_db


def jsonld(response) -> dict:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(match.group(1))


def test_initiative_list_shows_published_only(client):
    make_initiative(title="InvestAI")
    make_initiative(title="Secret Fund", status=Status.DRAFT)
    html = client.get("/initiatives/").content.decode()
    assert "InvestAI" in html and "Secret Fund" not in html


def test_initiative_list_filters_by_kind_status_jurisdiction_and_year(client):
    make_initiative(
        title="InvestAI", kind="investment", jurisdictions=["EU"], announced_on=date(2025, 2, 11)
    )
    make_initiative(
        title="Paris Statement",
        kind="declaration",
        initiative_status="published",
        jurisdictions=["FR", "IN"],
        announced_on=date(2025, 2, 11),
    )
    make_initiative(
        title="Bletchley Declaration", kind="declaration", announced_on=date(2023, 11, 1)
    )

    def titles(query: str) -> str:
        return client.get(f"/initiatives/?{query}").content.decode()

    html = titles("kind=declaration")
    assert "Paris Statement" in html and "Bletchley Declaration" in html and "InvestAI" not in html
    html = titles("jurisdiction=IN")
    assert "Paris Statement" in html and "InvestAI" not in html
    html = titles("status=published")
    assert "Paris Statement" in html and "Bletchley Declaration" not in html
    html = titles("year=2023")
    assert "Bletchley Declaration" in html and "Paris Statement" not in html


def test_initiative_list_filters_by_organisation_event_and_topic(client):
    org = make_organisation(slug="general-catalyst")
    event = make_event(slug="summit")
    topic = make_topic(slug="compute")
    led = make_initiative(title="Led By Org")
    led.lead_organisations.add(org)
    signed = make_initiative(title="Signed By Org", kind="declaration")
    make_signatory(signed, organisation=org)
    make_initiative(title="At The Summit", announced_at=event)
    make_initiative(title="On Compute").topics.add(topic)
    make_initiative(title="Unrelated")
    html = client.get("/initiatives/?organisation=general-catalyst").content.decode()
    assert "Led By Org" in html and "Signed By Org" in html and "Unrelated" not in html
    html = client.get("/initiatives/?event=summit").content.decode()
    assert "At The Summit" in html and "Unrelated" not in html
    html = client.get("/initiatives/?topic=compute").content.decode()
    assert "On Compute" in html and "Unrelated" not in html


@pytest.mark.parametrize(
    "query",
    [
        "kind=nonsense",
        "year=abc",
        "year=99999999999999999999",
        "jurisdiction=ZZ",
        "organisation=no-such-org",
        "event=%00",
        "topic=" + "x" * 500,
        "page=-1",
    ],
)
def test_invalid_filter_values_do_not_break_the_page(client, query):
    make_initiative(title="InvestAI")
    response = client.get(f"/initiatives/?{query}")
    assert response.status_code == 200
    assert "InvestAI" in response.content.decode()


def test_invalid_filter_is_reported_on_the_form(client):
    response = client.get("/initiatives/?kind=nonsense")
    assert "could not be used" in response.content.decode()


def test_draft_organisation_cannot_be_used_as_a_filter(client):
    org = make_organisation(slug="stealth", name="Stealth Org", status=Status.DRAFT)
    make_initiative(title="Led By Stealth").lead_organisations.add(org)
    html = client.get("/initiatives/").content.decode()
    assert "Stealth Org" not in html
    assert "could not be used" in client.get("/initiatives/?organisation=stealth").content.decode()


def test_funding_chart_shows_own_currency_and_euros_with_rate_date(client):
    ReferenceRate.objects.create(
        currency="USD", euros_per_unit=Decimal("0.95"), as_of=date(2025, 2, 10)
    )
    make_initiative(
        title="InvestAI", short_title="InvestAI", amount=Decimal("200000000000"), currency="EUR"
    )
    make_initiative(
        title="Current AI", amount=Decimal("400000000"), currency="USD", amount_qualifier="initial"
    )
    make_initiative(
        title="Yen Fund", short_title="Yen Fund", amount=Decimal("1000"), currency="JPY"
    )
    html = client.get("/initiatives/").content.decode()
    chart = html.split('id="funding-heading"')[1].split('id="results-heading"')[0]
    assert "EUR 200 billion" in chart
    assert "USD 400 million" in chart and "EUR 380 million" in chart
    assert "at the editors' rate of 1 USD = 0.95 EUR, 10 February 2025" in chart
    assert "initially" in chart
    assert 'width="100.0%"' in chart
    # An amount with no rate keeps its row in the chart, and says why it has no bar.
    (yen,) = [row for row in chart.split("<li ")[1:] if "Yen Fund" in row]
    assert "bar-row--no-rate" in yen and "<rect" not in yen
    assert "JPY 1,000" in yen and "no euro rate for JPY yet, so not drawn to scale" in yen


def test_funding_chart_has_a_round_axis_and_bars_drawn_to_it(client):
    ReferenceRate.objects.create(
        currency="USD", euros_per_unit=Decimal("0.97"), as_of=date(2025, 2, 10)
    )
    make_initiative(title="Big", amount=Decimal("180000000000"), currency="EUR")
    make_initiative(title="Small", amount=Decimal("400000000"), currency="USD")
    html = client.get("/initiatives/").content.decode()
    chart = html.split('id="funding-heading"')[1].split('id="results-heading"')[0]
    ticks = re.findall(r"<text [^>]*>([^<]+)</text>", chart)
    assert ticks == ["0", "€50 bn", "€100 bn", "€150 bn", "€200 bn"]
    # 180 of an axis that ends at 200: 90 per cent of the width, not the whole of it.
    assert 'width="90.0%"' in chart
    # Every amount is also written out, for readers who cannot see the bars.
    assert "EUR 180 billion" in chart and "USD 400 million ≈ EUR 388 million" in chart


def test_funding_chart_marks_a_fund_inside_a_programme_as_included_not_added(client):
    programme = make_initiative(
        title="InvestAI", short_title="InvestAI", amount=Decimal("200000000000"), currency="EUR"
    )
    make_initiative(
        title="Gigafactories fund",
        amount=Decimal("20000000000"),
        currency="EUR",
        part_of=programme,
    )
    html = client.get("/initiatives/").content.decode()
    chart = html.split('id="funding-heading"')[1].split('id="results-heading"')[0]
    (row,) = [row for row in chart.split("<li ")[1:] if ">Gigafactories fund</a></span>" in row]
    assert "bar-row--within" in row
    assert "Part of" in row and programme.get_absolute_url() in row
    assert "included in its amount, not added to it" in row


@pytest.mark.parametrize(
    ("top", "ticks"),
    [
        (Decimal("200e9"), [0, 50e9, 100e9, 150e9, 200e9]),
        (Decimal("388e6"), [0, 100e6, 200e6, 300e6, 400e6]),
        (Decimal("7"), [0, 2, 4, 6, 8]),
        (Decimal("1000"), [0, 250, 500, 750, 1000]),
    ],
)
def test_axis_ticks_are_round_and_reach_the_largest_amount(top, ticks):
    assert axis_ticks(top) == [Decimal(str(tick)) for tick in ticks]


def test_initiative_page_gives_its_amount_in_euros_at_the_dated_rate(client):
    ReferenceRate.objects.create(
        currency="USD", euros_per_unit=Decimal("0.95"), as_of=date(2025, 2, 10)
    )
    dollars = make_initiative(title="Current AI", amount=Decimal("400000000"), currency="USD")
    euros = make_initiative(title="InvestAI", amount=Decimal("200000000000"), currency="EUR")
    yen = make_initiative(title="Yen Fund", amount=Decimal("1000"), currency="JPY")

    page = client.get(dollars.get_absolute_url()).content.decode()
    assert (
        "USD 400 million (≈ EUR 380 million at the editors' rate of 1 USD = 0.95 EUR, "
        "10 February 2025)"
    ) in page
    assert "≈" not in client.get(euros.get_absolute_url()).content.decode()
    yen_page = client.get(yen.get_absolute_url()).content.decode()
    assert "JPY 1,000 (no euro rate for JPY yet)" in yen_page and "≈" not in yen_page


@pytest.mark.parametrize("count", [1, 5])
def test_initiative_list_query_count_does_not_grow(client, django_assert_num_queries, count):
    ReferenceRate.objects.create(
        currency="USD", euros_per_unit=Decimal("0.9"), as_of=date(2025, 1, 1)
    )
    for _ in range(count):
        initiative = make_initiative(amount=Decimal(10), currency="USD", announced_at=make_event())
        initiative.lead_organisations.add(make_organisation())
    # With a cold cache, one of them finds the next scheduled change, which the filters'
    # cached suggestions are kept under (core.choosers). The timeline adds three: its
    # initiatives, their "builds on" links and the events of the period.
    with django_assert_num_queries(14):
        assert client.get("/initiatives/").status_code == 200


def build_declaration() -> Initiative:
    event = make_event(title="AI Action Summit")
    session = make_session(event=event, title="Closing plenary")
    declaration = make_initiative(
        title="Statement on Inclusive and Sustainable AI",
        kind="declaration",
        reported_signatory_count=60,
        announced_at=event,
        announced_in=session,
        jurisdictions=["FR", "CA"],
    )
    make_signatory(declaration, country="FR")
    make_signatory(declaration, country="CA")
    make_signatory(
        declaration,
        country="GB",
        stance="declined",
        statement="Not enough practical clarity on global governance.",
        statement_by="Prime Minister's spokesperson",
        source_url="https://example.org/uk",
    )
    make_signatory(
        declaration, organisation=make_organisation(name="Draft NGO", status=Status.DRAFT)
    )
    bletchley = make_initiative(title="Bletchley Declaration", kind="declaration")
    declaration.builds_on.add(bletchley, make_initiative(title="Draft Basis", status=Status.DRAFT))
    make_initiative(title="Follow-up", kind="report").builds_on.add(declaration)
    make_initiative(title="A Component", part_of=declaration)
    lead = make_organisation(name="Élysée")
    declaration.lead_organisations.add(
        lead, make_organisation(name="Hidden Lead", status=Status.DRAFT)
    )
    declaration.people.add(make_person(name="Emmanuel Macron"))
    Source.objects.create(
        initiative=declaration, title="Official text", url="https://example.org/t"
    )
    return declaration


def test_initiative_page_shows_signed_and_declined_with_statements_and_sources(client):
    declaration = build_declaration()
    response = client.get(declaration.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "France" in html and "Canada" in html
    assert "United Kingdom" in html and "Declined to sign" in html
    assert "Not enough practical clarity" in html and "Prime Minister&#x27;s spokesperson" in html
    assert "https://example.org/uk" in html
    assert (
        "Reported number of signatories: <strong>60</strong>; named here: <strong>2</strong>"
        in html
    )
    assert "Bletchley Declaration" in html and "Follow-up" in html and "A Component" in html
    assert "AI Action Summit" in html and "Closing plenary" in html
    assert "Élysée" in html and "Emmanuel Macron" in html and "Official text" in html
    for hidden in ("Draft NGO", "Draft Basis", "Hidden Lead"):
        assert hidden not in html
    data = jsonld(response)
    assert data["@type"] == "CreativeWork"
    assert data["name"] == "Statement on Inclusive and Sustainable AI"
    assert [org["name"] for org in data["sourceOrganization"]] == ["Élysée"]


def test_initiative_page_shows_amount_in_euros_with_rate_date(client):
    ReferenceRate.objects.create(
        currency="USD", euros_per_unit=Decimal("0.95"), as_of=date(2025, 2, 10)
    )
    initiative = make_initiative(title="Current AI", amount=Decimal("400000000"), currency="USD")
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "USD 400 million" in html and "EUR 380 million" in html and "10 February 2025" in html


def test_initiative_page_hides_a_draft_announcing_event(client):
    event = make_event(title="Hidden Launch Event", status=Status.DRAFT)
    initiative = make_initiative(announced_at=event, announced_in=make_session(event=event))
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "Hidden Launch Event" not in html


def test_draft_initiative_is_not_found(client):
    initiative = make_initiative(status=Status.REVIEW)
    assert client.get(initiative.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("count", [1, 4])
def test_initiative_detail_query_count_does_not_grow(client, django_assert_num_queries, count):
    initiative = make_initiative(kind="declaration")
    for i in range(count):
        make_signatory(initiative, organisation=make_organisation(), statement_person=make_person())
        initiative.builds_on.add(make_initiative())
        initiative.lead_organisations.add(make_organisation())
        Source.objects.create(initiative=initiative, title=f"S{i}", url="https://example.org/")
        initiative.related_sessions.add(make_session())
        make_article().related_initiatives.add(initiative)
        initiative.topics.add(make_topic())
    with django_assert_num_queries(14):
        assert client.get(initiative.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        ("200000000000", "EUR", "EUR 200 billion"),
        ("109000000000", "EUR", "EUR 109 billion"),
        ("400000000", "USD", "USD 400 million"),
        ("1500000", "GBP", "GBP 1.5 million"),
        ("1234567", "EUR", "EUR 1.235 million"),
        ("12345.5", "EUR", "EUR 12,345.50"),
        ("250", "EUR", "EUR 250"),
    ],
)
def test_amounts_are_written_as_people_read_them(amount, currency, shown):
    from decimal import Decimal

    from initiatives.currency import format_amount as money

    assert money(Decimal(amount), currency) == shown


def test_filters_offer_only_organisations_events_and_countries_that_lead_somewhere(client):
    from tests.factories import make_event, make_initiative, make_organisation

    leader = make_organisation(name="Leading Body", slug="leading-body")
    make_organisation(name="Bystander Body", slug="bystander-body")
    summit = make_event(title="Tracked Summit", slug="tracked-summit")
    make_event(title="Quiet Workshop", slug="quiet-workshop")
    initiative = make_initiative(jurisdictions=["EU", "FR"], announced_at=summit)
    initiative.lead_organisations.add(leader)

    html = client.get("/initiatives/").content.decode()
    assert 'value="leading-body"' in html and 'value="bystander-body"' not in html
    assert 'value="tracked-summit"' in html and 'value="quiet-workshop"' not in html
    assert 'value="FR"' in html and 'value="EU"' in html and 'value="DE"' not in html


def test_a_spokesperson_statement_is_attributed_to_the_spokesperson_not_the_principal(client):
    from tests.factories import make_initiative, make_person, make_signatory

    declaration = make_initiative(kind="declaration", slug="a-declaration")
    starmer = make_person(name="Keir Starmer")
    make_signatory(
        declaration,
        country="GB",
        stance="declined",
        statement="Not enough practical clarity.",
        statement_by="Spokesperson for the Prime Minister",
        statement_person=starmer,
    )
    html = client.get(declaration.get_absolute_url()).content.decode()
    assert "— Spokesperson for the Prime Minister (<a" in html
    assert f'<a href="{starmer.get_absolute_url()}">Keir Starmer</a>)' in html


# --- articles and sessions about an initiative -----------------------------------------------


def test_initiative_page_lists_published_articles_and_sessions_about_it(client):
    initiative = make_initiative()
    session = make_session(title="Panel on the declaration")
    initiative.related_sessions.add(session)
    make_article(title="Reading the declaration").related_initiatives.add(initiative)
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "Sessions about it" in html
    assert session.get_absolute_url() in html
    assert session.event.get_absolute_url() in html
    assert "Reading the declaration" in html


def test_initiative_page_hides_unpublished_articles_and_sessions_about_it(client):
    initiative = make_initiative()
    initiative.related_sessions.add(
        make_session(title="Draft panel", status=Status.DRAFT),
        make_session(title="Panel of a draft event", event=make_event(status=Status.DRAFT)),
    )
    make_article(title="Draft reading", status=Status.DRAFT).related_initiatives.add(initiative)
    make_article(
        title="Reading in a draft journal", journal=make_journal(status=Status.DRAFT)
    ).related_initiatives.add(initiative)
    html = client.get(initiative.get_absolute_url()).content.decode()
    for hidden in ("Draft panel", "Panel of a draft event", "Draft reading", "draft journal"):
        assert hidden not in html
    assert "Sessions about it" not in html


def test_session_page_lists_the_published_initiatives_it_discussed(client):
    session = make_session()
    make_initiative(title="Discussed initiative").related_sessions.add(session)
    make_initiative(title="Draft initiative", status=Status.DRAFT).related_sessions.add(session)
    html = client.get(session.get_absolute_url()).content.decode()
    assert "Initiatives discussed" in html
    assert "Discussed initiative" in html
    assert "Draft initiative" not in html


def test_initiative_page_shows_a_timeline_of_what_it_builds_on_in_date_order(client):
    first = make_initiative(title="First Declaration", announced_on=date(2023, 11, 1))
    second = make_initiative(title="Second Declaration", announced_on=date(2024, 5, 21))
    third = make_initiative(title="Third Statement", announced_on=date(2025, 2, 11))
    third.builds_on.add(second, first)
    make_initiative(title="Undated Follow-up").builds_on.add(third)
    html = client.get(third.get_absolute_url()).content.decode()
    timeline = html.split('class="timeline"')[1].split("</ol>")[0]
    order = [timeline.index(title) for title in ("First", "Second", "Third Statement")]
    assert order == sorted(order)
    assert '<time datetime="2024-05-21">21 May 2024</time>' in timeline
    assert "timeline-item--current" in timeline and "Undated" not in timeline
    # One dated initiative alone makes no timeline.
    alone = make_initiative(title="Alone", announced_on=date(2025, 1, 1))
    alone.builds_on.add(make_initiative(title="Undated Ancestor"))
    assert 'class="timeline"' not in client.get(alone.get_absolute_url()).content.decode()
