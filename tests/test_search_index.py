"""Search reads stored, indexed vectors on PostgreSQL, stays current on every save, counts
only up to a limit, and agrees with the registry; on SQLite it matches words in the fields.

Tests marked ``postgresql`` need its full-text search and indexes and are skipped on SQLite
(CI runs the suite on both).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from config.search import COUNT_LIMIT, search_queryset, type_by_key
from core import fulltext, registry
from core.checks import check_registry
from core.publishing import Status, published_q
from events.models import Event, Session
from publications.models import Article, NewsPost
from tests.core.test_registry import registered_instead
from tests.factories import make_article, make_event, make_news_post, make_session

pytestmark = pytest.mark.django_db

postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="stored search vectors, GIN and trigram indexes exist on PostgreSQL only",
)


def search(client, query: str, **params) -> str:
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def plan(queryset, *off: str) -> str:
    """The plan PostgreSQL picks with whole-table scans (and the methods in ``off``) ruled
    out: whether an index can serve the query, whatever the size of the test's tables."""
    settings = ("enable_seqscan", *off)
    with connection.cursor() as cursor:
        for name in settings:
            cursor.execute(f"SET LOCAL {name} = off")
        try:
            return queryset.explain()
        finally:
            for name in settings:
                cursor.execute(f"SET LOCAL {name} = on")


# --- On every database ------------------------------------------------------------------------


def test_an_edited_title_is_found_by_its_new_words_only(client):
    post = make_news_post(title="Chips strategy announced")
    assert "<mark>Chips</mark> strategy announced" in search(client, "chips")
    post.title = "Semiconductor roadmap announced"
    post.save()
    assert "<mark>Semiconductor</mark> roadmap announced" in search(client, "semiconductor")
    assert "Nothing matches" in search(client, "chips")


def test_a_draft_is_found_by_nobody_until_it_is_published(client):
    post = make_news_post(title="Embargoed quantum plan", status=Status.DRAFT)
    assert "Nothing matches" in search(client, "quantum")
    api = APIClient().get("/api/v1/news/", {"search": "quantum"}).json()
    assert api["count"] == 0
    post.status, post.publish_at = Status.PUBLISHED, timezone.now() - timedelta(minutes=1)
    post.save()
    assert "Embargoed <mark>quantum</mark> plan" in search(client, "quantum")
    assert [
        item["title"]
        for item in APIClient().get("/api/v1/news/", {"search": "quantum"}).json()["results"]
    ] == ["Embargoed quantum plan"]


def test_api_search_returns_the_same_shape_as_the_list():
    make_news_post(title="Quantum computing rules agreed")
    make_news_post(title="Weekly digest")
    api = APIClient()
    listed = api.get("/api/v1/news/").json()
    searched = api.get("/api/v1/news/", {"search": "quantum"}).json()
    assert searched.keys() == listed.keys()
    assert searched["count"] == 1
    assert searched["results"][0].keys() == listed["results"][0].keys()


def test_the_registry_and_the_migrations_agree_on_every_searchable_type():
    assert [e for e in check_registry() if e.id in {"core.E009", "core.E010", "core.E011"}] == []
    for content_type in registry.searchable():
        opts = content_type.model._meta
        declared = fulltext.declared_vectors()[(opts.app_label, opts.model_name)]
        assert declared == content_type.search.weighted_fields


def test_check_reports_search_weights_the_stored_vector_does_not_hold():
    original = registry.get(NewsPost)
    with registered_instead(
        NewsPost,
        page=original.page,
        search=registry.Search(
            "news", "News", ("title", "standfirst", "body"), weights=("A", "A", "B")
        ),
        sitemap=original.sitemap,
    ):
        errors = [e for e in check_registry() if e.obj is NewsPost]
    assert [e.id for e in errors] == ["core.E011"]
    assert "title A, standfirst A, body B" in errors[0].msg
    assert "AddSearchVector" in errors[0].hint


def test_check_reports_weights_that_do_not_fit_the_fields():
    original = registry.get(NewsPost)
    with registered_instead(
        NewsPost,
        page=original.page,
        search=registry.Search("news", "News", ("title", "body"), weights=("A", "E")),
        sitemap=original.sitemap,
    ):
        assert [e.id for e in check_registry() if e.obj is NewsPost] == ["core.E009"]


def test_a_common_word_is_counted_up_to_the_limit_and_shown_as_more(client):
    NewsPost.objects.bulk_create(
        NewsPost(
            title=f"Compute note {n}",
            slug=f"compute-note-{n}",
            standfirst="On compute.",
            body="<p>Compute.</p>",
            status=Status.PUBLISHED,
            publish_at=timezone.now() - timedelta(hours=1),
        )
        for n in range(COUNT_LIMIT + 1)
    )
    html = search(client, "compute")
    assert "News (1,000+)" in html
    assert "All 1,000+ news" in html
    html = search(client, "compute", type="news")
    assert "News: 1,000+ results" in html
    assert "Page 1 of 50" in html


def test_an_exact_count_below_the_limit(client):
    for n in range(3):
        make_news_post(title=f"Compute note {n}")
    assert "News (3)" in search(client, "compute")
    assert "News: 3 results" in search(client, "compute", type="news")


# --- PostgreSQL: the vectors, their indexes, and plans that use them ---------------------------


@postgresql
def test_each_searchable_table_has_a_generated_vector_with_a_gin_index():
    with connection.cursor() as cursor:
        for content_type in registry.searchable():
            table = content_type.model._meta.db_table
            cursor.execute(
                "SELECT is_generated FROM information_schema.columns "
                "WHERE table_name = %s AND column_name = %s",
                [table, fulltext.COLUMN],
            )
            assert cursor.fetchone() == ("ALWAYS",), table
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s",
                [table, fulltext.index_name(table)],
            )
            assert "USING gin (search_vector)" in cursor.fetchone()[0]


