"""Measuring against running app servers, always interleaved with a baseline.

A noisy machine (two cores shared with other work) moves every absolute figure; what holds is
the ratio of two things measured in turn, in the same seconds. So latency alternates one
request of the case with one of its baseline, and throughput alternates short phases of N
clients on the case with phases on the baseline.
"""

from __future__ import annotations

import re
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookiejar import DefaultCookiePolicy

import requests

from config.loadtest.traffic import FORWARDED, NO_KEEPALIVE

HEADERS = {**FORWARDED, **NO_KEEPALIVE}


class BenchmarkError(RuntimeError):
    """A request failed (an error status or no answer): the run is not a measurement."""


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Sample:
    """Latencies in milliseconds, and what the responses looked like."""

    times: list[float] = field(default_factory=list)
    statuses: set[int] = field(default_factory=set)
    bytes: int = 0

    @property
    def p50(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")

    @property
    def p95(self) -> float:
        return percentile(self.times, 0.95)


def anonymous_session() -> requests.Session:
    """A visitor who keeps no cookies, so that every request is a first visit's."""
    session = requests.Session()
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    return session


def fetch(http: requests.Session, url: str, *, expect=(200,), headers=None, timeout=60.0):
    """One GET; returns (milliseconds, response). An unexpected status is an error."""
    started = time.perf_counter()
    try:
        response = http.get(
            url, headers={**HEADERS, **(headers or {})}, timeout=timeout, allow_redirects=False
        )
    except requests.RequestException as exc:
        raise BenchmarkError(f"GET {url}: {exc}") from None
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code not in expect:
        title = re.search(r"<title>(.*?)</title>", response.text[:2000], re.S)
        detail = title[1].strip() if title else response.text[:120].strip()
        raise BenchmarkError(f"GET {url} answered {response.status_code} ({detail})")
    return elapsed, response


def interleaved(
    case: Callable[[], float],
    baseline: Callable[[], float],
    *,
    requests_each: int,
    seconds: float,
    minimum: int = 3,
) -> tuple[Sample, Sample]:
    """Alternate ``case`` and ``baseline`` (each returns its milliseconds).

    Stops after ``requests_each`` pairs, or once ``seconds`` have passed and ``minimum``
    pairs are in. One warm-up pair is not counted.
    """
    case()
    baseline()
    a, b = Sample(), Sample()
    deadline = time.monotonic() + seconds
    while len(a.times) < requests_each:
        if len(a.times) >= minimum and time.monotonic() > deadline:
            break
        a.times.append(case())
        b.times.append(baseline())
    return a, b


def latency_pair(
    http: requests.Session,
    case_url: str,
    base_url: str,
    *,
    requests_each: int,
    seconds: float,
    case_headers=None,
    case_expect=(200,),
) -> tuple[Sample, Sample]:
    def case() -> float:
        return fetch(http, case_url, headers=case_headers, expect=case_expect)[0]

    def base() -> float:
        return fetch(http, base_url)[0]

    return interleaved(case, base, requests_each=requests_each, seconds=seconds)


def _drive(url: str, clients: int, seconds: float, headers=None) -> tuple[int, float, list[float]]:
    """``clients`` threads GET ``url`` for ``seconds``; returns (responses, elapsed s, ms)."""
    deadline = time.monotonic() + seconds
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        http = anonymous_session()
        try:
            while time.monotonic() < deadline:
                try:
                    elapsed, _ = fetch(http, url, headers=headers)
                except BenchmarkError as exc:
                    with lock:
                        errors.append(str(exc))
                    return
                with lock:
                    times.append(elapsed)
        finally:
            http.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    elapsed = time.monotonic() - started
    if errors:
        raise BenchmarkError(errors[0])
    return len(times), elapsed, times


@dataclass
class Throughput:
    rps: float
    p50: float
    p95: float
    requests: int


def throughput_pair(
    case_url: str, base_url: str, *, clients: int, phase: float, rounds: int
) -> tuple[Throughput, Throughput]:
    """Phases of ``phase`` seconds, case then baseline, ``rounds`` times; req/s of each."""
    totals = {"case": [0, 0.0, []], "base": [0, 0.0, []]}
    for _ in range(rounds):
        for key, url in (("case", case_url), ("base", base_url)):
            count, elapsed, times = _drive(url, clients, phase)
            totals[key][0] += count
            totals[key][1] += elapsed
            totals[key][2] += times

    def result(key: str) -> Throughput:
        count, elapsed, times = totals[key]
        return Throughput(
            rps=count / elapsed if elapsed else 0.0,
            p50=statistics.median(times) if times else float("nan"),
            p95=percentile(times, 0.95),
            requests=count,
        )

    return result("case"), result("base")
