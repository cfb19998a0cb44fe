"""Filtering, search, ordering and pagination: valid values narrow the list, bad ones are 400s."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from core.publishing import Status
from events.models import Event
from tests.factories import (
    make_article,
    make_event,
    make_initiative,
    make_news_post,
    make_organisation,
    make_person,
    make_session,
    make_signatory,
    make_topic,
    make_track,
)

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def at(day: int, month: int = 2, year: int = 2025) -> datetime:
    return datetime(year, month, day, 9, tzinfo=PARIS)


@pytest.fixture
def events():
    host = make_organisation(slug="elysee")
    topic = make_topic(slug="safety")
    summit = make_event(
        slug="summit",
        title="AI Action Summit",
        kind="summit",
        country="FR",
        start=at(10),
        end=at(11) + timedelta(hours=9),
    )
    summit.hosts.add(host)
    summit.topics.add(topic)
    make_event(
        slug="seoul",
        title="Seoul Summit",
        kind="summit",
        country="KR",
        start=at(21, 5, 2024),
        end=at(22, 5, 2024),
    )
    make_event(
        slug="webinar",
        title="Webinar",
        kind="webinar",
        attendance_mode="online",
        event_status="cancelled",
        start=at(3, 3),
        end=at(3, 3) + timedelta(hours=1),
        parent=summit,
    )
    return summit


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=summit", ["summit", "seoul"]),
        ("status=cancelled", ["webinar"]),
        ("attendance_mode=online", ["webinar"]),
        ("country=KR", ["seoul"]),
        ("year=2024", ["seoul"]),
        ("organisation=elysee", ["summit"]),
        ("topic=safety", ["summit"]),
        ("parent=summit", ["webinar"]),
        ("date_from=2025-02-11", ["webinar", "summit"]),
        ("date_from=2025-02-12&date_to=2025-03-31", ["webinar"]),
        ("date_to=2024-12-31", ["seoul"]),
        ("search=seoul", ["seoul"]),
        ("ordering=start", ["seoul", "summit", "webinar"]),
        ("ordering=-start", ["webinar", "summit", "seoul"]),
        ("ordering=title", ["summit", "seoul", "webinar"]),
        ("ordering=-title", ["webinar", "seoul", "summit"]),
    ],
)
def test_event_filters_narrow_the_list(client, events, query, expected):
    assert slugs(client.get(f"/api/v1/events/?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=festival", "kind"),
        ("status=maybe", "status"),
        ("country=fr", "country"),
        ("country=XX", "country"),
        ("year=twenty", "year"),
        ("year=99999999999999999999", "year"),
        ("date_from=2025-13-01", "date_from"),
        ("date_to=yesterday", "date_to"),
        ("updated_since=not-a-date", "updated_since"),
        ("organisation=nobody", "organisation"),
        ("topic=nothing", "topic"),
        ("ordering=password", "ordering"),
        ("ordering=start,secret", "ordering"),
        ("page_size=0", "page_size"),
        ("page_size=lots", "page_size"),
    ],
)
def test_invalid_filter_values_are_400_with_the_field_named(client, events, query, field):
    response = client.get(f"/api/v1/events/?{query}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert field in error["message"]


def test_filtering_by_a_draft_organisation_is_the_same_400_as_an_unknown_one(client, events):
    make_organisation(slug="secret", status=Status.DRAFT)
    # One request id for both, so that the bodies may be equal in every byte.
    same_id = {"HTTP_X_REQUEST_ID": "filter-probe-0001"}
    response = client.get("/api/v1/events/?organisation=secret", **same_id)
    assert response.status_code == 400
    assert response.json() == client.get("/api/v1/events/?organisation=nobody", **same_id).json()


def test_updated_since_returns_only_items_changed_since(client, events):
    Event.objects.filter(slug="seoul").update(updated_at=timezone.now() - timedelta(days=30))
    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert slugs(client.get(f"/api/v1/events/?updated_since={since}&ordering=start")) == [
        "summit",
        "webinar",
    ]


def test_session_filters(client):
    event = make_event(slug="summit")
    track = make_track(event=event, slug="science")
    speaker = make_person(slug="ada")
    host = make_organisation(slug="mozilla")
    keynote = make_session(event=event, slug="keynote", kind="keynote", track=track)
    keynote.participants.add(speaker)
    side = make_session(event=event, slug="side", kind="side_event", programme="side")
    side.hosts.add(host)
    make_session(slug="elsewhere")

    base = "/api/v1/sessions/?event=summit"
    assert sorted(slugs(client.get(base))) == ["keynote", "side"]
    assert slugs(client.get(f"{base}&track=science")) == ["keynote"]
    assert slugs(client.get(f"{base}&kind=keynote")) == ["keynote"]
    assert slugs(client.get(f"{base}&programme=side")) == ["side"]
    assert slugs(client.get("/api/v1/sessions/?person=ada")) == ["keynote"]
    assert slugs(client.get("/api/v1/sessions/?organisation=mozilla")) == ["side"]
    assert client.get("/api/v1/sessions/?programme=fringe").status_code == 400
    assert client.get("/api/v1/sessions/?event=no-such-event").status_code == 400


def test_initiative_filters(client):
    elysee = make_organisation(slug="elysee")
    summit = make_event(slug="summit")
    fund = make_initiative(
        slug="fund",
        kind="fund",
        amount="2500000000",
        currency="USD",
        jurisdictions=["FR"],
        announced_on=date(2025, 2, 11),
        announced_at=summit,
    )
    fund.partner_organisations.add(elysee)
    declaration = make_initiative(
        slug="declaration",
        kind="declaration",
        initiative_status="published",
        jurisdictions=["EU", "GB"],
        announced_on=date(2024, 5, 21),
    )
    make_signatory(declaration, country="GB", stance="declined")

    def query(q: str) -> list[str]:
        return slugs(client.get(f"/api/v1/initiatives/?{q}"))

    assert query("kind=fund") == ["fund"]
    assert query("status=published") == ["declaration"]
    assert query("jurisdiction=EU") == ["declaration"]
    assert query("organisation=elysee") == ["fund"]
    assert query("event=summit") == ["fund"]
    assert query("amount_min=1000000000&currency=USD") == ["fund"]
    assert query("amount_max=1000") == []
    assert query("stance=declined") == ["declaration"]
    assert query("year=2024") == ["declaration"]
    assert query("date_from=2025-01-01") == ["fund"]
    assert query("ordering=announced_on") == ["declaration", "fund"]
    for bad in ("amount_min=-1", "amount_min=NaN", "stance=abstained", "jurisdiction=France"):
        assert client.get(f"/api/v1/initiatives/?{bad}").status_code == 400, bad


def test_article_and_news_filters(client):
    author = make_person(slug="author")
    topic = make_topic(slug="data")
    old = make_article(slug="old", published_on=date(2023, 6, 1), article_type="review")
    new = make_article(slug="new", published_on=date(2025, 2, 1))
    new.authors.add(author)
    old.topics.add(topic)
    assert slugs(client.get("/api/v1/articles/?year=2023")) == ["old"]
    assert slugs(client.get("/api/v1/articles/?type=review")) == ["old"]
    assert slugs(client.get("/api/v1/articles/?person=author")) == ["new"]
    assert slugs(client.get("/api/v1/articles/?topic=data")) == ["old"]
    assert slugs(client.get("/api/v1/articles/?ordering=published_on")) == ["old", "new"]
    assert client.get("/api/v1/articles/?type=poem").status_code == 400

    post = make_news_post(slug="post")
    post.related_events.add(make_event(slug="summit"))
    make_news_post(slug="other")
    assert slugs(client.get("/api/v1/news/?event=summit")) == ["post"]


def test_page_size_is_capped_and_pages_link_to_each_other(client):
    for n in range(3):
        make_topic(slug=f"t{n}", name=f"T{n}")
    first = client.get("/api/v1/topics/?page_size=2").json()
    assert first["count"] == 3
    assert [t["slug"] for t in first["results"]] == ["t0", "t1"]
    assert first["next"].endswith("page=2&page_size=2")
    second = client.get(first["next"]).json()
    assert [t["slug"] for t in second["results"]] == ["t2"]
    assert client.get("/api/v1/topics/?page=9").status_code == 404


def test_page_size_above_the_cap_gives_the_cap(client):
    for n in range(105):
        make_topic(slug=f"t{n:03}", name=f"T{n:03}")
    data = client.get("/api/v1/topics/?page_size=1000").json()
    assert len(data["results"]) == 100
    assert data["count"] == 105
