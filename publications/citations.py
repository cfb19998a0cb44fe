"""How to cite an article: one source of citation data, several renderings.

``csl_item`` turns an article into a CSL-JSON item (the format citation
processors and reference managers share); BibTeX, RIS and the plain APA-like
string shown on the article page are all rendered from that item, so they can
never disagree with each other. The files are written by bibtexparser and rispy (the
same libraries reference managers' users read them with); only the TeX escaping of
values and the mapping from CSL are ours. The article page's Highwire Press
``citation_*`` tags (read by Google Scholar and other indexers) are made here too.

``csl_item`` reads ``article.journal`` (with its publisher) and
``article.authorships`` (with each person); load them with
``with_citation_data()`` to render a citation in a fixed number of queries.
Authors and publishers that are not published are left out, like everywhere else.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import bibtexparser
import rispy
from bibtexparser import BibtexFormat, Library
from bibtexparser.middlewares import (
    AddEnclosingMiddleware,
    MergeCoAuthors,
    MonthAbbreviationMiddleware,
)
from bibtexparser.model import Entry, Field
from django.db.models import Prefetch, QuerySet

from core.links import absolute_url
from events.ical import plain_text
from events.models import Person

from .models import Article, ArticleAuthor

CSLItem = dict[str, Any]


def with_citation_data(articles: QuerySet[Article]) -> QuerySet[Article]:
    return articles.select_related("journal__publisher", "pdf").prefetch_related(
        Prefetch(
            "authorships",
            queryset=ArticleAuthor.objects.select_related("person").order_by("order", "id"),
        )
    )


def person_name(person: Person) -> dict[str, str]:
    """CSL name parts; ``sort_name`` ("Family, Given") says where the family name starts."""
    if ", " in person.sort_name:
        family, given = person.sort_name.split(", ", 1)
        return {"family": family.strip(), "given": given.strip()}
    parts = person.name.rsplit(" ", 1)
    if len(parts) == 2:
        return {"family": parts[1], "given": parts[0]}
    return {"literal": person.name}


def split_pages(pages: str) -> tuple[str, str]:
    """'12–30' -> ('12', '30'); 'e12' -> ('e12', '')."""
    parts = [part for part in re.split(r"\s*[-–—]+\s*", pages.strip()) if part]
    if not parts:
        return "", ""
    return parts[0], parts[-1] if len(parts) > 1 else ""


def csl_item(article: Article) -> CSLItem:
    """The one citation source: a CSL-JSON item for ``article``."""
    journal = article.journal
    item: CSLItem = {
        "id": article.doi or article.slug,
        "type": "article-journal",
        "title": article.title,
        "container-title": journal.title,
        "author": [
            person_name(authorship.person)
            for authorship in article.authorships.all()
            if authorship.person.is_published
        ],
        "URL": absolute_url(article.get_absolute_url()),
    }
    # Only the journal's date of publication counts: when the page went up on this site is
    # not when the article was published, and a wrong year in a citation is worse than none.
    issued = article.published_on
    if issued:
        item["issued"] = {"date-parts": [[issued.year, issued.month, issued.day]]}
    if article.doi:
        item["DOI"] = article.doi
    if article.volume:
        item["volume"] = article.volume
    if article.issue:
        item["issue"] = article.issue
    first, last = split_pages(article.pages)
    if first:
        item["page"] = f"{first}-{last}" if last else first
    if issn := journal.eissn or journal.issn:
        item["ISSN"] = issn
    if journal.publisher and journal.publisher.is_published:
        item["publisher"] = journal.publisher.name
    if article.licence_url:
        item["license"] = article.licence_url
    if abstract := plain_text(article.abstract):
        item["abstract"] = abstract
    return item


def csl_json(article: Article) -> list[CSLItem]:
    """CSL-JSON as reference managers import it: a list of items."""
    return [csl_item(article)]


# -- BibTeX ---------------------------------------------------------------------------------

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def latex_escape(text: str) -> str:
    """Escape the characters TeX treats specially, braces included, so fields stay balanced."""
    return "".join(_LATEX_SPECIALS.get(char, char) for char in " ".join(text.split()))


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def bibtex_key(item: CSLItem) -> str:
    """e.g. ``verhulst2025data``: first author's family name, year, first long title word."""
    authors = item.get("author") or [{}]
    name = authors[0].get("family") or authors[0].get("literal") or "anon"
    year = str(item["issued"]["date-parts"][0][0]) if "issued" in item else ""
    words = [w for w in re.findall(r"[a-z0-9]+", _ascii(item["title"]).lower()) if len(w) > 3]
    key = re.sub(r"[^a-z0-9]", "", _ascii(name).lower()) + year + (words[0] if words else "")
    return key or "article"


