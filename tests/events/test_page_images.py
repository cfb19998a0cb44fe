"""Images on public pages: responsive WebP renditions, alt text, and an Open Graph image."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import make_event, make_news_post, make_organisation, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://site.example"


def photo(size=(1800, 1000)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(buffer, format="JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def img_tags(html: str) -> list[str]:
    return re.findall(r"<img\b[^>]*>", html.split("<main", 1)[1])


def test_event_page_image_has_srcset_and_alt_text(client):
    event = make_event(image=photo(), image_alt="Delegates in the Grand Palais")
    (img,) = img_tags(client.get(event.get_absolute_url()).content.decode())
    assert 'alt="Delegates in the Grand Palais"' in img
    srcset = re.search(r'srcset="([^"]+)"', img).group(1)
    assert [c.rsplit(" ", 1)[1] for c in srcset.split(", ")] == ["320w", "640w", "1024w", "1600w"]
    assert all(".webp " in candidate for candidate in srcset.split(", "))
    assert 'sizes="(min-width: 60rem) 60rem, 100vw"' in img


def test_decorative_image_has_empty_alt_text(client):
    post = make_news_post(image=photo(), image_alt="", image_decorative=True)
    html = client.get(post.get_absolute_url()).content.decode()
    (img,) = img_tags(html)
    assert 'alt=""' in img and "srcset=" in img
    assert "og:image:alt" not in html


@pytest.mark.parametrize("factory", [make_person, make_organisation])
def test_portraits_and_logos_are_served_small(client, factory):
    obj = factory(image=photo(), image_alt="A likeness")
    (img,) = img_tags(client.get(obj.get_absolute_url()).content.decode())
    assert 'sizes="12rem"' in img and " 384w" in img and "1024w" not in img


def test_open_graph_image_is_an_absolute_social_card_cropped_on_the_focal_point(client):
    event = make_event(image=photo(), image_alt="The summit hall")
    event.image.focal_x, event.image.focal_y = 0.25, 0.5
    event.image.save()
    html = client.get(event.get_absolute_url()).content.decode()
    url = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert url == "https://site.example" + event.image.crop_url(1200, 630)
    assert url.endswith("-crop1200x630-250-500.webp")
    assert '<meta property="og:image:alt" content="The summit hall">' in html


def test_page_without_image_has_no_img_and_no_open_graph_image(client):
    html = client.get(make_event().get_absolute_url()).content.decode()
    assert img_tags(html) == []
    assert "og:image" not in html
