"""Nothing unpublished reaches the public, on any surface, whatever links to it.

A published web of content is surrounded by unpublished neighbours (drafts, items in review,
archived, rejected, scheduled for later, expired, and a published session of a draft event), each
named with a marker. A crawler then follows every link from the public lists, exports, feeds, the
sitemap and the API, and no answer may mention the marker.
"""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import registry
from core.comments import add_comment
from core.publishing import Status
from core.references import Ref
from core.sitepages.models import PageBlock
from events.models import SessionParticipant
from initiatives.models import Source
from publications.models import ArticleAuthor

from .factories import (
    add_author,
    add_block,
    add_participant,
    make_article,
    make_collection,
    make_event,
    make_initiative,
    make_journal,
    make_news_post,
    make_organisation,
    make_page,
    make_person,
    make_recording,
    make_session,
    make_signatory,
    make_staff,
    make_topic,
    make_track,
)

# With the server-side page cache on, as in production: nothing it stores may leak either.
pytestmark = pytest.mark.page_cache

MARKER = "zzhidden"

# Addresses that are not a registered type's list, feed or API (derived in ``start_list``).
EXTRA_START = [
    "/",
    "/sitemap.xml",
    "/search/?q=zzhidden",
    "/search/?q=Shown",
    "/api/v1/signatories/",
    "/api/v1/events/?search=zzhidden",
    "/api/v1/initiatives/?search=zzhidden",
    "/api/v1/open-data/initiatives.csv",
    "/api/v1/open-data/initiatives.json",
]


def start_list() -> list[str]:
    """Every registered type's list page, feed, API list and sitemap section (core.registry),
    and the extras."""
    derived = [url for t in registry.with_page() if (url := t.list_url())]
    derived += [reverse(t.feed.url_name) for t in registry.with_feed()]
    derived += [reverse(t.api.list_url_name) for t in registry.in_api()]
    derived += [
        reverse("sitemap-section", kwargs={"section": t.sitemap_key}) for t in registry.in_sitemap()
    ]
    return [*EXTRA_START, *derived]


