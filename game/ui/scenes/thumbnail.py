"""A small schematic map of a scenario for the picker: routes, and places coloured by controller."""

from __future__ import annotations

import math

import pygame

from game.engine import State

from . import widgets as w


def project(state: State, size: tuple[int, int], margin: int = 18) -> list[tuple[int, int]]:
    """Screen points of the places, fitted into `size` (equirectangular, x scaled by cos(lat))."""
    places = state.world.board.places
    if not places:
        return []
    kx = math.cos(math.radians(sum(p.lat for p in places) / len(places)))
    xs = [p.lon * kx for p in places]
    ys = [p.lat for p in places]
    span = max(max(xs) - min(xs), 1e-6), max(max(ys) - min(ys), 1e-6)
    scale = min((size[0] - 2 * margin) / span[0], (size[1] - 2 * margin) / span[1])
    ox = (size[0] - span[0] * scale) / 2
    oy = (size[1] - span[1] * scale) / 2
    return [(int(ox + (x - min(xs)) * scale), int(size[1] - oy - (y - min(ys)) * scale)) for x, y in zip(xs, ys)]


def thumbnail(state: State, size: tuple[int, int], source: str = "") -> pygame.Surface:
    """The scenario's start drawn by the map renderer (without legend), or a schematic when that fails."""
    try:
        from game.ui.mapdraw import MapRenderer

        from .mapport import outline_path

        renderer = MapRenderer(state.world, outline_path(state.world, source), ui_scale=0.7)  # the map's raster
        surf = pygame.Surface(size)
        camera = renderer.make_camera((0, 0, *size))
        camera.zoom_at((size[0] / 2, size[1] / 2), 0.9)
        renderer.draw(surf, state, camera, legend=False)
        return surf
    except Exception:  # noqa: BLE001 - a thumbnail must never stop the picker
        return schematic(state, size)


def schematic(state: State, size: tuple[int, int]) -> pygame.Surface:
    """Routes, and places as dots coloured by controller."""
    surf = pygame.Surface(size)
    surf.fill((214, 226, 232))
    b = state.world.board
    pts = project(state, size)
    colours = [w.hex_colour(f.colour) for f in state.world.factions]
    for (a, c) in b.ends.tolist():
        pygame.draw.line(surf, (120, 116, 108), pts[a], pts[c], 2)
    top = max((p.value for p in b.places), default=1.0) or 1.0
    for i, p in enumerate(b.places):
        r = 4 + int(6 * math.sqrt(max(p.value, 0.0) / top))
        pygame.draw.circle(surf, colours[int(state.controller[i])], pts[i], r)
        pygame.draw.circle(surf, (30, 30, 30), pts[i], r, 1)
    for i, p in sorted(enumerate(b.places), key=lambda ip: -ip[1].value)[:8]:
        w.text(surf, p.name, (pts[i][0] + 8, pts[i][1] - 8), 13, w.INK, bold=True)
    return surf
