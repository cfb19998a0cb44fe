"""The main menu and footer: edited in the admin, cached, shown only with public targets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core import menus
from core.menus import MenuItem, set_target
from core.publishing import Status
from tests.factories import admin_form_data, make_event, make_member, make_news_post

pytestmark = pytest.mark.django_db


def link(*, label="", item=None, url="", menu="main", parent=None, order=0) -> MenuItem:
    row = MenuItem(label=label, url=url, menu=menu, parent=parent, order=order)
    set_target(row, item)
    row.full_clean()
    row.save()
    return row


def _nav(html: str) -> str:
    return html.split('aria-label="Main">')[1].split("</nav>")[0]


def _footer(html: str) -> str:
    return html.split('aria-label="Footer">')[1].split("</nav>")[0]


def test_without_rows_the_menus_are_the_default_links(client):
    html = client.get("/").content.decode()
    nav = _nav(html)
    for label, name in [
        ("Events", "event-list"),
        ("Journal", "article-list"),
        ("News", "news-list"),
    ]:
        assert f'<a href="{reverse(name)}">{label}</a>' in nav
    assert f'<a href="{reverse("search")}">Search the site</a>' in _footer(html)


def test_menus_render_items_addresses_and_one_nested_level(client):
    summit = make_event(title="Paris summit")
    about = link(label="About", url="/about/", order=1)
    link(label="Programme", item=summit, parent=about)
    link(label="Our partners", url="https://example.org/partners", parent=about, order=2)
    link(item=summit, order=0)  # no label: the item's title
    link(label="Contact", url="mailto:office@example.org", menu="footer")
    html = client.get("/").content.decode()
    nav = _nav(html)
    assert nav.index("Paris summit") < nav.index("About")
    sub = nav.split('class="nav-sub"')[1]
    assert f'<a href="{summit.get_absolute_url()}">Programme</a>' in sub
    assert '<a href="https://example.org/partners">Our partners</a>' in sub
    assert "Events" not in nav  # the defaults give way once a menu exists
    footer = _footer(html)
    assert '<a href="mailto:office@example.org">Contact</a>' in footer
    assert "Search the site" not in footer


def test_the_current_page_is_marked_in_the_menu(client):
    link(label="News", url=reverse("news-list"))
    nav = _nav(client.get(reverse("news-list")).content.decode())
    assert 'aria-current="page">News</a>' in nav


def test_menus_are_one_level_deep():
    top = link(label="Top", url="/a/")
    child = link(label="Child", url="/b/", parent=top)
    grandchild = MenuItem(label="Too deep", url="/c/", parent=child)
    with pytest.raises(ValidationError, match="one level deep"):
        grandchild.full_clean()
    top_again = MenuItem.objects.get(pk=top.pk)
    top_again.parent = link(label="Other", url="/d/")
    with pytest.raises(ValidationError, match="must stay at the first level"):
        top_again.full_clean()
    footer_child = MenuItem(label="Elsewhere", url="/e/", parent=top, menu="footer")
    with pytest.raises(ValidationError, match="another menu"):
        footer_child.full_clean()


def test_a_link_needs_exactly_one_target():
    with pytest.raises(ValidationError):
        MenuItem(label="Nothing").full_clean()
    with pytest.raises(ValidationError):
        link(label="Script", url="javascript:alert(1)")
    both = MenuItem(label="Both", url="/x/")
    set_target(both, make_news_post())
    with pytest.raises(ValidationError, match="not both"):
        both.full_clean()


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Status.DRAFT},
        {"status": Status.ARCHIVED},
        {"publish_at": timezone.now() + timedelta(days=1)},
    ],
)
def test_a_link_to_an_item_that_is_not_public_is_not_shown(client, hidden):
    post = make_news_post(title="Secret plans", **hidden)
    parent = link(label="Secret section", item=post)
    link(label="Under the secret", url="/under/", parent=parent)
    link(label="Visible", url="/visible/")
    html = client.get("/").content.decode()
    assert "Visible" in _nav(html)
    assert "Secret" not in html
    assert post.get_absolute_url() not in html
    assert "Under the secret" not in html


def test_a_scheduled_target_appears_when_it_goes_live(client):
    post = make_news_post(title="Launch notes", publish_at=timezone.now() + timedelta(days=1))
    link(label="Launch", item=post)
    assert "Launch" not in _nav(client.get("/").content.decode())
    _, valid_until = menus.build(now=post.publish_at - timedelta(seconds=60))
    assert valid_until == pytest.approx(post.publish_at.timestamp())
    later = menus.build(now=post.publish_at + timedelta(seconds=1))[0]
    assert [entry["label"] for entry in later["main"]] == ["Launch"]


def test_menus_come_from_the_cache_with_no_query(client, django_assert_num_queries):
    link(label="Summit", item=make_event())
    link(label="News", item=make_news_post())
    menus.menus()
    with django_assert_num_queries(0):
        assert [entry["label"] for entry in menus.menu("main")] == ["Summit", "News"]
        menus.menu("footer")


@pytest.mark.parametrize("count", [1, 4])
def test_building_the_menus_costs_the_same_whatever_their_size(django_assert_num_queries, count):
    for i in range(count):
        parent = link(label=f"Event {i}", item=make_event(), order=i)
        link(label=f"Post {i}", item=make_news_post(), parent=parent)
        link(label=f"Page {i}", url=f"/p{i}/", menu="footer")
    # The rows, then one query per type linked.
    with django_assert_num_queries(3):
        built, _ = menus.build()
    assert len(built["main"]) == count


def test_the_cache_drops_the_menus_when_a_link_or_its_item_changes(client):
    post = make_news_post(title="Budget")
    row = link(item=post)
    assert "Budget" in _nav(client.get("/").content.decode())
    row.label = "Our budget"
    row.save()
    assert "Our budget" in _nav(client.get("/").content.decode())
    post.status = Status.ARCHIVED
    post.save()
    assert "Our budget" not in _nav(client.get("/").content.decode())
    row.delete()
    assert "Events" in _nav(client.get("/").content.decode())


def test_editors_edit_a_menu_with_its_second_level_inline(client):
    client.force_login(make_member(username="ed", group="Editors"))
    post = make_news_post(title="Annual report")
    add = reverse("admin:core_menuitem_add")
    data = admin_form_data(
        client.get(add),
        menu="footer",
        label="About us",
        url="/about/",
        order="1",
        **{"children-0-label": "", "children-0-target_item": f"publications.newspost:{post.pk}"},
    )
    response = client.post(add, data)
    assert response.status_code == 302, (response.status_code, response.content[:3000])
    top = MenuItem.objects.get(parent__isnull=True)
    (child,) = top.children.all()
    assert (child.menu, child.target) == ("footer", post)
    html = client.get("/").content.decode()
    footer = _footer(html)
    assert '<a href="/about/">About us</a>' in footer
    assert (
        f'<ul class="nav-sub">\n        <li><a href="{post.get_absolute_url()}">Annual report</a>'
        in footer
    )
    listing = client.get(reverse("admin:core_menuitem_changelist"))
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [top]


def test_the_demo_defaults_are_seeded_once():
    assert menus.seed_defaults() == 10  # six main links, four footer links
    assert menus.seed_defaults() == 0
    assert list(MenuItem.objects.filter(menu="main").values_list("label", flat=True))[:2] == [
        "Events",
        "Speakers",
    ]
