"""In-process measurements: the API against hand-written views, and query counts.

Each API list of 100 items is timed against a view written by hand for the same page: the same
items in the same order, the same keys and nesting, the same visibility rules, built from
``.values()`` with one query per relation and URLs put together with f-strings. It is the
floor of what Django can do for that JSON; the ratio says what the serializers cost on top.
Both are called as views (no middleware), alternating, in this process.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack

from django.conf import settings
from django.db import connection, reset_queries
from django.http import JsonResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone

from core.links import absolute_url
from core.publishing import published_q
from events.models import Event, Organisation, Session, SessionParticipant, Topic
from initiatives.models import Initiative
from publications.models import LICENCE_URLS, Article, ArticleAuthor

from .cases import API_LISTS

PAGE = 100


def _dt(value):
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _date(value):
    return value.isoformat() if value else None


class _Urls:
    """API and page URLs by f-string, as a hand-written view would build them."""

    def __init__(self, request):
        self.api = request.build_absolute_uri("/api/v1/")
        self.site = absolute_url("")

    def org(self, o: dict) -> dict:
        return {
            "url": f"{self.api}organisations/{o['slug']}/",
            "slug": o["slug"],
            "name": o["name"],
            "acronym": o["acronym"],
            "kind": o["kind"],
            "country": o["country"] or "",
            "page_url": f"{self.site}/organisations/{o['slug']}/",
        }

    def person(self, p: dict) -> dict:
        return {
            "url": f"{self.api}people/{p['slug']}/",
            "slug": p["slug"],
            "name": p["name"],
            "honorific": p["honorific"],
            "role": p["role"],
            "page_url": f"{self.site}/speakers/{p['slug']}/",
        }

    def topic(self, t: dict) -> dict:
        return {
            "url": f"{self.api}topics/{t['slug']}/",
            "slug": t["slug"],
            "name": t["name"],
            "page_url": f"{self.site}/topics/{t['slug']}/",
        }

    def event(self, e: dict) -> dict:
        return {
            "url": f"{self.api}events/{e['slug']}/",
            "slug": e["slug"],
            "title": e["title"],
            "kind": e["kind"],
            "start": _dt(e["start"]),
            "end": _dt(e["end"]),
            "timezone": e["timezone"],
            "city": e["city"],
            "country": e["country"] or "",
            "page_url": f"{self.site}/events/{e['slug']}/",
        }


ORG_FIELDS = ("id", "slug", "name", "acronym", "kind", "country")
PERSON_FIELDS = ("id", "slug", "name", "honorific", "role")
EVENT_FIELDS = ("id", "slug", "title", "kind", "start", "end", "timezone", "city", "country")


def _published_by_id(model, ids, fields) -> dict[int, dict]:
    rows = model.objects.filter(published_q(), pk__in=set(ids)).values(*fields)
    return {row["id"]: row for row in rows}


def _m2m(relation, ids, model, fields, key: Callable) -> dict[int, list[dict]]:
    """Published targets of a many-to-many relation, per source id, in the target's order."""
    through = relation.through
    source = relation.field.m2m_field_name()
    target = relation.field.m2m_reverse_field_name()
    pairs = list(
        through.objects.filter(**{f"{source}_id__in": ids}).values_list(
            f"{source}_id", f"{target}_id"
        )
    )
    targets = _published_by_id(model, [t for _, t in pairs], fields)
    out: dict[int, list[dict]] = defaultdict(list)
    for source_id, target_id in pairs:
        if target_id in targets:
            out[source_id].append(targets[target_id])
    for rows in out.values():
        rows.sort(key=key)
    return out


def _envelope(request, count: int, results: list) -> JsonResponse:
    path = request.build_absolute_uri(request.path)
    nxt = f"{path}?page=2&page_size={PAGE}" if count > PAGE else None
    return JsonResponse(
        {"count": count, "next": nxt, "previous": None, "results": results},
        json_dumps_params={"ensure_ascii": False},
    )