NOT_CRAWLED = ("/static/", "/media/", "/admin/", "/api/v1/docs/", "/api/v1/schema/")
LINK = re.compile(r"""(?:href|src)="([^"#]+)"|"(https?://testserver/[^"\s]*)"|<loc>([^<]+)</loc>""")


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    """The crawl asks many questions quickly; rate limits are tested elsewhere."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "partner": "100000/minute"},
    }


def _unpublished_states():
    """Keyword sets that each make an item non-public, named for the marker."""
    now = timezone.now()
    return {
        "draft": {"status": Status.DRAFT},
        "review": {"status": Status.REVIEW},
        "archived": {"status": Status.ARCHIVED},
        "rejected": {"status": Status.REJECTED},
        "scheduled": {"status": Status.PUBLISHED, "publish_at": now + timedelta(days=3)},
        "expired": {
            "status": Status.PUBLISHED,
            "publish_at": now - timedelta(days=3),
            "unpublish_at": now - timedelta(days=1),
        },
    }


def build_web():
    """A published web of content, each item with unpublished neighbours of every kind."""
    topic = make_topic(name="Shown topic", slug="shown-topic")
    org = make_organisation(name="Shown org", slug="shown-org")
    person = make_person(name="Shown person", slug="shown-person", affiliation=org)
    event = make_event(title="Shown event", slug="shown-event")
    event.topics.add(topic)
    event.hosts.add(org)
    event.organisers.add(org)
    event.host_people.add(person)
    track = make_track(event=event, title="Shown track", organiser=org)
    session = make_session(event=event, title="Shown session", slug="shown-session", track=track)
    session.topics.add(topic)
    session.hosts.add(org)
    add_participant(session, person)
    initiative = make_initiative(
        title="Shown initiative",
        slug="shown-initiative",
        announced_at=event,
        announced_in=session,
        amount=10,
        currency="EUR",
    )
    initiative.topics.add(topic)
    initiative.lead_organisations.add(org)
    initiative.partner_organisations.add(org)
    initiative.people.add(person)
    make_signatory(initiative, country="FR", statement="Yes", statement_person=person)
    journal = make_journal(title="Shown journal", publisher=org)
    collection = make_collection(journal=journal, title="Shown collection", track=track)
    article = make_article(journal=journal, title="Shown article", slug="shown-article")
    article.topics.add(topic)
    article.collections.add(collection)
    article.related_initiatives.add(initiative)
    article.related_events.add(event)
    article.related_sessions.add(session)
    add_author(article, person, affiliation=org)
    initiative.related_sessions.add(session)
    news = make_news_post(title="Shown news", slug="shown-news")
    news.topics.add(topic)
    news.authors.add(person)
    news.related_events.add(event)
    news.related_sessions.add(session)
    news.related_initiatives.add(initiative)
    news.related_articles.add(article)
    news.related_people.add(person)
    news.related_organisations.add(org)
    recording = make_recording(title="Shown recording", slug="shown-recording")
    recording.sessions.add(session)
    recording.people.add(person)
    # A site page with blocks pointing at published items; hidden neighbours are added below.
    page = make_page(title="Shown page", slug="shown-page")
    add_block(page, PageBlock.Kind.ITEMS, items=[str(Ref.to(person)), str(Ref.to(event))])
    add_block(page, PageBlock.Kind.LISTING, listing="latest-news")
    add_block(page, PageBlock.Kind.LISTING, listing="featured-initiatives")

    for state, kwargs in _unpublished_states().items():
        name = f"{MARKER} {state}"
        slug = f"{MARKER}-{state}"
        h_org = make_organisation(name=f"{name} org", slug=f"{slug}-org", parent=org, **kwargs)
        h_person = make_person(
            name=f"{name} person", slug=f"{slug}-person", affiliation=h_org, **kwargs
        )
        h_event = make_event(title=f"{name} event", slug=f"{slug}-event", parent=event, **kwargs)
        h_event.topics.add(topic)
        h_event.hosts.add(org)
        # A published session of a non-public event is not public either.
        h_orphan = make_session(
            event=h_event, title=f"{name} orphan session", slug=f"{slug}-orphan", track=None
        )
        h_orphan.topics.add(topic)
        h_orphan.hosts.add(org)
        add_participant(h_orphan, person)
        h_session = make_session(
            event=event, title=f"{name} session", slug=f"{slug}-session", track=track, **kwargs
        )
        h_session.topics.add(topic)
        h_session.hosts.add(org, h_org)
        add_participant(h_session, person)
        add_participant(session, h_person)
        SessionParticipant.objects.filter(person=h_person).update(affiliation_text="")
        event.hosts.add(h_org)
        event.organisers.add(h_org)
        event.host_people.add(h_person)
        session.hosts.add(h_org)
        h_initiative = make_initiative(
            title=f"{name} initiative",
            slug=f"{slug}-initiative",
            announced_at=event,
            part_of=initiative,
            amount=5,
            currency="EUR",
            **kwargs,
        )
        h_initiative.topics.add(topic)
        h_initiative.lead_organisations.add(org)
        h_initiative.builds_on.add(initiative)
        initiative.builds_on.add(h_initiative)
        initiative.lead_organisations.add(h_org)
        initiative.partner_organisations.add(h_org)
        initiative.people.add(h_person)
        make_signatory(initiative, organisation=h_org, statement="No")
        Source.objects.create(
            initiative=h_initiative, title=f"{name} source", url="https://x.example/"
        )
        make_signatory(h_initiative, organisation=org)
        h_collection = make_collection(
            journal=journal, title=f"{name} collection", slug=f"{slug}-collection", **kwargs
        )
        h_article = make_article(
            journal=journal, title=f"{name} article", slug=f"{slug}-article", **kwargs
        )
        h_article.topics.add(topic)
        h_article.collections.add(collection)
        h_article.related_events.add(event)
        h_article.related_sessions.add(session)
        h_article.related_initiatives.add(initiative)
        add_author(h_article, person)
        article.collections.add(h_collection)
        article.related_initiatives.add(h_initiative)
        article.related_events.add(h_event)
        article.related_sessions.add(h_session, h_orphan)
        add_author(article, h_person)
        ArticleAuthor.objects.filter(article=article, person=person).update(affiliation=org)
        # A topic that is not public, on everything public.
        h_topic = make_topic(name=f"{name} topic", slug=f"{slug}-topic", **kwargs)
        for item in (event, session, initiative, article, news, org, person):
            item.topics.add(h_topic)
        # A journal that is not public, with a published collection and article in it.
        h_journal = make_journal(
            title=f"{name} journal", slug=f"{slug}-journal", publisher=org, **kwargs
        )
        j_collection = make_collection(
            journal=h_journal, title=f"{name} journal's collection", slug=f"{slug}-j-collection"
        )
        j_article = make_article(
            journal=h_journal, title=f"{name} journal's article", slug=f"{slug}-j-article"
        )
        j_article.topics.add(topic)
        j_article.collections.add(collection, j_collection)
        j_article.related_events.add(event)
        j_article.related_sessions.add(session)
        j_article.related_initiatives.add(initiative)
        add_author(j_article, person, affiliation=org)
        news.related_articles.add(j_article)
        initiative.related_sessions.add(h_session, h_orphan)
        h_initiative.related_sessions.add(session)
        h_news = make_news_post(title=f"{name} news", slug=f"{slug}-news", **kwargs)
        h_news.topics.add(topic)
        h_news.authors.add(person)
        h_news.related_events.add(event)
        h_news.related_people.add(person)
        h_news.related_organisations.add(org)
        h_news.related_initiatives.add(initiative)
        h_news.related_articles.add(article)
        news.authors.add(h_person)
        news.related_events.add(h_event)
        news.related_sessions.add(h_session, h_orphan)
        news.related_initiatives.add(h_initiative)
        news.related_articles.add(h_article)
        news.related_people.add(h_person)
        news.related_organisations.add(h_org)
        person.topics.add(topic)
        h_person.topics.add(topic)
        # A page that is not public, with a published page under it, and blocks of the
        # published page that point at hidden items.
        h_page = make_page(title=f"{name} page", slug=f"{slug}-page", parent=page, **kwargs)
        make_page(title=f"{name} page's child", slug=f"{slug}-child", parent=h_page)
        add_block(
            page, PageBlock.Kind.CTA, link_label=f"{name} link", link_item=str(Ref.to(h_person))
        )
        add_block(
            page, PageBlock.Kind.ITEMS, items=[str(Ref.to(h_initiative)), str(Ref.to(h_page))]
        )
        add_block(
            page,
            PageBlock.Kind.TEXT,
            body=f'<p>See <a data-ref="{Ref.to(h_event)}">{name} event</a>.</p>',
        )
        # Published items whose single links (foreign keys) point at the hidden ones.
        sub_org = make_organisation(name=f"Shown unit of {state}", parent=h_org)
        affiliated = make_person(name=f"Shown member of {state}", affiliation=h_org)
        side = make_event(title=f"Shown side event of {state}", parent=h_event)
        side.hosts.add(org)
        hidden_track = make_track(event=event, title="Shown track", organiser=h_org)
        tracked = make_session(event=event, track=hidden_track, title=f"Shown tracked {state}")
        add_participant(tracked, affiliated)
        make_initiative(
            title=f"Shown part of {state}",
            part_of=h_initiative,
            announced_at=h_event,
            announced_in=h_session,
        )
        make_signatory(initiative, organisation=sub_org, statement="Yes", statement_person=h_person)
        make_collection(
            journal=make_journal(title=f"Shown journal of {state}", publisher=h_org),
            title=f"Shown collection of {state}",
            track=make_track(event=h_event, title=f"{name} track", organiser=h_org),
        ).editors.add(h_person, person)
        add_author(article, affiliated, affiliation=h_org)
        h_recording = make_recording(title=f"{name} recording", slug=f"{slug}-recording", **kwargs)
        h_recording.sessions.add(session)
        h_recording.people.add(person)
        recording.sessions.add(h_session, h_orphan)
        recording.people.add(h_person)
    # Review comments are staff-only notes: no public surface shows them, even on public items.
    reviewer = make_staff(username="web-reviewer", superuser=True)
    for item in (event, session, person):
        add_comment(item=item, by=reviewer, text=f"Review note {MARKER}", field_name="title")
    return {"event": event, "session": session, "person": person}


def _links(base: str, body: str) -> set[str]:
    found = set()
    for match in LINK.finditer(body):
        link = next(group for group in match.groups() if group)
        url = urljoin(base, link.replace("&amp;", "&"))
        parts = urlsplit(url)
        # The sitemap and the API write our addresses on SITE_URL: those are ours too.
        if parts.netloc not in ("", "testserver", urlsplit(settings.SITE_URL).netloc):
            continue
        if parts.path.startswith(
            ("/static/", "/media/", "/admin/", "/api/v1/docs", "/api/v1/schema")
        ):
            continue
        found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(client, start: list[str], limit: int = 600) -> dict[str, str]:
    """Every public address reachable from ``start``, with its body."""
    seen: dict[str, str] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        body = response.content.decode("utf-8", "replace")
        seen[url] = body
        assert response.status_code in (200, 301, 302, 404), (url, response.status_code)
        if response.status_code == 200:
            queue += sorted(_links(url, body) - set(seen))
    return seen


def full_start(web: dict) -> list[str]:
    event, session, person = web["event"], web["session"], web["person"]
    return [
        *start_list(),
        f"/events/{event.slug}/calendar.ics",
        f"/events/{event.slug}/programme.json",
        f"/events/{event.slug}/sessions/{session.slug}/calendar.ics",
        f"/speakers/{person.slug}/calendar.ics",
        "/journal/articles/shown-article/cite.bib",
        "/journal/articles/shown-article/cite.ris",
        "/journal/articles/shown-article/cite.json",
        "/topics/shown-topic/",
        f"/api/v1/sessions/{event.slug}/{session.slug}/",
    ]


def leaks(pages: dict[str, str]) -> dict[str, list[str]]:
    """The hidden items each page names. The bare marker may be echoed back by a search; a
    hidden item's name or slug may not."""
    hidden = re.compile(rf"{MARKER}[ -](?:{'|'.join(_unpublished_states())})[\w -]{{0,30}}", re.I)
    report = {url: sorted(set(hidden.findall(body)))[:5] for url, body in pages.items()}
    return {url: found for url, found in report.items() if found}


