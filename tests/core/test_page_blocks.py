"""The blocks of a page's body: each kind's checks and cleaning, what the public sees of each,
and a number of queries that does not grow with the blocks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.publishing import Status
from core.references import Ref
from core.sitepages.blocks import player
from core.sitepages.models import PageBlock
from tests.factories import (
    add_block,
    make_event,
    make_image,
    make_news_post,
    make_page,
    make_person,
    make_topic,
)

pytestmark = pytest.mark.django_db

Kind = PageBlock.Kind


@pytest.fixture
def page():
    return make_page(title="About us", slug="about")


def errors_of(page, kind, **fields) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        add_block(page, kind, **fields)
    return error.value.message_dict


@pytest.mark.parametrize(
    ("kind", "field", "message"),
    [
        (Kind.HEADING, "heading", "Write the heading."),
        (Kind.HERO, "heading", "Write the heading."),
        (Kind.TEXT, "body", "Write the text."),
        (Kind.IMAGE, "image", "Upload the image."),
        (Kind.QUOTE, "text", "Write the text."),
        (Kind.CTA, "link_label", "Write the words of the link."),
        (Kind.EMBED, "embed_url", "Give the recording's address."),
        (Kind.LISTING, "listing", "Choose what the list shows."),
        (Kind.ITEMS, "items", "Choose at least one item."),
    ],
)
def test_each_kind_refuses_a_block_without_what_it_needs(page, kind, field, message):
    assert message in errors_of(page, kind)[field]


def test_rich_text_is_sanitised(page):
    block = add_block(page, Kind.TEXT, body='<p onclick="x()">Hi <script>alert(1)</script></p>')
    block.refresh_from_db()
    assert block.body == "<p>Hi </p>"


def test_a_text_with_only_markup_counts_as_empty(page):
    assert "body" in errors_of(page, Kind.TEXT, body="<p><script>alert(1)</script></p>")


def test_plain_texts_lose_markup_and_control_characters(page):
    block = add_block(
        page, Kind.QUOTE, text="<b>Data</b> for\x07 policy", attribution="<i>A. Person</i>"
    )
    assert (block.text, block.attribution) == ("Data for policy", "A. Person")


def test_fields_the_kind_does_not_use_are_emptied(page):
    block = add_block(page, Kind.HEADING, heading="Who we are", text="left over", credit="x")
    block.refresh_from_db()
    assert (block.heading, block.text, block.credit) == ("Who we are", "", "")


def test_a_call_to_action_needs_a_target_and_only_one(page):
    person = make_person()
    assert "link_item" in errors_of(page, Kind.CTA, link_label="Meet us")
    both = errors_of(
        page, Kind.CTA, link_label="Meet", link_item=str(Ref.to(person)), link_url="https://a.org"
    )
    assert both["link_url"] == ["Link to an item or to an address, not both."]
    assert "link_url" in errors_of(page, Kind.CTA, link_label="Go", link_url="javascript:alert(1)")
    assert errors_of(page, Kind.CTA, link_label="Go", link_item="auth.user:1") == {
        "link_item": ["Choose one of our items."]
    }


def test_a_hero_link_needs_its_words(page):
    assert errors_of(page, Kind.HERO, heading="Welcome", link_url="https://example.org") == {
        "link_label": ["Write the words of the link."]
    }


def test_an_embed_must_be_a_recording_on_a_known_host(page):
    message = errors_of(page, Kind.EMBED, heading="Talk", embed_url="https://evil.example/v/1")
    assert "YouTube or Vimeo" in message["embed_url"][0]
    add_block(page, Kind.EMBED, heading="Talk", embed_url="https://youtu.be/dQw4w9WgXcQ")


@pytest.mark.parametrize(
    ("url", "src"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/123456", "https://player.vimeo.com/video/123456?dnt=1"),
        ("http://youtu.be/dQw4w9WgXcQ", None),
        ("https://www.youtube.com/watch?v=<script>", None),
    ],
)  # fmt: skip
def test_players_are_the_hosts_privacy_enhanced_ones(url, src):
    found = player(url)
    assert (found.src if found else None) == src


def test_a_live_list_must_be_one_the_site_offers(page):
    assert errors_of(page, Kind.LISTING, listing="everything") == {
        "listing": ["Choose one of the lists offered."]
    }
    assert "topic" in errors_of(page, Kind.LISTING, listing="latest-recordings", topic="ai")


def test_chosen_items_must_be_ours(page):
    assert "items" in errors_of(page, Kind.ITEMS, items=["auth.user:1"])
    assert "items" in errors_of(page, Kind.ITEMS, items=["not a ref"])
    person = make_person()
    block = add_block(page, Kind.ITEMS, items=[str(Ref.to(person)), str(Ref.to(person))])
    assert block.items == [str(Ref.to(person))]


def test_an_image_needs_its_alt_text_unless_decorative(page):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    upload = SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")
    # From the media library, which has no alt text for it either.
    image = make_image(file=upload)
    assert errors_of(page, Kind.IMAGE, image=image) == {
        "image_alt": ["Describe the image for people who cannot see it."]
    }


# ---------------------------------------------------------------------------------------------
# What the public sees


def test_blocks_render_in_their_order(client, page):
    add_block(page, Kind.QUOTE, order=20, text="Second", attribution="B")
    add_block(page, Kind.HEADING, order=10, heading="First")
    html = client.get("/about/").content.decode()
    assert html.index("First") < html.index("Second")
    assert "— B" in html


def test_links_to_items_show_only_while_the_items_are_public(client, page):
    public = make_person(name="Ada Public", slug="ada")
    hidden = make_person(name="Zed Hidden", slug="zed", status=Status.DRAFT)
    add_block(page, Kind.CTA, link_label="Meet Ada", link_item=str(Ref.to(public)))
    add_block(page, Kind.CTA, link_label="Meet Zed", link_item=str(Ref.to(hidden)))
    add_block(page, Kind.ITEMS, items=[str(Ref.to(public)), str(Ref.to(hidden))])
    add_block(page, Kind.TEXT, body=f'<p>Read <a data-ref="{Ref.to(hidden)}">Zed Hidden</a>.</p>')
    html = client.get("/about/").content.decode()
    assert f'href="{public.get_absolute_url()}">Meet Ada' in html
    assert "Ada Public" in html
    assert "Zed" not in html
    assert "/speakers/zed/" not in html


def test_live_lists_show_only_published_items_on_their_topic(client, page):
    topic = make_topic(slug="ai-safety")
    make_news_post(title="Shown news").topics.add(topic)
    make_news_post(title="Other topic news")
    make_news_post(title="Draft news", status=Status.DRAFT).topics.add(topic)
    add_block(page, Kind.LISTING, listing="latest-news", topic="ai-safety", heading="On safety")
    soon = timezone.now() + timedelta(days=30)
    make_event(title="Upcoming summit", start=soon)
    make_event(title="Draft summit", start=soon, status=Status.DRAFT)
    add_block(page, Kind.LISTING, listing="upcoming-events")
    client.force_login(make_staff_viewer())
    html = client.get("/about/").content.decode()
    assert "On safety" in html and "Shown news" in html
    assert "Other topic news" not in html
    # Even a previewer sees in a live list what the public gets.
    assert "Draft news" not in html and "Draft summit" not in html
    assert "Upcoming summit" in html


def make_staff_viewer():
    from tests.factories import make_staff

    return make_staff(perms=["events.view_event", "publications.view_newspost"])


def test_an_embed_loads_nothing_until_asked(client, page):
    add_block(page, Kind.EMBED, heading="Opening talk", embed_url="https://youtu.be/dQw4w9WgXcQ")
    response = client.get("/about/")
    html = response.content.decode()
    assert "<iframe" not in html
    assert 'data-player-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert 'href="https://youtu.be/dQw4w9WgXcQ"' in html
    assert "js/player.js" in html
    assert "https://www.youtube-nocookie.com" in response.headers["Content-Security-Policy"]


def _many_blocks(page, person, event, copies: int) -> None:
    ref = str(Ref.to(person))
    for _ in range(copies):
        add_block(page, Kind.HEADING, heading="A heading")
        add_block(page, Kind.TEXT, body=f'<p>See <a data-ref="{ref}">her</a> and '
                  f'<a data-ref="{Ref.to(event)}">the event</a>.</p>')  # fmt: skip
        add_block(page, Kind.QUOTE, text="Data for policy.", attribution="Someone")
        add_block(page, Kind.CTA, link_label="Meet her", link_item=ref)
        add_block(page, Kind.CTA, link_label="Elsewhere", link_url="https://example.org/")
        add_block(page, Kind.ITEMS, items=[ref, str(Ref.to(event))])
        add_block(page, Kind.EMBED, heading="Talk", embed_url="https://vimeo.com/1")
        add_block(page, Kind.HERO, heading="Welcome", text="Hello", link_label="Go", link_item=ref)


@pytest.mark.parametrize("copies", [1, 10])
def test_query_count_does_not_grow_with_the_blocks(client, django_assert_num_queries, page, copies):
    _many_blocks(page, make_person(), make_event(), copies)
    # The page, its ancestors (none), its blocks, its subpages, the people and the events,
    # and the menus (built once, then kept until content changes).
    with django_assert_num_queries(6):
        response = client.get("/about/")
    assert response.status_code == 200
    assert response.content.decode().count("Meet her") == copies
