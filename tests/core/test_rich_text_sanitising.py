"""Sanitising on every path into the database, and again on the way out; URL schemes filtered
on every URL-bearing attribute."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.richtext import is_safe_url, render_rich_text, sanitise_html
from events.models import Session
from publications.models import NewsPost
from tests.api.conftest import make_partner
from tests.factories import admin_form_data, make_event, make_news_post, make_staff

OBFUSCATED = {
    "plain": "javascript:alert(1)",
    "capitals": "JaVaScRiPt:alert(1)",
    "leading space and control characters": " \x01\x02javascript:alert(1)",
    "tab inside": "java\tscript:alert(1)",
    "newline inside": "java\nscript:alert(1)",
    "decimal entities": "&#106;&#97;vascript:alert(1)",
    "hex entity for the colon": "javascript&#x3A;alert(1)",
    "named entity for the colon": "javascript&colon;alert(1)",
    "entity tab": "jav&#x09;ascript:alert(1)",
    "data": "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript": "vbscript:msgbox(1)",
    "file": "file:///etc/passwd",
}
HOSTILE_BODY = (
    '<p>Kept</p><script>alert("x")</script><img src=x onerror=alert(2)>'
    '<blockquote cite="javascript:alert(3)"><p>Quote</p></blockquote>'
)


def assert_clean(html: str) -> None:
    lowered = html.lower()
    for needle in ("<script", "alert(", "onerror", "javascript", "<img"):
        assert needle not in lowered, html


@pytest.mark.parametrize("attribute", ["blockquote cite", "q cite", "a href"])
@pytest.mark.parametrize("url", OBFUSCATED.values(), ids=OBFUSCATED.keys())
def test_url_bearing_attributes_lose_unsafe_schemes(attribute, url):
    tag, name = attribute.split()
    cleaned = sanitise_html(f'<p><{tag} {name}="{url}">text</{tag}></p>')
    assert f"{name}=" not in cleaned
    assert "text" in cleaned


@pytest.mark.parametrize(
    "url", ["https://example.org/a?b=1", "http://x.example", "mailto:a@example.org", "/events/"]
)
def test_safe_addresses_are_kept_in_cite_and_href(url):
    assert is_safe_url(url)
    assert f'cite="{url}"' in sanitise_html(f'<blockquote cite="{url}">q</blockquote>')


def test_reference_attribute_must_name_an_item():
    assert "data-ref" not in sanitise_html('<a data-ref="javascript:alert(1)">x</a>')
    assert "data-ref" not in sanitise_html('<a data-ref="events.session:1 onclick">x</a>')
    assert 'data-ref="events.session:1"' in sanitise_html('<a data-ref="events.session:1">x</a>')


@pytest.mark.django_db
def test_model_save_cleans_the_blockquote_cite():
    post = make_news_post(body=HOSTILE_BODY)
    post.refresh_from_db()
    assert_clean(post.body)
    assert "<blockquote><p>Quote</p></blockquote>" in post.body


@pytest.mark.django_db
def test_body_written_by_queryset_update_is_cleaned_on_the_public_page(client):
    post = make_news_post()
    NewsPost.objects.filter(pk=post.pk).update(body=HOSTILE_BODY)  # skips save() and forms
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<p>Kept</p>" in page
    body = page.split('<div class="prose">')[1].split("</div>")[0]
    assert_clean(body)
    api = client.get(f"/api/v1/news/{post.slug}/").json()["body"]
    assert_clean(api)
    assert "<p>Kept</p>" in api


def test_render_outputs_only_what_the_sanitiser_produced():
    assert render_rich_text(HOSTILE_BODY) == sanitise_html(HOSTILE_BODY)


@pytest.mark.django_db
def test_admin_form_stores_clean_html(client):
    client.force_login(make_staff(superuser=True))
    post = make_news_post()
    url = reverse("admin:publications_newspost_change", args=[post.pk])
    data = admin_form_data(client.get(url), body=HOSTILE_BODY)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    post.refresh_from_db()
    assert_clean(post.body)
    assert "<p>Kept</p>" in post.body


@pytest.mark.django_db
def test_api_submission_stores_clean_html_with_references(settings):
    settings.SITE_URL = "https://site.example"
    event = make_event(slug="summit")
    partner = make_partner(can_submit=True)
    response = partner.client.post(
        "/api/v1/submissions/sessions/",
        {
            "event": "summit",
            "title": "Open models",
            "description": HOSTILE_BODY
            + '<p><a href="https://site.example/events/summit/">x</a></p>',
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
    assert_clean(stored)
    assert f'data-ref="events.event:{event.pk}"' in stored
    assert "/events/summit/" not in stored
    # The partner is shown the link as a visitor would see it.
    assert 'href="https://site.example/events/summit/"' in response.json()["description"]