@pytest.mark.django_db
def test_no_public_surface_mentions_anything_unpublished(client):
    pages = crawl(client, full_start(build_web()))
    assert not leaks(pages)


@pytest.mark.django_db
def test_pages_staff_saw_first_reach_visitors_without_anything_unpublished(client):
    """Staff browse everything first, previews included; then visitors crawl twice, the second
    time from the page cache: neither crawl names a hidden item."""
    start = full_start(build_web())
    staff = Client()
    staff.force_login(make_staff(username="previewer", superuser=True))
    assert leaks(crawl(staff, start)), "staff see the hidden items in preview"
    assert not leaks(crawl(client, start))
    again = {url: client.get(url) for url in start}
    assert not leaks({url: r.content.decode("utf-8", "replace") for url, r in again.items()})
    from_cache = {url for url, response in again.items() if response.get("X-Page-Cache") == "HIT"}
    assert {"/", "/news/", "/events/"} <= from_cache


@pytest.mark.django_db
def test_every_address_of_an_unpublished_item_is_not_found(client):
    build_web()
    missing = []
    for state in _unpublished_states():
        slug = f"{MARKER}-{state}"
        urls = [
            f"/organisations/{slug}-org/",
            f"/speakers/{slug}-person/",
            f"/speakers/{slug}-person/calendar.ics",
            f"/events/{slug}-event/",
            f"/events/{slug}-event/calendar.ics",
            f"/events/{slug}-event/programme.json",
            f"/events/{slug}-event/sessions/{slug}-orphan/",
            f"/events/{slug}-event/sessions/{slug}-orphan/calendar.ics",
            f"/events/shown-event/sessions/{slug}-session/",
            f"/events/shown-event/sessions/{slug}-session/calendar.ics",
            f"/initiatives/{slug}-initiative/",
            f"/journal/collections/{slug}-collection/",
            f"/journal/articles/{slug}-article/",
            f"/journal/articles/{slug}-j-article/",
            *(f"/journal/articles/{slug}-j-article/cite.{fmt}" for fmt in ("bib", "ris", "json")),
            f"/journal/collections/{slug}-j-collection/",
            f"/topics/{slug}-topic/",
            f"/api/v1/topics/{slug}-topic/",
            f"/api/v1/journals/{slug}-journal/",
            f"/api/v1/articles/{slug}-j-article/",
            f"/api/v1/collections/{slug}-j-collection/",
            *(f"/journal/articles/{slug}-article/cite.{fmt}" for fmt in ("bib", "ris", "json")),
            f"/news/{slug}-news/",
            f"/api/v1/organisations/{slug}-org/",
            f"/api/v1/people/{slug}-person/",
            f"/api/v1/events/{slug}-event/",
            f"/api/v1/sessions/{slug}-event/{slug}-orphan/",
            f"/api/v1/sessions/shown-event/{slug}-session/",
            f"/api/v1/initiatives/{slug}-initiative/",
            f"/api/v1/collections/{slug}-collection/",
            f"/api/v1/articles/{slug}-article/",
            f"/api/v1/news/{slug}-news/",
            f"/recordings/{slug}-recording/",
            f"/api/v1/recordings/{slug}-recording/",
            f"/shown-page/{slug}-page/",
            f"/shown-page/{slug}-page/{slug}-child/",
            f"/api/v1/pages/shown-page/{slug}-page/",
            f"/api/v1/pages/shown-page/{slug}-page/{slug}-child/",
        ]
        for url in urls:
            for method in (client.get, client.head):
                status = method(url).status_code
                if status != 404:
                    missing.append((method.__name__, url, status))
    assert not missing


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/events/?parent={slug}-event",
        "/api/v1/events/?organisation={slug}-org",
        "/api/v1/sessions/?event={slug}-event",
        "/api/v1/sessions/?organisation={slug}-org",
        "/api/v1/sessions/?person={slug}-person",
        "/api/v1/people/?organisation={slug}-org",
        "/api/v1/initiatives/?organisation={slug}-org",
        "/api/v1/initiatives/?event={slug}-event",
        "/api/v1/articles/?event={slug}-event",
        "/api/v1/articles/?collection={slug}-collection",
        "/api/v1/articles/?person={slug}-person",
        "/api/v1/news/?person={slug}-person",
        "/api/v1/news/?initiative={slug}-initiative",
        "/api/v1/articles/?initiative={slug}-initiative",
        "/api/v1/news/?event={slug}-event",
        "/api/v1/signatories/?initiative={slug}-initiative",
        "/api/v1/recordings/?person={slug}-person",
        "/api/v1/recordings/?event={slug}-event",
        "/api/v1/signatories/?organisation={slug}-org",
        "/api/v1/events/?topic={slug}-topic",
        "/api/v1/sessions/?topic={slug}-topic",
        "/api/v1/people/?topic={slug}-topic",
        "/api/v1/organisations/?topic={slug}-topic",
        "/api/v1/initiatives/?topic={slug}-topic",
        "/api/v1/articles/?topic={slug}-topic",
        "/api/v1/news/?topic={slug}-topic",
        "/api/v1/articles/?journal={slug}-journal",
        "/api/v1/collections/?journal={slug}-journal",
        "/journal/?topic={slug}-topic",
        "/initiatives/?topic={slug}-topic",
    ],
)
def test_api_filters_treat_an_unpublished_slug_like_an_unknown_one(client, url):
    build_web()
    unknown = client.get(url.format(slug="no-such"))
    for state in _unpublished_states():
        hidden = client.get(url.format(slug=f"{MARKER}-{state}"))
        assert (hidden.status_code, MARKER in hidden.content.decode()) == (
            unknown.status_code,
            False,
        ), (url, state)


def _addresses(content_type: registry.ContentType, item) -> list[str]:
    """Where the crawler must find ``item``: its page, and its API entry when it has no page."""
    if content_type.page:
        return [item.get_absolute_url()]
    return [reverse(f"api:{content_type.api.basename}-detail", kwargs={"slug": item.slug})]


@pytest.mark.django_db
def test_crawl_of_the_demo_reaches_every_published_item(client):
    """The start list (derived from the registry) leads to every public item of the demo."""
    call_command("demo", "--no-serve", stdout=StringIO())
    expected = {
        address: f"{content_type.label} {item.pk}"
        for content_type in registry.types()
        for item in content_type.published()
        for address in _addresses(content_type, item)
    }
    assert len(expected) > 50
    limit = 2000
    pages = crawl(client, start_list(), limit=limit)
    assert len(pages) < limit
    unreached = {item: address for address, item in expected.items() if address not in pages}
    assert not unreached
