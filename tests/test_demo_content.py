"""What the demo says: its facts, sources, pages, exports and workflow examples, read from one
load of the demo shared by the module (each test's changes are rolled back as usual)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.models import ADDITION
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings

from config import demo_workflow
from core import workflow
from core.comments import Comment
from core.references import Ref
from core.richtext import render_rich_text
from events.models import Event, Organisation, Person, Session, Track
from initiatives import demo as initiatives_demo
from initiatives.currency import in_euros
from initiatives.models import Initiative, Signatory
from publications.models import Article, Collection, Journal, NewsPost
from tests.test_demo import content, log_of, publishable_models, run_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(autouse=True)
def _media_root(settings, demo_media):
    """The demo's images stay where the module's one load of the demo stored them."""
    settings.MEDIA_ROOT = demo_media


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_media) -> str:
    """The demo loaded once for the module, in a transaction rolled back at its end: loading it
    for every test took most of the module's time. Each test still runs in its own savepoint.
    No test here may use ``transactional_db`` or ``live_server``: their flush would empty the
    shared load (the browser journeys load the demo themselves, in tests/e2e/)."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=demo_media),
        transaction.atomic(),
    ):
        output = run_demo()
        yield output
        transaction.set_rollback(True)


CITIZENS_AUTHORS = [
    ("Schmager", "Stefan"),
    ("Grøder", "Charlotte Husom"),
    ("Parmiggiani", "Elena"),
    ("Pappas", "Ilias"),
    ("Vassilakopoulou", "Polyxeni"),
]


def test_demo_prints_progress_for_each_step(demo):
    for step in ("Migrating", "Organisations…", "People…", "Initiatives and signatories…"):
        assert step in demo
    assert "Organisations: 25 (25 created)" in demo


def test_demo_items_are_created_and_published_through_the_workflow_by_the_demo_editor(demo):
    editor = get_user_model().objects.get(username="editor")
    loaded = [m for m in publishable_models() if m._default_manager.exists()]
    assert len(loaded) >= 10
    for model in loaded:
        assert set(content(model).values_list("created_by", flat=True)) == {editor.pk}
        item = content(model).first()
        entry = log_of(item).get()
        assert (entry.user, entry.action_flag) == (editor, ADDITION)
        assert entry.change_message.startswith("Created as published")


def test_summit_and_its_hosts(demo):
    summit = Event.objects.get(slug="paris-ai-action-summit-2025")
    paris = ZoneInfo("Europe/Paris")
    assert summit.kind == Event.Kind.SUMMIT
    assert (summit.city, summit.country.code, summit.timezone) == ("Paris", "FR", "Europe/Paris")
    assert summit.local_start.date() == date(2025, 2, 10)
    assert summit.local_end.date() == date(2025, 2, 11)
    assert summit.local_start.tzinfo == paris
    assert set(summit.hosts.values_list("slug", flat=True)) == {
        "french-government",
        "european-commission",
    }
    macron = Person.objects.get(slug="emmanuel-macron")
    assert macron.role == "President of the French Republic"
    assert macron.affiliation.slug == "french-government"
    vdl = Person.objects.get(slug="ursula-von-der-leyen")
    assert vdl.affiliation.slug == "european-commission"
    assert set(summit.host_people.all()) == {macron, vdl}


def test_funding_in_other_currencies_can_be_compared_in_euros(demo):
    from initiatives.models import ReferenceRate

    current_ai = Initiative.objects.get(slug="current-ai")
    rate = ReferenceRate.objects.get(currency=current_ai.currency)
    assert current_ai.currency == "USD"
    converted = in_euros(current_ai.amount, current_ai.currency, {rate.currency: rate})
    assert 0 < converted.euros < current_ai.amount


