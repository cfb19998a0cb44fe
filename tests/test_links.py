"""Absolute links come from one helper, whether the file lives on the site or on a media host."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.base import ContentFile

from core.links import absolute_url

from .factories import make_article, make_document

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://site.example"


def test_a_path_is_made_absolute_and_an_absolute_url_is_kept():
    assert absolute_url("/news/") == "https://site.example/news/"
    assert absolute_url("https://files.example/a.pdf") == "https://files.example/a.pdf"


def test_files_served_from_a_media_host_keep_their_own_address(client, settings):
    settings.MEDIA_URL = "https://files.example/media/"
    article = make_article(slug="on-a-media-host")
    article.pdf = make_document(file=ContentFile(MINIMAL_PDF, name="paper.pdf"))
    article.save()
    page = client.get(article.get_absolute_url()).content.decode()
    pdf_tag = re.search(r'<meta name="citation_pdf_url" content="([^"]+)"', page).group(1)
    assert pdf_tag.startswith("https://files.example/media/")
    ld = json.loads(re.search(r'application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert ld["encoding"]["contentUrl"].startswith("https://files.example/media/")
    api = client.get(f"/api/v1/articles/{article.slug}/").json()
    assert api["page_url"] == "https://site.example/journal/articles/on-a-media-host/"
