"""Public pages for the journal, collections, articles and news, and the home page."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.html import escape

from core.publishing import Status
from publications.citations import format_citation, with_citation_data
from publications.models import Article
from tests.factories import (
    add_author,
    make_article,
    make_collection,
    make_document,
    make_event,
    make_initiative,
    make_journal,
    make_news_post,
    make_organisation,
    make_person,
)

pytestmark = pytest.mark.django_db

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://site.example"


def jsonld(response) -> dict:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(match.group(1))


def meta_tags(response) -> list[tuple[str, str]]:
    return re.findall(
        r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', response.content.decode()
    )


def full_article():
    journal = make_journal(title="Data & Policy", issn="2632-3249")
    article = make_article(
        journal=journal,
        title="Governing AI in the public interest",
        slug="governing-ai",
        doi="10.1017/dap.2025.12",
        volume="7",
        issue="1",
        pages="12–30",
        published_on=date(2025, 3, 4),
        abstract="<p>We study governance.</p>",
    )
    verhulst = make_person(name="Stefaan Verhulst", orcid="0000-0002-1825-0097")
    add_author(article, verhulst, affiliation=make_organisation(name="The GovLab"), order=1)
    add_author(
        article, make_person(name="Ada Lovelace"), affiliation_text="Analytical Society", order=2
    )
    add_author(article, make_person(name="Secret Coauthor", status=Status.DRAFT), order=3)
    return article


# --- home ------------------------------------------------------------------------------------


def test_home_shows_upcoming_and_recent_events_news_articles_and_initiatives(client):
    make_event(
        title="Next Summit",
        start=timezone.now() + timedelta(days=20),
        end=timezone.now() + timedelta(days=21),
    )
    make_event(title="Paris Summit")
    make_news_post(title="Summit closes")
    make_article(title="A research article")
    make_initiative(title="InvestAI", amount=200, currency="EUR")
    make_news_post(title="Draft News", status=Status.DRAFT)
    make_initiative(title="Draft Fund", amount=1, currency="EUR", status=Status.DRAFT)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    for shown in ("Next Summit", "Paris Summit", "Summit closes", "A research article", "InvestAI"):
        assert shown in html
    assert "Draft News" not in html and "Draft Fund" not in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html and 'role="search"' in html


@pytest.mark.parametrize("count", [1, 4])
def test_home_query_count_does_not_grow(client, django_assert_num_queries, count):
    for _ in range(count):
        make_event()
        article = make_article()
        add_author(article, make_person())
        make_news_post()
        make_initiative(amount=1, currency="EUR")
    # One more than the lists: is there a home page built by the editors (there is not)?
    with django_assert_num_queries(8):
        assert client.get("/").status_code == 200


# --- journal ---------------------------------------------------------------------------------


def test_journal_lists_published_articles_with_visible_authors(client):
    full_article()
    make_article(title="Unfinished draft", status=Status.DRAFT)
    html = client.get("/journal/").content.decode()
    assert "Governing AI in the public interest" in html
    assert "Stefaan Verhulst" in html and "Secret Coauthor" not in html
    assert "Unfinished draft" not in html


def test_journal_filters_by_type_collection_year_and_topic(client):
    collection = make_collection(slug="dfp-2024")
    in_collection = make_article(title="In Collection", article_type="commentary")
    in_collection.collections.add(collection)
    make_article(title="Old One", published_on=date(2019, 5, 1))
    assert "In Collection" in client.get("/journal/?type=commentary").content.decode()
    assert "Old One" not in client.get("/journal/?type=commentary").content.decode()
    assert "Old One" not in client.get("/journal/?collection=dfp-2024").content.decode()
    assert "Old One" in client.get("/journal/?year=2019").content.decode()
    assert client.get("/journal/?year=abc&type=zz&topic=none").status_code == 200


@pytest.mark.parametrize("count", [1, 5])
def test_journal_query_count_does_not_grow(client, django_assert_num_queries, count):
    for _ in range(count):
        add_author(make_article(), make_person())
    # With a cold cache, one of them finds the next scheduled change, which the topic filter's
    # cached suggestions are kept under (core.choosers).
    with django_assert_num_queries(8):
        assert client.get("/journal/").status_code == 200


def test_article_page_has_highwire_tags_in_author_order(client):
    article = full_article()
    tags = meta_tags(client.get(article.get_absolute_url()))
    assert ("citation_title", "Governing AI in the public interest") in tags
    authors = [value for name, value in tags if name == "citation_author"]
    assert authors == ["Stefaan Verhulst", "Ada Lovelace"]
    assert ("citation_author_institution", "The GovLab") in tags
    assert ("citation_author_institution", "Analytical Society") in tags
    assert ("citation_author_orcid", "https://orcid.org/0000-0002-1825-0097") in tags
    assert ("citation_publication_date", "2025/03/04") in tags
    assert ("citation_journal_title", "Data &amp; Policy") in tags
    assert ("citation_issn", "2632-3249") in tags
    assert ("citation_doi", "10.1017/dap.2025.12") in tags
    assert ("citation_volume", "7") in tags and ("citation_issue", "1") in tags
    assert ("citation_firstpage", "12") in tags and ("citation_lastpage", "30") in tags
    assert all(value for _, value in tags), "no empty citation tag"
    assert "citation_pdf_url" not in dict(tags)


def test_article_without_optional_fields_has_no_empty_citation_tags(client):
    article = make_article(title="Bare", published_on=None)
    tags = meta_tags(client.get(article.get_absolute_url()))
    names = {name for name, _ in tags}
    assert names == {"citation_title", "citation_journal_title", "citation_abstract_html_url"}


def test_article_with_a_pdf_has_citation_pdf_url(client):
    article = make_article(slug="with-pdf")
    article.pdf = make_document(file=ContentFile(MINIMAL_PDF, name="paper.pdf"))
    article.save()
    tags = dict(meta_tags(client.get(article.get_absolute_url())))
    assert tags["citation_pdf_url"].startswith("https://site.example/media/documents/")


def test_article_jsonld_is_a_scholarly_article(client):
    article = full_article()
    data = jsonld(client.get(article.get_absolute_url()))
    assert data["@type"] == "ScholarlyArticle"
    assert [a["name"] for a in data["author"]] == ["Stefaan Verhulst", "Ada Lovelace"]
    assert data["author"][0]["sameAs"] == "https://orcid.org/0000-0002-1825-0097"
    assert data["author"][0]["affiliation"]["name"] == "The GovLab"
    assert data["identifier"] == {
        "@type": "PropertyValue",
        "propertyID": "DOI",
        "value": "10.1017/dap.2025.12",
    }
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["isPartOf"] == {"@type": "Periodical", "name": "Data & Policy", "issn": "2632-3249"}
    assert data["datePublished"] == "2025-03-04"
    assert data["url"] == "https://site.example/journal/articles/governing-ai/"


def test_article_page_has_how_to_cite_and_citation_downloads(client):
    article = full_article()
    html = client.get(article.get_absolute_url()).content.decode()
    assert (
        "Verhulst, S., &amp; Lovelace, A. (2025). Governing AI in the public interest. "
        "Data &amp; Policy, 7(1), 12–30. https://doi.org/10.1017/dap.2025.12"
    ) in html
    for ext in ("bib", "ris", "json"):
        assert f'href="/journal/articles/governing-ai/cite.{ext}"' in html


def test_article_page_cites_exactly_what_the_citation_module_renders(client):
    article = full_article()
    html = client.get(article.get_absolute_url()).content.decode()
    expected = format_citation(with_citation_data(Article.objects.all()).get(pk=article.pk))
    assert f'<p class="citation">{escape(expected)}</p>' in html
    assert "Secret" not in expected


def test_draft_article_preview_links_no_citation_downloads(admin_client):
    article = make_article(slug="draft-paper", status=Status.DRAFT)
    html = admin_client.get(article.get_absolute_url()).content.decode()
    assert "How to cite" in html
    assert "cite.bib" not in html
    assert '<meta property="og:type" content="article">' in html


def test_article_page_hides_draft_affiliation_and_related_items(client):
    article = make_article()
    add_author(
        article,
        make_person(name="Visible Author"),
        affiliation=make_organisation(name="Draft Lab", status=Status.DRAFT),
    )
    article.related_initiatives.add(make_initiative(title="Draft Related", status=Status.DRAFT))
    article.related_events.add(make_event(title="Hidden Event", status=Status.DRAFT))
    article.collections.add(make_collection(title="Draft Collection", status=Status.DRAFT))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Visible Author" in html
    for hidden in ("Draft Lab", "Draft Related", "Hidden Event", "Draft Collection"):
        assert hidden not in html


@pytest.mark.parametrize(
    "kwargs",
    [
        {"status": Status.DRAFT},
        {"publish_at": timezone.now() + timedelta(days=1)},
        {"publish_at": timezone.now() - timedelta(days=3), "unpublish_at": timezone.now()},
    ],
)
def test_unpublished_article_is_not_found(client, kwargs):
    assert client.get(make_article(**kwargs).get_absolute_url()).status_code == 404


@pytest.mark.parametrize("count", [1, 4])
def test_article_detail_query_count_does_not_grow(client, django_assert_num_queries, count):
    article = make_article()
    for _ in range(count):
        add_author(article, make_person(), affiliation=make_organisation())
        article.related_initiatives.add(make_initiative())
        article.collections.add(make_collection())
    with django_assert_num_queries(10):
        assert client.get(article.get_absolute_url()).status_code == 200


# --- collections -----------------------------------------------------------------------------


def test_collection_page_lists_its_published_articles(client):
    collection = make_collection(title="Data for Policy 2024")
    make_article(title="Inside").collections.add(collection)
    make_article(title="Draft Inside", status=Status.DRAFT).collections.add(collection)
    collection.editors.add(make_person(name="Editor One"))
    response = client.get(collection.get_absolute_url())
    html = response.content.decode()
    assert "Inside" in html and "Draft Inside" not in html and "Editor One" in html
    assert jsonld(response)["@type"] == "Collection"


def test_draft_collection_is_not_found(client):
    assert client.get(make_collection(status=Status.DRAFT).get_absolute_url()).status_code == 404


@pytest.mark.parametrize("count", [1, 5])
def test_collection_query_count_does_not_grow(client, django_assert_num_queries, count):
    collection = make_collection()
    for _ in range(count):
        article = make_article()
        article.collections.add(collection)
        add_author(article, make_person())
        collection.editors.add(make_person())
    with django_assert_num_queries(6):
        assert client.get(collection.get_absolute_url()).status_code == 200


# --- news ------------------------------------------------------------------------------------


def test_news_list_shows_published_posts_only(client):
    make_news_post(title="Summit wraps up")
    make_news_post(title="Embargoed", publish_at=timezone.now() + timedelta(hours=2))
    html = client.get("/news/").content.decode()
    assert "Summit wraps up" in html and "Embargoed" not in html


@pytest.mark.parametrize("count", [1, 5])
def test_news_list_query_count_does_not_grow(client, django_assert_num_queries, count):
    for _ in range(count):
        make_news_post()
    with django_assert_num_queries(3):
        assert client.get("/news/").status_code == 200


def test_news_page_shows_mentions_and_is_a_news_article(client):
    post = make_news_post(title="Paris summit closes", dateline="Paris, France")
    post.authors.add(make_person(name="Staff Writer"))
    post.related_people.add(make_person(name="Stefaan Verhulst"))
    post.related_people.add(make_person(name="Draft Mention", status=Status.DRAFT))
    post.related_initiatives.add(make_initiative(title="ROOST"))
    response = client.get(post.get_absolute_url())
    html = response.content.decode()
    assert "Stefaan Verhulst" in html and "ROOST" in html and "Draft Mention" not in html
    data = jsonld(response)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Paris summit closes"
    assert data["author"][0]["name"] == "Staff Writer"
    assert data["dateline"] == "Paris, France"


def test_draft_news_is_not_found(client):
    assert client.get(make_news_post(status=Status.DRAFT).get_absolute_url()).status_code == 404


@pytest.mark.parametrize("count", [1, 4])
def test_news_detail_query_count_does_not_grow(client, django_assert_num_queries, count):
    post = make_news_post()
    for _ in range(count):
        post.authors.add(make_person())
        post.related_events.add(make_event())
        post.related_articles.add(make_article())
    with django_assert_num_queries(10):
        assert client.get(post.get_absolute_url()).status_code == 200


def test_person_page_lists_articles_written_and_news_mentions(client):
    article = full_article()
    person = article.authors.get(name="Stefaan Verhulst")
    make_news_post(title="Verhulst in Paris").related_people.add(person)
    make_news_post(title="Draft Mention Post", status=Status.DRAFT).related_people.add(person)
    hidden_article = make_article(title="Draft Paper", status=Status.DRAFT)
    add_author(hidden_article, person)
    html = client.get(person.get_absolute_url()).content.decode()
    assert "Governing AI in the public interest" in html and "Verhulst in Paris" in html
    assert "Draft Paper" not in html and "Draft Mention Post" not in html