def test_side_sessions_have_their_host_organisations(demo):
    summit = Event.objects.get(slug="paris-ai-action-summit-2025")
    side = {s.slug: s for s in summit.sessions.filter(programme=Session.Programme.SIDE)}
    assert set(side) == {
        "governing-in-the-age-of-ai",
        "future-of-ai-governance-in-search-of-a-balance",
    }
    tbi = side["governing-in-the-age-of-ai"]
    assert list(tbi.hosts.values_list("slug", flat=True)) == ["tony-blair-institute"]
    roundtable = side["future-of-ai-governance-in-search-of-a-balance"]
    assert set(roundtable.hosts.values_list("slug", flat=True)) == {
        "ifap-wgia",
        "ifap-working-group-information-ethics",
    }
    assert [p.slug for p in roundtable.participants.all()] == ["stefaan-verhulst"]
    wgia = Organisation.objects.get(slug="ifap-wgia")
    assert (wgia.parent.slug, wgia.parent.parent.slug) == ("ifap", "unesco")


def test_conference_sessions_feature_the_named_speakers(demo):
    dfp = Event.objects.get(slug="data-for-policy-2024")
    assert dfp.theme == "Trustworthy Governance with AI"
    assert (dfp.city, dfp.country.code, dfp.timezone) == ("London", "GB", "Europe/London")
    assert list(dfp.organisers.values_list("slug", flat=True)) == ["data-for-policy"]
    iosad = dfp.sessions.get(slug="transforming-governance-with-ai-and-trustworthiness")
    assert [p.slug for p in iosad.participants.all()] == ["alexander-iosad"]
    speakers = set(
        Person.objects.filter(sessions__event=dfp).values_list("affiliation__slug", flat=True)
    )
    assert {
        "google-deepmind",
        "imperial-college-london",
        "stanford-hai",
        "unicef",
        "ceps",
        "minderoo-centre",
        "tony-blair-institute",
    } <= speakers


def test_special_track_has_its_session_and_collection(demo):
    track = Track.objects.get(slug="ai-ethics-policy-governance-africa")
    assert track.is_special
    assert track.event.slug == "data-for-policy-2024"
    assert track.organiser.slug == "global-center-on-ai-governance"
    assert track.sessions.count() == 1
    collection = Collection.objects.get(track=track)
    assert collection.journal.title == "Data & Policy"


def test_paris_statement_counts_sixty_signatories_and_names_the_refusals(demo):
    statement = Initiative.objects.get(slug="paris-statement-inclusive-sustainable-ai")
    assert statement.kind == Initiative.Kind.DECLARATION
    assert statement.reported_signatory_count == 60
    assert statement.announced_at.slug == "paris-ai-action-summit-2025"
    assert statement.website.startswith("https://www.elysee.fr/")
    signed = statement.signatories.filter(stance=Signatory.Stance.SIGNED)
    assert {"CA", "CN", "FR", "IN"} <= {s.country.code for s in signed if s.country}
    assert {s.organisation.slug for s in signed if s.organisation} == {
        "european-union",
        "african-union-commission",
    }
    declined = statement.signatories.filter(stance=Signatory.Stance.DECLINED)
    assert {s.country.code for s in declined} == {"US", "GB"}
    uk = declined.get(country="GB")
    # The reason is summarised in our words, not quoted.
    assert "governed worldwide" in uk.statement and "national security" in uk.statement
    assert "“" not in uk.statement
    assert "spokesperson" in uk.statement_by.lower()
    assert uk.statement_person.slug == "keir-starmer"
    us = declined.get(country="US")
    assert "regulation" in us.statement and "Vance" in us.statement_by
    assert set(statement.builds_on.values_list("slug", flat=True)) == {
        "bletchley-declaration",
        "seoul-declaration",
    }


