"""Citations: one CSL-JSON source, read back as BibTeX, RIS and CSL-JSON by independent means."""

import json
from datetime import date, timedelta

import bibtexparser
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.urls import reverse
from django.utils import timezone

from core.publishing import Status
from publications.citations import format_citation, with_citation_data
from publications.models import Article
from tests.factories import add_author, make_article, make_person

pytestmark = pytest.mark.django_db

TRICKY_TITLE = "R&D {braces} at 100% for $5 #1: x_1 ~ y^2 \\ z"


@pytest.fixture(autouse=True)
def _site(citable_site):
    """Every test here builds links on the same site address as the shared article."""


def download(client, slug: str, ext: str):
    response = client.get(f"/journal/articles/{slug}/cite.{ext}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{slug}.{ext}"'
    return response


def test_csl_json_is_a_list_of_one_complete_item(client, article):
    response = download(client, "data-governance", "json")

    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    (item,) = json.loads(response.content)
    assert item["type"] == "article-journal"
    assert item["title"] == "Data governance for AI"
    assert item["container-title"] == "Data & Policy"
    assert item["author"] == [
        {"family": "Verhulst", "given": "Stefaan G."},
        {"family": "Dupont", "given": "Jean-Pierre"},
    ]
    assert item["issued"] == {"date-parts": [[2025, 2, 10]]}
    assert item["DOI"] == "10.1017/dap.2025.12"
    assert item["volume"] == "7"
    assert item["issue"] == "1"
    assert item["page"] == "12-30"
    assert item["ISSN"] == "2632-3249"
    assert item["publisher"] == "CUP"
    assert item["URL"] == "https://policy.example.org/journal/articles/data-governance/"
    assert item["abstract"] == "Why data & governance matter."


def test_bibtex_parses_with_a_real_parser(client, article):
    response = download(client, "data-governance", "bib")

    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    library = bibtexparser.parse_string(response.content.decode())
    assert library.failed_blocks == []
    (entry,) = library.entries
    fields = {key: field.value for key, field in entry.fields_dict.items()}
    assert entry.entry_type == "article"
    assert entry.key == "verhulst2025data"
    assert fields["author"] == "Verhulst, Stefaan G. and Dupont, Jean-Pierre"
    assert fields["title"] == "{Data governance for AI}"
    assert fields["journal"] == "Data \\& Policy"
    assert fields["year"] == "2025"
    assert fields["month"] == "feb"
    assert fields["volume"] == "7"
    assert fields["number"] == "1"
    assert fields["pages"] == "12--30"
    assert fields["doi"] == "10.1017/dap.2025.12"
    assert fields["url"] == "https://policy.example.org/journal/articles/data-governance/"


def test_bibtex_escapes_latex_specials_and_braces(client):
    make_article(title=TRICKY_TITLE, slug="tricky", published_on=date(2025, 1, 1))

    text = download(client, "tricky", "bib").content.decode()

    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert library.failed_blocks == []
    (entry,) = library.entries
    # pylatexenc reads \textasciicircum as the modifier letter "ˆ"; everything else round-trips.
    assert entry["title"] == TRICKY_TITLE.replace("^", "ˆ")
    raw = bibtexparser.parse_string(text).entries[0]["title"]
    assert raw == (
        "{R\\&D \\{braces\\} at 100\\% for \\$5 \\#1: x\\_1 \\textasciitilde{} "
        "y\\textasciicircum{}2 \\textbackslash{} z}"
    )


def test_ris_has_one_tag_per_line_and_ends_the_record(client, article):
    response = download(client, "data-governance", "ris")

    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    text = response.content.decode()
    assert text.endswith("ER  - \r\n")
    tags: list[tuple[str, str]] = []
    for line in text.split("\r\n")[:-1]:
        assert line[2:6] == "  - ", line
        tags.append((line[:2], line[6:]))
    assert tags[0] == ("TY", "JOUR")
    assert tags[-1] == ("ER", "")
    values = dict(tags)
    assert [v for t, v in tags if t == "AU"] == ["Verhulst, Stefaan G.", "Dupont, Jean-Pierre"]
    assert values["TI"] == "Data governance for AI"
    assert values["JO"] == "Data & Policy"
    assert values["PY"] == "2025"
    assert values["DA"] == "2025/02/10/"
    assert values["VL"] == "7"
    assert values["IS"] == "1"
    assert values["SP"] == "12"
    assert values["EP"] == "30"
    assert values["DO"] == "10.1017/dap.2025.12"
    assert values["UR"] == "https://policy.example.org/journal/articles/data-governance/"


def test_ris_keeps_multi_line_values_on_one_line(client):
    make_article(slug="lines", title="First line\nsecond line", abstract="<p>A</p><p>B</p>")

    text = download(client, "lines", "ris").content.decode()

    assert "TI  - First line second line\r\n" in text
    assert "AB  - A B\r\n" in text


def test_plain_citation_is_apa_like(article):
    loaded = with_citation_data(Article.objects.all()).get(pk=article.pk)

    assert format_citation(loaded) == (
        "Verhulst, S. G., & Dupont, J.-P. (2025). Data governance for AI. "
        "Data & Policy, 7(1), 12–30. https://doi.org/10.1017/dap.2025.12"
    )


def test_plain_citation_without_doi_authors_or_volume_links_to_the_page():
    article = make_article(title="Is AI policy ready?", slug="ready", published_on=date(2024, 5, 1))

    assert format_citation(article) == (
        f"Is AI policy ready? (2024). {article.journal.title}. "
        "https://policy.example.org/journal/articles/ready/"
    )


def test_all_formats_come_from_the_same_source(client, article):
    (item,) = json.loads(download(client, "data-governance", "json").content)
    ris = download(client, "data-governance", "ris").content.decode()
    bib = bibtexparser.parse_string(download(client, "data-governance", "bib").content.decode())

    assert f"DO  - {item['DOI']}\r\n" in ris
    assert bib.entries[0]["doi"] == item["DOI"]
    assert bib.entries[0]["url"] == item["URL"]


@pytest.mark.parametrize(
    "publishing",
    [
        {"status": Status.DRAFT},
        {"publish_at": timezone.now() + timedelta(days=1)},
        {
            "publish_at": timezone.now() - timedelta(days=3),
            "unpublish_at": timezone.now() - timedelta(days=1),
        },
    ],
    ids=["draft", "scheduled", "expired"],
)
@pytest.mark.parametrize("ext", ["bib", "ris", "json"])
def test_unpublished_article_has_no_citation(client, publishing, ext):
    make_article(slug="hidden", **publishing)

    assert client.get(f"/journal/articles/hidden/cite.{ext}").status_code == 404


@pytest.mark.parametrize("count", [1, 8])
@pytest.mark.parametrize("ext", ["bib", "ris", "json"])
def test_citation_queries_do_not_grow_with_authors(client, django_assert_num_queries, count, ext):
    article = make_article(slug="many")
    for order in range(count):
        add_author(article, make_person(), order=order)

    # Article with journal and publisher, then its authors.
    with django_assert_num_queries(2):
        download(client, "many", ext)


def test_article_without_a_date_of_publication_is_cited_without_a_year(client):
    article = make_article(title="Undated paper", published_on=None)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "(n.d.)" in html
    bib = client.get(reverse("article-cite-bib", kwargs={"slug": article.slug})).content.decode()
    assert "year" not in bib
    csl = client.get(reverse("article-cite-json", kwargs={"slug": article.slug})).json()
    assert "issued" not in csl[0]
