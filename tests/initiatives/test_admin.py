"""The editors' admin for initiatives: pages answer with query counts that do not grow."""

from __future__ import annotations

import pytest

from initiatives.models import ReferenceRate
from tests.factories import (
    check_admin_pages,
    make_event,
    make_initiative,
    make_organisation,
    make_signatory,
)

pytestmark = pytest.mark.django_db

CURRENCIES = iter(["USD", "GBP", "JPY", "CHF", "CAD", "AUD"])


def initiative_with_signatories():
    initiative = make_initiative(announced_at=make_event(), amount=100, currency="EUR")
    make_signatory(initiative, organisation=make_organisation())
    return initiative


def signatory():
    return make_signatory(make_initiative(kind="declaration"), organisation=make_organisation())


def reference_rate():
    return ReferenceRate.objects.create(
        currency=next(CURRENCIES), euros_per_unit="0.9", as_of="2025-02-10"
    )


@pytest.mark.parametrize(
    ("name", "make", "queries"),
    [
        (
            "initiatives_initiative",
            initiative_with_signatories,
            {"changelist": 12, "search": 12, "add": 8, "change": 20},
        ),
        (
            "initiatives_referencerate",
            reference_rate,
            {"changelist": 11, "add": 7, "change": 7},
        ),
        ("initiatives_signatory", signatory, {"changelist": 9, "add": 7, "change": 12}),
    ],
)
def test_admin_pages_answer_an_editor_with_queries_that_do_not_grow(
    client, django_assert_num_queries, name, make, queries
):
    check_admin_pages(client, django_assert_num_queries, name=name, make=make, queries=queries)