def test_every_named_party_to_the_paris_statement_has_its_source(demo):
    statement = Initiative.objects.get(slug="paris-statement-inclusive-sustainable-ai")
    parties = list(statement.signatories.all())
    assert len(parties) > 6
    for party in parties:
        assert party.source_url.startswith("https://"), party
    # Fewer are named than reported, and the page says why instead of inventing the rest.
    assert len(parties) - 2 < statement.reported_signatory_count
    assert "differs" in statement.description
    urls = set(statement.sources.values_list("url", flat=True))
    assert statement.website in urls
    assert {p.source_url for p in parties} <= urls


def test_paris_statement_page_shows_the_parties_with_their_sources(demo, client):
    statement = Initiative.objects.get(slug="paris-statement-inclusive-sustainable-ai")
    page = unescape(client.get(statement.get_absolute_url()).content.decode())
    for party in statement.signatories.all():
        assert party.party_name in page, party
        assert party.source_url in page, party
    assert "African Union Commission" in page
    assert "heavy regulation" in page


def test_declaration_page_names_every_party_its_sources_name_and_counts_the_rest(demo, client):
    statement = Initiative.objects.get(slug="paris-statement-inclusive-sustainable-ai")
    page = unescape(client.get(statement.get_absolute_url()).content.decode())
    listed = initiatives_demo.PARIS_STATEMENT_PARTIES
    signed = [party for party in listed if party[1] == Signatory.Stance.SIGNED]
    names = {s.party_name for s in statement.signatories.all()}
    assert len(names) == len(listed)
    for name in names:
        assert f"{name}</" in page, name  # each party in a cell or a link of its own
    # The count shown is the reported one (58 countries plus the EU and the African Union,
    # per ANI), and the page says how many of them a source names.
    assert statement.reported_signatory_count == 58 + 2
    assert initiatives_demo.ANI_VIA_HAMRAKURA in page
    assert (
        f"Reported number of signatories: <strong>60</strong>; named here: "
        f"<strong>{len(signed)}</strong>; declined: <strong>2</strong>."
    ) in page


def test_each_refusal_shows_its_reason_and_its_source_in_its_row(demo, client):
    statement = Initiative.objects.get(slug="paris-statement-inclusive-sustainable-ai")
    page = unescape(client.get(statement.get_absolute_url()).content.decode())
    rows = [row.split("</tr>")[0] for row in page.split('<tr class="stance-declined">')[1:]]
    assert len(rows) == 2
    for country, reason, source in (
        ("United States", "heavy regulation could stifle a young industry", "aa.com.tr"),
        ("United Kingdom", "harder questions AI raises for national security", "hcamag.com"),
    ):
        (row,) = [r for r in rows if country in r]
        assert "Declined to sign" in row
        assert reason in row
        assert f'href="https://{source}' in row or f'href="https://www.{source}' in row


def test_summit_has_its_venue_co_chair_and_sources(demo):
    summit = Event.objects.get(slug="paris-ai-action-summit-2025")
    assert summit.venue == "Grand Palais"
    assert summit.website.startswith("https://www.elysee.fr/")
    assert "India as co-chair" in summit.description
    assert summit.description.count('href="https://') >= 3
    dfp = Event.objects.get(slug="data-for-policy-2024")
    assert (dfp.venue, dfp.local_start.date(), dfp.local_end.date()) == (
        "Imperial College London",
        date(2024, 7, 9),
        date(2024, 7, 11),
    )
    assert dfp.website.startswith("https://dataforpolicy.org/")


def test_no_session_time_or_room_is_made_up(demo):
    # No published programme gives the demo sessions' times or rooms: they stay empty.
    assert not Session.objects.exclude(start=None).exists()
    assert not Session.objects.exclude(room="").exists()


def test_investai_mobilises_200bn_with_a_20bn_gigafactories_fund(demo):
    investai = Initiative.objects.get(slug="investai")
    assert (investai.amount, investai.currency) == (Decimal("200000000000"), "EUR")
    assert [c.code for c in investai.jurisdictions] == ["EU"]
    assert list(investai.lead_organisations.values_list("slug", flat=True)) == [
        "european-commission"
    ]
    fund = investai.components.get(slug="ai-gigafactories-fund")
    assert (fund.amount, fund.currency, fund.kind) == (
        Decimal("20000000000"),
        "EUR",
        Initiative.Kind.FUND,
    )


