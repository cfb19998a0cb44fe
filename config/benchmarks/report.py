"""The benchmark's targets, its printed table, and its JSON and Markdown results."""

from __future__ import annotations

import json
import math
from pathlib import Path

#: The targets, as shares and limits (PostgreSQL, ratios from one run).
TARGETS = {
    "cached_share": 0.70,  # cached pages: at least 70% of the static file's throughput
    "uncached_share": 0.10,  # uncached key pages: at least 10% (the big event: its own)
    "growth": 1.5,  # no page or API list slower at 100k rows than 1.5x its time at 1k
    "search_p95_ms": 50.0,
    "admin_ms": 300.0,
    "api_ratio": 1.5,  # API lists at most 1.5x the hand-written baseline
    "not_modified_share": 0.25,  # a 304 costs at most a quarter of rendering the page
}


def _num(value, digits=1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def _pct(value) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:.1%}"


def verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("PASS" if ok else "MISS")


# Each section: a title, its columns (key, heading, formatter), and its rows in the results.
SECTIONS = (
    (
        "pages",
        "Key pages against the static file, same server (throughput with N clients)",
        (
            ("name", "Page", str),
            ("mode", "Cache", str),
            ("p50_ms", "p50 ms", _num),
            ("p95_ms", "p95 ms", _num),
            ("x_static", "× static p50", _num),
            ("rps", "req/s", _num),
            ("static_rps", "static req/s", _num),
            ("share", "share of static", _pct),
            ("target", "target", str),
            ("verdict", "", str),
        ),
    ),
    (
        "conditional",
        "A matching If-None-Match (production settings) against rendering the page (cache off)",
        (
            ("name", "Page", str),
            ("ms_304", "304 ms", _num),
            ("ms_200", "200 ms", _num),
            ("share", "share", _pct),
            ("target", "target", str),
            ("verdict", "", str),
        ),
    ),
    (
        "api",
        "API lists of 100 items against a hand-written .values() view (in-process)",
        (
            ("name", "List", str),
            ("ms", "API ms", _num),
            ("baseline_ms", "baseline ms", _num),
            ("ratio", "ratio", _num),
            ("sql_ms", "API SQL ms", _num),
            ("queries", "queries", _num),
            ("baseline_sql_ms", "baseline SQL ms", _num),
            ("note", "same JSON?", str),
            ("target", "target", str),
            ("verdict", "", str),
        ),
    ),
    (
        "search",
        "Search latency over the fixed queries (uncached server)",
        (
            ("name", "Search", str),
            ("queries", "queries", _num),
            ("p50_ms", "p50 ms", _num),
            ("p95_ms", "p95 ms", _num),
            ("max_ms", "max ms", _num),
            ("target", "target", str),
            ("verdict", "", str),
        ),
    ),
    (
        "admin",
        "Admin changelists, signed in as a superuser",
        (
            ("name", "Changelist", str),
            ("p50_ms", "p50 ms", _num),
            ("p95_ms", "p95 ms", _num),
            ("x_static", "× static", _num),
            ("target", "target", str),
            ("verdict", "", str),
        ),
    ),
    (
        "growth",
        "Large database against the small one (uncached servers, interleaved)",
        (
            ("name", "Address", str),
            ("large_ms", "large p50 ms", _num),
            ("small_ms", "small p50 ms", _num),
            ("ratio", "ratio", _num),
            ("target", "target", str),
            ("verdict", "", str),
        ),
    ),
    (
        "queries",
        "Queries per request (anonymous, page cache off, in-process)",
        (
            ("name", "Address", str),
            ("large", "large DB", _num),
            ("small", "small DB", _num),
            ("one", "1 item", _num),
            ("hundred", "100 items", _num),
            ("verdict", "bounded?", str),
        ),
    ),
)


def table(rows: list[dict], columns) -> list[str]:
    cells = [[fmt(row.get(key)) if key in row else "" for key, _, fmt in columns] for row in rows]
    headings = [heading for _, heading, _ in columns]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(headings)]
    line = "  ".join(h.ljust(w) for h, w in zip(headings, widths, strict=True))
    out = [line, "-" * len(line)]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return out


def text_report(results: dict) -> list[str]:
    lines = [machine_line(results.get("machine", {}))]
    for key, title, columns in SECTIONS:
        rows = results.get(key) or []
        if rows:
            lines += ["", title, *table(rows, columns)]
    missed = misses(results)
    lines += ["", f"{len(missed)} target(s) missed" + (f": {', '.join(missed)}" if missed else "")]
    for error in results.get("errors") or []:
        lines.append(f"ERROR {error}")
    return lines


