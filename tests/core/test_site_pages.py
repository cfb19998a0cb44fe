"""Site pages: the tree and its addresses, visibility down the tree, the breadcrumb, and the
pages on the site's other surfaces (search, sitemap, API)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core import menus
from core.menus import MenuItem, set_target
from core.publishing import Status
from core.references import Ref
from core.sitepages.models import Page, PageBlock
from core.workflow import archive, move_to
from tests.factories import add_block, admin_form_data, make_member, make_page, make_staff

pytestmark = pytest.mark.django_db

Kind = PageBlock.Kind


@pytest.fixture
def about():
    return make_page(title="About us", slug="about")


@pytest.fixture
def team(about):
    return make_page(title="Our team", slug="team", parent=about)


def test_nested_page_is_at_the_address_its_tree_gives(client, team):
    assert team.get_absolute_url() == "/about/team/"
    response = client.get("/about/team/")
    assert response.status_code == 200
    assert "<h1>Our team</h1>" in response.content.decode()


def test_an_address_that_is_not_a_page_is_not_found(client, team):
    assert client.get("/team/").status_code == 404
    assert client.get("/about/nobody/").status_code == 404


def test_sibling_slugs_are_unique_but_cousins_may_share_one(about, team):
    other = make_page(slug="network")
    clash = Page(title="Team again", slug="team", parent=about)
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert "Another page under the same parent has this slug." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Page.objects.create(title="Team again", slug="team", parent=about)
    cousin = make_page(title="Network team", slug="team", parent=other)
    assert cousin.get_absolute_url() == "/network/team/"


def test_top_level_slugs_are_unique_too(about):
    with pytest.raises(ValidationError, match="Another top-level page has this slug"):
        Page(title="About again", slug="about").full_clean()


def test_a_page_cannot_be_placed_under_its_own_subpage(about, team):
    below = make_page(title="Alumni", slug="alumni", parent=team)
    about.parent = below
    with pytest.raises(ValidationError) as error:
        about.full_clean()
    assert error.value.message_dict["parent"] == [
        "A page cannot be placed under itself or one of its subpages."
    ]


def test_the_database_refuses_a_page_that_is_its_own_parent(about):
    with pytest.raises(IntegrityError), transaction.atomic():
        Page.objects.filter(pk=about.pk).update(parent=about)


@pytest.mark.parametrize("slug", ["events", "admin", "api", "search", "journal", "news"])
def test_a_top_level_slug_taken_by_the_site_is_refused_with_a_reason(slug, about):
    with pytest.raises(ValidationError) as error:
        Page(title="Clash", slug=slug).full_clean()
    assert f"“{slug}” is taken by the site's own addresses" in error.value.message_dict["slug"][0]
    # Under a parent the address cannot clash: /about/events/ is the page's own.
    Page(title="Our events", slug=slug, parent=about).full_clean()


def test_the_tree_is_not_deeper_than_its_limit():
    page = None
    for level in range(5):
        page = make_page(slug=f"level-{level}", parent=page)
    with pytest.raises(ValidationError, match="at most 5 levels"):
        Page(title="Too deep", slug="too-deep", parent=page).full_clean()


def test_moving_a_page_moves_the_addresses_of_its_subpages(client, about, team):
    alumni = make_page(title="Alumni", slug="alumni", parent=team)
    about.slug = "who-we-are"
    about.save()
    alumni.refresh_from_db()
    assert alumni.get_absolute_url() == "/who-we-are/team/alumni/"
    assert client.get("/who-we-are/team/alumni/").status_code == 200


@pytest.mark.parametrize("state", [Status.DRAFT, Status.REVIEW, Status.ARCHIVED])
def test_a_page_under_an_unpublished_page_is_not_public(client, about, team, state):
    grandchild = make_page(title="Alumni", slug="alumni", parent=team)
    about.status = state
    about.save()
    # Not found, or gone (archiving the published parent removes the addresses under it).
    assert client.get("/about/team/").status_code in (404, 410)
    assert client.get("/about/team/alumni/").status_code in (404, 410)
    assert set(Page.objects.published()) == set()
    assert grandchild not in Page.objects.published()


def test_staff_preview_a_page_under_a_draft(client, about, team):
    about.status = Status.DRAFT
    about.save()
    client.force_login(make_staff(perms=["sitepages.view_page"]))
    response = client.get("/about/team/")
    assert response.status_code == 200
    assert (
        response.headers["Cache-Control"].startswith("private")
        or "no-store" in (response.headers["Cache-Control"])
    )


def test_breadcrumb_follows_the_tree_with_json_ld(client, team):
    html = client.get("/about/team/").content.decode()
    crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S)[0]
    assert re.findall(r'href="([^"]+)"', crumbs) == ["/", "/about/", "/about/team/"]
    assert 'aria-current="page"' in crumbs
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html)[1])
    trail = next(n for n in data["@graph"] if n["@type"] == "BreadcrumbList")
    assert [item["name"] for item in trail["itemListElement"]] == ["Home", "About us", "Our team"]
    assert trail["itemListElement"][2]["item"].endswith("/about/team/")


def test_a_page_lists_its_public_subpages(client, about, team):
    make_page(title="Hidden plans", slug="plans", parent=about, status=Status.DRAFT)
    html = client.get("/about/").content.decode()
    assert "Our team" in html
    assert "Hidden plans" not in html


def test_pages_are_in_search_sitemap_and_api_only_when_public(client, about, team):
    make_page(title="Secret team page", slug="secret", parent=about, status=Status.DRAFT)
    assert "/about/team/" in client.get("/search/?q=team").content.decode()
    assert "Secret" not in client.get("/search/?q=secret").content.decode()
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    assert "/about/team/</loc>" in sitemap
    assert "/about/secret/" not in sitemap
    listed = client.get("/api/v1/pages/").json()
    paths = [page["path"] for page in listed["results"]]
    assert paths == ["about", "about/team"]
    assert client.get("/api/v1/pages/about/team/").status_code == 200
    assert client.get("/api/v1/pages/about/secret/").status_code == 404


def test_api_detail_carries_the_blocks(client, team):
    add_block(team, Kind.HEADING, heading="Who we are")
    add_block(team, Kind.TEXT, body="<p>We <script>x()</script>work.</p>")
    detail = client.get("/api/v1/pages/about/team/").json()
    assert detail["parent"] == "about"
    assert detail["blocks"] == [
        {"kind": "heading", "heading": "Who we are"},
        {"kind": "text", "body": "<p>We work.</p>"},
    ]


def test_a_draft_page_under_a_draft_is_absent_from_the_api(client, about, team):
    about.status = Status.DRAFT
    about.save()
    assert client.get("/api/v1/pages/").json()["results"] == []
    assert client.get("/api/v1/pages/about/team/").status_code == 404


# --- Archiving a page takes everything below it off the site ----------------------------------


@pytest.fixture
def alumni(team):
    return make_page(title="Alumni", slug="alumni", parent=team)


def test_archiving_a_page_makes_every_page_below_it_gone(client, about, team, alumni):
    classes = make_page(title="Class of 2024", slug="class-of-2024", parent=alumni)
    link = MenuItem(label="", menu="main")
    set_target(link, team)
    link.save()
    assert "Our team" in [entry["label"] for entry in menus.menu("main")]

    archive(item=about, by=make_member(username="edna", group="Editors"))

    for path in (
        "/about/",
        "/about/team/",
        "/about/team/alumni/",
        "/about/team/alumni/class-of-2024/",
    ):
        assert client.get(path).status_code == 410, path
    assert [entry["label"] for entry in menus.menu("main")] == []
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    assert "/about/" not in sitemap
    assert "Our team" not in client.get("/search/?q=team").content.decode()
    assert "Class of 2024" not in client.get("/search/?q=class").content.decode()
    assert client.get("/api/v1/pages/").json()["results"] == []
    for path in ("about", "about/team", "about/team/alumni/class-of-2024"):
        assert client.get(f"/api/v1/pages/{path}/").status_code == 404
    assert classes not in Page.objects.published()


def test_archiving_a_page_with_a_replacement_redirects_it_and_its_subpages_are_gone(
    client, about, team, alumni
):
    network = make_page(title="Our network", slug="network")
    editor = make_member(username="edna", group="Editors")
    client.force_login(editor)
    url = f"/admin/sitepages/page/{about.pk}/change/"
    data = admin_form_data(
        client.get(url), status=Status.ARCHIVED, replace_with=str(Ref.to(network))
    )
    assert client.post(url, data).status_code == 302
    client.logout()
    response = client.get("/about/")
    assert response.status_code == 301 and response["Location"] == "/network/"
    assert client.get("/about/team/").status_code == 410
    assert client.get("/about/team/alumni/").status_code == 410


def test_publishing_an_archived_page_again_brings_its_subpages_back(client, about, team, alumni):
    editor = make_member(username="edna", group="Editors")
    archive(item=about, by=editor)
    move_to(item=about, state=Status.PUBLISHED, by=editor)
    assert client.get("/about/team/alumni/").status_code == 200
    assert "/about/team/alumni/</loc>" in client.get("/sitemap-pages.xml").content.decode()
