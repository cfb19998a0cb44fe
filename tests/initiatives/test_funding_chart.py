"""The tracker's funding chart: every amount in its own currency and in euros at a stated,
dated rate, amounts without a rate kept and marked, parts of another initiative drawn under
it and counted once, a table with the same figures, and rates that editors keep."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from core.publishing import Status
from initiatives.models import ReferenceRate
from tests.factories import admin_form_data, make_initiative, make_member

pytestmark = pytest.mark.django_db


def funding(client, **params) -> str:
    html = client.get("/initiatives/", params).content.decode()
    return html.split('id="funding-heading"')[1].split('id="results-heading"')[0]


def rows(chart: str) -> list[str]:
    return chart.split('<ul class="bars">')[1].split("</ul>")[0].split("<li ")[1:]


def row_titles(chart: str) -> list[str]:
    return [re.search(r'<a href="[^"]+">([^<]+)</a>', row).group(1) for row in rows(chart)]


@pytest.fixture
def programme():
    investai = make_initiative(
        title="InvestAI", short_title="InvestAI", amount=Decimal("200e9"), currency="EUR"
    )
    make_initiative(
        title="Gigafactories fund", amount=Decimal("20e9"), currency="EUR", part_of=investai
    )
    make_initiative(title="Other plan", amount=Decimal("50e9"), currency="EUR")
    return investai


def test_a_fund_is_drawn_under_its_programme_and_counted_once(client, programme):
    chart = funding(client)
    assert row_titles(chart) == ["InvestAI", "Gigafactories fund", "Other plan"]
    investai, fund, other = rows(chart)
    assert "bar-row--within" in fund and "bar-row--depth-1" in fund
    assert "included in its amount, not added to it" in fund
    assert "Includes Gigafactories fund" in investai
    assert "bar-row--within" not in other
    # 200 + 50: the fund's 20 are inside the programme's 200.
    assert "about <strong>EUR 250 billion</strong>" in chart
    assert "1 amount inside another initiative's counted once" in chart


def test_a_part_of_a_part_without_an_amount_is_still_counted_once(client):
    programme = make_initiative(title="Programme", amount=Decimal("100e6"), currency="EUR")
    strand = make_initiative(title="Strand", part_of=programme)  # no amount of its own
    make_initiative(title="Grant", amount=Decimal("10e6"), currency="EUR", part_of=strand)
    chart = funding(client)
    assert row_titles(chart) == ["Programme", "Grant"]
    assert 'Part of <a href="/initiatives/' in rows(chart)[1]
    assert "about <strong>EUR 100 million</strong>" in chart


def test_a_draft_programme_nests_nothing(client):
    draft = make_initiative(
        title="Secret programme", amount=Decimal("9e9"), currency="EUR", status=Status.DRAFT
    )
    make_initiative(title="Public fund", amount=Decimal("1e9"), currency="EUR", part_of=draft)
    chart = funding(client)
    assert "Secret programme" not in chart
    assert row_titles(chart) == ["Public fund"] and "bar-row--within" not in chart


def test_every_amount_is_in_its_currency_and_in_euros_at_a_stated_dated_rate(client):
    ReferenceRate.objects.create(
        currency="USD",
        euros_per_unit=Decimal("0.920000"),
        as_of=date(2025, 3, 3),
        source="ECB reference rate",
    )
    make_initiative(title="Dollar fund", amount=Decimal("400e6"), currency="USD")
    make_initiative(title="Euro fund", amount=Decimal("100e6"), currency="EUR")
    make_initiative(title="Won fund", amount=Decimal("5e9"), currency="KRW")
    chart = funding(client)
    dollars, euros, won = rows(chart)
    assert "USD 400 million ≈ EUR 368 million" in dollars
    assert "at the editors' rate of 1 USD = 0.92 EUR, 3 March 2025" in dollars
    assert "EUR 100 million" in euros and "≈" not in euros
    # No rate: the row stays, with its own amount and why it has no bar.
    assert "KRW 5 billion" in won and "<rect" not in won
    assert "no euro rate for KRW yet, so not drawn to scale" in won
    assert "No euro rate for KRW</text>" in won
    assert "1 USD = 0.92 EUR on 3 March 2025, source: ECB reference rate" in chart
    assert "1 amount without a euro rate left out" in chart


def test_the_chart_has_a_table_with_the_same_figures(client, programme):
    ReferenceRate.objects.create(
        currency="USD", euros_per_unit=Decimal("0.9"), as_of=date(2025, 1, 6)
    )
    make_initiative(title="Dollar fund", amount=Decimal("10e6"), currency="USD")
    chart = funding(client)
    table = chart.split('id="funding-chart-table"')[1].split("</table>")[0]
    body = table.split("<tbody>")[1]
    assert body.count("<tr>") == 4
    assert '<th scope="col">In euros</th>' in table and '<th scope="col">Rate</th>' in table
    (dollar_row,) = [row for row in body.split("<tr>") if "Dollar fund" in row]
    assert "USD 10 million" in dollar_row and "EUR 9 million" in dollar_row
    assert "1 USD = 0.9 EUR, 6 January 2025" in dollar_row
    (fund_row,) = [row for row in body.split("<tr>") if "Gigafactories fund" in row]
    assert "InvestAI</a> (included in its amount)" in fund_row
    assert "<summary>The chart as a table</summary>" in chart


def test_editors_set_a_rate_with_its_date_and_source_in_the_admin(client):
    make_initiative(title="Dollar fund", amount=Decimal("400e6"), currency="USD")
    assert "no euro rate for USD yet" in funding(client)
    client.force_login(make_member(username="rates-editor", group="Editors"))
    add = reverse("admin:initiatives_referencerate_add")
    form = client.get(add)
    assert "What one unit of the currency is worth in euros" in form.content.decode()
    data = admin_form_data(
        form, currency="USD", euros_per_unit="0.92", as_of="2025-03-03", source="ECB"
    )
    assert client.post(add, data).status_code == 302
    client.logout()
    chart = funding(client)
    assert "at the editors' rate of 1 USD = 0.92 EUR, 3 March 2025" in chart
    assert "source: ECB" in chart and "no euro rate" not in chart
    changelist = client.get(reverse("admin:initiatives_referencerate_changelist"))
    assert changelist.status_code == 302  # signed out: the admin asks to sign in
