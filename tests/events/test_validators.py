"""Identifier and code validators, with known good and bad values."""

import pytest
from django.core.exceptions import ValidationError

from core.validators import (
    orcid_check_digit,
    validate_currency,
    validate_doi,
    validate_issn,
    validate_orcid,
    validate_timezone,
)


@pytest.mark.parametrize(
    "orcid",
    [
        "0000-0002-1825-0097",  # ORCID's own documented example
        "0000-0001-5109-3700",
        "0000-0002-1694-233X",  # check digit X
    ],
)
def test_valid_orcid_is_accepted(orcid):
    validate_orcid(orcid)


@pytest.mark.parametrize(
    "orcid",
    [
        "0000-0002-1825-0098",  # wrong check digit
        "0000-0002-1694-2330",  # X expected
        "0000000218250097",  # no hyphens
        "https://orcid.org/0000-0002-1825-0097",
        "0000-0002-1825-009",
    ],
)
def test_invalid_orcid_is_rejected_with_a_message(orcid):
    with pytest.raises(ValidationError) as excinfo:
        validate_orcid(orcid)
    assert "ORCID" in str(excinfo.value) or "check digit" in str(excinfo.value)


def test_orcid_check_digit_follows_iso_7064_mod_11_2():
    assert orcid_check_digit("000000021825009") == "7"
    assert orcid_check_digit("000000021694233") == "X"


@pytest.mark.parametrize("issn", ["2632-3249", "0317-8471", "2434-561X", "0378-5955"])
def test_valid_issn_is_accepted(issn):
    validate_issn(issn)


@pytest.mark.parametrize(
    "issn", ["2632-3248", "0317-8472", "03178471", "2434-5610", "ISSN 0317-8471"]
)
def test_invalid_issn_is_rejected(issn):
    with pytest.raises(ValidationError):
        validate_issn(issn)


@pytest.mark.parametrize(
    "doi", ["10.1017/dap.2024.1", "10.1000/182", "10.1371/journal.pone.0123456"]
)
def test_valid_doi_is_accepted(doi):
    validate_doi(doi)


@pytest.mark.parametrize(
    "doi",
    ["https://doi.org/10.1017/dap.2024.1", "10.1017", "11.1017/x", "10.12/x", "10.1017/with space"],
)
def test_invalid_doi_is_rejected(doi):
    with pytest.raises(ValidationError) as excinfo:
        validate_doi(doi)
    assert "DOI" in str(excinfo.value)


@pytest.mark.parametrize("name", ["Europe/Paris", "Europe/London", "America/New_York", "UTC"])
def test_iana_timezones_are_accepted(name):
    validate_timezone(name)


@pytest.mark.parametrize("name", ["Paris", "CET+1", "Europe/Pariss", ""])
def test_unknown_timezones_are_rejected(name):
    with pytest.raises(ValidationError):
        validate_timezone(name)


@pytest.mark.parametrize("code", ["EUR", "USD", "GBP", "JPY"])
def test_iso_4217_currencies_are_accepted(code):
    validate_currency(code)


@pytest.mark.parametrize("code", ["EU", "eur", "XYZ", "EURO"])
def test_unknown_currencies_are_rejected(code):
    with pytest.raises(ValidationError):
        validate_currency(code)
