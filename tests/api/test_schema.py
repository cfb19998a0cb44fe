"""The OpenAPI schema, the docs page, and a property-based contract test against every operation.

The contract test generates requests from the schema for every operation (valid and
invalid parameters and bodies) and checks that each response is documented, has the
documented shape and content type, and is never a server error.
"""

import re
from datetime import timedelta

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import make_partner
from tests.factories import (
    add_author,
    add_participant,
    make_article,
    make_collection,
    make_event,
    make_initiative,
    make_news_post,
    make_organisation,
    make_person,
    make_session,
    make_signatory,
    make_topic,
)

pytestmark = pytest.mark.django_db
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_schema_is_served_as_openapi_3(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/submissions/sessions/{id}/" in schema["paths"]
    assert "/api/v1/sessions/{event_slug}/{slug}/" in schema["paths"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "429" in responses, (method, path)
            assert operation.get("summary"), (method, path)
            for code, response in responses.items():
                assert response.get("description"), (method, path, code)


def test_403_is_documented_exactly_where_a_read_only_key_can_get_it(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    forbidden = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "403" in operation["responses"]
    }
    assert forbidden == {
        ("POST", "/api/v1/submissions/sessions/"),
        ("PUT", "/api/v1/submissions/sessions/{id}/"),
        ("PATCH", "/api/v1/submissions/sessions/{id}/"),
        ("DELETE", "/api/v1/submissions/sessions/{id}/"),
    }
    response = schema["paths"]["/api/v1/submissions/sessions/"]["post"]["responses"]["403"]
    assert response["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


def test_read_only_key_gets_the_documented_403_on_every_write(client, reader):
    seed()
    raw = client.get("/api/v1/schema/?format=json").json()
    schema = schemathesis.openapi.from_dict(raw)
    app = WSGIHandler()
    # A submission of the reader's own organisation, made with a colleague's submitting key.
    colleague = make_partner(organisation=reader.organisation, can_submit=True)
    body = known_good("POST", "/api/v1/submissions/sessions/", colleague)["body"]
    assert (
        colleague.client.post("/api/v1/submissions/sessions/", body, format="json").status_code
        == 201
    )
    writes = 0
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        for result in schema.get_all_operations():
            operation = result.ok()
            method = operation.method.upper()
            if "submissions" not in operation.path or method == "GET":
                continue
            case = operation.Case(**known_good(method, operation.path, reader))
            response = case.call(app=app, headers={"Authorization": f"Bearer {reader.raw}"})
            assert response.status_code == 403, (method, operation.path, response.content)
            case.validate_response(response, checks=CHECKS)
            writes += 1
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert writes == 4


def test_schema_lists_the_allowed_ordering_values(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    params = schema["paths"]["/api/v1/events/"]["get"]["parameters"]
    ordering = next(p for p in params if p["name"] == "ordering")
    assert "-start" in ordering["schema"]["enum"]


def test_docs_are_served_by_the_site_without_a_cdn(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    # Every script and stylesheet comes from the site itself. (A plain search for "cdn" would
    # sometimes hit the random CSRF token in the page.)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    assert all(url.startswith("/") and not url.startswith("//") for url in assets), assets
    assert "/static/drf_spectacular_sidecar/" in html


def seed() -> None:
    topic = make_topic(slug="safety")
    org = make_organisation(slug="elysee", country="FR")
    event = make_event(slug="summit", country="FR")
    event.hosts.add(org)
    event.topics.add(topic)
    session = make_session(event=event, slug="opening", room="Grand Palais")
    add_participant(session, make_person(slug="ada", affiliation=org))
    initiative = make_initiative(slug="current-ai", amount="10", currency="EUR")
    initiative.lead_organisations.add(org)
    make_signatory(initiative, country="FR")
    article = make_article(slug="paper")
    add_author(article, make_person(slug="author"))
    make_collection(slug="special", journal=article.journal)
    make_news_post(slug="news")


def test_every_operation_conforms_to_the_schema_and_never_fails(client, partner, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "partner": "100000/minute"},
    }
    seed()
    raw = client.get("/api/v1/schema/?format=json").json()
    schema = schemathesis.openapi.from_dict(raw)
    app = WSGIHandler()
    auth = {"Authorization": f"Bearer {partner.raw}"}
    seen = []

    # As Django's test client does: requests must not close the test transaction's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        check_all(schema, app, auth, partner, seen)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)

    assert len(seen) == sum(len(ops) for ops in raw["paths"].values())


def check_all(schema, app, auth: dict, partner, seen: list) -> None:
    for result in schema.get_all_operations():
        operation = result.ok()
        seen.append(f"{operation.method.upper()} {operation.path}")
        call_headers = auth if "submissions" in operation.path else {}
        check_operation(operation, app, call_headers)

        # Generated slugs rarely exist: also call each operation once with real ones.
        known = known_good(operation.method.upper(), operation.path, partner)
        if known is not None:
            case = operation.Case(**known)
            response = case.call(app=app, headers=call_headers)
            assert response.status_code < 300, (operation.path, response.content)
            case.validate_response(response, checks=CHECKS)


def check_operation(operation, app, headers: dict) -> None:
    """Generated requests (valid and invalid) for one operation, each response checked."""

    @hypothesis_settings(
        max_examples=12,
        deadline=timedelta(seconds=5),
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case):
        response = case.call(app=app, headers=headers)
        case.validate_response(response, checks=CHECKS)

    check()


def known_good(method: str, path: str, partner) -> dict | None:
    """Real path parameters (and a valid body) for one successful call of each operation."""
    from events.models import Session

    slugs = {
        "/api/v1/topics/{slug}/": "safety",
        "/api/v1/organisations/{slug}/": "elysee",
        "/api/v1/people/{slug}/": "ada",
        "/api/v1/events/{slug}/": "summit",
        "/api/v1/initiatives/{slug}/": "current-ai",
        "/api/v1/articles/{slug}/": "paper",
        "/api/v1/collections/{slug}/": "special",
        "/api/v1/news/{slug}/": "news",
    }
    if path in slugs:
        return {"path_parameters": {"slug": slugs[path]}}
    if path == "/api/v1/journals/{slug}/":
        from publications.models import Journal

        return {"path_parameters": {"slug": Journal.objects.first().slug}}
    if path == "/api/v1/sessions/{event_slug}/{slug}/":
        return {"path_parameters": {"event_slug": "summit", "slug": "opening"}}
    body = {
        "event": "summit",
        "title": "Side session",
        "start": "2025-02-10T18:00:00+01:00",
        "end": "2025-02-10T19:00:00+01:00",
        "room": "Salle 2",
        "speakers": [{"person": "ada"}, {"name": "New Speaker"}],
    }
    if path == "/api/v1/submissions/sessions/" and method == "POST":
        return {"body": body, "media_type": "application/json"}
    if path == "/api/v1/submissions/sessions/{id}/":
        mine = Session.objects.filter(submitted_by=partner.organisation, status="review")
        target = mine.order_by("pk").first()
        if target is None:
            return None
        params = {"path_parameters": {"id": target.pk}}
        if method in ("PUT", "PATCH"):
            return {**params, "body": body, "media_type": "application/json"}
        return params
    return None
