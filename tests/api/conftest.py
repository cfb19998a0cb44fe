import pytest
from rest_framework.test import APIClient

from core.partners import issue_partner_key
from tests.factories import make_event, make_organisation

#: Where partners submit side sessions.
SUBMISSIONS_URL = "/api/v1/submissions/sessions/"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://site.example"


@pytest.fixture
def client():
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def partner(db):
    """A partner organisation with a key that may submit: ``partner.key``, ``partner.raw``,
    ``partner.client``."""
    return make_partner(can_submit=True)


@pytest.fixture
def reader(db):
    """A partner organisation with a read-only key (as indexers and data journalists get)."""
    return make_partner()


class PartnerAccess:
    def __init__(self, organisation, key, raw):
        self.organisation = organisation
        self.key = key
        self.raw = raw
        self.client = APIClient()
        self.client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")


def make_partner(**kwargs) -> PartnerAccess:
    organisation = kwargs.pop("organisation", None) or make_organisation()
    key, raw = issue_partner_key(organisation=organisation, name="Feed", created_by=None, **kwargs)
    return PartnerAccess(organisation, key, raw)


@pytest.fixture
def event(db):
    """A published event that partners may submit side sessions for."""
    return make_event(slug="summit")


def submission_payload(**changes) -> dict:
    """A valid side-session submission for the ``event`` fixture, with ``changes``."""
    return {
        "event": "summit",
        "title": "Open models for public interest",
        "start": "2025-02-10T18:00:00+01:00",
        "end": "2025-02-10T19:30:00+01:00",
        "room": "Salle Gaveau",
        **changes,
    }
