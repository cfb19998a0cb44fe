"""The editors' reports: inventory, aging content, scheduled timeline, broken links, search."""

from __future__ import annotations

import csv
import io
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import timezone

from core import reports
from core.publishing import Status
from events.models import Event
from publications.models import NewsPost
from tests.factories import make_event, make_member, make_news_post, make_person

pytestmark = pytest.mark.django_db

INVENTORY = reverse("admin-reports-inventory")
AGING = reverse("admin-reports-aging")
SCHEDULE = reverse("admin-reports-schedule")
LINKS = reverse("admin-reports-links")
SEARCH = reverse("admin-reports-search")
INDEX = reverse("admin-reports")


@pytest.fixture
def editor():
    return make_member(username="ed", group="Editors")


@pytest.fixture
def contributor():
    return make_member(username="cora", group="Contributors")


def _titles(response) -> list[str]:
    return [entry["row"].title for entry in response.context["rows"]]


def _age(obj, days: int) -> None:
    type(obj).objects.filter(pk=obj.pk).update(updated_at=timezone.now() - timedelta(days=days))


# --- Inventory ------------------------------------------------------------------------------


def test_inventory_lists_every_type_with_state_owner_and_last_change(client, editor):
    event = make_event(title="Summit on compute", created_by=editor)
    make_news_post(title="Draft news", status=Status.DRAFT)
    make_person(name="Ada Lovelace")
    client.force_login(editor)
    response = client.get(INVENTORY)
    assert response.status_code == 200
    rows = {entry["row"].title: entry for entry in response.context["rows"]}
    assert {"Summit on compute", "Draft news", "Ada Lovelace"} <= set(rows)
    summit = rows["Summit on compute"]
    assert (summit["row"].type_label, summit["row"].state, summit["row"].owner) == (
        "Event",
        "Published",
        "ed",
    )
    assert summit["url"] == reverse("admin:events_event_change", args=[event.pk])
    assert rows["Draft news"]["row"].state == "Draft"
    body = response.content.decode()
    assert "Summit on compute" in body and reverse("admin-reports-aging") in body


def test_inventory_filters_by_type_state_and_owner(client, editor):
    other = make_member(username="other", group="Editors")
    make_event(title="Mine published", created_by=editor)
    make_event(title="Mine draft", status=Status.DRAFT, created_by=editor)
    make_event(title="Theirs draft", status=Status.DRAFT, created_by=other)
    make_news_post(title="News draft", status=Status.DRAFT, created_by=editor)
    client.force_login(editor)
    assert sorted(_titles(client.get(INVENTORY, {"type": "events.event"}))) == [
        "Mine draft",
        "Mine published",
        "Theirs draft",
    ]
    assert sorted(_titles(client.get(INVENTORY, {"status": "draft"}))) == [
        "Mine draft",
        "News draft",
        "Theirs draft",
    ]
    filtered = client.get(
        INVENTORY, {"status": "draft", "owner": editor.pk, "type": "events.event"}
    )
    assert _titles(filtered) == ["Mine draft"]


def test_inventory_pages_follow_each_other_newest_change_first_without_gaps(editor):
    events = [make_event(title=f"Event {i:02}") for i in range(7)]
    posts = [make_news_post(title=f"Post {i:02}") for i in range(6)]
    # Several items changed at the same moment: the pages must still neither skip nor repeat.
    moment = timezone.now() - timedelta(days=3)
    Event.objects.filter(pk__in=[e.pk for e in events[:4]]).update(updated_at=moment)
    NewsPost.objects.filter(pk__in=[p.pk for p in posts[:3]]).update(updated_at=moment)
    filters = reports.Filters(types=reports.publishable_types())
    seen, after = [], ""
    while True:
        page = reports.content_page(filters, after=after, size=4)
        seen += [(row.model, row.pk) for row in page.rows]
        if not page.after:
            break
        after = page.after
    expected = [(Event, e.pk) for e in events] + [(NewsPost, p.pk) for p in posts]
    assert sorted(seen, key=str) == sorted(expected, key=str)
    assert len(seen) == len(set(seen))
    moments = [row.updated_at for row in reports.content_page(filters, size=50).rows]
    assert moments == sorted(moments, reverse=True)


