"""The journal carries a publication status; its articles and collections are public only
while it is published, like sessions of an event."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from core.publishing import Status
from publications.models import Article, Collection, Journal
from tests.factories import add_author, make_article, make_collection, make_journal, make_person

pytestmark = pytest.mark.django_db


def test_a_new_journal_starts_as_a_draft():
    journal = Journal.objects.create(title="Data & Policy", slug="dap")
    assert journal.status == Status.DRAFT


def test_the_migration_keeps_existing_journals_on_the_site():
    migration = importlib.import_module("publications.migrations.0002_journal_publishable")
    Journal.objects.create(title="Data & Policy", slug="dap")
    migration.publish_existing(apps, None)
    assert Journal.objects.get().is_published


def test_articles_and_collections_of_a_draft_journal_are_not_published():
    journal = make_journal(status=Status.DRAFT)
    make_article(journal=journal)
    make_collection(journal=journal)
    assert not Article.objects.published().exists()
    assert not Collection.objects.published().exists()
    journal.status = Status.PUBLISHED
    journal.publish_at = timezone.now()
    journal.save()
    assert Article.objects.published().count() == 1
    assert Collection.objects.published().count() == 1


def test_article_of_a_draft_journal_is_nowhere_public(client):
    journal = make_journal(title="Hidden journal", slug="hidden-journal", status=Status.DRAFT)
    article = make_article(journal=journal, title="Hidden article", slug="hidden-article")
    collection = make_collection(journal=journal, slug="hidden-collection")
    person = make_person()
    add_author(article, person)
    for url in (
        article.get_absolute_url(),
        f"{article.get_absolute_url()}cite.bib",
        collection.get_absolute_url(),
        "/api/v1/journals/hidden-journal/",
        "/api/v1/articles/hidden-article/",
        "/api/v1/collections/hidden-collection/",
    ):
        assert client.get(url).status_code == 404, url
    for url in ("/journal/", "/journal/feed/", "/", person.get_absolute_url(), "/api/v1/journals/"):
        assert "Hidden" not in client.get(url).content.decode(), url
    assert client.get("/api/v1/articles/?journal=hidden-journal").status_code == 400


def test_published_journal_names_its_articles_in_citations(client):
    article = make_article(journal=make_journal(title="Data & Policy"))
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'name="citation_journal_title" content="Data &amp; Policy"' in page
