"""Citation downloads for a published article (BibTeX, RIS and CSL-JSON), in the one export
pattern of ``core.exports``: one loader, a builder per format, from one CSL-JSON source."""

from __future__ import annotations

import json

from django.shortcuts import get_object_or_404

from core.exports import Export

from .citations import csl_json, render_bibtex, render_ris, with_citation_data
from .models import Article


def cited_article(*, slug: str) -> Article:
    return get_object_or_404(with_citation_data(Article.objects.published()), slug=slug)


#: extension: (media type, builder of the file from the article's CSL-JSON item list)
FORMATS = {
    "bib": ("application/x-bibtex; charset=utf-8", lambda items: render_bibtex(items[0])),
    "ris": (
        "application/x-research-info-systems; charset=utf-8",
        lambda items: render_ris(items[0]),
    ),
    "json": (
        "application/vnd.citationstyles.csl+json; charset=utf-8",
        lambda items: json.dumps(items, ensure_ascii=False, indent=2) + "\n",
    ),
}


def _export(fmt: str, content_type: str, build) -> Export:
    return Export(
        f"journal/articles/<slug:slug>/cite.{fmt}",
        f"article-cite-{fmt}",
        cited_article,
        lambda article: build(csl_json(article)),
        content_type,
        lambda article: f"{article.slug}.{fmt}",
    )


EXPORTS = [_export(fmt, content_type, build) for fmt, (content_type, build) in FORMATS.items()]
