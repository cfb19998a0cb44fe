"""Images of the media library inside rich text: stored as references on every path in, shown as
the library's renditions, nothing for a deleted image, counted as uses of the image, and
resolved with one query however many a text holds."""

from __future__ import annotations

import json
import re
from html import unescape
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from core.library import Image, usages
from core.richtext import clean_rich_text, render_rich_text, sanitise_html
from core.sitepages.models import Page, PageBlock
from events.models import Person, Session
from publications.models import NewsPost
from tests.api.conftest import make_partner
from tests.factories import (
    add_block,
    admin_form_data,
    make_article,
    make_event,
    make_image,
    make_member,
    make_news_post,
    make_page,
    make_staff,
)
from tests.test_html import problems
from tests.test_spreadsheets import PEOPLE, confirm, preview, sheet

pytestmark = pytest.mark.django_db

CHOOSER = "/admin/rich-text/images/"
PREVIEW = "/admin/rich-text/images/preview/"


def upload(size=(1200, 800), name="hall.jpg"):
    buffer = BytesIO()
    PILImage.new("RGB", size, (20, 90, 160)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def hall():
    return make_image(
        file=upload(),
        title="Summit hall",
        alt_text="The plenary hall, seen from the stage",
        credit="Élysée press office",
    )


def figure(image, *, alt: str | None = None, caption: str = "") -> str:
    alt_attribute = f' alt="{alt}"' if alt is not None else ""
    caption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure><img data-ref="core.image:{image.pk}"{alt_attribute}>{caption}</figure>'


def images_in(html: str) -> list[dict[str, str]]:
    """The attributes of each <img> in ``html``."""
    return [
        {name: unescape(value) for name, value in re.findall(r'([\w-]+)="([^"]*)"', attrs)}
        for attrs in re.findall(r"<img([^>]*)>", html)
    ]


def prose(html: str) -> str:
    return html.split('<div class="prose">')[1].split("</div>")[0]


# --- Sanitising: only a reference to a library image is ever stored --------------------------

FOREIGN_IMAGES = {
    "external src": '<img src="https://tracker.example/pixel.gif" alt="x">',
    "script in onerror": "<img src=x onerror=alert(1)>",
    "data URL": '<img src="data:image/png;base64,iVBORw0KGgo=">',
    "srcset only": '<img srcset="https://tracker.example/a.png 1x">',
    "reference to a session": '<img data-ref="events.session:1" alt="x">',
    "malformed reference": '<img data-ref="core.image:1 onerror=alert(1)">',
}


@pytest.mark.parametrize("html", FOREIGN_IMAGES.values(), ids=FOREIGN_IMAGES.keys())
def test_an_image_that_is_not_from_the_library_is_removed(html):
    cleaned = sanitise_html(f"<p>Before</p>{html}<figure>{html}</figure><p>After</p>")
    assert cleaned == "<p>Before</p><p>After</p>"


def test_a_library_image_keeps_its_reference_and_alt_text_only():
    cleaned = sanitise_html(
        '<figure><img data-ref="core.image:7" alt="Delegates" src="/media/x.jpg" '
        'srcset="/a.jpg 2x" width="9000" height="1" onerror="alert(1)" style="x" class="y">'
        "<figcaption>The <em>opening</em></figcaption></figure>"
    )
    assert cleaned == (
        '<figure><img data-ref="core.image:7" alt="Delegates">'
        "<figcaption>The <em>opening</em></figcaption></figure>"
    )


def test_admin_form_stores_only_the_reference(client, hall):
    client.force_login(make_staff(superuser=True))
    post = make_news_post()
    url = reverse("admin:publications_newspost_change", args=[post.pk])
    body = (
        '<p>Text</p><img src="https://tracker.example/pixel.gif">'
        f'<figure><img data-ref="core.image:{hall.pk}" src="/media/other.jpg" alt="Hall">'
        "<figcaption>Opening</figcaption></figure>"
    )
    response = client.post(url, admin_form_data(client.get(url), body=body))
    assert response.status_code == 302, response.context["adminform"].form.errors
    post.refresh_from_db()
    assert post.body == (
        f'<p>Text</p><figure><img data-ref="core.image:{hall.pk}" alt="Hall">'
        "<figcaption>Opening</figcaption></figure>"
    )


def test_api_submission_stores_only_the_reference_and_answers_the_rendition(hall):
    event = make_event(slug="summit")
    partner = make_partner(can_submit=True)
    response = partner.client.post(
        "/api/v1/submissions/sessions/",
        {
            "event": event.slug,
            "title": "Open models",
            "description": '<p>Hi</p><img src="https://tracker.example/p.gif">'
            + figure(hall, caption="The hall"),
            "start": "2025-02-10T18:00:00+01:00",
            "end": "2025-02-10T19:30:00+01:00",
            "room": "Salle Gaveau",
            "hosts": [],
            "speakers": [],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    stored = Session.objects.get(pk=response.json()["id"]).description
    assert stored == "<p>Hi</p>" + figure(hall, caption="The hall")
    [shown] = images_in(response.json()["description"])
    assert shown["src"].startswith("http") and "/renditions/" in shown["src"]
    assert "tracker.example" not in response.json()["description"]


def test_spreadsheet_import_stores_only_the_reference(client, hall):
    client.force_login(make_member(username="sheet-editor", group="Editors"))
    bio = '<p>Ada</p><img src="https://tracker.example/p.gif" onerror="x()">' + figure(hall)
    response = preview(client, PEOPLE, sheet([{"slug": "ada", "name": "Ada", "bio": bio}]))
    confirm(client, PEOPLE, response)
    assert Person.objects.get(slug="ada").bio == "<p>Ada</p>" + figure(hall)


def test_an_image_written_past_the_forms_shows_no_address_of_the_writer(client, hall):
    post = make_news_post()
    NewsPost.objects.filter(pk=post.pk).update(
        body='<p>Kept</p><img src="https://tracker.example/p.gif" onerror="alert(1)">'
    )
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<p>Kept</p>" in prose(page)
    assert "tracker.example" not in page and "<img" not in prose(page)


# --- Rendering ------------------------------------------------------------------------------


def test_the_page_shows_the_library_rendition_with_its_alt_text_and_credit(client, hall):
    post = make_news_post(body="<p>Opening day.</p>" + figure(hall, caption="The plenary"))
    html = client.get(post.get_absolute_url()).content.decode()
    assert problems(html) == []
    body = prose(html)
    [image] = images_in(body)
    candidates = [part.split() for part in image["srcset"].split(", ")]
    assert [width for _url, width in candidates] == ["320w", "640w", "1024w"]
    assert all("/media/renditions/" in url and url.endswith(".webp") for url, _w in candidates)
    assert image["src"] == candidates[-1][0]
    assert (image["width"], image["height"]) == ("1024", "683")
    assert image["alt"] == "The plenary hall, seen from the stage"
    assert image["sizes"] and image["loading"] == "lazy"
    assert "data-ref" not in body
    assert re.search(
        r'<figure class="rich-image"><img [^>]+><figcaption>The plenary '
        r'<span class="credit">Élysée press office</span></figcaption></figure>',
        body,
    )


def test_alt_text_written_in_the_text_is_used_instead_of_the_librarys(client, hall):
    post = make_news_post(body=figure(hall, alt="Delegates taking their seats"))
    [image] = images_in(prose(client.get(post.get_absolute_url()).content.decode()))
    assert image["alt"] == "Delegates taking their seats"


def test_feeds_and_the_api_show_the_image_with_full_addresses(client, settings, hall):
    settings.SITE_URL = "https://site.example"
    make_news_post(slug="opening", body=figure(hall))
    [image] = images_in(client.get("/api/v1/news/opening/").json()["body"])
    assert image["src"].startswith("https://site.example/media/renditions/")
    assert all(
        candidate.startswith("https://site.example/") for candidate in image["srcset"].split(", ")
    )
    make_article(abstract="<p>Findings.</p>" + figure(hall, caption="The hall"))
    feed = unescape(client.get("/journal/feed/").content.decode())
    [image] = images_in(feed)
    assert image["src"].startswith("https://site.example/media/renditions/")
    assert image["alt"] == "The plenary hall, seen from the stage"
    assert "data-ref" not in feed


def test_a_deleted_image_shows_nothing_not_even_its_caption(client, hall):
    post = make_news_post(
        body="<p>Before.</p>" + figure(hall, caption="The hall") + "<p>After.</p>"
    )
    Image.objects.filter(pk=hall.pk).delete()  # past the admin's refusal
    body = prose(client.get(post.get_absolute_url()).content.decode())
    assert body.strip() == "<p>Before.</p><p>After.</p>"
    api = client.get(f"/api/v1/news/{post.slug}/").json()["body"]
    assert "<img" not in api and "The hall" not in api and "data-ref" not in api


def test_a_reference_to_an_image_that_never_existed_shows_nothing():
    assert render_rich_text('<p>x</p><p><img data-ref="core.image:424242"></p>') == (
        "<p>x</p><p></p>"
    )


def test_the_images_of_a_text_come_with_one_query(django_assert_num_queries):
    images = [make_image(file=upload(size=(400, 300), name=f"i{n}.jpg")) for n in range(6)]
    one = clean_rich_text(figure(images[0]))
    many = clean_rich_text(
        "".join(figure(image, caption=f"n{n}") for n, image in enumerate(images))
    )
    render_rich_text(many)  # the renditions are made once, outside the count
    with django_assert_num_queries(1):
        assert len(images_in(render_rich_text(one))) == 1
    with django_assert_num_queries(1):
        assert len(images_in(render_rich_text(many))) == 6


def test_a_site_page_asks_the_same_number_of_queries_for_one_image_or_many(
    client, django_assert_num_queries
):
    images = [make_image(file=upload(size=(400, 300), name=f"i{n}.jpg")) for n in range(4)]
    one = make_page(slug="one")
    add_block(one, PageBlock.Kind.TEXT, body=figure(images[0]))
    many = make_page(slug="many")
    for image in images:
        add_block(many, PageBlock.Kind.TEXT, body=figure(image) + figure(images[0]))
    client.get("/one/"), client.get("/many/")  # renditions made, caches warm
    with django_assert_num_queries(4):
        assert len(images_in(prose_blocks(client.get("/one/").content.decode()))) == 1
    with django_assert_num_queries(4):
        assert len(images_in(prose_blocks(client.get("/many/").content.decode()))) == 8


def prose_blocks(html: str) -> str:
    return "".join(re.findall(r'<figure class="rich-image">.*?</figure>', html, re.S))


# --- Uses of an image -----------------------------------------------------------------------


def test_text_that_shows_an_image_is_listed_as_a_use_of_it(client, hall):
    post = make_news_post(title="Summit opens", body=figure(hall))
    page = make_page(title="About the summit", slug="about-summit")
    add_block(page, PageBlock.Kind.TEXT, body=figure(hall))
    add_block(page, PageBlock.Kind.TEXT, body=figure(hall, caption="Again"))
    make_news_post(title="Unrelated", body="<p>No image.</p>")
    assert [(u.model, u.pk) for u in usages(hall)] == [(NewsPost, post.pk), (Page, page.pk)]
    client.force_login(make_member(username="edna", group="Editors"))
    html = client.get(reverse("admin:core_image_change", args=[hall.pk])).content.decode()
    assert "Summit opens" in html and "About the summit" in html
    assert reverse("admin:sitepages_page_change", args=[page.pk]) in html


def test_the_library_list_marks_an_image_shown_only_in_rich_text_as_used(client, hall):
    spare = make_image(file=upload(size=(300, 200), name="spare.jpg"), title="Spare")
    # A reference to another image whose number starts the same is no use of this one.
    make_news_post(body=figure(hall) + f'<figure><img data-ref="core.image:{spare.pk}0"></figure>')
    client.force_login(make_member(username="edna", group="Editors"))
    url = reverse("admin:core_image_changelist")
    listed = lambda **query: list(client.get(url, query).context["cl"].result_list)  # noqa: E731
    assert listed(use="used") == [hall]
    assert listed(use="unused") == [spare]


def test_an_image_shown_in_rich_text_cannot_be_deleted(client, hall):
    make_news_post(title="Summit opens", body=figure(hall))
    client.force_login(make_member(username="edna", group="Editors"))
    url = reverse("admin:core_image_delete", args=[hall.pk])
    page = client.get(url).content.decode()
    assert "cannot be deleted while it is used" in page and "Summit opens" in page
    client.post(url, {"post": "yes"})
    data = {"action": "delete_selected", "_selected_action": [hall.pk], "post": "yes"}
    client.post(reverse("admin:core_image_changelist"), data)
    assert Image.objects.filter(pk=hall.pk).exists()


def test_an_image_shown_only_in_a_page_block_cannot_be_deleted(client, hall):
    page = make_page(title="About the summit", slug="about-summit")
    add_block(page, PageBlock.Kind.TEXT, body=figure(hall))
    client.force_login(make_member(username="edna", group="Editors"))
    client.post(reverse("admin:core_image_delete", args=[hall.pk]), {"post": "yes"})
    assert Image.objects.filter(pk=hall.pk).exists()


# --- The editor's chooser ---------------------------------------------------------------------


def test_the_editor_offers_the_library_image_button_from_a_static_module():
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = make_staff(superuser=True)
    rendered = str(admin.site._registry[NewsPost].get_form(request)()["body"])
    config = json.loads(
        unescape(rendered.split('data-django-prose-editor-configurable="')[1].split('"')[0])
    )
    assert config["extensions"]["LibraryImage"] == {"searchUrl": CHOOSER, "previewUrl": PREVIEW}
    assert "/static/admin-extra/library-image.js" in config["js_modules"]
    assert "<script" not in rendered


def test_the_chooser_searches_the_library_newest_first(client, hall):
    client.force_login(make_member(username="edna", group="Editors"))
    logo = make_image(file=upload(size=(300, 300), name="logo.jpg"), title="Logo", alt_text="")
    newest = client.get(CHOOSER).json()["results"]
    assert [r["ref"] for r in newest] == [f"core.image:{logo.pk}", f"core.image:{hall.pk}"]
    [found] = client.get(CHOOSER, {"q": "plenary stage"}).json()["results"]
    assert found["title"] == "Summit hall" and found["credit"] == "Élysée press office"
    assert found["alt"] == "The plenary hall, seen from the stage"
    assert "/media/renditions/" in found["thumbnail"]
    preview_response = client.get(PREVIEW, {"ref": f"core.image:{hall.pk}"})
    assert preview_response.status_code == 302
    assert preview_response["Location"] == found["thumbnail"]
    assert client.get(PREVIEW, {"ref": "core.image:424242"}).status_code == 404
    assert client.get(PREVIEW, {"ref": "events.session:1"}).status_code == 404


def test_the_chooser_is_for_staff_who_may_view_the_library(client, hall, django_user_model):
    response = client.get(CHOOSER)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    response = client.get(PREVIEW, {"ref": f"core.image:{hall.pk}"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    client.force_login(make_staff(username="reader", perms=["publications.view_newspost"]))
    assert client.get(CHOOSER).status_code == 403
    assert client.get(PREVIEW, {"ref": f"core.image:{hall.pk}"}).status_code == 404


def test_alt_text_that_reads_like_markup_is_shown_as_text(hall):
    hall.alt_text = 'A "quote" <script>x()</script> data-ref="core.image:1"'
    hall.save()
    html = render_rich_text(
        clean_rich_text(figure(hall) + f'<p><img data-ref="core.image:{hall.pk}"></p>')
    )
    assert [image["alt"] for image in images_in(html)] == [hall.alt_text, hall.alt_text]
    assert "<script" not in html


def test_the_editors_image_markup_is_what_the_allow_list_keeps():
    from django_prose_editor.config import allowlist_from_extensions

    from core.richtext import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

    declared = allowlist_from_extensions({"LibraryImage": {}})
    assert {"figure", "figcaption", "img"} <= declared["tags"] <= ALLOWED_TAGS
    assert declared["attributes"]["img"] == ALLOWED_ATTRIBUTES["img"] == {"data-ref", "alt"}


def test_a_reference_past_any_key_shows_nothing_and_is_not_kept(client):
    huge = "core.image:9999999999999999999"
    assert render_rich_text(f'<p>x</p><p><img data-ref="{huge}"></p>') == "<p>x</p><p></p>"
    assert "data-ref" not in sanitise_html(f'<p><img data-ref="{huge}" alt=""></p>')
    post = make_news_post(slug="huge")
    NewsPost.objects.filter(pk=post.pk).update(
        body=f'<p><img data-ref="{huge}"><a data-ref="events.event:{huge[11:]}">x</a></p>'
    )
    assert client.get(post.get_absolute_url()).status_code == 200


def test_the_chooser_answers_odd_searches_and_references_without_an_error(client, hall):
    client.force_login(make_member(username="edna", group="Editors"))
    assert client.get(CHOOSER, {"q": "hall\x00"}).status_code == 200
    assert client.get(PREVIEW, {"ref": "core.image:9999999999999999999"}).status_code == 404