def test_amounts_carry_currency_and_qualifier(demo):
    france = Initiative.objects.get(slug="france-ai-private-investment")
    assert (france.amount, france.currency, france.amount_qualifier) == (
        Decimal("109000000000"),
        "EUR",
        Initiative.AmountQualifier.APPROXIMATELY,
    )
    current_ai = Initiative.objects.get(slug="current-ai")
    assert (current_ai.amount, current_ai.currency, current_ai.amount_qualifier) == (
        Decimal("400000000"),
        "USD",
        Initiative.AmountQualifier.INITIAL,
    )
    assert current_ai.reported_signatory_count == 11


def test_unnamed_signatories_are_counted_not_invented(demo):
    declaration = Initiative.objects.get(slug="data-protection-authorities-joint-declaration")
    assert declaration.reported_signatory_count == 6
    assert not declaration.signatories.exists()
    assert not Signatory.objects.exclude(
        initiative__slug="paris-statement-inclusive-sustainable-ai"
    ).exists()


def test_no_identifiers_are_made_up(demo):
    assert not Person.objects.exclude(orcid="").exists()
    # The one DOI is the publisher's; an article whose DOI was not at hand has none.
    assert list(Article.objects.exclude(doi="").values_list("doi", flat=True)) == [
        "10.1017/dap.2024.13"
    ]
    journal = Journal.objects.get(slug="data-and-policy")
    assert (journal.publisher.slug, journal.first_year) == ("cambridge-university-press", 2019)


