"""The static layers of the map, drawn once per camera and per state: land and sea, territory,
front lines, routes, corridors and place markers. Drawn onto a viewport-sized surface whose
camera has its viewport at (0, 0)."""

from __future__ import annotations

import numpy as np
import pygame
from numpy.typing import NDArray

from game.engine import RouteKind, State
from game.engine.query import corridor_open_upto

from . import fonts
from .drawutil import contested_ring, dashed_line, dotted_line, river_mark, star, thick_line
from .mapview import Camera
from .palette import RGB, Palette
from .territory import Outline, Territory

KEY: RGB = (255, 0, 255)
"""Colour key of the 'outside' layer: where the home country is."""


def poly_screen(cam: Camera, poly: NDArray[np.float64]) -> list[tuple[float, float]]:
    return [tuple(p) for p in cam.to_screen_many(poly[:, 0], poly[:, 1]).tolist()]  # type: ignore[misc]


def base_layers(size: tuple[int, int], cam: Camera, outline: Outline | None, land: tuple[NDArray[np.float64], ...],
                pal: Palette, u: float) -> tuple[pygame.Surface, pygame.Surface]:
    """(base, outside): sea, neighbours and the home land; `outside` is base with the home land keyed out,
    blitted over the territory to clip it to the home country."""
    c = pal.colours
    base = pygame.Surface(size)
    base.fill(c.background)
    if outline:
        if outline.box is not None:
            lon0, lat0, lon1, lat1 = outline.box
            (x0, y0), (x1, y1) = cam.to_screen(lon0, lat1), cam.to_screen(lon1, lat0)
            pygame.draw.rect(base, c.sea, pygame.Rect(round(x0), round(y0), round(x1 - x0), round(y1 - y0)))
        for country in outline.countries:
            if country.id == outline.home:
                continue
            for poly in country.polygons:
                pts = poly_screen(cam, poly)
                pygame.draw.polygon(base, c.neighbour, pts)
                pygame.draw.lines(base, c.neighbour_edge, True, pts, max(1, round(1.2 * u)))
        _country_names(base, cam, outline, pal, u)
    outside = base.copy()
    for poly in land:
        pts = poly_screen(cam, poly)
        pygame.draw.polygon(base, c.land, pts)
        pygame.draw.polygon(outside, KEY, pts)
    outside.set_colorkey(KEY)
    return base, outside


def _country_names(surf: pygame.Surface, cam: Camera, outline: Outline, pal: Palette, u: float) -> None:
    """Neighbour names in muted capitals, at the middle of each country's largest ring."""
    for country in outline.countries:
        if country.id == outline.home:
            continue
        x, y = cam.to_screen(*country.label_point())
        t = fonts.text(country.name.upper(), round(13 * u), pal.colours.neighbour_text, True)
        surf.blit(t, t.get_rect(center=(round(x), round(y))))


def territory(surf: pygame.Surface, terr: Territory, cam: Camera) -> None:
    """Blit the visible part of the label raster, scaled to the camera."""
    lon0, _, _, lat1 = terr.bounds
    _, _, vw, vh = cam.viewport
    ppx = terr.dlon * cam.kx * cam.scale
    ppy = terr.dlat * cam.scale
    x0, y0 = cam.to_screen(lon0, lat1)
    c0 = max(0, int(np.floor(-x0 / ppx)))
    c1 = min(terr.width, int(np.ceil((vw - x0) / ppx)))
    r0 = max(0, int(np.floor(-y0 / ppy)))
    r1 = min(terr.height, int(np.ceil((vh - y0) / ppy)))
    if c1 <= c0 or r1 <= r0:
        return
    sx0, sx1 = round(x0 + c0 * ppx), round(x0 + c1 * ppx)
    sy0, sy1 = round(y0 + r0 * ppy), round(y0 + r1 * ppy)
    if sx1 <= sx0 or sy1 <= sy0:
        return
    sub = terr.surface.subsurface((c0, r0, c1 - c0, r1 - r0))
    surf.blit(pygame.transform.scale(sub, (sx1 - sx0, sy1 - sy0)), (sx0, sy0))


