"""What must always hold: friendly messages from clean(), and the database as the last line."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import Person, Track
from initiatives.models import Signatory
from tests.factories import (
    make_article,
    make_event,
    make_initiative,
    make_journal,
    make_organisation,
    make_person,
    make_session,
    make_signatory,
)

pytestmark = pytest.mark.django_db


def _refused_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_event_end_before_start_gets_a_clear_message_and_is_refused_by_the_database():
    event = make_event()
    event.end = event.start - timedelta(hours=1)
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert excinfo.value.message_dict["end"] == ["The end cannot be before the start."]
    _refused_by_database(event.save)


def test_session_end_before_start_is_refused():
    session = make_session()
    session.end = session.start - timedelta(minutes=5)
    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()
    assert "end" in excinfo.value.message_dict
    _refused_by_database(session.save)


def test_event_time_zone_must_be_an_iana_name():
    event = make_event()
    event.timezone = "Paris time"
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert "IANA" in excinfo.value.message_dict["timezone"][0]


def test_session_slug_is_unique_within_its_event_only():
    event, other = make_event(), make_event()
    make_session(event=event, slug="opening")
    make_session(event=other, slug="opening")
    _refused_by_database(lambda: make_session(event=event, slug="opening"))


def test_track_slug_is_unique_within_its_event_only():
    from tests.factories import make_track

    event, other = make_event(), make_event()
    make_track(event=event, slug="research")
    make_track(event=other, slug="research")  # another event may use the same slug
    duplicate = Track(event=event, title="Research again", slug="research")
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    _refused_by_database(lambda: make_track(event=event, slug="research"))


def test_session_track_must_belong_to_the_same_event():
    from tests.factories import make_track

    session = make_session()
    session.track = make_track()
    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()
    assert "track" in excinfo.value.message_dict


def test_orcid_with_bad_check_digit_gets_a_message_and_bad_format_is_refused_by_database():
    person = make_person(orcid="0000-0002-1825-0098")
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert "check digit" in excinfo.value.message_dict["orcid"][0]
    _refused_by_database(lambda: Person.objects.filter(pk=person.pk).update(orcid="12345"))


def test_orcid_is_unique_among_people():
    make_person(orcid="0000-0002-1825-0097")
    make_person(orcid="")
    make_person(orcid="")  # many people have none
    _refused_by_database(lambda: make_person(orcid="0000-0002-1825-0097"))


def test_doi_format_and_uniqueness():
    article = make_article(doi="10.1017/dap.2024.1")
    article.doi = "doi:10.1017/dap"
    with pytest.raises(ValidationError):
        article.full_clean()
    _refused_by_database(lambda: make_article(doi="not-a-doi"))
    _refused_by_database(lambda: make_article(doi="10.1017/dap.2024.1"))


def test_issn_check_digit_is_checked_and_format_held_by_database():
    journal = make_journal(issn="2632-3248")
    with pytest.raises(ValidationError) as excinfo:
        journal.full_clean()
    assert "check digit" in excinfo.value.message_dict["issn"][0]
    _refused_by_database(lambda: make_journal(issn="26323249"))


def test_amount_needs_a_currency_and_cannot_be_negative():
    initiative = make_initiative(amount=Decimal("200000000000"), currency="EUR")
    initiative.currency = ""
    with pytest.raises(ValidationError) as excinfo:
        initiative.full_clean()
    assert "currency" in excinfo.value.message_dict
    _refused_by_database(initiative.save)
    _refused_by_database(lambda: make_initiative(amount=Decimal("-1"), currency="EUR"))


def test_currency_must_be_iso_4217():
    initiative = make_initiative(amount=Decimal("1"), currency="XYZ")
    with pytest.raises(ValidationError) as excinfo:
        initiative.full_clean()
    assert "ISO 4217" in excinfo.value.message_dict["currency"][0]
    _refused_by_database(lambda: make_initiative(amount=Decimal("1"), currency="eur"))


def test_country_codes_are_iso_3166_and_the_eu_is_accepted():
    organisation = make_organisation(country="EU")
    organisation.full_clean()
    organisation.country = "XX"
    with pytest.raises(ValidationError):
        organisation.full_clean()
    _refused_by_database(lambda: make_organisation(country="F1"))


def test_signatory_is_a_country_or_an_organisation_not_both():
    initiative = make_initiative(kind="declaration")
    both = Signatory(initiative=initiative, country="FR", organisation=make_organisation())
    with pytest.raises(ValidationError):
        both.full_clean()
    _refused_by_database(both.save)
    _refused_by_database(lambda: Signatory.objects.create(initiative=initiative))


def test_a_country_is_listed_once_per_declaration():
    initiative = make_initiative(kind="declaration")
    make_signatory(initiative, country="CA")
    make_signatory(make_initiative(), country="CA")
    _refused_by_database(lambda: make_signatory(initiative, country="CA", stance="declined"))


def test_image_needs_alt_text_unless_decorative():
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    person = make_person(image=SimpleUploadedFile("x.png", buffer.getvalue()))
    assert person.image.alt_text == ""
    with pytest.raises(ValidationError) as excinfo:
        person.clean()
    assert "image_alt" in excinfo.value.message_dict
    person.image_decorative = True
    person.clean()


@pytest.mark.parametrize("year", [1, 1899, 2201, 9999])
def test_event_dated_in_a_far_off_year_is_refused_with_a_message(year):
    from datetime import datetime as dt
    from zoneinfo import ZoneInfo

    from django.core.exceptions import ValidationError

    from events.models import Event

    event = Event(
        title="Typo",
        slug=f"typo-{year}",
        timezone="Europe/Paris",
        start=dt(year, 2, 10, 9, 0, tzinfo=ZoneInfo("UTC")),
        end=dt(year, 2, 10, 18, 0, tzinfo=ZoneInfo("UTC")),
    )
    with pytest.raises(ValidationError) as raised:
        event.full_clean()
    assert raised.value.message_dict["start"] == ["Give a date between 1900 and 2200."]