def misses(results: dict) -> list[str]:
    return [
        f"{key} {row['name']}" + (f" ({row['mode']})" if row.get("mode") else "")
        for key, _, _ in SECTIONS
        for row in results.get(key) or []
        if row.get("verdict") == "MISS"
    ]


def machine_line(machine: dict) -> str:
    return (
        f"Machine: {machine.get('cpus', '?')} CPUs, {machine.get('memory_gb', '?')} GB, "
        f"load average {machine.get('load', '?')}; {machine.get('postgresql', '?')}; "
        f"Redis {machine.get('redis', '?')}; rows: {machine.get('rows', '?')}"
    )


def markdown(results: dict) -> str:
    machine = results.get("machine", {})
    out = [
        "# Benchmark results",
        "",
        "Written by `manage.py benchmark --serve --markdown config/benchmarks/results.md "
        "--json config/benchmarks/results.json` (see the README's performance section). Every "
        "figure is measured against its baseline in the same run, interleaved.",
        "",
        f"- Machine: {machine.get('cpus')} CPUs, {machine.get('memory_gb')} GB memory, load "
        f"average at the start {machine.get('load')}",
        f"- {machine.get('postgresql')}; Redis {machine.get('redis')}; Python "
        f"{machine.get('python')}, Django {machine.get('django')}",
        f"- Servers: {machine.get('servers')}",
        f"- Large database: {machine.get('rows')}",
        f"- Small database: {machine.get('small_rows', '-')}",
        f"- Run: {machine.get('run')}, code: {machine.get('code', '?')}",
        f"- Page cache setting: {machine.get('page_cache')}",
    ]
    for key, title, columns in SECTIONS:
        rows = results.get(key) or []
        if not rows:
            continue
        out += ["", f"## {title}", ""]
        out.append("| " + " | ".join(h or "verdict" for _, h, _ in columns) + " |")
        out.append("| " + " | ".join("---" for _ in columns) + " |")
        for row in rows:
            cells = [fmt(row.get(k)) if k in row else "" for k, _, fmt in columns]
            out.append("| " + " | ".join(cells) + " |")
    missed = misses(results)
    summary = f"**{len(missed)} target(s) missed**"
    out += ["", summary + (": " + ", ".join(missed) if missed else "")]
    errors = results.get("errors") or []
    if errors:
        out += ["", f"**{len(errors)} case(s) could not be measured:**", ""]
        out += [f"- {error}" for error in errors]
    return "\n".join(out) + "\n"


def write(results: dict, *, json_path: str | None, markdown_path: str | None) -> None:
    if json_path:
        Path(json_path).write_text(json.dumps(results, indent=1, default=str) + "\n")
    if markdown_path:
        Path(markdown_path).write_text(markdown(results))


def _by_name(results: dict | None, section: str, mode: str | None = None) -> dict[str, dict]:
    rows = (results or {}).get(section) or []
    return {row["name"]: row for row in rows if mode is None or row.get("mode") == mode}


def summary(results: dict, before: dict | None = None) -> str:
    """The README's summary: one line per case, the figure that has a target, then and now."""

    def cell(row: dict | None, key: str, fmt) -> str:
        if not row:
            return "-"
        if row.get("verdict") == "ERROR":
            return "error"
        return fmt(row.get(key))

    def ms(value) -> str:
        return _num(value, 0) + " ms" if value is not None else "-"

    def times(value) -> str:
        return _num(value, 2) + "×" if value is not None else "-"

    lines = [
        "| Case | Target | Before | Now | |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    specs = [
        ("pages", "uncached", "share", _pct, "{name}, uncached: share of static req/s"),
        ("pages", "cached", "share", _pct, "{name}, cached: share of static req/s"),
        ("conditional", None, "share", _pct, "{name}: 304 time over render time"),
        ("api", None, "ratio", times, "{name} (100 items) over hand-written view"),
        ("search", None, "p95_ms", ms, "{name}: p95"),
        ("admin", None, "p50_ms", ms, "admin {name}: p50"),
        ("growth", None, "ratio", times, "{name}: 100k rows over 1k rows"),
    ]
    for section, mode, key, fmt, label in specs:
        now = _by_name(results, section, mode)
        then = _by_name(before, section, mode)
        for name, row in now.items():
            lines.append(
                f"| {label.format(name=name)} | {row.get('target', '')} | "
                f"{cell(then.get(name), key, fmt)} | {cell(row, key, fmt)} | "
                f"{row.get('verdict', '')} |"
            )
    return "\n".join(lines) + "\n"