def fronts(surf: pygame.Surface, terr: Territory, state: State, cam: Camera, pal: Palette, u: float,
           bold: bool = True) -> None:
    """Front lines (bold, with a light halo) between hostile controllers; thin lines between others."""
    w = state.world
    ctrl = state.controller
    c = pal.colours
    hostile, thin, neutral = [], [], []
    for a, b, seg in terr.ridges:
        fa, fb = int(ctrl[a]), int(ctrl[b])
        if fa == fb:
            continue
        pts = cam.to_screen_many(seg[:, 0], seg[:, 1])
        p, q = (float(pts[0, 0]), float(pts[0, 1])), (float(pts[1, 0]), float(pts[1, 1]))
        if w.hostile[fa, fb]:
            hostile.append((p, q))
        elif w.friendly[fa, fb]:
            thin.append((p, q))
        else:
            neutral.append((p, q))
    for p, q in thin:
        thick_line(surf, c.boundary, p, q, 1.2 * u)
    for p, q in neutral:
        dashed_line(surf, c.boundary, p, q, 2.0 * u, 7 * u, 5 * u)
    core = (4.2 if bold else 2.6) * u
    for p, q in hostile:
        thick_line(surf, c.front_halo, p, q, core + 3 * u)
    for p, q in hostile:
        thick_line(surf, c.front, p, q, core)


def home_edge(surf: pygame.Surface, land: tuple[NDArray[np.float64], ...], cam: Camera, pal: Palette,
              u: float) -> None:
    for poly in land:
        pygame.draw.lines(surf, pal.colours.home_edge, True, poly_screen(cam, poly), max(2, round(2.2 * u)))


def routes(surf: pygame.Surface, state: State, pts: NDArray[np.float64], pal: Palette, u: float) -> None:
    """Highways cased and thick, roads medium, tracks dashed, border routes dotted; closed routes grey, crossed."""
    b = state.world.board
    c = pal.colours
    order = {RouteKind.BORDER: 0, RouteKind.TRACK: 1, RouteKind.ROAD: 2, RouteKind.HIGHWAY: 3}
    for r in sorted(range(len(b.routes)), key=lambda k: order[b.routes[k].kind]):
        i, j = int(b.ends[r, 0]), int(b.ends[r, 1])
        p, q = (pts[i, 0], pts[i, 1]), (pts[j, 0], pts[j, 1])
        kind = b.routes[r].kind
        if not state.route_open[r]:
            dashed_line(surf, c.closed, p, q, 3 * u, 6 * u, 4 * u)
            _cross(surf, ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2), 6 * u, u)
        elif kind is RouteKind.HIGHWAY:
            thick_line(surf, c.highway, p, q, 5.5 * u)
            thick_line(surf, c.highway_fill, p, q, 2.6 * u)
        elif kind is RouteKind.ROAD:
            thick_line(surf, c.road, p, q, 2.4 * u)
        elif kind is RouteKind.TRACK:
            dashed_line(surf, c.track, p, q, 1.8 * u, 7 * u, 4 * u)
        else:
            dotted_line(surf, c.border, p, q, 1.6 * u, 6 * u)
    for r, route in enumerate(b.routes):
        if route.river:
            i, j = int(b.ends[r, 0]), int(b.ends[r, 1])
            river_mark(surf, (pts[i, 0], pts[i, 1]), (pts[j, 0], pts[j, 1]), c.sea, u)


def _cross(surf: pygame.Surface, at: tuple[float, float], r: float, u: float) -> None:
    w = max(2, round(2.5 * u))
    for dx in (-1, 1):
        pygame.draw.line(surf, (20, 20, 20), (at[0] - r, at[1] - dx * r), (at[0] + r, at[1] + dx * r), w + 2)
        pygame.draw.line(surf, (230, 60, 40), (at[0] - r, at[1] - dx * r), (at[0] + r, at[1] + dx * r), w)


def corridor_clients(state: State) -> list[str | None]:
    """For each corridor, the faction whose reinforcements use it (the first client of its patron)."""
    w = state.world
    out: list[str | None] = []
    for cor in w.board.corridors:
        fid = next((p.clients[0] for p in w.patrons if p.corridor == cor.id and p.clients), None)
        out.append(fid if fid in w.faction_index else None)
    return out