def test_inventory_page_costs_the_same_queries_with_1_and_many_items(
    client, editor, django_assert_num_queries
):
    make_event()
    client.force_login(editor)
    client.get(INVENTORY)  # warms the content-type and permission caches
    with django_assert_num_queries(7):
        first = client.get(INVENTORY)
    for _ in range(3):
        make_event()
        make_news_post()
        make_person()
    with django_assert_num_queries(7):
        many = client.get(INVENTORY)
    assert len(many.context["rows"]) == len(first.context["rows"]) + 9


def test_inventory_shows_pending_changes_from_the_pending_source(client, editor):
    live = make_news_post(title="Live with a correction")
    make_news_post(title="Live as it is")
    reports.set_pending_changes(
        lambda model, pks: {live.pk} & set(pks) if model is NewsPost else set()
    )
    try:
        client.force_login(editor)
        rows = {e["row"].title: e["row"] for e in client.get(INVENTORY).context["rows"]}
    finally:
        reports.set_pending_changes(reports._no_pending_changes)
    assert rows["Live with a correction"].pending
    assert not rows["Live as it is"].pending


def test_inventory_csv_streams_every_filtered_row(client, editor, monkeypatch):
    monkeypatch.setattr(reports, "EXPORT_BATCH", 2)  # several batches
    for i in range(5):
        make_event(title=f"Conference {i}", created_by=editor)
    make_event(title="=HYPERLINK(1)", created_by=editor)
    make_news_post(title="Not an event")
    client.force_login(editor)
    response = client.get(INVENTORY, {"type": "events.event", "format": "csv"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:5] == ["type", "id", "title", "state", "owner"]
    titles = [row[2] for row in rows[1:]]
    assert sorted(titles) == ["'=HYPERLINK(1)", *[f"Conference {i}" for i in range(5)]]
    assert {row[4] for row in rows[1:]} == {"ed"}


def test_contributor_sees_only_their_own_items_in_the_inventory(client, contributor):
    make_news_post(title="Their draft", status=Status.DRAFT, created_by=contributor)
    make_news_post(title="Someone else's", status=Status.DRAFT)
    client.force_login(contributor)
    response = client.get(INVENTORY, {"owner": ""})
    assert response.status_code == 200
    assert _titles(response) == ["Their draft"]
    assert response.context["owner_choices"] == []


@pytest.mark.parametrize("url", [AGING, SCHEDULE, LINKS])
def test_contributors_may_not_open_the_site_wide_reports(client, contributor, url):
    client.force_login(contributor)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [INDEX, INVENTORY, AGING, SCHEDULE, LINKS, SEARCH])