def test_news_post_is_published_and_links_every_related_item(demo):
    post = NewsPost.objects.published().get()
    assert post.publish_at == datetime(2025, 2, 14, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert post.dateline.startswith("Paris")
    assert post.body.count("<h2>") >= 5
    related = [
        *post.related_events.all(),
        *post.related_sessions.all(),
        *post.related_initiatives.all(),
        *post.related_articles.all(),
        *post.related_people.all(),
        *post.related_organisations.all(),
    ]
    assert post.related_events.count() == Event.objects.count()
    assert post.related_initiatives.count() == Initiative.objects.count()
    assert post.related_articles.count() == 2
    assert post.related_people.count() == Person.objects.exclude(authorships__isnull=False).count()
    assert post.related_organisations.count() == Organisation.objects.count()
    assert post.related_sessions.count() == Session.objects.count()
    # Stored as references to the items; shown with each item's current URL.
    shown = render_rich_text(post.body)
    for item in related:
        assert f'data-ref="{Ref.to(item)}"' in post.body, item
        assert f'href="{item.get_absolute_url()}"' in shown, item


def test_news_posts_do_not_copy_the_seed_sentences(demo):
    bodies = list(NewsPost.objects.values_list("body", flat=True))
    assert len(bodies) == 4  # the report, and the workflow's three
    for body in bodies:
        for sentence in (
            "Against the backdrop of rapid AI advancements",
            "The Paris AI Action Summit marked a significant milestone",
            "aiming to mobilize €200 billion for AI investments",
            "bringing together tech leaders to develop free, open-source safety tools",
            "introduced an AI Playbook to guide ethical AI implementation",
            "the UK’s AI Growth Zones are designed to accelerate sector innovation",
            "experts explored key challenges in AI governance",
        ):
            assert sentence not in body


def test_draft_probe_finds_no_url_or_title_of_a_draft_in_the_news_post(demo, client):
    """The issue's probe: turn each linked session and article into a draft, then look for
    its URL and title in the news post (page and API), where the body links to it."""
    post = NewsPost.objects.published().get()
    linked = [*post.related_sessions.select_related("event"), *post.related_articles.all()]
    assert len(linked) == 7
    for item in linked:
        url, title = item.get_absolute_url(), item.title
        assert f'href="{url}"' in client.get(post.get_absolute_url()).content.decode()
        type(item).objects.filter(pk=item.pk).update(status="draft")
        page = client.get(post.get_absolute_url()).content.decode()
        api = client.get(f"/api/v1/news/{post.slug}/").content.decode()
        for surface in (page, api):
            assert url not in surface, (item, surface)
            assert title not in unescape(surface), item
        type(item).objects.filter(pk=item.pk).update(status="published")


def test_journal_articles_carry_their_published_authors_and_metadata(demo, client):
    citizens = Article.objects.get(slug="exploring-citizens-stances-on-ai-in-public-services")
    assert [a.person.name for a in citizens.authorships.order_by("order")] == [
        "Stefan Schmager",
        "Charlotte Husom Grøder",
        "Elena Parmiggiani",
        "Ilias Pappas",
        "Polyxeni Vassilakopoulou",
    ]
    assert (citizens.volume, citizens.abstract != "") == ("6", True)
    peace = Article.objects.get(slug="ai-for-peace-mitigating-risks-enhancing-opportunities")
    assert peace.published_on.isoformat() == "2024-10-15"
    assert peace.get_article_type_display() == "Translational article"
    page = client.get(peace.get_absolute_url()).content.decode()
    assert '<meta name="citation_author" content="Michele Giovanardi">' in page
    assert '<meta name="citation_publication_date" content="2024/10/15">' in page
    bib = client.get(peace.get_absolute_url() + "cite.bib").content.decode()
    assert "Giovanardi" in bib and "2024" in bib


def test_citation_exports_carry_the_authors_year_and_doi_the_publisher_gives(demo, client):
    citizens = Article.objects.get(slug="exploring-citizens-stances-on-ai-in-public-services")
    peace = Article.objects.get(slug="ai-for-peace-mitigating-risks-enhancing-opportunities")

    def export(article: Article, fmt: str) -> str:
        response = client.get(article.get_absolute_url() + f"cite.{fmt}")
        assert response.status_code == 200
        return response.content.decode()

    (csl,) = json.loads(export(citizens, "json"))
    assert [(a["family"], a["given"]) for a in csl["author"]] == CITIZENS_AUTHORS
    assert (csl["DOI"], csl["volume"]) == ("10.1017/dap.2024.13", "6")
    ris = export(citizens, "ris")
    assert [line[6:] for line in ris.splitlines() if line.startswith("AU  - ")] == [
        f"{family}, {given}" for family, given in CITIZENS_AUTHORS
    ]
    assert "DO  - 10.1017/dap.2024.13" in ris
    bib = export(citizens, "bib")
    assert "doi = {10.1017/dap.2024.13}" in bib and "and Vassilakopoulou, Polyxeni}" in bib
    # No page at hand gives its date of publication: no year rather than a guessed one.
    assert "issued" not in csl and "PY  - " not in ris and "year = " not in bib

    (csl,) = json.loads(export(peace, "json"))
    assert csl["author"] == [{"family": "Giovanardi", "given": "Michele"}]
    assert csl["issued"] == {"date-parts": [[2024, 10, 15]]}
    assert csl["license"] == "https://creativecommons.org/licenses/by/4.0/"
    ris = export(peace, "ris")
    assert "AU  - Giovanardi, Michele" in ris and "PY  - 2024" in ris
    bib = export(peace, "bib")
    assert "author = {Giovanardi, Michele}" in bib and "year = 2024," in bib
    # Its DOI was not found in a source at hand: none is made up.
    assert "DOI" not in csl and "DO  - " not in ris and "doi = " not in bib


def test_article_pages_carry_highwire_tags_for_every_author_and_the_date(demo, client):
    for slug, authors, date_tag in (
        (
            "exploring-citizens-stances-on-ai-in-public-services",
            [f"{given} {family}" for family, given in CITIZENS_AUTHORS],
            None,
        ),
        (
            "ai-for-peace-mitigating-risks-enhancing-opportunities",
            ["Michele Giovanardi"],
            "2024/10/15",
        ),
    ):
        article = Article.objects.get(slug=slug)
        page = client.get(article.get_absolute_url()).content.decode()
        tags = re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', page)
        assert [unescape(v) for n, v in tags if n == "citation_author"] == authors
        dates = [v for n, v in tags if n == "citation_publication_date"]
        assert dates == ([date_tag] if date_tag else [])
        assert ("citation_doi", article.doi) in tags if article.doi else True


def test_demo_shows_each_workflow_state(demo, client):
    from django.urls import reverse
    from django.utils import timezone

    editor = get_user_model().objects.get(username="editor")
    contributor = get_user_model().objects.get(username="contributor")
    assert contributor.groups.get().name == workflow.CONTRIBUTORS
    assert not contributor.is_superuser

    draft = NewsPost.objects.get(slug=demo_workflow.DRAFT)
    assert (draft.status, draft.created_by) == (workflow.Status.DRAFT, contributor)
    from reversion.models import Version

    versions = Version.objects.get_for_object(draft)
    assert versions.count() == 2
    assert len({v.field_dict["body"] for v in versions}) == 2  # a difference to compare

    in_review = NewsPost.objects.get(slug=demo_workflow.IN_REVIEW)
    assert (in_review.status, in_review.created_by) == (workflow.Status.REVIEW, contributor)
    comment = Comment.objects.on(in_review).get()
    assert (comment.author, comment.text) == (editor, demo_workflow.REVIEW_COMMENT)
    assert not comment.is_resolved

    scheduled = NewsPost.objects.get(slug=demo_workflow.SCHEDULED)
    assert scheduled.status == workflow.Status.PUBLISHED
    assert scheduled.publish_at > timezone.now() and not scheduled.is_published

    for item in (draft, in_review, scheduled):
        assert client.get(item.get_absolute_url()).status_code == 404

    client.force_login(editor)
    columns = client.get(reverse("admin:index")).context["columns"]
    titles = {name: [str(e["item"]) for e in entries] for name, entries in columns.items()}
    assert str(in_review) in titles["review"]
    assert str(scheduled) in titles["scheduled"]
    assert len(titles["recent"]) == 10  # published demo content, however long ago
    assert [e["comment"] for e in columns["comments"]] == [comment]
    client.force_login(contributor)
    columns = client.get(reverse("admin:index")).context["columns"]
    assert [str(e["item"]) for e in columns["drafts"]] == [str(draft)]
    assert [e["comment"] for e in columns["comments"]] == [comment]


def test_draft_history_compares_two_revisions(demo, client):
    from django.urls import reverse
    from reversion.models import Version

    draft = NewsPost.objects.get(slug=demo_workflow.DRAFT)
    older, newer = sorted(Version.objects.get_for_object(draft), key=lambda v: v.pk)
    client.force_login(get_user_model().objects.get(username="editor"))
    url = reverse("admin:publications_newspost_compare", args=[draft.pk])
    page = client.get(url, {"a": older.pk, "b": newer.pk})
    assert page.status_code == 200
    changed = [row["label"] for row in page.context["rows"] if row["changed"]]
    assert "Body" in changed


def test_the_demo_has_a_live_item_with_a_pending_correction_in_review(demo, client):
    from config.management.commands.demo import PENDING_ITEM
    from core import pending

    statement = Initiative.objects.get(slug=PENDING_ITEM)
    change = pending.for_item(statement)

    assert change.state == "review"
    assert "by our report" not in statement.summary
    assert "by our report" in change.data[0]["data"]
    assert "by our report" not in client.get(statement.get_absolute_url()).content.decode()
