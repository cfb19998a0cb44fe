"""schema.org JSON-LD for journal articles, collections and news posts, built as plain dicts."""

from __future__ import annotations

from collections.abc import Iterable

from core.links import absolute_url
from events.jsonld import CONTEXT, clean_ld, organisation_ref, person_ref
from events.models import Organisation, Person

from .models import Article, ArticleAuthor, Collection, Journal, NewsPost


def periodical_ld(journal: Journal) -> dict:
    issns = [issn for issn in (journal.issn, journal.eissn) if issn]
    return clean_ld(
        {
            "@type": "Periodical",
            "name": journal.title,
            "issn": issns[0] if len(issns) == 1 else issns,
            "url": journal.website,
        }
    )


def author_ld(authorship: ArticleAuthor) -> dict:
    person = authorship.person
    data = person_ref(person)
    if authorship.institution:
        data["affiliation"] = {"@type": "Organization", "name": authorship.institution}
    return data


def article_ld(
    article: Article, *, authors: Iterable[ArticleAuthor], publisher: Organisation | None
) -> dict:
    return clean_ld(
        {
            "@context": CONTEXT,
            "@type": "ScholarlyArticle",
            "headline": article.title[:110],
            "name": article.title,
            "url": absolute_url(article.get_absolute_url()),
            "author": [author_ld(a) for a in authors],
            "datePublished": article.published_on.isoformat() if article.published_on else "",
            "dateModified": article.updated_at.isoformat(),
            "identifier": {"@type": "PropertyValue", "propertyID": "DOI", "value": article.doi}
            if article.doi
            else None,
            "sameAs": article.doi_url,
            "license": article.licence_url,
            "genre": article.get_article_type_display(),
            "abstract": article.plain_language_summary,
            "volumeNumber": article.volume,
            "issueNumber": article.issue,
            "pagination": article.pages,
            "isPartOf": periodical_ld(article.journal),
            "publisher": organisation_ref(publisher) if publisher else None,
            "encoding": {
                "@type": "MediaObject",
                "encodingFormat": "application/pdf",
                "contentUrl": absolute_url(article.pdf.url),
            }
            if article.pdf_id
            else None,
        }
    )


def collection_ld(collection: Collection, *, editors: Iterable[Person]) -> dict:
    return clean_ld(
        {
            "@context": CONTEXT,
            "@type": "Collection",
            "name": collection.title,
            "url": absolute_url(collection.get_absolute_url()),
            "editor": [person_ref(p) for p in editors],
            "isPartOf": periodical_ld(collection.journal),
        }
    )


def news_ld(post: NewsPost, *, authors: Iterable[Person], site_name: str) -> dict:
    return clean_ld(
        {
            "@context": CONTEXT,
            "@type": "NewsArticle",
            "headline": post.title[:110],
            "url": absolute_url(post.get_absolute_url()),
            "description": post.standfirst,
            "datePublished": post.publish_at.isoformat() if post.publish_at else "",
            "dateModified": post.updated_at.isoformat(),
            "author": [person_ref(p) for p in authors]
            or [{"@type": "Organization", "name": site_name}],
            "publisher": {"@type": "Organization", "name": site_name},
            "image": absolute_url(post.image.url) if post.image else "",
            "dateline": post.dateline,
        }
    )