def articles_baseline(request):
    urls = _Urls(request)
    qs = Article.objects.published().order_by("-published_on", "title")
    count = qs.count()
    rows = list(
        qs.values(
            "id",
            "slug",
            "title",
            "article_type",
            "doi",
            "published_on",
            "volume",
            "issue",
            "pages",
            "licence",
            "updated_at",
            "journal__slug",
            "journal__title",
            "journal__issn",
            "journal__eissn",
        )[:PAGE]
    )
    ids = [r["id"] for r in rows]
    authors: dict[int, list] = defaultdict(list)
    authorships = list(
        ArticleAuthor.objects.published()
        .filter(article_id__in=ids)
        .order_by("article", "order", "id")
        .values(
            "article_id",
            "affiliation_id",
            "affiliation_text",
            "is_corresponding",
            *(f"person__{f}" for f in PERSON_FIELDS),
        )
    )
    orgs = _published_by_id(
        Organisation, [a["affiliation_id"] for a in authorships if a["affiliation_id"]], ORG_FIELDS
    )
    for a in authorships:
        org = orgs.get(a["affiliation_id"])
        authors[a["article_id"]].append(
            {
                "person": urls.person({f: a[f"person__{f}"] for f in PERSON_FIELDS}),
                "affiliation": org["name"] if org else a["affiliation_text"],
                "affiliation_organisation": urls.org(org) if org else None,
                "is_corresponding": a["is_corresponding"],
            }
        )
    topics = _m2m(Article.topics, ids, Topic, ("id", "slug", "name"), lambda t: t["name"])
    results = [
        {
            "url": f"{urls.api}articles/{r['slug']}/",
            "slug": r["slug"],
            "title": r["title"],
            "article_type": r["article_type"],
            "doi": r["doi"],
            "published_on": _date(r["published_on"]),
            "page_url": f"{urls.site}/journal/articles/{r['slug']}/",
            "journal": {
                "url": f"{urls.api}journals/{r['journal__slug']}/",
                "slug": r["journal__slug"],
                "title": r["journal__title"],
                "issn": r["journal__issn"],
                "eissn": r["journal__eissn"],
            },
            "authors": authors[r["id"]],
            "doi_url": f"https://doi.org/{r['doi']}" if r["doi"] else "",
            "volume": r["volume"],
            "issue": r["issue"],
            "pages": r["pages"],
            "licence": r["licence"],
            "licence_url": LICENCE_URLS.get(r["licence"], ""),
            "topics": [urls.topic(t) for t in topics.get(r["id"], [])],
            "updated_at": _dt(r["updated_at"]),
        }
        for r in rows
    ]
    return _envelope(request, count, results)


def sessions_baseline(request):
    urls = _Urls(request)
    qs = Session.objects.published().order_by("event__start", "start", "title")
    count = qs.count()
    rows = list(
        qs.values(
            "id",
            "slug",
            "title",
            "kind",
            "programme",
            "start",
            "end",
            "summary",
            "room",
            "online_url",
            "updated_at",
            "track_id",
            "track__slug",
            "track__title",
            "track__is_special",
            "track__organiser_id",
            *(f"event__{f}" for f in EVENT_FIELDS),
        )[:PAGE]
    )
    ids = [r["id"] for r in rows]
    organiser_ids = [r["track__organiser_id"] for r in rows if r["track__organiser_id"]]
    organisers = _published_by_id(Organisation, organiser_ids, ORG_FIELDS)
    hosts = _m2m(Session.hosts, ids, Organisation, ORG_FIELDS, lambda o: o["name"])
    topics = _m2m(Session.topics, ids, Topic, ("id", "slug", "name"), lambda t: t["name"])
    participants: dict[int, list] = defaultdict(list)
    for p in (
        SessionParticipant.objects.published()
        .filter(session_id__in=ids)
        .order_by("session", "order", "id")
        .values("session_id", "role", "affiliation_text", *(f"person__{f}" for f in PERSON_FIELDS))
    ):
        participants[p["session_id"]].append(
            {
                "person": urls.person({f: p[f"person__{f}"] for f in PERSON_FIELDS}),
                "role": p["role"],
                "affiliation_text": p["affiliation_text"],
            }
        )
    results = []
    for r in rows:
        event = urls.event({f: r[f"event__{f}"] for f in EVENT_FIELDS})
        organiser = organisers.get(r["track__organiser_id"])
        track = (
            {
                "slug": r["track__slug"],
                "title": r["track__title"],
                "is_special": r["track__is_special"],
                "organiser": urls.org(organiser) if organiser else None,
            }
            if r["track_id"]
            else None
        )
        results.append(
            {
                "url": f"{urls.api}sessions/{event['slug']}/{r['slug']}/",
                "event_slug": event["slug"],
                "slug": r["slug"],
                "title": r["title"],
                "kind": r["kind"],
                "programme": r["programme"],
                "start": _dt(r["start"]),
                "end": _dt(r["end"]),
                "page_url": f"{urls.site}/events/{event['slug']}/sessions/{r['slug']}/",
                "event": event,
                "track": track,
                "summary": r["summary"],
                "room": r["room"],
                "online_url": r["online_url"],
                "hosts": [urls.org(o) for o in hosts.get(r["id"], [])],
                "topics": [urls.topic(t) for t in topics.get(r["id"], [])],
                "participants": participants[r["id"]],
                "updated_at": _dt(r["updated_at"]),
            }
        )
    return _envelope(request, count, results)


