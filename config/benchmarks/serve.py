"""The benchmark with the production stack on loopback: gunicorn, PostgreSQL and Redis.

It starts app servers with ``core.serving``'s gunicorn command (``DEBUG=false``, static files
collected for WhiteNoise, Redis as the cache under a key prefix of this run, removed at the
end), on the database this process is configured with:

- **cached**: the settings as in production;
- **uncached**: the same with ``PAGE_CACHE_SECONDS=0``, the server-side page cache off (with
  no page cache in the code, both servers are the same and cached equals uncached);
- **small** (with ``--compare-db``): uncached, on a small copy of the archive, to show how
  each figure changes with the size of the data.

Then it measures each case against its baseline, interleaved (see ``timing``), checks every
figure against its target (``report.TARGETS``) and returns the results as a dict.
"""

from __future__ import annotations

import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import django
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from config.loadtest.stack import Stack, StackError, loopback_environment
from config.loadtest.traffic import sign_in
from events.models import Event, Person, Session
from initiatives.models import Initiative
from publications.models import Article, NewsPost

from . import cases, inprocess, timing
from .report import TARGETS, verdict

ADMIN_USERNAME = "benchmark-admin"
#: The environment of a server without the page cache (PAGE_CACHE_SECONDS=0 turns it off;
#: PAGE_CACHE=0 is kept for a configuration that names it so).
PAGE_CACHE_OFF = {"PAGE_CACHE_SECONDS": "0", "PAGE_CACHE": "0"}
#: How many more queries 100 items may make than 1: prefetches that one item did not need.
QUERY_SLACK = 3


@dataclass
class Options:
    ports: list[int]
    redis_url: str
    compare_db: str | None
    requests: int  # per case, latency (pairs)
    seconds: float  # per case, latency time budget
    clients: int
    phase: float  # seconds per throughput phase
    rounds: int
    search_queries: int
    workers: int
    log: Callable[[str], None]


def database_rows() -> str:
    counts = {
        "articles": Article.objects.count(),
        "sessions": Session.objects.count(),
        "events": Event.objects.count(),
        "people": Person.objects.count(),
        "initiatives": Initiative.objects.count(),
        "news": NewsPost.objects.count(),
    }
    return ", ".join(f"{n:,} {name}" for name, n in counts.items())


def machine(options: Options) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        pg = cursor.fetchone()[0].split(" on ")[0]
    try:
        import redis

        redis_version = redis.Redis.from_url(options.redis_url).info().get("redis_version")
    except Exception:  # reported as unknown
        redis_version = "?"
    memory = "?"
    try:
        with open("/proc/meminfo") as meminfo:
            kb = int(meminfo.readline().split()[1])
            memory = round(kb / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "memory_gb": memory,
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "postgresql": pg,
        "redis": redis_version,
        "python": platform.python_version(),
        "django": django.get_version(),
        "rows": database_rows(),
        "servers": f"gunicorn, {options.workers} workers per server (gthread), "
        f"{options.clients} concurrent clients for throughput",
        "run": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "code": code_version(),
        "in_process_debug": settings.DEBUG,
        "page_cache": page_cache_setting(),
    }


def code_version() -> str:
    """The commit measured, when the code is a git checkout."""
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%h %s"],  # noqa: S607 (git from PATH)
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "?"
    return result.stdout.strip()[:100] or "?"


def page_cache_setting() -> str:
    for name in ("PAGE_CACHE", "PAGE_CACHE_ENABLED", "PAGE_CACHE_SECONDS"):
        if hasattr(settings, name):
            return f"{name}={getattr(settings, name)!r} (0 on the uncached servers)"
    return "none in this code: cached and uncached are the same server configuration"


def page_cache_off() -> dict:
    """Settings that turn the page cache off in this process, for query counts."""
    return {
        name: (0 if isinstance(getattr(settings, name), int | float) else False)
        for name in ("PAGE_CACHE", "PAGE_CACHE_ENABLED", "PAGE_CACHE_SECONDS")
        if hasattr(settings, name)
    }


def ensure_admin() -> tuple[str, str]:
    """A superuser of this benchmark database, with a fresh password, for this run only."""
    password = secrets.token_urlsafe(18)
    user, _ = get_user_model().objects.get_or_create(username=ADMIN_USERNAME)
    user.is_staff = user.is_superuser = user.is_active = True
    user.set_password(password)
    user.save()
    return ADMIN_USERNAME, password


def server_environment(database_url: str, redis_url: str, run_id: str, static_root: str) -> dict:
    return loopback_environment(
        database_url=database_url,
        redis_url=redis_url,
        key_prefix=f"benchmark-{run_id}",
        STATIC_ROOT=static_root,
    )