def corridors(surf: pygame.Surface, state: State, pts: NDArray[np.float64], pal: Palette, u: float,
              strong: bool) -> None:
    """A glow along each corridor: coloured where it is open for its patron's client, grey beyond."""
    b = state.world.board
    c = pal.colours
    width = (18 if strong else 12) * u
    alpha = 150 if strong else 80
    for k, fid in enumerate(corridor_clients(state)):
        chain = b.corridor_places[k]
        if len(chain) < 2:
            continue
        upto = corridor_open_upto(state, k, state.world.faction_index[fid]) if fid else 0
        xy = pts[list(chain)]
        box = pygame.Rect(int(xy[:, 0].min() - width), int(xy[:, 1].min() - width),
                          int(np.ptp(xy[:, 0]) + 2 * width + 2), int(np.ptp(xy[:, 1]) + 2 * width + 2))
        box = box.clip(surf.get_rect())
        if not box.w or not box.h:
            continue
        glow = pygame.Surface(box.size, pygame.SRCALPHA)
        for m in range(len(chain) - 1):
            colour = c.corridor_open if m + 1 < upto else c.corridor_closed
            p = (xy[m, 0] - box.x, xy[m, 1] - box.y)
            q = (xy[m + 1, 0] - box.x, xy[m + 1, 1] - box.y)
            thick_line(glow, (*colour, alpha), p, q, width)
        surf.blit(glow, box)


KIND_WEIGHT = {"city": 6.0, "airbase": 2.0, "base": 2.0, "town": 1.0, "junction": 0.0, "crossing": 0.0}


def importance(state: State) -> NDArray[np.float64]:
    """Victory value plus a bonus by kind: decides marker size, label size and label priority."""
    places = state.world.board.places
    return np.array([p.value + KIND_WEIGHT.get(p.kind.value, 0.0) for p in places], dtype=np.float64)


def marker_radius(imp: float, u: float) -> float:
    return float(np.clip(3.0 + 1.25 * np.sqrt(max(0.0, imp)), 3.5, 10.0)) * u


def markers(surf: pygame.Surface, state: State, pts: NDArray[np.float64], pal: Palette, u: float,
            imp: NDArray[np.float64]) -> None:
    """Place markers coloured by controller and shaped by kind; contested places get a striped ring."""
    b = state.world.board
    ink = (20, 20, 20)
    for i, p in enumerate(b.places):
        x, y = float(pts[i, 0]), float(pts[i, 1])
        r = marker_radius(float(imp[i]), u)
        fill = pal.faction(int(state.controller[i]))
        lw = max(1, round(1.5 * u))
        kind = p.kind.value
        if kind in ("base", "airbase"):
            tri = [(x, y - r * 1.2), (x + r * 1.1, y + r * 0.8), (x - r * 1.1, y + r * 0.8)]
            pygame.draw.polygon(surf, fill, tri)
            pygame.draw.polygon(surf, ink, tri, lw)
        elif kind == "crossing":
            dia = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
            pygame.draw.polygon(surf, fill, dia)
            pygame.draw.polygon(surf, ink, dia, lw)
        elif kind == "junction":
            pygame.draw.rect(surf, fill, (x - r * 0.8, y - r * 0.8, r * 1.6, r * 1.6))
            pygame.draw.rect(surf, ink, (x - r * 0.8, y - r * 0.8, r * 1.6, r * 1.6), lw)
        else:
            pygame.draw.circle(surf, fill, (x, y), r)
            pygame.draw.circle(surf, ink, (x, y), r, lw)
            if kind == "city":
                pygame.draw.circle(surf, (255, 255, 255), (x, y), max(1.5, r * 0.38))
        if state.contested[i]:
            contested_ring(surf, (x, y), r + 5 * u, u)


def label_surface(name: str, imp: float, u: float, pal: Palette, victory: bool, contested: bool) -> pygame.Surface:
    """A place name with a halo, bigger and bold for important places; a star marks victory places."""
    size = round((15 if imp >= 8 else 13 if imp >= 3 else 11.5) * u)
    bold = imp >= 3
    t = fonts.halo_text(name, size, pal.colours.text, pal.colours.halo, bold, max(1, round(2 * u)))
    extra = (size + 2 if victory else 0) + (size + 2 if contested else 0)
    if not extra:
        return t
    out = pygame.Surface((t.get_width() + extra, max(t.get_height(), size + 4)), pygame.SRCALPHA)
    x = 0
    cy = out.get_height() / 2
    if victory:
        star(out, (x + size / 2 + 1, cy), size * 0.55, pal.colours.star)
        x += size + 2
    if contested:
        swords = fonts.halo_text("⚔", size, (190, 0, 0), pal.colours.halo, True, max(1, round(2 * u)))
        out.blit(swords, swords.get_rect(midleft=(x, cy)))
        x += size + 2
    out.blit(t, t.get_rect(midleft=(x, cy)))
    return out