@postgresql
def test_markup_and_references_in_rich_text_are_not_searchable(client):
    make_news_post(
        title="Weekly digest",
        body='<p><strong>Bold</strong> words and <a data-ref="events.event:1">a summit</a>.</p>',
    )
    assert "Weekly digest" in search(client, "summit")
    for markup in ("strong", "data-ref", "events.event"):
        assert "Nothing matches" in search(client, markup), markup


@postgresql
def test_ranking_puts_title_matches_first_however_many_match_in_the_text(client):
    for n in range(5):
        make_article(title=f"Survey {n}", abstract="<p>Notes on frontier models.</p>")
    make_article(title="Frontier models and their governance")
    html = search(client, "frontier models", type="articles")
    assert html.index("and their governance") < html.index("Survey 0")


@postgresql
def test_site_search_reads_the_stored_vector_through_its_index():
    make_article(title="Governing quantum computing")
    queryset = search_queryset(type_by_key("articles"), "quantum computing")
    matches = fulltext.matching(Article.objects.all(), "quantum computing")
    assert "Bitmap Index Scan on publications_article_search_idx" in plan(
        matches, "enable_indexscan"
    )
    with CaptureQueriesContext(connection) as queries:
        assert [str(a) for a in queryset] == ["Governing quantum computing"]
    sql = queries.captured_queries[0]["sql"]
    # Plain words: the last is also a prefix ("computing:*"), read from the same index.
    assert '"search_vector" @@ (to_tsquery' in sql
    assert "to_tsvector" not in sql  # nothing is parsed at query time


@postgresql
def test_api_search_reads_the_index_with_no_scan_of_the_text():
    make_event(title="Quantum summit", slug="quantum-summit")
    make_event(title="Annual forum")
    api = APIClient()
    with CaptureQueriesContext(connection) as listing:
        api.get("/api/v1/events/")
    with CaptureQueriesContext(connection) as searching:
        response = api.get("/api/v1/events/", {"search": "quantum"})
    assert [e["slug"] for e in response.json()["results"]] == ["quantum-summit"]
    # The same queries as the plain list (a count and a page), each reading the vector.
    assert len(searching.captured_queries) == len(listing.captured_queries)
    sql = " ".join(q["sql"] for q in searching.captured_queries)
    assert "search_vector" in sql
    assert "LIKE" not in sql
    # An identifier is matched exactly, through its unique index.
    make_article(title="Data trusts", doi="10.1017/dap.2024.1")
    found = api.get("/api/v1/articles/", {"search": "10.1017/dap.2024.1"}).json()["results"]
    assert [a["title"] for a in found] == ["Data trusts"]


@postgresql
def test_the_published_condition_and_the_newest_first_lists_have_usable_indexes():
    make_news_post()
    make_event()
    # Newest first, read in order from the index (no sort of every post).
    assert "newspost_public_newest_idx" in plan(NewsPost.objects.published()[:4], "enable_sort")
    assert "event_public_upcoming_idx" in plan(
        Event.objects.published().filter(end__gte=timezone.now())
    )
    assert "article_newest_idx" in plan(Article.objects.all()[:20], "enable_sort")
    # The published condition alone (a list's count), from the index alone.
    counted = plan(Session.objects.filter(published_q()).values("pk"), "enable_bitmapscan")
    assert "session_published_idx" in counted


@postgresql
def test_admin_search_reads_indexes_and_finds_parts_of_titles(admin_client):
    make_session(title="Governance roundtable", event=make_event(title="Seoul summit"))
    make_session(title="Opening", summary="Leaders on governance.")
    make_session(title="Lunch")
    url = "/admin/events/session/"
    with CaptureQueriesContext(connection) as queries:
        found = admin_client.get(url, {"q": "gover"}).context["cl"].result_list
    # "gover" is the start of a title's word, and of a word in another session's summary.
    assert sorted(str(s) for s in found) == ["Governance roundtable", "Opening"]
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "search_vector" in sql
    assert {
        str(s) for s in admin_client.get(url, {"q": "governance"}).context["cl"].result_list
    } == {"Governance roundtable", "Opening"}
    # A related item's title, through its own trigram index.
    assert [str(s) for s in admin_client.get(url, {"q": "seoul"}).context["cl"].result_list] == [
        "Governance roundtable"
    ]


@postgresql
def test_the_search_vector_migration_is_reversible():
    from django.apps import apps
    from django.db.migrations.state import ProjectState

    state = ProjectState.from_apps(apps)
    operation = fulltext.AddSearchVector(
        "newspost", fields=registry.get(NewsPost).search.weighted_fields
    )

    def comment():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT col_description(attrelid, attnum) FROM pg_attribute "
                "WHERE attrelid = 'publications_newspost'::regclass AND attname = %s",
                [fulltext.COLUMN],
            )
            row = cursor.fetchone()
        return row[0] if row else None

    assert comment() == "english: title A, standfirst B, body C"
    with connection.schema_editor() as editor:
        operation.database_backwards("publications", editor, state, state)
    assert comment() is None
    with connection.schema_editor() as editor:
        operation.database_forwards("publications", editor, state, state)
    assert comment() == "english: title A, standfirst B, body C"
    make_news_post(title="Back again")
    assert [str(p) for p in fulltext.matching(NewsPost.objects.all(), "back")] == ["Back again"]
