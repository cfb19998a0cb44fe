"""Pages in the admin: the editors' pages answer with constant queries, a page and its blocks
are saved together as one revision, and a block's errors are shown on its row."""

from __future__ import annotations

import pytest
from django.urls import reverse
from reversion.models import Version

from core.sitepages.models import Page, PageBlock
from tests.factories import (
    add_block,
    admin_form_data,
    check_admin_pages,
    make_member,
    make_page,
)

pytestmark = pytest.mark.django_db

Kind = PageBlock.Kind


def test_page_admin_pages_answer_with_constant_queries(client, django_assert_num_queries):
    check_admin_pages(
        client,
        django_assert_num_queries,
        name="sitepages_page",
        make=make_page,
        queries={"changelist": 9, "search": 9, "add": 8, "change": 12},
    )


@pytest.mark.parametrize("blocks", [1, 12])
def test_change_page_queries_do_not_grow_with_the_blocks(client, django_assert_num_queries, blocks):
    client.force_login(make_member(username="ed", group="Editors"))
    page = make_page()
    for n in range(blocks):
        add_block(page, Kind.HEADING, heading=f"Heading {n}")
    url = reverse("admin:sitepages_page_change", args=[page.pk])
    client.get(url)
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200


def test_an_editor_saves_a_page_with_its_blocks_as_one_revision(client):
    client.force_login(make_member(username="ed", group="Editors"))
    page = make_page(title="About us", slug="about")
    add_block(page, Kind.HEADING, heading="Who we are")
    url = reverse("admin:sitepages_page_change", args=[page.pk])
    data = admin_form_data(client.get(url))
    data.update(
        {
            "blocks-TOTAL_FORMS": "2",
            "blocks-1-kind": "quote",
            "blocks-1-order": "5",
            "blocks-1-text": "Data for policy.",
            "blocks-1-attribution": "Someone",
            "blocks-1-limit": "4",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert [(b.kind, b.order, b.text) for b in page.blocks.order_by("order")] == [
        ("heading", 1, ""),
        ("quote", 5, "Data for policy."),
    ]
    version = Version.objects.get_for_object(page).first()
    assert {v.object_repr for v in version.revision.version_set.all()} >= {"About us"}
    assert version.revision.version_set.count() == 3  # the page and its two blocks


def test_a_blocks_error_is_shown_on_its_row(client):
    client.force_login(make_member(username="ed", group="Editors"))
    page = make_page(title="About us", slug="about")
    add_block(page, Kind.CTA, link_label="Go", link_url="https://example.org/")
    url = reverse("admin:sitepages_page_change", args=[page.pk])
    data = admin_form_data(client.get(url), **{"blocks-0-link_url": "javascript:alert(1)"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Give an https:// address, or a path of this site" in response.content.decode()
    assert Page.objects.get(pk=page.pk).blocks.get().link_url == "https://example.org/"
