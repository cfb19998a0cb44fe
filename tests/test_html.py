"""Every public page of the demo is valid HTML5 with the landmarks a visitor relies on.

The pages are parsed by html5lib in strict mode (any parse error fails), then checked
for one ``<h1>``, a ``<main>`` that the skip link leads to, ``lang`` on ``<html>`` and
alt text on every image; for one canonical address and the Open Graph basics; and for
scripts, stylesheets, images and fonts that all come from the site itself (no CDN, no
trackers: the site works offline and tells no third party who reads it).
"""

from __future__ import annotations

import re
from io import BytesIO, StringIO
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import html5lib
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse
from html5lib.constants import E
from PIL import Image

from events.models import Event, Organisation, Person, Session, Topic
from initiatives.models import Initiative
from publications.models import Article, Collection, NewsPost
from tests.factories import make_image

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
    summit.image, summit.image_alt = make_image(file=photo()), "Heads of state in the Grand Palais"
    summit.save()
    speaker = Person.objects.published().first()
    speaker.image, speaker.image_decorative = make_image(file=photo()), True
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
            "recording-list",
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
    summit = Event.objects.exclude(image=None).get()
    html = client.get(summit.get_absolute_url()).content.decode()
    assert 'alt="Heads of state in the Grand Palais"' in html and "srcset=" in html
    speaker = Person.objects.exclude(image=None).get()
    assert 'alt=""' in client.get(speaker.get_absolute_url()).content.decode()


@pytest.mark.parametrize("template", ["500.html", "503.html", "410.html"])
def test_error_pages_are_valid_and_accessible(rf, template):
    assert problems(render_to_string(template, request=rf.get("/gone/"))) == []


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


# The address inside each CSS url(...), quoted or not.
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")


def page_url(path: str) -> str:
    return settings.SITE_URL + path


def own(url: str, base: str) -> bool:
    """Whether ``url``, as found on the page at ``base``, is served by the site itself."""
    if url.startswith("data:"):
        return True
    absolute = urlsplit(urljoin(base, url))
    return absolute.netloc == urlsplit(settings.SITE_URL).netloc


def metadata_problems(html: str, base: str) -> list[str]:
    """Canonical and Open Graph tags, and any resource loaded from another host."""
    root = parse(html)
    found = []
    canonicals = [link for link in root.iter("link") if link.get("rel") == "canonical"]
    if len(canonicals) != 1:
        found.append(f"{len(canonicals)} canonical links")
    elif not canonicals[0].get("href", "").startswith(settings.SITE_URL + "/"):
        found.append(f"canonical not absolute on SITE_URL: {canonicals[0].get('href')}")
    og = {meta.get("property"): meta.get("content") for meta in root.iter("meta")}
    for prop in ("og:title", "og:url", "og:type"):
        if not og.get(prop):
            found.append(f"no {prop}")
    if og.get("og:url") and not og["og:url"].startswith(settings.SITE_URL + "/"):
        found.append(f"og:url not absolute on SITE_URL: {og['og:url']}")
    loaded = [script.get("src") for script in root.iter("script") if script.get("src")]
    loaded += [
        link.get("href")
        for link in root.iter("link")
        if set((link.get("rel") or "").split()) & {"stylesheet", "preload", "icon", "manifest"}
    ]
    for tag in ("img", "source", "iframe", "video", "audio"):
        for element in root.iter(tag):
            loaded += [element.get("src")] if element.get("src") else []
            for srcset in (element.get("srcset"), element.get("data-srcset")):
                loaded += [part.split()[0] for part in (srcset or "").split(",") if part.strip()]
    styles = [style.text or "" for style in root.iter("style")]
    styles += [element.get("style") for element in root.iter() if element.get("style")]
    loaded += [url for css in styles for url in CSS_URL.findall(css)]
    found += [f"loads from another host: {url}" for url in loaded if not own(url, base)]
    return found


def test_every_public_page_has_canonical_and_open_graph_and_loads_nothing_from_elsewhere(
    client, demo_pages
):
    failures = {}
    for url in demo_pages:
        if url == "/no-such-page/":
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        if found := metadata_problems(response.content.decode(), page_url(url)):
            failures[url] = found
    assert failures == {}


def test_canonical_address_drops_tracking_parameters_and_page_one(client, settings):
    html = client.get("/speakers/?page=1&utm_source=x").content.decode()
    (canonical,) = [link for link in parse(html).iter("link") if link.get("rel") == "canonical"]
    assert canonical.get("href") == f"{settings.SITE_URL}/speakers/"


def test_site_css_loads_nothing_from_another_host():
    static = Path(settings.BASE_DIR) / "static"
    sheets = sorted(static.rglob("*.css"))
    assert sheets
    outside = {
        str(sheet.relative_to(static)): url
        for sheet in sheets
        for url in CSS_URL.findall(sheet.read_text())
        if re.match(r"(https?:)?//", url)
    }
    assert outside == {}
    imports = [sheet.name for sheet in sheets if "@import" in sheet.read_text()]
    assert imports == []


def test_the_metadata_checker_catches_what_it_should(settings):
    settings.SITE_URL = "https://policy.example.org"
    page = (
        '<!DOCTYPE html><html lang="en"><head><title>t</title>'
        '<link rel="canonical" href="/relative/">'
        '<link rel="stylesheet" href="https://cdn.example.com/x.css">'
        '<script src="//tracker.example.net/t.js"></script>'
        '<style>@font-face { src: url("https://fonts.example.com/f.woff2"); }</style>'
        '</head><body><img src="https://policy.example.org/media/a.jpg" alt="">'
        '<img src="/media/b.jpg" srcset="/media/b.jpg 1x, https://img.example.com/b.jpg 2x" alt="">'
        "</body></html>"
    )
    found = metadata_problems(page, "https://policy.example.org/")
    assert "canonical not absolute on SITE_URL: /relative/" in found
    assert {"no og:title", "no og:url", "no og:type"} <= set(found)
    assert {
        "loads from another host: https://cdn.example.com/x.css",
        "loads from another host: //tracker.example.net/t.js",
        "loads from another host: https://fonts.example.com/f.woff2",
        "loads from another host: https://img.example.com/b.jpg",
    } == {item for item in found if item.startswith("loads")}
