"""People who host an event appear on its page and theirs, and drafts stay hidden."""

import pytest

from core.publishing import Status
from tests.factories import make_event, make_person

pytestmark = pytest.mark.django_db


def test_event_page_names_its_hosting_people_and_their_pages_list_the_event(client):
    event = make_event(title="Paris AI Action Summit 2025")
    host = make_person(name="Emmanuel Macron", role="President of the French Republic")
    hidden = make_person(name="Draft Host", status=Status.DRAFT)
    event.host_people.set([host, hidden])

    page = client.get(event.get_absolute_url()).content.decode()
    assert "Emmanuel Macron" in page
    assert "President of the French Republic" in page
    assert "Draft Host" not in page

    person_page = client.get(host.get_absolute_url()).content.decode()
    assert "Events hosted" in person_page
    assert "Paris AI Action Summit 2025" in person_page


def test_event_json_ld_lists_hosting_people_as_organizers(client):
    import json
    import re

    event = make_event()
    event.host_people.set([make_person(name="Ursula von der Leyen")])
    html = client.get(event.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    data = [json.loads(b) for b in blocks]
    organizers = [o for d in data if d.get("@type") == "Event" for o in d.get("organizer", [])]
    assert {"@type": "Person", "name": "Ursula von der Leyen"}.items() <= next(
        o for o in organizers if o.get("@type") == "Person"
    ).items()
