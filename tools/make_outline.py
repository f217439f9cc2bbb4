"""Generate assets/outlines/levant.json once from Natural Earth data (public domain).

One-off generator, not imported by the game. Input: `countries-10m.json` from the
npm package `world-atlas` (Natural Earth 1:10m Admin 0 countries as TopoJSON), e.g.

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/make_outline.py /tmp/package/countries-10m.json assets/outlines/levant.json

It decodes the TopoJSON arcs, keeps the countries around Syria, clips every ring
to a box around Syria, simplifies the rings (Douglas-Peucker) and rounds the
coordinates, so the result stays small.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

BOX = (34.5, 31.0, 43.0, 38.0)  # lon_min, lat_min, lon_max, lat_max
TOLERANCE = 0.003  # degrees (about 300 m), Douglas-Peucker
DECIMALS = 4
PACKAGE = "world-atlas 2.0.2 (npm), countries-10m.json"

# world-atlas country ids are ISO 3166-1 numeric codes.
KEEP = {
    "760": ("SYR", "Syria"),
    "422": ("LBN", "Lebanon"),
    "376": ("ISR", "Israel"),
    "275": ("PSE", "Palestine"),
    "400": ("JOR", "Jordan"),
    "368": ("IRQ", "Iraq"),
    "792": ("TUR", "Turkey"),
    "682": ("SAU", "Saudi Arabia"),
}
# Egypt and Cyprus are left out: at most slivers of them fall inside the box.

Point = tuple[float, float]
Ring = list[Point]


def decode_arcs(topo: dict) -> list[Ring]:
    """Absolute lon/lat arcs from a quantized, delta-encoded TopoJSON topology."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring_from(indices: list[int], arcs: list[Ring]) -> Ring:
    """Stitch a ring from arc indices (negative index ~i means arc i reversed)."""
    ring: Ring = []
    for i in indices:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(pts if not ring else pts[1:])
    return ring


def clip(ring: Ring, box: tuple[float, float, float, float]) -> Ring:
    """Sutherland-Hodgman clipping of one ring to an axis-aligned box."""
    x0, y0, x1, y1 = box
    edges = [
        (lambda p: p[0] >= x0, lambda p, q: _cut_x(p, q, x0)),
        (lambda p: p[0] <= x1, lambda p, q: _cut_x(p, q, x1)),
        (lambda p: p[1] >= y0, lambda p, q: _cut_y(p, q, y0)),
        (lambda p: p[1] <= y1, lambda p, q: _cut_y(p, q, y1)),
    ]
    out = ring
    for inside, cut in edges:
        if not out:
            break
        src, out = out, []
        prev = src[-1]
        for cur in src:
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
            prev = cur
    return out


def _cut_x(p: Point, q: Point, x: float) -> Point:
    t = (x - p[0]) / (q[0] - p[0])
    return (x, p[1] + t * (q[1] - p[1]))


def _cut_y(p: Point, q: Point, y: float) -> Point:
    t = (y - p[1]) / (q[1] - p[1])
    return (p[0] + t * (q[0] - p[0]), y)


def simplify(pts: Ring, tol: float) -> Ring:
    """Douglas-Peucker simplification (iterative)."""
    if len(pts) < 4:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        (ax, ay), (bx, by) = pts[i], pts[j]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        best, best_d = -1, tol
        for k in range(i + 1, j):
            px, py = pts[k]
            d = abs(dy * (px - ax) - dx * (py - ay)) / norm if norm else math.hypot(px - ax, py - ay)
            if d > best_d:
                best, best_d = k, d
        if best >= 0:
            keep[best] = True
            stack += [(i, best), (best, j)]
    return [p for p, k in zip(pts, keep) if k]


def area(ring: Ring) -> float:
    return 0.5 * abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1])))


def build(topo: dict) -> dict:
    arcs = decode_arcs(topo)
    countries: dict[str, dict] = {}
    for geom in topo["objects"]["countries"]["geometries"]:
        key = KEEP.get(str(geom.get("id")))
        if key is None:
            continue
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        out = []
        for poly in polys:
            # Only outer rings are kept: no country here has a hole inside the box.
            ring = clip(ring_from(poly[0], arcs), BOX)
            if len(ring) < 3:
                continue
            ring = simplify(ring + [ring[0]], TOLERANCE)
            ring = [(round(x, DECIMALS), round(y, DECIMALS)) for x, y in ring]
            if len(ring) >= 4 and area(ring) > 1e-4:
                out.append([list(p) for p in ring])
        if out:
            code, name = key
            countries[code] = {"name": name, "polygons": out}
    return {
        "provenance": (
            f"Generated by tools/make_outline.py from {PACKAGE}: Natural Earth 1:10m Admin 0 "
            f"countries (v4.1.0). Outer rings clipped to lon {BOX[0]}-{BOX[2]}, lat {BOX[1]}-{BOX[3]}, "
            f"simplified (Douglas-Peucker, {TOLERANCE} deg), rounded to {DECIMALS} decimals. "
            "Rings cut by the box run along its edges. Boundaries and names are Natural Earth's "
            "default (de facto) depiction, under which, for example, the Golan Heights fall inside "
            "the Israel polygon and the West Bank is 'Palestine'; the game draws them for "
            "orientation only and takes no position on any dispute."
        ),
        "source": "Natural Earth (naturalearthdata.com) via the npm package world-atlas 2.0.2",
        "licence": "public domain (Natural Earth)",
        "box": list(BOX),
        "countries": countries,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("topojson", type=Path, help="countries-10m.json from world-atlas")
    ap.add_argument("out", type=Path, help="output JSON, e.g. assets/outlines/levant.json")
    args = ap.parse_args()
    data = build(json.loads(args.topojson.read_text()))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"{args.out}: {args.out.stat().st_size} bytes, countries {sorted(data['countries'])}")


if __name__ == "__main__":
    main()
