"""Territory: a Voronoi label raster (each pixel → its nearest place), clipped to the home country.

Computed once per world: the labels, the land mask, the label-adjacency boundary pixels and the
Voronoi ridges (for crisp front lines). Recolouring after a capture is a palette update of an
8-bit surface whose pixels are label slots, so it never recomputes the labels.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pygame
from numpy.typing import NDArray
from scipy.spatial import ConvexHull, QhullError, Voronoi, cKDTree

from game.engine import World

from .mapview import Bounds, mean_lat_cos, world_bounds

RGB = tuple[int, int, int]
HATCH = 128
"""Slot offset of the hatched copy of a label (palette mode: labels 0..126)."""


@dataclass(frozen=True)
class Country:
    id: str
    name: str
    polygons: tuple[NDArray[np.float64], ...]
    """Outer rings, each an (n, 2) array of lon, lat."""

    def label_point(self) -> tuple[float, float]:
        """Area centroid of the largest ring: where the country's name goes."""
        ring = max(self.polygons, key=lambda p: abs(_area(p)))
        x, y = ring[:, 0], ring[:, 1]
        cross = x * np.roll(y, -1) - np.roll(x, -1) * y
        a = cross.sum() / 2
        if abs(a) < 1e-12:
            return (float(x.mean()), float(y.mean()))
        cx = ((x + np.roll(x, -1)) * cross).sum() / (6 * a)
        cy = ((y + np.roll(y, -1)) * cross).sum() / (6 * a)
        return (float(cx), float(cy))

    def bbox(self) -> Bounds:
        pts = np.concatenate(self.polygons)
        return (float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max()))


@dataclass(frozen=True)
class Outline:
    """Country outlines for orientation; `home` is the country holding most places."""

    countries: tuple[Country, ...]
    home: str | None = None
    box: Bounds | None = None
    """The lon/lat box the outlines were clipped to: beyond it the map has no data."""

    def country(self, cid: str | None) -> Country | None:
        return next((c for c in self.countries if c.id == cid), None)


def load_outline(path: str | Path | None, world: World | None = None) -> Outline | None:
    """Read an outline JSON ({"countries": {ID: {"name", "polygons"}}}); None when missing or malformed."""
    if not path:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        countries = []
        for cid, c in dict(data["countries"]).items():
            polys = tuple(np.asarray(p, dtype=np.float64)[:, :2] for p in c["polygons"] if len(p) >= 3)
            if polys:
                countries.append(Country(str(cid), str(c.get("name", cid)), polys))
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    if not countries:
        return None
    home = _home_country(countries, world) if world is not None else None
    box = data.get("box")
    if not (isinstance(box, list) and len(box) == 4 and all(isinstance(v, (int, float)) for v in box)):
        pts = np.concatenate([p for c in countries for p in c.polygons])
        box = [pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max()]
    return Outline(tuple(countries), home, (float(box[0]), float(box[1]), float(box[2]), float(box[3])))


def _area(ring: NDArray[np.float64]) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return float((x * np.roll(y, -1) - np.roll(x, -1) * y).sum() / 2)