def test_reports_are_for_staff_only(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize(
    ("group", "url", "queries"),
    [
        ("Editors", INDEX, 5),
        ("Contributors", INDEX, 5),
        ("Editors", AGING, 7),
        ("Editors", SCHEDULE, 6),
        ("Editors", LINKS, 17),
        ("Contributors", INVENTORY, 6),
        ("Editors", SEARCH, 17),
        ("Contributors", SEARCH, 17),
    ],
)
def test_each_report_answers_each_role_with_constant_queries(
    client, django_assert_num_queries, group, url, queries
):
    user = make_member(username="someone", group=group)
    client.force_login(user)
    params = {"q": "summit"} if url == SEARCH else {}

    def make_some():
        make_event(title="Summit", created_by=user, publish_at=timezone.now() + timedelta(days=2))
        make_news_post(
            title="Summit news",
            body='<p><a data-ref="events.event:999999">gone</a></p>',
            created_by=user,
        )
        old = make_person(name="Summit speaker", created_by=user)
        _age(old, 800)

    make_some()
    client.get(url, params)
    with django_assert_num_queries(queries):
        assert client.get(url, params).status_code == 200
    for _ in range(3):
        make_some()
    with django_assert_num_queries(queries):
        assert client.get(url, params).status_code == 200


# --- Aging content --------------------------------------------------------------------------


def test_aging_lists_items_not_changed_for_n_months_oldest_first(client, editor):
    fresh = make_event(title="Changed last week")
    _age(fresh, 7)
    _age(make_news_post(title="Two years old"), 730)
    _age(make_person(name="Eighteen months old"), 548)
    _age(make_event(title="Seven months old"), 213)
    client.force_login(editor)
    assert _titles(client.get(AGING)) == ["Two years old", "Eighteen months old"]
    assert _titles(client.get(AGING, {"months": 6})) == [
        "Two years old",
        "Eighteen months old",
        "Seven months old",
    ]
    assert _titles(client.get(AGING, {"months": 6, "type": "events.event"})) == ["Seven months old"]


def test_months_ago_keeps_the_day_or_takes_the_last_of_a_short_month():
    now = timezone.now().replace(year=2026, month=3, day=31)
    assert reports.months_ago(1, now).date().isoformat() == "2026-02-28"
    assert reports.months_ago(12, now).date().isoformat() == "2025-03-31"


# --- Scheduled timeline ---------------------------------------------------------------------


def test_timeline_shows_what_goes_live_and_what_expires_by_day(client, editor):
    now = timezone.now()
    make_event(title="Goes live in two days", publish_at=now + timedelta(days=2))
    make_news_post(
        title="Expires in five days",
        publish_at=now - timedelta(days=1),
        unpublish_at=now + timedelta(days=5),
    )
    make_news_post(title="Already live")
    make_news_post(title="Draft with a date", status=Status.DRAFT, publish_at=now + timedelta(1))
    make_event(title="Goes live in sixty days", publish_at=now + timedelta(days=60))
    client.force_login(editor)
    response = client.get(SCHEDULE)
    days = response.context["timeline"]
    found = [
        (day, entry["moment"].title, entry["moment"].kind)
        for day, entries in days
        for entry in entries
    ]
    assert found == [
        (timezone.localdate(now + timedelta(days=2)), "Goes live in two days", "live"),
        (timezone.localdate(now + timedelta(days=5)), "Expires in five days", "expires"),
    ]
    assert "goes live" in response.content.decode()
    longer = client.get(SCHEDULE, {"days": 90}).context["timeline"]
    assert [e["moment"].title for _, entries in longer for e in entries][-1] == (
        "Goes live in sixty days"
    )


# --- Broken links ---------------------------------------------------------------------------


def test_broken_links_lists_references_to_items_no_longer_public(client, editor):
    draft = make_event(title="Withdrawn summit", status=Status.DRAFT)
    archived = make_person(name="Archived person", status=Status.ARCHIVED)
    live = make_event(title="Live summit")
    body = (
        f'<p><a data-ref="events.event:{draft.pk}">summit</a> '
        f'<a data-ref="events.person:{archived.pk}">person</a> '
        f'<a data-ref="events.event:{live.pk}">live</a> '
        '<a data-ref="events.event:999999">deleted</a></p>'
    )
    source = make_news_post(title="Linking post", body=body)
    make_news_post(title="Draft linking post", status=Status.DRAFT, body=body)
    client.force_login(editor)
    response = client.get(LINKS)
    broken = [
        (e["link"].source.title, e["link"].title, e["link"].reason)
        for e in response.context["broken"]
    ]
    assert sorted(broken) == [
        ("Linking post", "", "deleted"),
        ("Linking post", "Archived person", "archived"),
        ("Linking post", "Withdrawn summit", "draft"),
    ]
    assert response.context["broken"][0]["url"] == reverse(
        "admin:publications_newspost_change", args=[source.pk]
    )


class _Handler(BaseHTTPRequestHandler):
    """A tiny site on loopback: /ok answers, /gone is 404, /no-head refuses HEAD but not GET."""

    def do_HEAD(self):
        where = self.path.split("?")[0]
        if where == "/no-head":
            self.send_response(405)
        else:
            self.send_response(200 if where == "/ok" else 404)
        self.end_headers()
        self.server.methods.append(("HEAD", self.path))

    def do_GET(self):
        self.send_response(200 if self.path in ("/ok", "/no-head") else 404)
        self.end_headers()
        self.server.methods.append(("GET", self.path))

    def log_message(self, *args):
        pass


@pytest.fixture
def far_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.methods = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server
    server.shutdown()
    server.server_close()


def test_external_links_are_checked_only_on_demand_and_failures_listed(client, editor, far_site):
    base, server = far_site
    # A port that was just free: nothing listens there.
    probe = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    dead = f"http://127.0.0.1:{probe.server_address[1]}/"
    probe.server_close()
    body = (
        f'<p><a href="{base}/ok">ok</a> <a href="{base}/gone">gone</a> '
        f'<a href="{base}/no-head">no head</a> <a href="{dead}">dead</a></p>'
    )
    make_news_post(title="Post with links", body=body)
    client.force_login(editor)
    page = client.get(LINKS)
    assert page.context["external_count"] == 4
    assert page.context["checked"] is None
    assert server.methods == []  # nothing is fetched on page load
    response = client.post(LINKS)
    failures = {f["result"].url: f for f in response.context["checked"]["failures"]}
    assert set(failures) == {f"{base}/gone", dead}
    assert failures[f"{base}/gone"]["result"].status == 404
    assert "unreachable" in failures[dead]["result"].problem
    assert [s["source"].title for s in failures[dead]["sources"]] == ["Post with links"]
    assert ("GET", "/no-head") in server.methods
    assert "Post with links" in response.content.decode()


def test_a_link_check_is_bounded_in_number_and_time(far_site):
    from core import linkcheck

    base, _ = far_site
    urls = [f"{base}/ok?{i}" for i in range(linkcheck.MAX_LINKS + 10)]
    results = linkcheck.check_all(urls)
    assert len(results) == linkcheck.MAX_LINKS
    assert all(result.ok for result in results)
    assert linkcheck.check("ftp://example.org/").problem == "not an http(s) address"


# --- Search across all content --------------------------------------------------------------


def test_one_search_finds_items_of_every_type_grouped_with_links_to_their_forms(client, editor):
    event = make_event(title="Paris governance summit")
    make_news_post(title="Governance news")
    make_person(name="Grace Governance")
    make_news_post(title="Unrelated")
    client.force_login(editor)
    response = client.get(SEARCH, {"q": "governance"})
    groups = {g["label"]: [r["title"] for r in g["results"]] for g in response.context["groups"]}
    assert groups == {
        "Events": ["Paris governance summit"],
        "People": ["Grace Governance"],
        "News posts": ["Governance news"],
    }
    assert reverse("admin:events_event_change", args=[event.pk]) in response.content.decode()


def test_search_shows_a_limited_number_per_type_and_links_to_the_rest(client, editor):
    from core.admin.search import RESULTS_PER_TYPE

    for i in range(RESULTS_PER_TYPE + 2):
        make_news_post(title=f"Budget note {i}")
    client.force_login(editor)
    (group,) = client.get(SEARCH, {"q": "budget"}).context["groups"]
    assert len(group["results"]) == RESULTS_PER_TYPE
    assert group["more_url"] == reverse("admin:publications_newspost_changelist") + "?q=budget"


def test_dashboard_links_to_the_reports_and_has_the_search_box(client, editor):
    client.force_login(editor)
    body = client.get(reverse("admin:index")).content.decode()
    assert f'action="{SEARCH}"' in body
    assert INVENTORY in body and LINKS in body