def initiatives_baseline(request):
    urls = _Urls(request)
    qs = Initiative.objects.published().order_by("-announced_on", "title")
    count = qs.count()
    fields = (
        "id",
        "slug",
        "title",
        "short_title",
        "kind",
        "summary",
        "initiative_status",
        "announced_on",
        "announced_at_id",
        "part_of_id",
        "jurisdictions",
        "amount",
        "currency",
        "amount_qualifier",
        "amount_note",
        "reported_signatory_count",
        "website",
        "updated_at",
    )
    rows = list(qs.values(*fields)[:PAGE])
    ids = [r["id"] for r in rows]
    events = _published_by_id(
        Event, [r["announced_at_id"] for r in rows if r["announced_at_id"]], EVENT_FIELDS
    )
    parents = _published_by_id(
        Initiative,
        [r["part_of_id"] for r in rows if r["part_of_id"]],
        ("id", "slug", "title", "short_title", "kind"),
    )
    leads = _m2m(Initiative.lead_organisations, ids, Organisation, ORG_FIELDS, lambda o: o["name"])
    partners = _m2m(
        Initiative.partner_organisations, ids, Organisation, ORG_FIELDS, lambda o: o["name"]
    )
    topics = _m2m(Initiative.topics, ids, Topic, ("id", "slug", "name"), lambda t: t["name"])

    def summary(i: dict) -> dict:
        return {
            "url": f"{urls.api}initiatives/{i['slug']}/",
            "slug": i["slug"],
            "title": i["title"],
            "short_title": i["short_title"],
            "kind": i["kind"],
            "page_url": f"{urls.site}/initiatives/{i['slug']}/",
        }

    results = []
    for r in rows:
        event = events.get(r["announced_at_id"])
        parent = parents.get(r["part_of_id"])
        codes = r["jurisdictions"]
        codes = codes if isinstance(codes, list) else [c for c in str(codes).split(",") if c]
        results.append(
            {
                **summary(r),
                "summary": r["summary"],
                "initiative_status": r["initiative_status"],
                "announced_on": _date(r["announced_on"]),
                "announced_at": urls.event(event) if event else None,
                "part_of": summary(parent) if parent else None,
                "jurisdictions": [getattr(c, "code", c) for c in codes],
                "amount": f"{r['amount']:.2f}" if r["amount"] is not None else None,
                "currency": r["currency"],
                "amount_qualifier": r["amount_qualifier"],
                "amount_note": r["amount_note"],
                "reported_signatory_count": r["reported_signatory_count"],
                "lead_organisations": [urls.org(o) for o in leads.get(r["id"], [])],
                "partner_organisations": [urls.org(o) for o in partners.get(r["id"], [])],
                "topics": [urls.topic(t) for t in topics.get(r["id"], [])],
                "website": r["website"],
                "updated_at": _dt(r["updated_at"]),
            }
        )
    return _envelope(request, count, results)