def points_in_polygon(pts: NDArray[np.float64], poly: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Even-odd ray casting for many points against one ring."""
    x, y = pts[:, 0][:, None], pts[:, 1][:, None]
    x1, y1 = poly[:, 0][None, :], poly[:, 1][None, :]
    x2, y2 = np.roll(poly[:, 0], -1)[None, :], np.roll(poly[:, 1], -1)[None, :]
    crosses = (y1 > y) != (y2 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        xs = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
    return np.asarray((np.count_nonzero(crosses & (x < xs), axis=1) % 2) == 1)


def _home_country(countries: list[Country], world: World) -> str | None:
    pts = np.array([(p.lon, p.lat) for p in world.board.places], dtype=np.float64).reshape(-1, 2)
    best, best_n = None, 0
    for c in countries:
        inside = np.zeros(len(pts), dtype=bool)
        for poly in c.polygons:
            inside |= points_in_polygon(pts, poly)
        n = int(inside.sum())
        if n > best_n:
            best, best_n = c.id, n
    return best


def hull_polygon(world: World, margin: float = 0.3) -> NDArray[np.float64]:
    """Convex hull of the places pushed out by `margin` degrees: the land mask without an outline."""
    kx = mean_lat_cos(world)
    pts = np.array([(p.lon * kx, p.lat) for p in world.board.places], dtype=np.float64).reshape(-1, 2)
    angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=1) * margin
    cloud = (pts[:, None, :] + ring[None, :, :]).reshape(-1, 2)
    hull = cloud[ConvexHull(cloud).vertices]
    return np.stack([hull[:, 0] / kx, hull[:, 1]], axis=1)


def clip_segment(seg: NDArray[np.float64], box: Bounds) -> NDArray[np.float64] | None:
    """Liang-Barsky: the part of a 2×2 lon/lat segment inside the box, or None."""
    (x0, y0), (x1, y1) = seg.tolist()
    dx, dy = x1 - x0, y1 - y0
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    return np.array([[x0 + t0 * dx, y0 + t0 * dy], [x0 + t1 * dx, y0 + t1 * dy]])


def _union(a: Bounds, b: Bounds) -> Bounds:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


class Territory:
    """The label raster of one world and its 8-bit colour surface."""

    def __init__(self, world: World, outline: Outline | None, width: int = 1024) -> None:
        self.world = world
        self.kx = mean_lat_cos(world)
        home = outline.country(outline.home) if outline else None
        self.land_polygons: tuple[NDArray[np.float64], ...] = home.polygons if home else (hull_polygon(world),)
        bounds = world_bounds(world, 0.35)
        for poly in self.land_polygons:
            bounds = _union(bounds, (poly[:, 0].min() - 0.05, poly[:, 1].min() - 0.05,
                                     poly[:, 0].max() + 0.05, poly[:, 1].max() + 0.05))
        self.bounds: Bounds = bounds
        lon0, lat0, lon1, lat1 = bounds
        self.width = int(width)
        self.dlon = (lon1 - lon0) / self.width
        self.height = max(1, int(round((lat1 - lat0) / (self.dlon * self.kx))))
        self.dlat = (lat1 - lat0) / self.height
        self.land = self._land_mask()
        self.labels = self._label_raster()
        self._boundaries()
        self.ridges = self._ridges()
        self.palette_mode = world.board.n_places < HATCH - 1
        self.hatch = self._hatch_pattern()
        self.surface = pygame.Surface((self.width, self.height), 0, 8)
        self.surface.set_colorkey(0)
        self.colour_key: object = None
        """What the surface is coloured for; renderers sharing this territory compare it before recolouring."""
        if self.palette_mode:
            slots = np.where(self.labels >= 0, self.labels + 1 + self.hatch * (HATCH - 1), 0).astype(np.uint8)
            pygame.surfarray.blit_array(self.surface, slots.T)

    # --- geometry
    def to_pixel(self, lon: float, lat: float) -> tuple[float, float]:
        """Raster column, row (floats) of a lon/lat."""
        return ((lon - self.bounds[0]) / self.dlon, (self.bounds[3] - lat) / self.dlat)

    def label_at(self, lon: float, lat: float) -> int | None:
        """The place whose territory holds this point, or None outside the land."""
        c, r = self.to_pixel(lon, lat)
        ci, ri = int(np.floor(c)), int(np.floor(r))
        if 0 <= ci < self.width and 0 <= ri < self.height:
            v = int(self.labels[ri, ci])
            return v if v >= 0 else None
        return None

    def _land_mask(self) -> NDArray[np.bool_]:
        surf = pygame.Surface((self.width, self.height), 0, 8)
        surf.fill(0)
        for poly in self.land_polygons:
            pts = [self.to_pixel(float(x), float(y)) for x, y in poly]
            pygame.draw.polygon(surf, 1, pts)
            pygame.draw.lines(surf, 1, True, pts, 5)
        return np.asarray(pygame.surfarray.array2d(surf).T != 0)

    def _label_raster(self) -> NDArray[np.int16]:
        places = self.world.board.places
        labels = np.full((self.height, self.width), -1, dtype=np.int16)
        if not places:
            return labels
        sites = np.array([(p.lon * self.kx, p.lat) for p in places], dtype=np.float64)
        rows, cols = np.nonzero(self.land)
        lon = self.bounds[0] + (cols + 0.5) * self.dlon
        lat = self.bounds[3] - (rows + 0.5) * self.dlat
        _, idx = cKDTree(sites).query(np.stack([lon * self.kx, lat], axis=1), workers=-1)
        labels[rows, cols] = idx.astype(np.int16)
        return labels

    def _boundaries(self) -> None:
        """Pixels where two labels meet: (row, col, label a, label b) for right and down neighbours."""
        lab = self.labels
        h_diff = (lab[:, :-1] != lab[:, 1:]) & (lab[:, :-1] >= 0) & (lab[:, 1:] >= 0)
        v_diff = (lab[:-1, :] != lab[1:, :]) & (lab[:-1, :] >= 0) & (lab[1:, :] >= 0)
        hr, hc = np.nonzero(h_diff)
        vr, vc = np.nonzero(v_diff)
        self.edge_rows = np.concatenate([hr, vr])
        self.edge_cols = np.concatenate([hc, vc])
        self.edge_a = np.concatenate([lab[hr, hc], lab[vr, vc]]).astype(np.int32)
        self.edge_b = np.concatenate([lab[hr, hc + 1], lab[vr + 1, vc]]).astype(np.int32)
        pairs = np.unique(np.sort(np.stack([self.edge_a, self.edge_b], axis=1), axis=1), axis=0)
        self.adjacent: set[tuple[int, int]] = {(int(a), int(b)) for a, b in pairs}

    def _ridges(self) -> list[tuple[int, int, NDArray[np.float64]]]:
        """Voronoi ridges (a, b, 2×2 lon/lat segment) between places whose territories touch."""
        places = self.world.board.places
        if len(places) < 2:
            return []
        sites = np.array([(p.lon * self.kx, p.lat) for p in places], dtype=np.float64)
        lo, hi = sites.min(axis=0) - 50.0, sites.max(axis=0) + 50.0
        far = np.array([[lo[0], lo[1]], [lo[0], hi[1]], [hi[0], lo[1]], [hi[0], hi[1]]])
        _, first = np.unique(sites, axis=0, return_index=True)
        dup = np.setdiff1d(np.arange(len(sites)), first)
        sites[dup] += 1e-6 * (1 + np.arange(len(dup)))[:, None]
        try:
            vor = Voronoi(np.concatenate([sites, far]), qhull_options="Qbb Qc Qz")
        except QhullError:
            vor = Voronoi(np.concatenate([sites, far]), qhull_options="Qbb Qc Qz QJ")
        out = []
        for (a, b), verts in zip(vor.ridge_points, vor.ridge_vertices):
            key = (int(min(a, b)), int(max(a, b)))
            if key not in self.adjacent or -1 in verts:
                continue
            seg = vor.vertices[verts].copy()
            seg[:, 0] /= self.kx
            clipped = clip_segment(seg, self.bounds)
            if clipped is not None:
                out.append((key[0], key[1], clipped))
        return out

    def _hatch_pattern(self) -> NDArray[np.bool_]:
        r, c = np.indices((self.height, self.width))
        return np.asarray(((r + c) % 7) < 2)

    # --- colour
    def recolour(self, fill: list[RGB], hatch: list[RGB] | None = None) -> None:
        """Colour each place's territory (`hatch`: stripe colour per place, = fill for none). No relabelling."""
        hatch = hatch or fill
        if self.palette_mode:
            pal = [(0, 0, 0)] * 256
            for i, (f, h) in enumerate(zip(fill, hatch)):
                pal[1 + i] = f
                pal[HATCH + i] = h
            self.surface.set_palette(pal)
            return
        self._recolour_lut(fill, hatch)

    def _recolour_lut(self, fill: list[RGB], hatch: list[RGB]) -> None:
        """More places than palette slots: map labels to a few distinct colours with a lookup table."""
        colours = sorted(set(fill) | set(hatch))[:254]
        cid = {c: 1 + k for k, c in enumerate(colours)}
        lut_f = np.array([0] + [cid.get(c, 1) for c in fill], dtype=np.uint8)
        lut_h = np.array([0] + [cid.get(c, 1) for c in hatch], dtype=np.uint8)
        idx = self.labels.astype(np.int32) + 1
        slots = np.where(self.hatch, lut_h[idx], lut_f[idx])
        pygame.surfarray.blit_array(self.surface, slots.T)
        pal = [(0, 0, 0)] * 256
        for c, k in cid.items():
            pal[k] = c
        self.surface.set_palette(pal)

    def front_mask(self, controller: NDArray[np.integer], hostile: NDArray[np.bool_]) -> NDArray[np.bool_]:
        """Raster pixels on a boundary between territories of mutually hostile controllers."""
        ca, cb = controller[self.edge_a], controller[self.edge_b]
        sel = hostile[ca, cb]
        mask = np.zeros((self.height, self.width), dtype=bool)
        mask[self.edge_rows[sel], self.edge_cols[sel]] = True
        return mask