def _bibtex_name(name: dict[str, str]) -> str:
    if "literal" in name:
        return "{" + latex_escape(name["literal"]) + "}"
    return f"{latex_escape(name['family'])}, {latex_escape(name['given'])}"


def _bibtex_format() -> BibtexFormat:
    layout = BibtexFormat()
    layout.indent = "  "
    layout.block_separator = "\n"
    return layout


# Months as BibTeX's own abbreviations (``month = feb``), every other value in braces.
_BIBTEX_UNPARSE = (
    MonthAbbreviationMiddleware(),
    MergeCoAuthors(),
    AddEnclosingMiddleware(
        reuse_previous_enclosing=False, enclose_integers=False, default_enclosing="{"
    ),
)


def render_bibtex(item: CSLItem) -> str:
    """One ``@article`` entry, written by bibtexparser; values are TeX-escaped here."""
    fields: list[Field] = []
    if item.get("author"):
        fields.append(Field("author", [_bibtex_name(n) for n in item["author"]]))
    # Double braces keep the title's capitals (acronyms such as AI) as written.
    fields.append(Field("title", "{" + latex_escape(item["title"]) + "}"))
    fields.append(Field("journal", latex_escape(item["container-title"])))
    if "issued" in item:
        parts = item["issued"]["date-parts"][0]
        fields.append(Field("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(Field("month", parts[1]))
    for bib, csl in (("volume", "volume"), ("number", "issue")):
        if item.get(csl):
            fields.append(Field(bib, latex_escape(item[csl])))
    if item.get("page"):
        fields.append(Field("pages", latex_escape(item["page"].replace("-", "--"))))
    if item.get("publisher"):
        fields.append(Field("publisher", latex_escape(item["publisher"])))
    if item.get("ISSN"):
        fields.append(Field("issn", item["ISSN"]))
    if item.get("DOI"):
        # DOIs and URLs are verbatim in biblatex and the doi/url packages: no escaping.
        fields.append(Field("doi", item["DOI"]))
    fields.append(Field("url", item["URL"]))
    library = Library([Entry("article", bibtex_key(item), fields)])
    return bibtexparser.write_string(
        library, unparse_stack=_BIBTEX_UNPARSE, bibtex_format=_bibtex_format()
    )


# -- RIS ------------------------------------------------------------------------------------


class _RisWriter(rispy.RisWriter):
    """rispy's writer as reference managers expect a download: no record number before
    ``TY``, CRLF line ends."""

    NEWLINE = "\r\n"

    def set_header(self, count: int) -> str:
        return ""


def _ris_name(name: dict[str, str]) -> str:
    return name.get("literal") or f"{name['family']}, {name['given']}"


def _one_line(value: str) -> str:
    # A value must stay on its line: a newline inside it would start a bogus tag.
    return " ".join(value.split())


def render_ris(item: CSLItem) -> str:
    """RIS written by rispy: one ``TAG  - value`` per line, ``ER`` closing the record."""
    record: dict[str, Any] = {"type_of_reference": "JOUR"}
    if item.get("author"):
        record["authors"] = [_one_line(_ris_name(name)) for name in item["author"]]
    record["title"] = item["title"]
    record["journal_name"] = item["container-title"]
    record["secondary_title"] = item["container-title"]
    if "issued" in item:
        parts = item["issued"]["date-parts"][0] + [None, None]
        year, month, day = parts[:3]
        record["year"] = str(year)
        record["date"] = f"{year}/{month:02d}/{day:02d}/" if month and day else f"{year}///"
    for key, csl in (
        ("volume", "volume"),
        ("number", "issue"),
        ("issn", "ISSN"),
        ("publisher", "publisher"),
    ):
        if item.get(csl):
            record[key] = item[csl]
    if item.get("page"):
        first, last = split_pages(item["page"])
        record["start_page"] = first
        if last:
            record["end_page"] = last
    if item.get("DOI"):
        record["doi"] = item["DOI"]
    record["urls"] = [item["URL"]]
    if item.get("abstract"):
        record["abstract"] = item["abstract"]
    record = {
        key: [_one_line(v) for v in value] if isinstance(value, list) else _one_line(value)
        for key, value in record.items()
    }
    return _RisWriter().formats([record])


# -- Plain text (APA-like) --------------------------------------------------------------------


def _initials(given: str) -> str:
    """'Stefaan G.' -> 'S. G.'; 'Jean-Pierre' -> 'J.-P.'"""
    out = []
    for word in given.split():
        pieces = [p for p in word.split("-") if p]
        out.append("-".join(f"{p[0]}." for p in pieces))
    return " ".join(out)


def _apa_name(name: dict[str, str]) -> str:
    if "literal" in name:
        return name["literal"]
    initials = _initials(name["given"])
    return f"{name['family']}, {initials}" if initials else name["family"]


def _apa_authors(names: list[dict[str, str]]) -> str:
    rendered = [_apa_name(n) for n in names]
    if len(rendered) > 20:
        return ", ".join(rendered[:19]) + ", … " + rendered[-1]
    if len(rendered) == 1:
        return rendered[0]
    if len(rendered) == 2:
        return f"{rendered[0]}, & {rendered[1]}"
    return ", ".join(rendered[:-1]) + ", & " + rendered[-1]


def _end(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def render_plain(item: CSLItem) -> str:
    """APA-style reference as plain text: Authors (Year). Title. Journal, Vol(Issue), pages. Link"""
    year = f"({item['issued']['date-parts'][0][0]})" if "issued" in item else "(n.d.)"
    parts = []
    if item.get("author"):
        parts.append(f"{_end(_apa_authors(item['author']))} {year}.")
        parts.append(_end(item["title"]))
    else:
        parts.append(f"{_end(item['title'])} {year}.")
    source = item["container-title"]
    if item.get("volume"):
        source += f", {item['volume']}"
        if item.get("issue"):
            source += f"({item['issue']})"
    elif item.get("issue"):
        source += f", ({item['issue']})"
    if item.get("page"):
        source += f", {item['page'].replace('-', '–')}"
    parts.append(source + ".")
    parts.append(f"https://doi.org/{item['DOI']}" if item.get("DOI") else item["URL"])
    return " ".join(parts)


def format_citation(article: Article) -> str:
    """The how-to-cite text for the article page."""
    return render_plain(csl_item(article))


# --- Highwire Press tags for scholarly indexers -------------------------------------------


def highwire_tags(article: Article, authors: list[ArticleAuthor]) -> list[tuple[str, str]]:
    """Highwire Press ``citation_*`` meta tags, in order, with no empty values."""
    journal = article.journal
    first, last = split_pages(article.pages)
    tags: list[tuple[str, str]] = [("citation_title", article.title)]
    for authorship in authors:
        tags.append(("citation_author", authorship.person.name))
        tags.append(("citation_author_institution", authorship.institution))
        tags.append(("citation_author_orcid", authorship.person.orcid_url))
    tags += [
        (
            "citation_publication_date",
            article.published_on.strftime("%Y/%m/%d") if article.published_on else "",
        ),
        ("citation_journal_title", journal.title),
        ("citation_issn", journal.eissn),
        ("citation_issn", journal.issn),
        ("citation_doi", article.doi),
        ("citation_volume", article.volume),
        ("citation_issue", article.issue),
        ("citation_firstpage", first),
        ("citation_lastpage", last),
        ("citation_abstract_html_url", absolute_url(article.get_absolute_url())),
        ("citation_pdf_url", absolute_url(article.pdf.url) if article.pdf_id else ""),
    ]
    return [(name, value) for name, value in tags if value]
