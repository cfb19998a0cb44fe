"""Print latency, throughput and query counts for the main pages and API lists.

Two modes. Without ``--serve``, in-process on the demo: every figure is also given as a ratio
against a baseline measured in the same run (``/robots.txt``, the cheapest response the site
makes), and each page is measured again after the content grows, so a query per row or a
slow-down with size shows as a ratio above 1. The extra content is made inside a transaction
that is rolled back.

    python manage.py demo --no-serve && python manage.py benchmark

With ``--serve``, the production stack on loopback (gunicorn, PostgreSQL, Redis) on a large
archive (``manage.py generate_data``), each case interleaved with its baseline and checked
against its target (see ``config.benchmarks``):

    DATABASE_URL=postgres://…/policycms_bench python manage.py benchmark --serve \
        --compare-db postgres://…/policycms_bench1k --json results.json --markdown results.md
"""

from __future__ import annotations

import logging
import os
import statistics
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.benchmarks.cases import SEARCH_QUERIES
from core.publishing import Status
from events.models import Event, Person, Session, SessionParticipant
from initiatives.models import Initiative
from publications.models import Article, ArticleAuthor, Journal, NewsPost


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Measure page and API latency and query counts against a baseline, before and after growth."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30, help="Requests per URL (default 30).")
        parser.add_argument(
            "--grow", type=int, default=200, help="Items added per list for the growth run."
        )
        serve = parser.add_argument_group("with the production stack (--serve)")
        serve.add_argument(
            "--serve",
            action="store_true",
            help="Start gunicorn servers on this PostgreSQL database and Redis, and measure "
            "pages, API lists, searches and the admin against their baselines and targets.",
        )
        serve.add_argument(
            "--compare-db",
            default=None,
            help="PostgreSQL URL of a smaller copy of the archive: every page and API list is "
            "also measured there, and the figures compared.",
        )
        serve.add_argument("--ports", default="8300,8301,8302", help="Ports (8300,8301,8302).")
        serve.add_argument(
            "--redis-url",
            default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/7",
            help="Redis the servers use (REDIS_URL, or redis://127.0.0.1:6379/7); this run's "
            "keys are removed at the end.",
        )
        serve.add_argument(
            "--requests", type=int, default=20, help="Requests per case for latency (20)."
        )
        serve.add_argument(
            "--seconds",
            type=float,
            default=4.0,
            help="Time budget per case for latency, after at least 3 requests (4).",
        )
        serve.add_argument(
            "--clients", type=int, default=8, help="Concurrent clients for throughput (8)."
        )
        serve.add_argument(
            "--phase", type=float, default=1.0, help="Seconds per throughput phase (1)."
        )
        serve.add_argument(
            "--rounds", type=int, default=2, help="Case/baseline phase pairs per page (2)."
        )
        serve.add_argument(
            "--search-queries",
            type=int,
            default=len(SEARCH_QUERIES),
            help=f"How many of the fixed searches to run ({len(SEARCH_QUERIES)}).",
        )
        serve.add_argument("--workers", type=int, default=2, help="Workers per server (2).")
        serve.add_argument("--json", default=None, help="Write the results as JSON here.")
        serve.add_argument("--markdown", default=None, help="Write the results as Markdown here.")

    def handle(self, *args, runs: int, grow: int, **options):
        if options["serve"]:
            self._serve(options)
            return
        logging.getLogger("django.request").setLevel(logging.ERROR)  # no line per 404
        event = Event.objects.published().filter(sessions__isnull=False).distinct().first()
        article = Article.objects.published().first()
        if event is None or article is None:
            raise CommandError("No published content: run `manage.py demo --no-serve` first.")
        self.client = Client()
        urls = self._urls(event, article)
        # The API's rate limits would turn the measurement into a measurement of 429s; the
        # page cache would measure the cache, not the pages (its growth run sends no signals).
        unthrottled = override_settings(
            REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}},
            PAGE_CACHE_SECONDS=0,
        )
        unthrottled.enable()
        try:
            self._run(urls, runs, grow, event, article)
        finally:
            unthrottled.disable()

    def _serve(self, options) -> None:
        from config.benchmarks import report, serve
        from config.benchmarks.timing import BenchmarkError
        from config.loadtest.stack import StackError

        logging.getLogger("django.request").setLevel(logging.ERROR)
        started = time.monotonic()

        def log(message: str) -> None:
            self.stderr.write(f"[{time.monotonic() - started:6.1f} s] {message}")

        try:
            ports = [int(p) for p in options["ports"].split(",") if p.strip()]
        except ValueError:
            raise CommandError("--ports takes comma-separated numbers.") from None
        if min(options["requests"], options["clients"], options["rounds"]) < 1:
            raise CommandError("--requests, --clients and --rounds must be 1 or more.")
        opts = serve.Options(
            ports=ports,
            redis_url=options["redis_url"],
            compare_db=options["compare_db"],
            requests=options["requests"],
            seconds=options["seconds"],
            clients=options["clients"],
            phase=options["phase"],
            rounds=options["rounds"],
            search_queries=max(1, options["search_queries"]),
            workers=options["workers"],
            log=log,
        )
        try:
            results = serve.run(opts)
        except (StackError, BenchmarkError) as exc:
            raise CommandError(str(exc)) from None
        for line in report.text_report(results):
            self.stdout.write(line)
        report.write(results, json_path=options["json"], markdown_path=options["markdown"])
        # Missed targets are reported, not failures: at a tiny size they mean nothing. A case
        # that could not be measured (an error status, no answer) is a failure.
        if results.get("errors"):
            raise CommandError(
                f"{len(results['errors'])} case(s) failed: " + "; ".join(results["errors"][:5])
            )

    def _run(self, urls, runs, grow, event, article):
        baseline = self._measure("/robots.txt", runs)
        self.stdout.write(
            f"baseline /robots.txt: median {baseline['median_ms']:.2f} ms, "
            f"{baseline['rps']:.0f} req/s, {baseline['queries']} queries\n"
        )
        before = {url: self._measure(url, runs) for url in urls}
        try:
            with transaction.atomic():
                self._grow(event, article, grow)
                after = {url: self._measure(url, runs) for url in urls}
                raise _Rollback
        except _Rollback:
            pass
        header = (
            f"{'URL':<48} {'status':>6} {'ms':>8} {'x base':>7} {'req/s':>7} "
            f"{'queries':>7} | {'ms+grow':>8} {'x':>6} {'queries+grow':>12}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for url in urls:
            b, a = before[url], after[url]
            self.stdout.write(
                f"{url[:48]:<48} {b['status']:>6} {b['median_ms']:>8.2f} "
                f"{b['median_ms'] / baseline['median_ms']:>7.1f} {b['rps']:>7.0f} "
                f"{b['queries']:>7} | {a['median_ms']:>8.2f} "
                f"{a['median_ms'] / b['median_ms']:>6.2f} {a['queries']:>12}"
            )
        self.stdout.write(
            f"\n'x base' is latency over the baseline's; 'x' is latency after adding {grow} "
            "items per list over latency before. Query counts should not change with growth."
        )

    def _urls(self, event: Event, article: Article) -> list[str]:
        return [
            "/",
            "/events/",
            event.get_absolute_url(),
            "/speakers/",
            "/initiatives/",
            "/journal/",
            article.get_absolute_url(),
            "/news/",
            "/search/?q=AI",
            "/sitemap.xml",
            "/news/feed/",
            "/api/v1/events/",
            "/api/v1/sessions/",
            "/api/v1/initiatives/",
            "/api/v1/articles/",
        ]

    def _measure(self, url: str, runs: int) -> dict:
        self.client.get(url)  # warm up
        timings = []
        reset_queries()  # with DEBUG on the query log is a bounded deque; start it empty
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        for _ in range(runs):
            start = time.perf_counter()
            self.client.get(url)
            timings.append(time.perf_counter() - start)
        median = statistics.median(timings)
        return {
            "status": response.status_code,
            "median_ms": median * 1000,
            "rps": 1 / median if median else float("inf"),
            "queries": len(queries),
        }

    def _grow(self, event: Event, article: Article, count: int) -> None:
        """Add ``count`` published sessions, people, articles, initiatives and news posts."""
        now = timezone.now() - timedelta(minutes=1)
        # Synthetic rows, created published in bulk and rolled back after the measurement: no
        # editor ever sees, owns or reviews them, and the workflow's revision and log entry per
        # row would take longer than what is measured.
        published = {"status": Status.PUBLISHED, "publish_at": now}
        people = Person.objects.bulk_create(
            Person(name=f"Bench Person {i}", slug=f"bench-person-{i}", **published)
            for i in range(count)
        )
        sessions = Session.objects.bulk_create(
            Session(
                event=event,
                title=f"Bench session {i}",
                slug=f"bench-session-{i}",
                start=event.start + timedelta(minutes=i),
                end=event.start + timedelta(minutes=i + 30),
                room=f"Room {i % 5}",
                **published,
            )
            for i in range(count)
        )
        SessionParticipant.objects.bulk_create(
            SessionParticipant(session=s, person=p) for s, p in zip(sessions, people, strict=True)
        )
        journal: Journal = article.journal
        articles = Article.objects.bulk_create(
            Article(
                journal=journal,
                title=f"Bench article {i}",
                slug=f"bench-article-{i}",
                published_on=now.date(),
                **published,
            )
            for i in range(count)
        )
        ArticleAuthor.objects.bulk_create(
            ArticleAuthor(article=a, person=p) for a, p in zip(articles, people, strict=True)
        )
        Initiative.objects.bulk_create(
            Initiative(
                title=f"Bench initiative {i}",
                slug=f"bench-initiative-{i}",
                kind=Initiative.Kind.REPORT,
                **published,
            )
            for i in range(count)
        )
        NewsPost.objects.bulk_create(
            NewsPost(
                title=f"Bench news {i}",
                slug=f"bench-news-{i}",
                standfirst="Bench.",
                body="<p>Bench.</p>",
                **published,
            )
            for i in range(count)
        )
