"""An article with everything a citation needs, shared by the citation tests."""

from datetime import date

import pytest

from core.publishing import Status
from tests.factories import add_author, make_article, make_journal, make_organisation, make_person


@pytest.fixture
def citable_site(settings):
    settings.SITE_URL = "https://policy.example.org"


@pytest.fixture
def article(citable_site):
    """Two published authors in order and a draft one who must never be cited."""
    journal = make_journal(
        title="Data & Policy", issn="2632-3249", publisher=make_organisation(name="CUP")
    )
    article = make_article(
        journal=journal,
        title="Data governance for AI",
        slug="data-governance",
        doi="10.1017/dap.2025.12",
        volume="7",
        issue="1",
        pages="12–30",
        published_on=date(2025, 2, 10),
        abstract="<p>Why data &amp; governance matter.</p>",
    )
    add_author(article, make_person(name="Stefaan G. Verhulst"), order=1)
    add_author(article, make_person(name="Jean-Pierre Dupont"), order=2)
    add_author(article, make_person(name="Hidden Author", status=Status.DRAFT), order=3)
    return article