def collect_static(env: dict) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode:
        raise StackError(f"collectstatic failed:\n{result.stdout}{result.stderr}")


def forget_cache_keys(url: str, prefix: str) -> None:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3)
        for key in client.scan_iter(match=f"{prefix}:*", count=500):
            client.delete(key)
    except redis.RedisError:
        pass


def run(options: Options) -> dict:
    """Start the servers, measure everything, stop the servers; returns the results."""
    database_url = os.environ.get("DATABASE_URL", "")
    if connection.vendor != "postgresql":
        raise StackError("benchmark --serve needs PostgreSQL: set DATABASE_URL.")
    import redis

    try:
        redis.Redis.from_url(options.redis_url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        raise StackError(f"Redis at {options.redis_url} does not answer: {exc}") from None
    run_id = secrets.token_hex(4)
    log_dir = Path(tempfile.mkdtemp(prefix="policycms-benchmark-"))
    stack = Stack(log_dir=log_dir)
    results: dict = {"machine": machine(options)}
    failed = True
    try:
        env = server_environment(database_url, options.redis_url, run_id, str(log_dir / "static"))
        options.log("Collecting static files…")
        collect_static(env)
        admin = ensure_admin()
        names = [("cached", {}), ("uncached", PAGE_CACHE_OFF)]
        if options.compare_db:
            # Its own cache keys: nothing cached from one database may answer for the other.
            small = {
                **PAGE_CACHE_OFF,
                "DATABASE_URL": options.compare_db,
                "CACHE_KEY_PREFIX": f"benchmark-{run_id}-small",
            }
            names.append(("small", small))
        if len(options.ports) < len(names):
            raise StackError(f"--ports needs {len(names)} ports.")
        servers = {}
        for (name, extra), port in zip(names, options.ports, strict=False):
            servers[name] = stack.start_app_server(
                name, port, {**env, **extra}, workers=options.workers, threads=0
            ).url
        stack.wait_until_serving()
        options.log(f"Servers: {', '.join(f'{n} {u}' for n, u in servers.items())}")
        measure = Measure(options, servers, admin)
        results.update(measure.everything())
        if options.compare_db:
            results["machine"]["small_rows"] = measure.small_rows
        failed = False
    finally:
        stack.stop()
        # The superuser lived for this run only.
        get_user_model().objects.filter(username=ADMIN_USERNAME).delete()
        forget_cache_keys(options.redis_url, f"benchmark-{run_id}")
        forget_cache_keys(options.redis_url, f"benchmark-{run_id}-small")
        if failed:
            for server in stack.servers:
                options.log(f"-- last lines of {server.name}'s log:\n{_tail(server.log)}")
        shutil.rmtree(log_dir, ignore_errors=True)
    return results


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class Measure:
    """The cases, each measured against its baseline; a case that fails is an error row."""

    def __init__(self, options: Options, servers: dict[str, str], admin: tuple[str, str]):
        self.o = options
        self.servers = servers
        self.admin = admin
        self.http = timing.anonymous_session()
        self.small_rows = ""
        self.errors: list[str] = []

    def attempt(self, rows: list[dict], row: dict, measure: Callable[[], dict]) -> None:
        """Add ``row`` with what ``measure`` found, or with the error that stopped it."""
        try:
            row.update(measure())
        except timing.BenchmarkError as exc:
            row.update({"verdict": "ERROR", "error": str(exc)[:300]})
            self.errors.append(f"{row['name']}: {str(exc)[:300]}")
            self.o.log(f"  {row['name']}: ERROR {str(exc)[:200]}")
        rows.append(row)

    def latency(self, server: str, path: str, base: str = cases.STATIC_BASELINE, **kwargs):
        return timing.latency_pair(
            self.http,
            self.servers[server] + path,
            self.servers[server] + base,
            requests_each=self.o.requests,
            seconds=self.o.seconds,
            **kwargs,
        )

    def everything(self) -> dict:
        page_cases = cases.page_cases()
        out = {}
        self.o.log("Pages, uncached and cached…")
        out["pages"] = self.pages(page_cases)
        self.o.log("Conditional requests…")
        out["conditional"] = self.conditional(page_cases)
        self.o.log("API lists against hand-written views (in-process)…")
        out["api"] = self.api()
        self.o.log("Searches…")
        out["search"] = self.search()
        self.o.log("Admin changelists…")
        out["admin"] = self.admin_lists()
        if "small" in self.servers:
            self.o.log("Large database against small…")
            out["growth"] = self.growth()
        self.o.log("Query counts…")
        out["queries"] = self.queries(page_cases)
        out["errors"] = self.errors
        return out

    def pages(self, page_cases) -> list[dict]:
        rows: list[dict] = []
        for case in page_cases:
            for mode in ("uncached", "cached"):
                row = {"name": case.name, "path": case.path, "mode": mode}
                self.attempt(rows, row, lambda c=case, m=mode: self._page(c, m))
        return rows

    def _page(self, case: cases.Case, mode: str) -> dict:
        server = self.servers[mode]
        if mode == "cached":  # fill the cache first: what visitors after the first get
            timing.fetch(self.http, server + case.path)
        sample, base = self.latency(mode, case.path)
        tp, tp_base = timing.throughput_pair(
            server + case.path,
            server + cases.STATIC_BASELINE,
            clients=self.o.clients,
            phase=self.o.phase,
            rounds=self.o.rounds,
        )
        share = tp.rps / tp_base.rps if tp_base.rps else float("nan")
        need = (
            TARGETS["cached_share"]
            if mode == "cached"
            else (case.min_share or TARGETS["uncached_share"])
        )
        self.o.log(
            f"  {case.name} ({mode}): p50 {sample.p50:.1f} ms, {tp.rps:.1f} req/s, "
            f"{share:.1%} of static"
        )
        return {
            "p50_ms": sample.p50,
            "p95_ms": sample.p95,
            "static_p50_ms": base.p50,
            "x_static": sample.p50 / base.p50 if base.p50 else float("nan"),
            "rps": tp.rps,
            "static_rps": tp_base.rps,
            "loaded_p50_ms": tp.p50,
            "loaded_p95_ms": tp.p95,
            "share": share,
            "target": f">= {need:.0%}",
            "verdict": verdict(share >= need),
        }

    def conditional(self, page_cases) -> list[dict]:
        rows: list[dict] = []
        for case in page_cases[:2]:  # the home page and the big event
            row = {"name": case.name, "path": case.path}
            self.attempt(rows, row, lambda c=case: self._conditional(c))
        return rows

    def _conditional(self, case: cases.Case) -> dict:
        """A revalidation on the production settings against rendering the page."""
        need = TARGETS["not_modified_share"]
        url = self.servers["cached"] + case.path
        _, response = timing.fetch(self.http, url)
        etag = response.headers.get("ETag")
        if not etag:
            return {"target": f"<= {need:.0%}", "verdict": "MISS", "note": "no ETag"}
        not_modified, full = timing.latency_pair(
            self.http,
            url,
            self.servers["uncached"] + case.path,
            requests_each=self.o.requests,
            seconds=self.o.seconds,
            case_headers={"If-None-Match": etag},
            case_expect=(304,),
        )
        share = not_modified.p50 / full.p50 if full.p50 else float("nan")
        return {
            "ms_304": not_modified.p50,
            "ms_200": full.p50,
            "share": share,
            "target": f"<= {need:.0%}",
            "verdict": verdict(share <= need),
        }

    def api(self) -> list[dict]:
        rows = inprocess.api_against_baselines(
            requests_each=self.o.requests, seconds=self.o.seconds
        )
        for row in rows:
            need = TARGETS["api_ratio"]
            row["target"] = f"<= {need}x"
            row["verdict"] = verdict(row["ratio"] <= need and row["same_json"])
        return rows

    def search(self) -> list[dict]:
        queries = cases.SEARCH_QUERIES[: self.o.search_queries]
        rows: list[dict] = []
        for name, paths in (
            ("site search", cases.site_search_paths(queries)),
            ("API ?search= (articles)", cases.api_search_paths(queries)),
        ):
            self.attempt(rows, {"name": name}, lambda n=name, p=paths: self._search(n, p))
        return rows

    def _search(self, name: str, paths: list[str]) -> dict:
        server = self.servers["uncached"]
        times = []
        for path in paths:
            # Interleaved with the static file, like every other figure.
            sample, _ = timing.interleaved(
                lambda p=path: timing.fetch(self.http, server + p)[0],
                lambda: timing.fetch(self.http, server + cases.STATIC_BASELINE)[0],
                requests_each=1,
                seconds=0,
                minimum=1,
            )
            times += sample.times
        p95 = timing.percentile(times, 0.95)
        need = TARGETS["search_p95_ms"]
        self.o.log(f"  {name}: p95 {p95:.1f} ms")
        return {
            "queries": len(paths),
            "p50_ms": timing.percentile(times, 0.5),
            "p95_ms": p95,
            "max_ms": max(times),
            "target": f"p95 <= {need:.0f} ms",
            "verdict": verdict(p95 <= need),
        }

    def admin_lists(self) -> list[dict]:
        server = self.servers["uncached"]
        session = requests.Session()
        response = sign_in(session, server, self.admin, timeout=60)
        if response.status_code != 302:
            raise timing.BenchmarkError(f"Admin sign-in answered {response.status_code}")
        rows: list[dict] = []
        for name, path in cases.ADMIN_CHANGELISTS:
            searched = f"{path}?q={cases.ADMIN_SEARCH_TERM}"
            for label, full in ((name, path), (f"{name}, search", searched)):
                row = {"name": label, "path": full}
                self.attempt(rows, row, lambda u=server + full, n=label: self._admin(session, u, n))
        session.close()
        return rows

    def _admin(self, session: requests.Session, url: str, name: str) -> dict:
        base_url = url.split("/admin/")[0] + cases.STATIC_BASELINE
        sample, base = timing.interleaved(
            lambda: timing.fetch(session, url)[0],
            lambda: timing.fetch(session, base_url)[0],
            requests_each=self.o.requests,
            seconds=self.o.seconds,
        )
        need = TARGETS["admin_ms"]
        self.o.log(f"  {name}: p50 {sample.p50:.1f} ms")
        return {
            "p50_ms": sample.p50,
            "p95_ms": sample.p95,
            "x_static": sample.p50 / base.p50 if base.p50 else float("nan"),
            "target": f"<= {need:.0f} ms",
            "verdict": verdict(sample.p50 <= need),
        }

    def growth(self) -> list[dict]:
        rows: list[dict] = []
        for case in cases.growth_cases():
            row = {"name": case.name, "path": case.path}
            self.attempt(rows, row, lambda c=case: self._growth(c))
        return rows

    def _growth(self, case: cases.Case) -> dict:
        large, small = self.servers["uncached"], self.servers["small"]
        big, little = timing.interleaved(
            lambda: timing.fetch(self.http, large + case.path)[0],
            lambda: timing.fetch(self.http, small + case.path)[0],
            requests_each=self.o.requests,
            seconds=self.o.seconds,
        )
        ratio = big.p50 / little.p50 if little.p50 else float("nan")
        need = TARGETS["growth"]
        self.o.log(f"  {case.name}: {ratio:.2f}x")
        return {
            "large_ms": big.p50,
            "small_ms": little.p50,
            "ratio": ratio,
            "target": f"<= {need}x",
            "verdict": verdict(ratio <= need),
        }

    def queries(self, page_cases) -> list[dict]:
        off = page_cache_off()
        pages = [c.path for c in page_cases]
        api_one = [p.replace("page_size=100", "page_size=1") for _, p in cases.API_LISTS]
        api_hundred = [p for _, p in cases.API_LISTS]
        large = inprocess.query_counts(pages + api_one + api_hundred, off)
        small: dict[str, int] = {}
        if self.o.compare_db:
            with use_database(self.o.compare_db):
                small = inprocess.query_counts(pages + api_one + api_hundred, off)
                self.small_rows = database_rows()
        rows = []
        for case in page_cases:
            rows.append(self._query_row(case.name, case.path, large, small))
        for (name, path), one in zip(cases.API_LISTS, api_one, strict=True):
            row = self._query_row(f"API {name}", path, large, small)
            row["one"], row["hundred"] = large.get(one), large.get(path)
            # Bounded: 100 items add no query per item. A few more than for one item is
            # Django skipping a prefetch that the single item had nothing for.
            bounded = 0 <= row["hundred"] - row["one"] <= QUERY_SLACK
            if row.get("verdict") != "ERROR":
                row["verdict"] = verdict(bounded and row.get("verdict") != "MISS")
            rows.append(row)
        return rows

    def _query_row(self, name, path, large, small) -> dict:
        row = {"name": name, "path": path, "large": large.get(path)}
        if small:
            row["small"] = small.get(path)
            row["verdict"] = verdict(row["large"] == row["small"])
        failed = [n for n in (row["large"], row.get("small")) if n is not None and n < 0]
        if failed:  # a negative count is the status of a response that was not a 200
            row["verdict"] = "ERROR"
            self.errors.append(f"{name}: answered {-failed[0]} in-process")
        return row


class use_database:
    """Point this process's default connection at ``url`` for a while, then back."""

    def __init__(self, url: str):
        self.url = url

    def __enter__(self):
        import dj_database_url
        from django.db import connections

        self.saved = dict(settings.DATABASES["default"])
        connections.close_all()
        settings.DATABASES["default"].update(dj_database_url.parse(self.url, conn_max_age=0))
        connections["default"].settings_dict.update(settings.DATABASES["default"])
        return self

    def __exit__(self, *exc):
        from django.db import connections

        connections.close_all()
        settings.DATABASES["default"].clear()
        settings.DATABASES["default"].update(self.saved)
        connections["default"].settings_dict.clear()
        connections["default"].settings_dict.update(self.saved)
        return False
