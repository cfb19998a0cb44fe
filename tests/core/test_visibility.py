"""One visibility rule for every row: child rows are public exactly when their parents are.

The rule is declared once per table (``published_with`` on its QuerySet) and read by
``.published()`` and ``.visible_to(user)``; pages, exports and the API all go through it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.publishing import Publishable, Status, VisibleQuerySet
from events.models import SessionParticipant, Track
from initiatives.models import Signatory, Source
from publications.models import ArticleAuthor
from tests.factories import (
    add_author,
    add_participant,
    make_article,
    make_event,
    make_initiative,
    make_journal,
    make_organisation,
    make_person,
    make_session,
    make_signatory,
    make_staff,
    make_topic,
    make_track,
)

pytestmark = pytest.mark.django_db

DRAFT = {"status": Status.DRAFT}


def test_participant_is_public_only_with_its_person_session_and_event():
    shown = add_participant(make_session(), make_person())
    draft_person = add_participant(make_session(), make_person(**DRAFT))
    draft_session = add_participant(make_session(**DRAFT), make_person())
    draft_event = add_participant(make_session(event=make_event(**DRAFT)), make_person())

    public = set(SessionParticipant.objects.published())

    assert shown in public
    assert not public & {draft_person, draft_session, draft_event}


def test_expired_parent_hides_its_children_by_the_clock():
    past = timezone.now() - timedelta(days=2)
    event = make_event(publish_at=past, unpublish_at=past + timedelta(days=1))
    track = make_track(event=event)

    assert track not in Track.objects.published()
    assert track in Track.objects.published(at=past + timedelta(hours=1))


def test_signatory_needs_its_declaration_and_an_organisation_only_when_it_names_one():
    declaration = make_initiative(kind="declaration")
    country = make_signatory(declaration, country="FR")
    organisation = make_signatory(declaration, organisation=make_organisation())
    draft_organisation = make_signatory(declaration, organisation=make_organisation(**DRAFT))
    of_draft = make_signatory(make_initiative(kind="declaration", **DRAFT), country="DE")

    public = set(Signatory.objects.published())

    assert public == {country, organisation}
    assert draft_organisation not in public and of_draft not in public


def test_authorship_in_a_draft_journal_is_not_public():
    article = make_article(journal=make_journal(**DRAFT))
    authorship = add_author(article, make_person())
    shown = add_author(make_article(), make_person())

    assert list(ArticleAuthor.objects.published()) == [shown]
    assert authorship not in ArticleAuthor.objects.published()


def test_source_of_a_draft_initiative_is_not_public():
    draft = make_initiative(**DRAFT)
    hidden = Source.objects.create(initiative=draft, title="Hidden", url="https://example.org/a")
    shown = Source.objects.create(
        initiative=make_initiative(), title="Shown", url="https://example.org/b"
    )

    assert list(Source.objects.published()) == [shown]
    assert hidden not in Source.objects.published()


def test_previewer_sees_children_of_what_they_may_preview_and_no_more():
    draft_event = make_event(**DRAFT)
    row = add_participant(make_session(event=draft_event), make_person(**DRAFT))
    may_preview_all = make_staff(
        username="all",
        perms=["events.view_event", "events.view_session", "events.view_person"],
    )
    may_preview_sessions = make_staff(
        username="sessions", perms=["events.view_event", "events.view_session"]
    )

    assert row in SessionParticipant.objects.visible_to(may_preview_all)
    # The person is still a draft to someone who may not preview people.
    assert row not in SessionParticipant.objects.visible_to(may_preview_sessions)
    assert row not in SessionParticipant.objects.visible_to(None)


def test_every_child_table_of_a_publishable_parent_declares_its_parents():
    """A table with a foreign key to publishable content says whose visibility it takes."""
    missing = []
    for model in apps.get_models():
        if issubclass(model, Publishable) or model._meta.app_label not in (
            "events",
            "initiatives",
            "publications",
        ):
            continue
        parents = [
            field.name
            for field in model._meta.concrete_fields
            if field.many_to_one
            and issubclass(field.related_model, Publishable)
            and not field.name.startswith("statement_")
        ]
        queryset_class = model._default_manager._queryset_class
        declared = {name.rstrip("?") for name in getattr(queryset_class, "published_with", ())}
        if parents and (not issubclass(queryset_class, VisibleQuerySet) or not declared):
            missing.append(model.__name__)
    assert missing == []


@pytest.mark.parametrize("maker", [make_topic, make_person, make_event, make_initiative])
def test_publishing_constraints_hold_on_every_publishable_table(maker):
    item = maker(**DRAFT)
    model = type(item)
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=item.pk).update(status=Status.PUBLISHED, publish_at=None)


@pytest.fixture
def hidden_children():
    """Published parents, each with one child row that hangs on a draft."""
    event = make_event(slug="open-event")
    session = make_session(event=event, slug="open-session")
    add_participant(session, make_person(name="Zed Hiddenperson", slug="zed", **DRAFT))
    add_participant(session, make_person(name="Ada Shownperson", slug="ada"))
    article = make_article(slug="open-article")
    add_author(article, make_person(name="Yan Hiddenauthor", slug="yan", **DRAFT))
    declaration = make_initiative(slug="open-declaration", kind="declaration")
    make_signatory(declaration, organisation=make_organisation(name="Xor Hiddenorg", **DRAFT))
    make_signatory(declaration, country="FR")
    return {"event": event, "session": session, "article": article, "declaration": declaration}


SURFACES = [
    "/events/open-event/",
    "/events/open-event/sessions/open-session/",
    "/events/open-event/calendar.ics",
    "/events/open-event/programme.json",
    "/events/open-event/sessions/open-session/calendar.ics",
    "/speakers/ada/",
    "/journal/articles/open-article/",
    "/journal/articles/open-article/cite.bib",
    "/journal/articles/open-article/cite.ris",
    "/journal/articles/open-article/cite.json",
    "/journal/feed/",
    "/initiatives/open-declaration/",
    "/api/v1/events/open-event/",
    "/api/v1/articles/open-article/",
    "/api/v1/initiatives/open-declaration/",
    "/api/v1/signatories/",
    "/api/v1/open-data/initiatives.csv",
    "/api/v1/open-data/initiatives.json",
    "/search/?q=Hiddenperson",
    "/search/?q=Hiddenauthor",
    "/search/?q=Hiddenorg",
]


@pytest.mark.parametrize("url", SURFACES)
def test_child_row_of_a_draft_is_on_no_public_surface(client, hidden_children, url):
    response = client.get(url)

    assert response.status_code == 200
    body = response.content.decode()
    assert "/speakers/zed/" not in body and "/speakers/yan/" not in body
    if "/search/" not in url:  # a search page repeats the words searched for
        for hidden in ("Hiddenperson", "Hiddenauthor", "Hiddenorg"):
            assert hidden not in body
    if "open-session" in url or url == "/events/open-event/":
        assert "Ada Shownperson" in body  # the published sibling is there


def test_every_detail_page_is_the_one_detail_view():
    """Detail pages declare what they show; DetailPage alone decides what is visible."""
    from django.urls import URLPattern, URLResolver, get_resolver

    from core.pages import DetailPage

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "api":  # the API's viewsets have routes of that name
                    yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and (pattern.name or "").endswith("-detail"):
                yield pattern.name, pattern.callback

    detail_views = dict(walk(get_resolver().url_patterns))
    assert {"event-detail", "session-detail", "article-detail", "news-detail"} <= set(detail_views)
    # A country is not a stored item: its page lists published rows only (config.countries).
    not_items = {"country-detail"}
    assert [
        n
        for n, view in detail_views.items()
        if not isinstance(view, DetailPage) and n not in not_items
    ] == []
