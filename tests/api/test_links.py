"""API items link to themselves and to their pages exactly as DRF's reverse() would say."""

import pytest
from django.urls import reverse
from rest_framework.reverse import reverse as drf_reverse
from rest_framework.test import APIRequestFactory

from core.links import absolute_url
from tests.api.test_query_counts import full_article, full_initiative, full_session

pytestmark = pytest.mark.django_db


def reference_links(request, api_name: str, page_name: str, **kwargs) -> dict[str, str]:
    """The links as DRF's HyperlinkedIdentityField and reverse() build them."""
    return {
        "url": drf_reverse(f"api:{api_name}", kwargs=kwargs, request=request),
        "page_url": absolute_url(reverse(page_name, kwargs=kwargs)),
    }


def test_article_list_links_match_reverse(client):
    article = full_article()
    request = APIRequestFactory().get("/")
    [item] = client.get("/api/v1/articles/").json()["results"]

    assert {key: item[key] for key in ("url", "page_url")} == reference_links(
        request, "article-detail", "article-detail", slug=article.slug
    )
    journal = article.journal
    assert item["journal"]["url"] == drf_reverse(
        "api:journal-detail", kwargs={"slug": journal.slug}, request=request
    )
    [author] = item["authors"]
    person = article.authorships.get().person
    assert {key: author["person"][key] for key in ("url", "page_url")} == reference_links(
        request, "person-detail", "person-detail", slug=person.slug
    )
    affiliation = article.authorships.get().affiliation
    assert {
        key: author["affiliation_organisation"][key] for key in ("url", "page_url")
    } == reference_links(
        request, "organisation-detail", "organisation-detail", slug=affiliation.slug
    )
    [topic] = item["topics"]
    assert {key: topic[key] for key in ("url", "page_url")} == reference_links(
        request, "topic-detail", "topic-detail", slug=article.topics.get().slug
    )


def test_session_list_links_match_reverse(client):
    session = full_session()
    request = APIRequestFactory().get("/")
    [item] = client.get("/api/v1/sessions/").json()["results"]

    kwargs = {"event_slug": session.event.slug, "slug": session.slug}
    assert item["url"] == drf_reverse("api:session-detail", kwargs=kwargs, request=request)
    assert item["page_url"] == absolute_url(reverse("session-detail", kwargs=kwargs))
    assert {key: item["event"][key] for key in ("url", "page_url")} == reference_links(
        request, "event-detail", "event-detail", slug=session.event.slug
    )


def test_initiative_list_links_match_reverse(client):
    initiative = full_initiative()
    request = APIRequestFactory().get("/")
    [item] = [
        i
        for i in client.get("/api/v1/initiatives/").json()["results"]
        if i["slug"] == initiative.slug
    ]

    assert {key: item[key] for key in ("url", "page_url")} == reference_links(
        request, "initiative-detail", "initiative-detail", slug=initiative.slug
    )
    assert {key: item["part_of"][key] for key in ("url", "page_url")} == reference_links(
        request, "initiative-detail", "initiative-detail", slug=initiative.part_of.slug
    )


def test_links_follow_the_host_the_request_came_in_on(client, settings):
    settings.ALLOWED_HOSTS = ["api.example.org"]
    article = full_article()
    [item] = client.get("/api/v1/articles/", HTTP_HOST="api.example.org").json()["results"]
    assert item["url"] == f"http://api.example.org/api/v1/articles/{article.slug}/"