PlacedLabel = tuple[pygame.Surface, pygame.Rect, int, list[pygame.Rect]]
"""A placed label: its image, its spot, its place and every spot it had around the place, best first."""

MAJOR_LABEL = 8.0
"""Importance from which a place keeps its label even when every spot around it covers counters or markers."""


def label_spots(t: pygame.Surface, body: pygame.Rect, y: int, gap: int) -> list[pygame.Rect]:
    """Where a label may go around a place's body (marker and counters), best first: below, above, right,
    left, then beside the marker raised or lowered half a line."""
    return [t.get_rect(midtop=(body.centerx, body.bottom + gap)), t.get_rect(midbottom=(body.centerx, body.top - gap)),
            t.get_rect(midleft=(body.right + gap, y)), t.get_rect(midright=(body.left - gap, y)),
            t.get_rect(bottomleft=(body.right + gap, y)), t.get_rect(topleft=(body.right + gap, y)),
            t.get_rect(bottomright=(body.left - gap, y)), t.get_rect(topright=(body.left - gap, y))]


def covered(rect: pygame.Rect, others: list[pygame.Rect]) -> int:
    """How many pixels of `others` a label at `rect` would cover."""
    return sum(c.w * c.h for c in (rect.clip(others[k]) for k in rect.collidelistall(others)))


def place_labels(state: State, pal: Palette, u: float, imp: NDArray[np.float64], victory: set[int],
                 bodies: list[pygame.Rect], anchors: NDArray[np.float64]) -> list[tuple[pygame.Surface, pygame.Rect]]:
    """Labels by importance, each at the first spot around its place's body (`label_spots`) that covers
    neither another place's body nor a label placed before it. Where there is none, a major place takes
    the spot clear of labels that covers the least of other bodies; any other label, and a major one whose every spot
    covers a more important label, is left out: labels never cover each other."""
    return [(t, spot) for t, spot, _, _ in arrange_labels(state, pal, u, imp, victory, bodies, anchors)]


def arrange_labels(state: State, pal: Palette, u: float, imp: NDArray[np.float64], victory: set[int],
                   bodies: list[pygame.Rect], anchors: NDArray[np.float64]) -> list[PlacedLabel]:
    """`place_labels` with each label's place and every spot it had (so that the viewport's edge can move it
    to another at draw time: `labelfit`)."""
    b = state.world.board
    placed: list[pygame.Rect] = []
    out: list[PlacedLabel] = []
    gap = max(1, round(2 * u))
    for i in sorted(range(b.n_places), key=lambda k: -imp[k]):
        t = label_surface(b.places[i].name, float(imp[i]), u, pal, i in victory, bool(state.contested[i]))
        spots = label_spots(t, bodies[i], round(anchors[i, 1]), gap)
        tries = [c for c in spots if c.collidelist(placed) < 0]
        others = bodies[:i] + bodies[i + 1:]
        spot = next((c for c in tries if c.collidelist(others) < 0), None)
        if spot is None:
            if imp[i] < MAJOR_LABEL or not tries:
                continue
            spot = min(tries, key=lambda c: covered(c, others))
        out.append((t, spot, i, spots))
        placed.append(spot.inflate(-2, -2))
    return out


def leader_lines(surf: pygame.Surface, links: list[tuple[tuple[float, float], pygame.Rect]], u: float) -> None:
    """Thin lines from a place to its counters when decluttering pushed them away."""
    for (x, y), rect in links:
        cx = min(max(x, rect.left), rect.right)
        cy = min(max(y, rect.top), rect.bottom)
        if abs(cx - x) + abs(cy - y) > 4 * u:
            thick_line(surf, (255, 255, 255), (x, y), (cx, cy), 3.2 * u)
            thick_line(surf, (30, 30, 30), (x, y), (cx, cy), 1.4 * u)
