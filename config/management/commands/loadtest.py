"""``manage.py loadtest``: the production stack on loopback under mixed traffic, then a data check.

It builds a dedicated PostgreSQL database (dropped and created again, so the name must contain
``loadtest``), migrates it and loads the demo, then starts two gunicorn app servers on
127.0.0.1 sharing that database and Redis (and moto's S3-compatible server when object
storage is configured), drives page views, API reads, searches, partner submissions and
admin saves at both for a bounded time and number of requests, and prints throughput,
p50/p99 latency and errors by status. Every accepted write must then be in the database and
visible through the other app server. It exits non-zero on any error or lost write, and stops
every process it started, whatever happens.

    python manage.py loadtest                        # 32 clients for 60 s
    python manage.py loadtest --clients 4 --seconds 5  # the CI smoke
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

import dj_database_url
import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.urls import reverse

from config.loadtest.checks import check_saves, check_submissions
from config.loadtest.stack import (
    Stack,
    StackError,
    database_url_named,
    drop_database,
    loopback_environment,
    recreate_database,
)
from config.loadtest.stats import Recorder, report
from config.loadtest.traffic import (
    FORWARDED,
    KINDS,
    NO_KEEPALIVE,
    EditTarget,
    Workload,
    run_clients,
)
from config.management.commands.demo import EDITOR_USERNAME
from core import registry

DEFAULT_WEIGHTS = "page=45,static=5,api=25,search=10,submit=8,edit=7"
S3_BUCKET = "policycms-loadtest"
SEARCH_TERMS = ("AI", "policy", "summit", "data", "Paris", "safety", "open source", "journal")


def _weights(raw: str) -> dict[str, int]:
    weights = {}
    for part in raw.split(","):
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in KINDS or not value.strip().isdigit():
            raise CommandError(
                f"--mix takes kind=weight pairs with kinds from {', '.join(KINDS)} (got {part!r})."
            )
        weights[name] = int(value)
    return weights


class _Stop(Exception):
    """SIGTERM arrived: unwind through ``finally`` so that every server is stopped."""


class Command(BaseCommand):
    help = (
        "Start two gunicorn app servers on PostgreSQL and Redis (and a local S3 server when "
        "object storage is configured), drive mixed traffic at them, and check every write."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=32, help="Concurrent clients (32).")
        parser.add_argument("--seconds", type=float, default=60, help="How long to drive (60).")
        parser.add_argument(
            "--max-requests",
            type=int,
            default=200_000,
            help="Stop after this many client actions in all, even before the time is up "
            "(an action is one request; an editor's save is two, three with the sign-in).",
        )
        parser.add_argument(
            "--ports",
            default="8161,8162",
            help="Ports of the app servers on 127.0.0.1, comma-separated (8161,8162).",
        )
        parser.add_argument(
            "--s3-port", type=int, default=9161, help="Port of the local S3 server (9161)."
        )
        parser.add_argument(
            "--database-url",
            default=None,
            help="PostgreSQL URL of the load-test database (default: DATABASE_URL's server, "
            "or postgres://postgres@127.0.0.1:5432, with the database policycms_loadtest).",
        )
        parser.add_argument(
            "--redis-url",
            default=os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/7"),
            help="Redis the app servers share (redis://127.0.0.1:6379/7).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="gunicorn workers per server (default: the config file's, or 2 without one).",
        )
        parser.add_argument(
            "--threads", type=int, default=None, help="gunicorn threads per worker."
        )
        parser.add_argument("--mix", default=DEFAULT_WEIGHTS, help=f"Weights ({DEFAULT_WEIGHTS}).")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the clients' choices.")
        parser.add_argument(
            "--timeout", type=float, default=30, help="Per-request timeout in seconds (30)."
        )
        parser.add_argument(
            "--log-dir",
            default=None,
            help="Keep the servers' logs here (default: a temporary folder).",
        )
        parser.add_argument(
            "--keep-database", action="store_true", help="Leave the load-test database in place."
        )

    # -- orchestration ------------------------------------------------------------------

    def handle(self, *args, **options):
        if options["clients"] < 1 or options["seconds"] <= 0 or options["max_requests"] < 1:
            raise CommandError("--clients, --seconds and --max-requests must be positive.")
        ports = [int(p) for p in options["ports"].split(",") if p.strip()]
        if len(ports) < 2 or len(set(ports)) != len(ports):
            raise CommandError("--ports needs two or more distinct ports.")
        weights = _weights(options["mix"])
        self.started = time.monotonic()
        database_url = self._database_url(options["database_url"])
        log_dir = Path(options["log_dir"] or tempfile.mkdtemp(prefix="policycms-loadtest-"))
        log_dir.mkdir(parents=True, exist_ok=True)
        run_id = secrets.token_hex(4)
        stack = Stack(log_dir=log_dir)
        previous_term = signal.signal(signal.SIGTERM, _raise_stop)
        failed = True
        try:
            failed = self._run(stack, ports, weights, database_url, run_id, options)
        except StackError as exc:
            raise CommandError(str(exc)) from None
        except _Stop:
            raise CommandError("Stopped by SIGTERM.") from None
        finally:
            stack.stop()
            signal.signal(signal.SIGTERM, previous_term)
            _forget_cache_keys(options["redis_url"], f"loadtest-{run_id}")
            connections.close_all()
            if not options["keep_database"]:
                drop_database(database_url)
            if failed or options["log_dir"]:
                self.stdout.write(f"Server logs: {log_dir}")
            else:
                shutil.rmtree(log_dir, ignore_errors=True)
        if failed:
            raise CommandError("The load test failed: see the errors and the data check above.")

    def _run(self, stack, ports, weights, database_url, run_id, options) -> bool:
        """Set up, drive, check. Returns True when the run failed."""
        servers, editor = self._start(stack, ports, database_url, run_id, options)
        self.say("Issuing a partner key, checking every address answers…")
        workload = self._workload(servers, weights, editor, options)
        before = _submissions_of(workload.organisation)
        self.say(
            f"Driving {options['clients']} clients for {options['seconds']:g} s "
            f"(at most {options['max_requests']} actions)…"
        )
        clients, elapsed, stuck = run_clients(
            workload,
            clients=options["clients"],
            seconds=options["seconds"],
            max_requests=options["max_requests"],
            seed=options["seed"],
        )
        recorder = Recorder()
        for client in clients:
            recorder.merge(client.recorder)
        self.stdout.write(
            f"\n{recorder.requests} requests in {elapsed:.1f} s, {options['clients']} clients, "
            f"{len(servers)} app servers\n"
        )
        for line in report(recorder, elapsed):
            self.stdout.write(line)

        self.say("Checking the data…")
        problems = [f"clients still running after the deadline: {name}" for name in stuck]
        problems += [f"{name} exited during the run" for name in stack.died()]
        problems = self._check(workload, before, options["timeout"], problems)
        if recorder.failures:
            self._show_server_errors(stack)
        return bool(problems or recorder.failures)

    def _start(self, stack, ports, database_url, run_id, options):
        """The database, object storage and app servers; returns the servers and the editor."""
        self._check_redis(options["redis_url"])
        self.say(
            f"Database {urlsplit(database_url).path.lstrip('/')}: "
            "creating, migrating, loading the demo…"
        )
        recreate_database(database_url)
        env = self._server_environment(database_url, options["redis_url"], run_id, ports)
        if self._object_storage_configured():
            endpoint = stack.start_moto(options["s3_port"], S3_BUCKET)
            env.update(_s3_environment(endpoint))
            self.say(f"Object storage: moto on {endpoint}")
        # The demo is loaded with the servers' own settings, so its media land where they
        # will look for them (the object store, when there is one). Static files, when the
        # app serves them, are collected at the same time: neither needs the other.
        editor = (EDITOR_USERNAME, secrets.token_urlsafe(16))
        jobs = [(["demo", "--no-serve"], {**env, "DEMO_EDITOR_PASSWORD": editor[1]})]
        if self._serves_static():
            env["STATIC_ROOT"] = str(stack.log_dir / "static")
            jobs.append((["collectstatic", "--noinput"], env))
            self.say("Collecting static files meanwhile…")
        with ThreadPoolExecutor(len(jobs)) as pool:
            for job in [pool.submit(_manage, argv, job_env) for argv, job_env in jobs]:
                job.result()
        _use_database(database_url)
        workers = options["workers"]
        for number, port in enumerate(ports, start=1):
            stack.start_app_server(
                f"app{number}", port, env, workers=workers or 0, threads=options["threads"] or 0
            )
        stack.wait_until_serving()
        servers = [server.url for server in stack.servers]
        self.say(f"App servers: {', '.join(servers)} (logs in {stack.log_dir})")
        return servers, editor

    def _check(
        self, workload: Workload, before: int, timeout: float, problems: list[str]
    ) -> list[str]:
        """The data check, printed with the run's other ``problems``; returns them all."""
        problems = problems + check_submissions(
            workload.submissions,
            organisation=workload.organisation,
            before=before,
            servers=workload.servers,
            partner_key=workload.partner_key,
            timeout=timeout,
        )
        problems += check_saves(
            workload.targets, servers=workload.servers, editor=workload.editor, timeout=timeout
        )
        saves = sum(len(target.saves) for target in workload.targets)
        for kind, accepted in (("submit", len(workload.submissions)), ("edit", saves)):
            if workload.weights.get(kind) and not accepted:
                problems.append(f"no {kind} was accepted, so the data check had nothing to check")
        self.stdout.write(
            f"\ndata check: {len(workload.submissions)} accepted submissions, {saves} accepted "
            f"editor saves, each looked up in the database and read through the other server"
        )
        for problem in problems[:20]:
            self.stdout.write(self.style.ERROR(f"  {problem}"))
        if len(problems) > 20:
            self.stdout.write(self.style.ERROR(f"  … and {len(problems) - 20} more"))
        if not problems:
            self.stdout.write(self.style.SUCCESS("  every accepted write is stored and visible"))
        return problems

    # -- set-up -------------------------------------------------------------------------

    def say(self, message: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.started:5.1f} s] {message}")

    def _database_url(self, given: str | None) -> str:
        if given:
            url = given
        else:
            current = os.environ.get("DATABASE_URL", "")
            server = (
                current
                if current.startswith(("postgres://", "postgresql://"))
                else ("postgres://postgres@127.0.0.1:5432/postgres")
            )
            url = database_url_named(server, "policycms_loadtest")
        parts = urlsplit(url)
        if parts.scheme not in ("postgres", "postgresql"):
            raise CommandError(
                "The load test needs PostgreSQL: two app servers share one database."
            )
        if "loadtest" not in parts.path:
            raise CommandError(
                "The load-test database is dropped and created again, so its name must contain "
                f"'loadtest' (got {parts.path.lstrip('/')!r})."
            )
        return url

    def _check_redis(self, url: str) -> None:
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=3).ping()
        except redis.RedisError as exc:
            raise CommandError(f"Redis at {url} does not answer: {exc}") from None

    def _server_environment(self, database_url, redis_url, run_id, ports) -> dict[str, str]:
        env = loopback_environment(
            database_url=database_url,
            redis_url=redis_url,
            key_prefix=f"loadtest-{run_id}",
            SITE_URL=f"https://127.0.0.1:{ports[0]}",
            LOG_LEVEL=os.environ.get("LOADTEST_LOG_LEVEL") or "WARNING",
        )
        env.setdefault("DATABASE_CONN_MAX_AGE", "60")
        return env

    @staticmethod
    def _object_storage_configured() -> bool:
        """Object storage is in play when django-storages is installed and the settings use it."""
        if importlib.util.find_spec("storages") is None or importlib.util.find_spec("moto") is None:
            return False
        text = (Path(settings.BASE_DIR) / "config" / "settings.py").read_text()
        return "storages.backends.s3" in text

    @staticmethod
    def _serves_static() -> bool:
        return any("whitenoise" in entry for entry in settings.MIDDLEWARE)

    def _workload(self, servers, weights, editor, options) -> Workload:
        from core.partners import issue_partner_key
        from events.models import Event, Organisation, Person, Topic

        organisation = Organisation.objects.published().order_by("pk").first()
        event = Event.objects.published().order_by("start").first()
        if organisation is None or event is None:
            raise CommandError("The demo loaded no published organisation or event.")
        _key, raw_key = issue_partner_key(
            organisation=organisation, name="Load test", can_submit=True
        )
        # Submitted sessions fall inside their event's dates, as partners' must.
        end = event.start + min(timedelta(hours=1), event.end - event.start)
        pages, api, searches = _addresses(event)
        static: list[str] = []
        probe = requests.Session()
        try:
            # Every address must answer 200 before the clock starts (which also warms the
            # workers up): a broken address is a set-up problem, not a result under load.
            for path in list(api):  # a few items' details from each list
                body = self._probe(probe, servers[0] + path).json()
                results = body.get("results", []) if isinstance(body, dict) else []
                api += [
                    urlsplit(item["url"]).path
                    for item in results[:3]
                    if isinstance(item, dict) and item.get("url")
                ]
            every = [*pages, *api, *searches]
            for path in every:
                self._probe(probe, servers[0] + path)
            for server in servers[1:]:  # the same code: a sample shows it is serving
                for path in every[:: max(1, len(every) // 10)]:
                    self._probe(probe, server + path)
            if weights.get("static"):
                if self._serves_static():
                    home = self._probe(probe, servers[0] + "/").text
                    static = sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', home)))
                    for server in servers:
                        for path in static:
                            self._probe(probe, server + path)
                else:
                    self.say("Static files are not served by the app (no whitenoise): skipped.")
                    weights = {**weights, "static": 0}
        finally:
            probe.close()

        targets = [
            EditTarget("events", "person", pk, "role", Person._meta.get_field("role").max_length)
            for pk in Person.objects.published().order_by("pk").values_list("pk", flat=True)
        ] + [
            EditTarget("events", "topic", pk, "description", 2000)
            for pk in Topic.objects.published().order_by("pk").values_list("pk", flat=True)
        ]
        return Workload(
            servers=servers,
            pages=pages,
            static=static,
            api=api,
            searches=searches,
            weights=weights,
            partner_key=raw_key,
            organisation=organisation,
            event_slug=event.slug,
            session_start=event.start.isoformat(),
            session_end=end.isoformat(),
            editor=editor,
            targets=targets,
            timeout=options["timeout"],
        )

    @staticmethod
    def _probe(http: requests.Session, url: str) -> requests.Response:
        response = http.get(
            url, headers={**FORWARDED, **NO_KEEPALIVE}, timeout=30, allow_redirects=False
        )
        if response.status_code != 200:
            raise StackError(f"Before the run, {url} answered {response.status_code}.")
        return response

    def _show_server_errors(self, stack: Stack) -> None:
        """The app servers' own account of what went wrong (tracebacks, worker timeouts)."""
        for server in stack.servers:
            text = server.log.read_text(errors="replace") if server.log.exists() else ""
            lines = [line for line in text.splitlines() if line.strip()]
            if lines:
                self.stdout.write(f"\n-- last lines of {server.name}'s log ({server.log}):")
                for line in lines[-25:]:
                    self.stdout.write(f"   {line}")


def _addresses(event) -> tuple[list[str], list[str], list[str]]:
    """The public pages, API lists and searches that the clients choose from.

    Read from the content-type registry, so a new type of content is under load as soon as
    it is registered: each type's list page, a few of its published items and its feed, and
    its API list.
    """
    pages = ["/", "/sitemap.xml"]
    for content_type in registry.with_page():
        pages += [content_type.list_url()] if content_type.list_url() else []
        items = content_type.published().order_by("pk")[:6]
        pages += [item.get_absolute_url() for item in items]
    pages += [reverse(content_type.feed.url_name) for content_type in registry.with_feed()]
    api = ["/api/v1/"]
    api += [reverse(content_type.api.list_url_name) for content_type in registry.in_api()]
    api += [f"/api/v1/sessions/?event={event.slug}", "/api/v1/open-data/initiatives.json"]
    searches = [f"/search/?q={quote(term)}" for term in SEARCH_TERMS]
    searches += [f"/api/v1/initiatives/?search={quote(term)}" for term in SEARCH_TERMS[:4]]
    return list(dict.fromkeys(pages)), list(dict.fromkeys(api)), searches


def _raise_stop(signum, frame):
    raise _Stop


def _use_database(url: str) -> None:
    """Point this process's default connection at the load-test database.

    The settings dictionary is updated in place (the connection handler holds the same
    object) and the open connection is dropped, so the next query connects to ``url``.
    """
    connections.close_all()
    settings.DATABASES["default"].update(dj_database_url.parse(url, conn_max_age=0))
    with contextlib.suppress(AttributeError):
        del connections["default"]


def _submissions_of(organisation) -> int:
    from events.models import Session

    return Session.objects.filter(submitted_by=organisation).count()


def _manage(argv: list[str], env: dict[str, str]) -> None:
    """Run a management command in a process of its own, with the app servers' settings."""
    result = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", *argv, "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode:
        raise StackError(f"manage.py {' '.join(argv)} failed:\n{result.stdout}{result.stderr}")


def _s3_environment(endpoint: str) -> dict[str, str]:
    return {
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_STORAGE_BUCKET_NAME": S3_BUCKET,
        "AWS_ACCESS_KEY_ID": "loadtest",
        "AWS_SECRET_ACCESS_KEY": "loadtest",
        "AWS_S3_REGION_NAME": "us-east-1",
    }


def _forget_cache_keys(url: str, prefix: str) -> None:
    """Remove this run's keys (rate counters, cached responses) from Redis."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3)
        for key in client.scan_iter(match=f"{prefix}:*", count=500):
            client.delete(key)
    except redis.RedisError:
        pass  # best effort: the keys expire by themselves
