"""The admin's sidebar groups models by what editors do, from one mapping, and loses none."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from core.admin.navigation import FALLBACK_GROUP, grouped
from tests.factories import make_member, make_staff


def _app(label: str, *names: str) -> dict:
    return {"app_label": label, "models": [{"object_name": n, "name": n} for n in names]}


def test_models_are_listed_under_their_group_in_the_mappings_order():
    apps = [_app("events", "Session", "Event"), _app("publications", "NewsPost")]
    mapping = {"events.Event": "Programme", "events.Session": "Programme", "x.Y": "Pages"}
    groups = grouped(apps, mapping, ("Programme", "News", "Pages"))
    assert [(g["name"], [m["name"] for m in g["models"]]) for g in groups] == [
        ("Programme", ["Event", "Session"]),
        (FALLBACK_GROUP, ["NewsPost"]),
    ]


def test_a_group_the_order_does_not_name_is_listed_before_the_fallback():
    apps = [_app("a", "One", "Two", "Three")]
    groups = grouped(apps, {"a.One": "Zeta", "a.Two": "Programme"}, ("Programme",))
    assert [g["name"] for g in groups] == ["Programme", "Zeta", FALLBACK_GROUP]


@pytest.mark.django_db
def test_every_registered_model_is_in_the_superusers_sidebar_once():
    request = RequestFactory().get("/admin/")
    request.user = make_staff(username="root", superuser=True)
    listed = [
        model["model"]._meta.label
        for group in grouped(admin.site.get_app_list(request))
        for model in group["models"]
    ]
    assert sorted(listed) == sorted(m._meta.label for m in admin.site._registry)


@pytest.mark.django_db
def test_the_sidebar_shows_the_editors_groups(client):
    client.force_login(make_member(username="ed", group="Editors"))
    html = client.get("/admin/events/event/").content.decode()
    sidebar = html[html.index('id="nav-sidebar"') :]
    for group in ("Programme", "Initiatives", "Journal", "News"):
        assert f'<span class="section">{group}</span>' in sidebar
    assert sidebar.index(">Programme<") < sidebar.index(">Journal<")
    assert 'href="/admin/events/event/" aria-current="page"' in sidebar
