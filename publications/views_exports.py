"""Citation downloads for a published article: BibTeX, RIS and CSL-JSON."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from .citations import csl_json, render_bibtex, render_ris, with_citation_data
from .models import Article

FORMATS = {
    # extension: (content type, renderer of the article's CSL item list)
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


@require_safe
def article_citation(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    article = get_object_or_404(with_citation_data(Article.objects.published()), slug=slug)
    content_type, render = FORMATS[fmt]
    response = HttpResponse(render(csl_json(article)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{article.slug}.{fmt}"'
    return response
