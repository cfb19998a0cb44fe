"""Every public page of the demo is valid HTML5 with the landmarks a visitor relies on.

The pages are parsed by html5lib in strict mode (any parse error fails), then checked
for one ``<h1>``, a ``<main>`` that the skip link leads to, ``lang`` on ``<html>`` and
alt text on every image.
"""

from __future__ import annotations

from io import BytesIO, StringIO
from urllib.parse import urlencode

import html5lib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from html5lib.constants import E
from PIL import Image

from events.models import Event, Organisation, Person, Session, Topic
from initiatives.models import Initiative
from publications.models import Article, Collection, NewsPost

pytestmark = pytest.mark.django_db

PUBLISHED = (Event, Session, Person, Organisation, Initiative, Article, Collection, NewsPost)


def photo() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (800, 500), (40, 80, 120)).save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def demo_pages() -> list[str]:
    """The demo loaded, a few images added, and the address of every public page."""
    call_command("demo", "--no-serve", stdout=StringIO())
    summit = Event.objects.published().filter(parent__isnull=True).first()
    summit.image, summit.image_alt = photo(), "Heads of state in the Grand Palais"
    summit.save()
    speaker = Person.objects.published().first()
    speaker.image, speaker.image_decorative = photo(), True
    speaker.save()
    pages = [
        reverse(name)
        for name in (
            "home",
            "event-list",
            "person-list",
            "organisation-list",
            "initiative-list",
            "article-list",
            "news-list",
            "search",
        )
    ]
    for model in PUBLISHED:
        pages += [obj.get_absolute_url() for obj in model.objects.published()]
    pages += [topic.get_absolute_url() for topic in Topic.objects.all()]
    search = reverse("search")
    pages += [
        f"{search}?{urlencode({'q': 'summit'})}",
        f"{search}?{urlencode({'q': 'summit', 'type': 'events'})}",
        f"{search}?{urlencode({'q': 'no such thing anywhere'})}",
        f"{reverse('initiative-list')}?{urlencode({'kind': 'nonsense'})}",
        f"{reverse('article-list')}?{urlencode({'year': 'soon'})}",
        "/no-such-page/",
    ]
    return pages


def parse(html: str):
    """The page's tree; raises ParseError with the line and column of the first error."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        return parser.parse(html)
    except html5lib.html5parser.ParseError:
        (line, column), code, data = parser.errors[0]
        raise html5lib.html5parser.ParseError(
            f"line {line}, column {column}: {E.get(code, code) % (data or {})}\n"
            f"{html.splitlines()[line - 1].strip()[:300]}"
        ) from None


def problems(html: str) -> list[str]:
    try:
        root = parse(html)
    except html5lib.html5parser.ParseError as error:
        return [f"HTML5 parse error at {error}"]
    found = []
    if not root.get("lang"):
        found.append("<html> has no lang")
    if len(root.findall(".//h1")) != 1:
        found.append(f"{len(root.findall('.//h1'))} <h1> elements")
    mains = root.findall(".//main")
    if len(mains) != 1 or not mains[0].get("id"):
        found.append("no single <main> with an id")
    body = root.find("body")
    first_link = next(body.iter("a"), None)
    if first_link is None or (mains and first_link.get("href") != f"#{mains[0].get('id')}"):
        found.append("the first link is not a skip link to <main>")
    found += [
        f"<img> without alt: {img.attrib}" for img in root.iter("img") if "alt" not in img.attrib
    ]
    return found


def test_every_public_page_of_the_demo_is_valid_and_accessible(client, demo_pages):
    assert len(demo_pages) > 40
    failures = {}
    for url in demo_pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert (response.status_code == 404) == (url == "/no-such-page/"), url
        if found := problems(response.content.decode()):
            failures[url] = found
    assert failures == {}


def test_demo_pages_with_images_give_alt_text_or_mark_them_decorative(client, demo_pages):
    summit = Event.objects.exclude(image="").get()
    html = client.get(summit.get_absolute_url()).content.decode()
    assert 'alt="Heads of state in the Grand Palais"' in html and "srcset=" in html
    speaker = Person.objects.exclude(image="").get()
    assert 'alt=""' in client.get(speaker.get_absolute_url()).content.decode()


def test_server_error_page_is_valid_and_accessible():
    assert problems(render_to_string("500.html")) == []


def test_the_checker_catches_what_it_should():
    page = (
        "<!DOCTYPE html><html><head><title>t</title></head><body><p>x</p>"
        '<main id="main"><h1>a</h1><h1>b</h1><img src="x.png"></main></body></html>'
    )
    found = problems(page)
    assert "<html> has no lang" in found
    assert "2 <h1> elements" in found
    assert "the first link is not a skip link to <main>" in found
    assert any(item.startswith("<img> without alt") for item in found)
    assert problems("<!DOCTYPE html><html lang=en><title>t</title><p><div></p>")[0].startswith(
        "HTML5 parse error"
    )
