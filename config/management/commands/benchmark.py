"""Print latency, throughput and query counts for the main pages and API lists.

Every figure is also given as a ratio against a baseline measured in the same run
(``/robots.txt``, the cheapest response the site makes), and each page is measured again
after the content grows, so a query per row or a slow-down with size shows as a ratio
above 1. The extra content is made inside a transaction that is rolled back.

    python manage.py demo --no-serve && python manage.py benchmark
"""

from __future__ import annotations

import logging
import statistics
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

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

    def handle(self, *args, runs: int, grow: int, **options):
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
