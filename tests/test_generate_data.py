"""``manage.py generate_data``: a cross-linked synthetic archive that stays private where it
should, and that ``--clear`` removes without touching anything else."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.redirects import Redirect
from core.workflow import Status
from events.models import Event, Organisation, Person, Session, SessionParticipant, Topic, Track
from initiatives.models import Initiative, Signatory
from publications.models import Article, ArticleAuthor, Journal, NewsPost
from tests.factories import add_author, make_article, make_event, make_person, make_session

TINY = {
    "articles": 60,
    "events": 3,
    "people": 30,
    "initiatives": 24,
    "news": 20,
    "organisations": 10,
}


def generate(**counts) -> str:
    out = StringIO()
    options = {**TINY, **counts}
    call_command(
        "generate_data",
        *(f"--{name}={value}" for name, value in options.items()),
        stdout=out,
        stderr=StringIO(),
    )
    return out.getvalue()


@pytest.fixture
def archive(db):
    generate()


def test_generated_rows_are_created_in_the_numbers_asked_for(archive):
    generated = {"slug__startswith": "gen--"}
    assert Article.objects.filter(**generated).count() == 60
    assert Event.objects.filter(**generated).count() == 3
    assert Person.objects.filter(**generated).count() == 30
    assert Initiative.objects.filter(**generated).count() == 24
    assert NewsPost.objects.filter(**generated).count() == 20
    assert Organisation.objects.filter(**generated).count() == 10


def test_generated_content_is_cross_linked(archive):
    # Every article has one to four authors, who are generated people.
    authors = [a.authorships.count() for a in Article.objects.filter(slug__startswith="gen--")]
    assert min(authors) >= 1 and max(authors) <= 4
    assert not ArticleAuthor.objects.exclude(person__slug__startswith="gen--").filter(
        article__slug__startswith="gen--"
    )
    assert all(a.abstract.startswith("<p>Generated abstract") for a in Article.objects.all())
    # The first event has 100 sessions, in tracks, with participants.
    big = Event.objects.get(slug="gen--event-1")
    assert big.sessions.count() == 100
    assert Track.objects.filter(event=big).exists()
    assert big.sessions.filter(track__isnull=False).count() == 100
    assert SessionParticipant.objects.filter(session__event=big).count() >= 100
    # Declarations gather signatories; some initiatives put money on the table.
    declarations = Initiative.objects.filter(kind=Initiative.Kind.DECLARATION)
    assert declarations and all(d.signatories.count() >= 5 for d in declarations)
    assert Signatory.objects.filter(organisation__slug__startswith="gen--").exists()
    assert Initiative.objects.filter(amount__isnull=False, currency__in=["EUR", "USD", "GBP"])
    assert Topic.objects.filter(slug__startswith="gen--", articles__isnull=False).exists()
    assert NewsPost.objects.filter(authors__slug__startswith="gen--").exists()


def test_generated_text_says_it_is_generated(archive):
    assert all(p.name.startswith("Person ") for p in Person.objects.all())
    assert all(p.role.startswith("Generated person") for p in Person.objects.all())
    assert all(o.name.startswith("Generated organisation") for o in Organisation.objects.all())
    assert all(a.title.startswith("Generated article") for a in Article.objects.all())


def test_a_share_is_drafts_in_review_scheduled_or_archived(archive):
    states = set(Article.objects.values_list("status", flat=True))
    assert {Status.PUBLISHED, Status.DRAFT} <= states
    assert set(Article.objects.values_list("status", flat=True)) <= set(Status.values)
    assert Article.objects.published().count() < Article.objects.count()


def test_a_generated_draft_is_not_on_the_public_page_or_api(archive, client):
    draft = Article.objects.filter(status=Status.DRAFT).first()
    assert draft is not None
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/articles/{draft.slug}/").status_code == 404
    listed = client.get("/api/v1/articles/?page_size=100").json()
    assert draft.slug not in {item["slug"] for item in listed["results"]}
    published = Article.objects.published().get(slug="gen--article-1")
    assert client.get(published.get_absolute_url()).status_code == 200


def test_generating_twice_is_refused_until_cleared(archive):
    with pytest.raises(CommandError, match="--clear"):
        generate()


def test_clear_removes_generated_rows_and_nothing_else(db):
    editor_event = make_event(title="Our summit")
    editor_session = make_session(event=editor_event)
    editor_article = make_article(title="Our own article")
    speaker = make_person(name="Ada Editor")
    add_author(editor_article, speaker)
    generate()
    # An editor tags their article with a generated topic: the link goes, the article stays.
    editor_article.topics.add(Topic.objects.filter(slug__startswith="gen--").first())

    call_command("generate_data", "--clear", stdout=StringIO())

    for model in (Article, Event, Session, Person, Initiative, NewsPost, Organisation, Topic):
        assert not model.objects.filter(slug__startswith="gen--").exists(), model
    assert not Journal.objects.filter(slug__startswith="gen--").exists()
    assert not Signatory.objects.exists()
    assert set(Article.objects.all()) == {editor_article}
    assert set(Session.objects.all()) == {editor_session}
    assert list(editor_article.authorships.values_list("person", flat=True)) == [speaker.pk]
    assert not editor_article.topics.exists()
    # Generated items were never announced, so their removal leaves no 410 Gone behind.
    assert not Redirect.objects.exists()
    generate()  # and it can generate again
    assert Article.objects.count() == 61