#: The hand-written view of each API list (``cases.API_LISTS``), by name.
BASELINES = {
    "articles": articles_baseline,
    "sessions": sessions_baseline,
    "initiatives": initiatives_baseline,
}


def _shape(value):
    """The keys and nesting of a JSON value, ignoring the values themselves."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return None


def same_page(api: dict, baseline: dict) -> tuple[bool, str]:
    """Whether the hand-written page holds the same items, keys and values as the API's."""
    a, b = api.get("results", []), baseline.get("results", [])
    if [x.get("url") for x in a] != [x.get("url") for x in b]:
        return False, "different items or order"
    if a and _shape(a[0]) != _shape(b[0]):
        return False, "different keys"
    if api != baseline:
        differing = sorted(
            {key for x, y in zip(a, b, strict=True) for key in x if x.get(key) != y.get(key)}
        )
        return False, f"values differ in: {', '.join(differing) or 'envelope'}"
    return True, "identical JSON"


def _sql_time(call: Callable[[], object]) -> tuple[float, int]:
    """Milliseconds spent in SQL during ``call``, and how many queries it made."""
    with CaptureQueriesContext(connection) as queries:
        call()
    return sum(float(q["time"]) for q in queries.captured_queries) * 1000, len(queries)


def unthrottled():
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}
    )


def api_against_baselines(*, requests_each: int, seconds: float) -> list[dict]:
    """Each API list and its hand-written view, alternating, called as views."""
    factory = RequestFactory()
    rows = []
    with unthrottled():
        for name, path in API_LISTS:
            baseline = BASELINES.get(name)
            if baseline is None:
                continue
            request_path = path.partition("?")[0]
            view = resolve(request_path).func

            def call(fn, _path=path):
                request = factory.get(_path, secure=True)
                started = time.perf_counter()
                response = fn(request)
                if hasattr(response, "render"):
                    response.render()
                return (time.perf_counter() - started) * 1000, response

            _, api_response = call(view)
            _, base_response = call(baseline)
            same, note = same_page(
                json.loads(api_response.content), json.loads(base_response.content)
            )
            api_times, base_times = [], []
            deadline = time.monotonic() + seconds
            while len(api_times) < requests_each:
                if len(api_times) >= 3 and time.monotonic() > deadline:
                    break
                api_times.append(call(view)[0])
                base_times.append(call(baseline)[0])
            api_ms, base_ms = statistics.median(api_times), statistics.median(base_times)
            api_sql, api_queries = _sql_time(lambda v=view: call(v))
            base_sql, base_queries = _sql_time(lambda b=baseline: call(b))
            rows.append(
                {
                    "name": f"API {name}",
                    "path": path,
                    "ms": api_ms,
                    "baseline_ms": base_ms,
                    "ratio": api_ms / base_ms if base_ms else float("nan"),
                    "requests": len(api_times),
                    "same_json": same,
                    "note": note,
                    # Where the time goes: SQL (as the database driver saw it) and queries.
                    "sql_ms": api_sql,
                    "queries": api_queries,
                    "baseline_sql_ms": base_sql,
                    "baseline_queries": base_queries,
                }
            )
    return rows


def query_counts(paths: list[str], settings_off: dict) -> dict[str, int]:
    """Queries each path makes for an anonymous visitor, in this process, caches off."""
    # A view that fails is a status here (a negative count), not the end of the run.
    client = Client(raise_request_exception=False)
    counts = {}
    with ExitStack() as stack:
        stack.enter_context(unthrottled())
        if settings_off:
            stack.enter_context(override_settings(**settings_off))
        for path in paths:
            client.get(path, secure=True)  # warm up (content types, site caches)
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, secure=True)
            counts[path] = len(queries) if response.status_code == 200 else -response.status_code
    return counts
