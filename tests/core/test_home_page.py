"""The home page: built by editors from a page's blocks when one is published, else the
automatic layout of upcoming events, news, articles and initiatives."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.publishing import Status
from core.references import Ref
from core.sitepages.models import Page, PageBlock
from tests.factories import add_block, make_news_post, make_page, make_person, make_staff

pytestmark = pytest.mark.django_db

Kind = PageBlock.Kind


def home_page(**kwargs) -> Page:
    page = make_page(title="Home", slug="home", is_home=True, **kwargs)
    about = make_page(title="About us", slug="about")
    add_block(
        page,
        Kind.HERO,
        heading="Evidence for better policy",
        text="Events, research and news.",
        link_label="About us",
        link_item=str(Ref.to(about)),
    )
    add_block(page, Kind.LISTING, listing="latest-news", heading="News from us")
    return page


def test_without_a_home_page_the_automatic_layout_is_shown(client):
    make_news_post(title="Summit closes")
    html = client.get("/").content.decode()
    assert "Upcoming events" in html and "Latest news" in html and "Summit closes" in html


def test_a_draft_or_scheduled_home_page_leaves_the_automatic_layout(client):
    home_page(status=Status.DRAFT)
    html = client.get("/").content.decode()
    assert "Upcoming events" in html
    assert "Evidence for better policy" not in html
    Page.objects.update(status=Status.PUBLISHED, publish_at=timezone.now() + timedelta(days=1))
    assert "Evidence for better policy" not in client.get("/").content.decode()


def test_a_published_home_page_shows_its_hero_and_sections(client):
    home_page()
    make_news_post(title="Summit closes")
    make_news_post(title="Draft news", status=Status.DRAFT)
    html = client.get("/").content.decode()
    assert '<h2 class="hero-title">Evidence for better policy</h2>' in html
    assert '<a class="button" href="/about/">About us</a>' in html
    assert "News from us" in html and "Summit closes" in html
    assert "Draft news" not in html
    assert "Upcoming events" not in html


def test_the_latest_published_home_page_is_the_one_shown(client):
    older = home_page()
    Page.objects.filter(pk=older.pk).update(publish_at=timezone.now() - timedelta(days=9))
    newer = make_page(title="New home", slug="new-home", is_home=True)
    add_block(newer, Kind.HEADING, heading="A new season")
    assert "A new season" in client.get("/").content.decode()


def test_a_home_page_has_no_parent_and_no_subpages():
    about = make_page(slug="about")
    with pytest.raises(ValidationError, match="The home page has no parent"):
        Page(title="Home", slug="home", is_home=True, parent=about).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Page.objects.create(title="Home", slug="home", is_home=True, parent=about)
    home = make_page(title="Home", slug="home", is_home=True)
    with pytest.raises(ValidationError, match="cannot be placed under the home page"):
        Page(title="Under", slug="under", parent=home).full_clean()


def test_a_home_page_is_at_the_root_and_previewed_at_its_path(client):
    page = home_page(status=Status.DRAFT)
    assert page.get_absolute_url() == "/"
    assert client.get("/home/").status_code == 404
    client.force_login(make_staff(perms=["sitepages.view_page"]))
    response = client.get("/home/")
    assert response.status_code == 200
    assert "Evidence for better policy" in response.content.decode()


@pytest.mark.parametrize("copies", [1, 8])
def test_home_page_query_count_does_not_grow_with_its_blocks(
    client, django_assert_num_queries, copies
):
    page = home_page()
    person = make_person()
    for _ in range(copies):
        add_block(page, Kind.TEXT, body=f'<p>Meet <a data-ref="{Ref.to(person)}">her</a>.</p>')
        add_block(page, Kind.CTA, link_label="Our people", link_item=str(Ref.to(person)))
        add_block(page, Kind.QUOTE, text="Data for policy.")
    make_news_post()
    # The home page, its blocks, the items linked (pages, people), the news list, the menus.
    with django_assert_num_queries(6):
        assert client.get("/").status_code == 200
