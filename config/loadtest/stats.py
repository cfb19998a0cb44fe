"""What the load test measured: latency per kind of request, status codes, failures."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of already sorted values (0 for none)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass
class Failure:
    kind: str
    method: str
    url: str
    status: str  # an HTTP status code, or what went wrong before one came back
    detail: str


@dataclass
class Recorder:
    """One per client thread (no locking); merged when the run ends."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    failures: list[Failure] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(len(values) for values in self.latencies.values())

    def record(self, kind: str, seconds: float, status: str, failure: Failure | None = None):
        self.latencies[kind].append(seconds * 1000)
        self.statuses[kind][status] += 1
        if failure is not None:
            self.failures.append(failure)

    def merge(self, other: Recorder) -> None:
        for kind, values in other.latencies.items():
            self.latencies[kind].extend(values)
        for kind, counts in other.statuses.items():
            self.statuses[kind].update(counts)
        self.failures.extend(other.failures)


def report(recorder: Recorder, elapsed: float) -> list[str]:
    """Lines of the summary table: requests, req/s, p50 and p99 by kind, then errors."""
    lines = [
        f"{'kind':<14} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8}  statuses"
    ]
    every: list[float] = []
    for kind in sorted(recorder.latencies):
        values = sorted(recorder.latencies[kind])
        every.extend(values)
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(recorder.statuses[kind].items()))
        lines.append(
            f"{kind:<14} {len(values):>9} {len(values) / elapsed:>8.1f} "
            f"{percentile(values, 0.5):>8.1f} {percentile(values, 0.99):>8.1f} "
            f"{(values[-1] if values else 0):>8.1f}  {statuses}"
        )
    every.sort()
    lines.append(
        f"{'all':<14} {len(every):>9} {len(every) / elapsed:>8.1f} "
        f"{percentile(every, 0.5):>8.1f} {percentile(every, 0.99):>8.1f} "
        f"{(every[-1] if every else 0):>8.1f}"
    )
    by_status = Counter(failure.status for failure in recorder.failures)
    if by_status:
        lines.append(
            "errors by status: "
            + ", ".join(f"{code}: {n}" for code, n in sorted(by_status.items()))
        )
        shown: set[tuple[str, str]] = set()
        for failure in recorder.failures:
            if (failure.kind, failure.status) in shown:
                continue
            shown.add((failure.kind, failure.status))
            lines.append(
                f"  first {failure.status} on {failure.kind}: {failure.method} {failure.url} "
                f"{failure.detail}"
            )
    else:
        lines.append("errors by status: none")
    return lines
