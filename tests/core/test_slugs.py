"""Slugs for rows that code creates: the first free one, within its scope, even in a race."""

import threading

import pytest
from django.conf import settings
from django.db import connections
from django.db.models.signals import pre_save

from core.slugs import create_with_unique_slug, unique_slug
from events.models import Person, Session
from tests.factories import make_event, make_person, make_session

pytestmark = pytest.mark.django_db


def test_unique_slug_counts_up_past_the_taken_ones():
    make_person(slug="ada-lovelace")
    make_person(slug="ada-lovelace-2")
    assert unique_slug(Person, "Ada Lovelace") == "ada-lovelace-3"


def test_unique_slug_is_unique_only_within_its_scope():
    summit, forum = make_event(), make_event()
    make_session(event=summit, slug="opening")
    assert unique_slug(Session, "Opening", event=summit) == "opening-2"
    assert unique_slug(Session, "Opening", event=forum) == "opening"


def test_unique_slug_fits_the_field_and_falls_back_for_text_without_letters():
    long = unique_slug(Person, "word " * 100)
    assert len(long) <= Person._meta.get_field("slug").max_length
    assert not long.endswith("-")
    assert unique_slug(Person, "!!!") == "item"


@pytest.mark.skipif(
    "sqlite" in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite lets one writer in at a time: no other request can insert in between.",
)
@pytest.mark.django_db(transaction=True)
def test_a_slug_taken_between_the_check_and_the_insert_moves_to_the_next():
    def another_request(slug):
        try:
            make_person(name="Ada Lovelace", slug=slug)
        finally:
            connections.close_all()  # this thread's own connection

    def take_the_slug_first(sender, instance, **kwargs):
        # Another request inserts (and commits) the same slug just before this one does.
        pre_save.disconnect(take_the_slug_first, sender=Person)
        thread = threading.Thread(target=another_request, args=(instance.slug,))
        thread.start()
        thread.join(timeout=10)

    pre_save.connect(take_the_slug_first, sender=Person)
    try:
        person = create_with_unique_slug(Person, slug_from="Ada Lovelace", name="Ada Lovelace")
    finally:
        pre_save.disconnect(take_the_slug_first, sender=Person)

    assert person.slug == "ada-lovelace-2"
    assert sorted(Person.objects.values_list("slug", flat=True)) == [
        "ada-lovelace",
        "ada-lovelace-2",
    ]
