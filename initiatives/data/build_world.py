"""Derive ``world.json`` (the signatory map's outlines) from Natural Earth's countries.

Input: ``countries-50m.json`` of the ``world-atlas`` 2.0.2 package (Natural Earth 4.1.0
1:50m admin-0 countries as TopoJSON). Run from the project's root:

    python initiatives/data/build_world.py countries-50m.json > initiatives/data/world.json

Each shared border is decoded once, projected (Equal Earth), simplified (Douglas-Peucker)
and rounded to whole units of a 1000-wide box, so neighbours still meet. Islands smaller than
a few units are dropped; a country left too small to see also gets a point, where the map
draws a marker. The land is one filled outline and the borders one stroked path, each arc
once; countries that took a stance are drawn over them from their own paths. Antarctica is
left out; shapes with no ISO code (Kosovo, Somaliland, Northern Cyprus...) are plain land.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
from pathlib import Path

from django_countries.data import ALT_CODES

WIDTH = 1000
TOLERANCE = 1.2  # units of the box: how far a simplified border may stray
BORDER_TOLERANCE = 2.0
MIN_RING = 4.0  # square units: smaller islands are dropped
SMALL = 12.0  # square units: a country this small also gets a marker
LEFT_OUT = {"010"}  # Antarctica

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    t = math.asin(M * math.sin(math.radians(lat)))
    t2 = t * t
    t6 = t2 * t2 * t2
    x = math.radians(lon) * math.cos(t) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = t * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, -y


def simplify(points: list, tolerance: float) -> list:
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        far, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            d = (
                abs(dy * px - dx * py + bx * ay - by * ax) / norm
                if norm
                else math.hypot(px - ax, py - ay)
            )
            if d > far:
                far, index = d, i
        if index is not None and far > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def area(ring: list) -> float:
    pairs = itertools.pairwise([*ring, ring[0]]) if ring else []
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairs)) / 2


def centroid(ring: list) -> tuple[float, float]:
    xs, ys = zip(*ring, strict=True)
    return sum(xs) / len(xs), sum(ys) / len(ys)


def path(rings: list, *, closed: bool = True) -> str:
    out = []
    for ring in rings:
        points = [(round(x), round(y)) for x, y in ring]
        points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
        if len(points) < (3 if closed else 2):
            continue
        steps = [f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in itertools.pairwise(points)]
        line = f"M{points[0][0]} {points[0][1]}l" + " ".join(steps).replace(" -", "-")
        out.append(line + "z" if closed else line)
    return "".join(out)


def main(source: str) -> None:
    topology = json.loads(Path(source).read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    projected = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append(equal_earth(x * sx + tx, y * sy + ty))
        projected.append(points)
    scale = WIDTH / (2 * equal_earth(180, 0)[0])
    top = min(py for arc in projected for _, py in arc) * scale
    projected = [[(x * scale + WIDTH / 2, y * scale - top) for x, y in arc] for arc in projected]
    simplified = [simplify(arc, TOLERANCE) for arc in projected]

    def ring(indices: list, arcs: list) -> list:
        points = []
        for index in indices:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points += arc[1:] if points else arc
        return points[:-1]

    alpha2 = {f"{numeric:03d}": code for code, (_, numeric) in ALT_CODES.items() if numeric}
    rings_of, largest_of, uses = {}, {}, [0] * len(simplified)
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") in LEFT_OUT:
            continue
        # Two shapes may share a code (Australia and its Ashmore and Cartier Islands).
        code = alpha2.get(geometry.get("id", ""), "")
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            outline = ring(polygon[0], projected)
            if area(outline) > area(largest_of.get(code, [])):
                largest_of[code] = outline
            for indices in polygon:
                for index in indices:
                    uses[index if index >= 0 else ~index] += 1
                kept = ring(indices, simplified)
                if len(kept) >= 3 and area(kept) >= MIN_RING:
                    rings_of.setdefault(code, []).append(kept)
    # The land is filled once; borders (arcs two countries share) are drawn once over it.
    south = equal_earth(0, -60)[1] * scale - top
    land = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for indices in polygon:
                kept = ring(indices, simplified)
                if len(kept) >= 3 and area(kept) >= MIN_RING and min(y for _, y in kept) < south:
                    land.append(kept)
    # Borders are context, not content: simplified further than the countries' own outlines.
    borders = [
        simplify(projected[index], BORDER_TOLERANCE)
        for index, count in enumerate(uses)
        if count == 2
    ]
    countries = {code: path(rings) for code, rings in rings_of.items() if code}
    points = {
        code: [round(c, 1) for c in centroid(largest)]
        for code, largest in largest_of.items()
        if code and sum(area(r) for r in rings_of.get(code, [])) < SMALL
    }
    data = {
        "source": "Natural Earth 4.1.0, 1:50m admin-0 countries (public domain), "
        "through world-atlas 2.0.2; see README.md",
        "width": WIDTH,
        "height": math.ceil(max(y for rings in rings_of.values() for r in rings for _, y in r)),
        "countries": dict(sorted(countries.items())),
        "points": dict(sorted(points.items())),
        "land": path(land),
        "borders": path(borders, closed=False),
    }
    json.dump(data, sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1])
