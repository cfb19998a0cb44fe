"""Validators for identifiers and codes used across the apps.

Each validator raises a ValidationError whose message says what is wrong and
what a correct value looks like. The regular expressions are also used by the
database constraints, so form and database agree.
"""

from __future__ import annotations

import re
import zoneinfo
from functools import cache

import pycountry
from django.core.exceptions import ValidationError

DOI_RE = r"^10\.[0-9]{4,9}/\S+$"
ORCID_RE = r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$"
ISSN_RE = r"^[0-9]{4}-[0-9]{3}[0-9X]$"
CURRENCY_RE = r"^[A-Z]{3}$"

# These patterns mean the same in Python, SQLite (REGEXP runs Python's re) and PostgreSQL.
_DOI = re.compile(DOI_RE)
_ORCID = re.compile(ORCID_RE)
_ISSN = re.compile(ISSN_RE)


@cache
def available_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(
            "“%(value)s” is not an IANA time zone; use a name such as Europe/Paris.",
            code="invalid_timezone",
            params={"value": value},
        )


def validate_doi(value: str) -> None:
    if not _DOI.fullmatch(value):
        raise ValidationError(
            "“%(value)s” is not a DOI; a DOI looks like 10.1017/dap.2024.1 (no https://doi.org/).",
            code="invalid_doi",
            params={"value": value},
        )


def orcid_check_digit(base_digits: str) -> str:
    """ISO 7064 Mod 11-2 check character for the first 15 digits of an ORCID iD."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def validate_orcid(value: str) -> None:
    if not _ORCID.fullmatch(value):
        raise ValidationError(
            "“%(value)s” is not an ORCID iD; write it as 0000-0002-1825-0097.",
            code="invalid_orcid",
            params={"value": value},
        )
    digits = value.replace("-", "")
    if orcid_check_digit(digits[:15]) != digits[15]:
        raise ValidationError(
            "“%(value)s” has a wrong check digit; please copy the ORCID iD again.",
            code="invalid_orcid_checksum",
            params={"value": value},
        )


def issn_check_digit(first_seven: str) -> str:
    total = sum(int(d) * w for d, w in zip(first_seven, range(8, 1, -1), strict=True))
    result = (11 - total % 11) % 11
    return "X" if result == 10 else str(result)


def validate_issn(value: str) -> None:
    if not _ISSN.fullmatch(value):
        raise ValidationError(
            "“%(value)s” is not an ISSN; write it as 2632-3249.",
            code="invalid_issn",
            params={"value": value},
        )
    digits = value.replace("-", "")
    if issn_check_digit(digits[:7]) != digits[7]:
        raise ValidationError(
            "“%(value)s” has a wrong check digit; please copy the ISSN again.",
            code="invalid_issn_checksum",
            params={"value": value},
        )


def validate_currency(value: str) -> None:
    if not re.fullmatch(CURRENCY_RE, value) or pycountry.currencies.get(alpha_3=value) is None:
        raise ValidationError(
            "“%(value)s” is not an ISO 4217 currency code; use e.g. EUR, USD or GBP.",
            code="invalid_currency",
            params={"value": value},
        )
