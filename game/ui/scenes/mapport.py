"""The map as the game scene sees it: the renderer of game.ui.mapdraw behind a camera, clipped to
the map area of the window, in window coordinates. A plain sketch renderer stands in when
game.ui.mapdraw cannot be imported, so the game stays playable."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pygame

from game.engine import State, World
from game.ui.mapview import Camera, world_bounds

from . import widgets as w

MODES = ("control", "supply", "reach")
FIT_MARGIN = 0.92
"""Home leaves a little room around the country so edge counters stay on screen."""
MODE_TITLES = {"control": "Control", "supply": "Supply", "reach": "Patron reach"}


def outline_path(world: World, source: str) -> str | None:
    """The scenario's outline file, resolved next to the scenario file."""
    if not world.meta.outline:
        return None
    p = Path(world.meta.outline)
    if not p.is_absolute() and source:
        p = Path(source).resolve().parent / p
    return str(p) if p.is_file() else None


def make_renderer(world: World, outline: str | None, ui_scale: float, palette: str) -> Any:
    try:
        from game.ui.mapdraw import MapRenderer
    except ImportError:
        return SketchRenderer(world, outline, ui_scale, palette)
    return MapRenderer(world, outline, ui_scale=ui_scale, palette=palette)


class MapPort:
    """Renderer + camera + the screen rectangle the map occupies."""

    def __init__(self, world: World, source: str, ui_scale: float, palette: str) -> None:
        self.world = world
        self.renderer = make_renderer(world, outline_path(world, source), ui_scale, palette)
        self.rect = pygame.Rect(0, 0, 800, 600)
        self.camera = Camera.for_world(world, viewport=(0, 0, 800, 600))
        self._fitted = False
        self.moved = False
        """Whether the player zoomed or panned since the map was last fitted to its area."""

    def set_rect(self, rect: pygame.Rect) -> None:
        """A new map area (window resized, full screen): a map the player has not moved is fitted again;
        otherwise the view keeps its centre and shows as much of the map as before."""
        old = self.rect.size
        self.rect = rect.copy()
        self.camera.set_viewport((0, 0, rect.width, rect.height))
        if not self._fitted or (old != rect.size and not self.moved):
            self.fit()
        elif old != rect.size and min(old) > 0:
            factor = min(rect.width / old[0], rect.height / old[1])
            self.camera.scale *= factor
            self.camera.fit_scale *= factor
        self.clamp()

    def fit(self) -> None:
        """Home: the whole map in the map area."""
        bounds = getattr(self.renderer, "bounds", None) or world_bounds(self.world)
        self.camera.fit(bounds, (0, 0, self.rect.width, self.rect.height))
        self.camera.zoom_at((self.rect.width / 2, self.rect.height / 2), FIT_MARGIN)
        self.camera.fit_scale = self.camera.scale
        self._fitted, self.moved = True, False

    def clamp(self) -> None:
        """Keep the map in view: the camera's centre stays inside the map's bounds."""
        lon0, lat0, lon1, lat1 = getattr(self.renderer, "bounds", None) or world_bounds(self.world)
        cam = self.camera
        cam.cx = min(max(cam.cx, lon0), lon1)
        cam.cy = min(max(cam.cy, lat0), lat1)

    def local(self, pos: Sequence[int]) -> tuple[int, int]:
        return int(pos[0]) - self.rect.left, int(pos[1]) - self.rect.top

    def contains(self, pos: Sequence[int]) -> bool:
        return self.rect.collidepoint(pos[0], pos[1])

    def draw(self, screen: pygame.Surface, state: State, **kw: Any) -> None:
        sub = screen.subsurface(self.rect)
        hover = kw.pop("hover", None)
        kw["hover"] = self.local(hover) if hover is not None and self.contains(hover) else None
        self.renderer.draw(sub, state, self.camera, **kw)

    def set_covered(self, rects: Sequence[pygame.Rect]) -> None:
        """The window rectangles that widgets fixed over the map hide (the legend's button): place labels keep
        clear of them (a renderer without labels that move ignores them)."""
        covered = [pygame.Rect(r).move(-self.rect.left, -self.rect.top) for r in rects]
        renderer = self.renderer
        if hasattr(renderer, "set_covered") and tuple(tuple(r) for r in covered) != getattr(renderer, "covered", None):
            renderer.set_covered(covered)

    def prepare(self, state: State, modes: tuple[str, ...], side: str | None) -> bool:
        """Draw ahead (idle time): one layer per call; False when there is nothing left to draw."""
        prepare = getattr(self.renderer, "prepare", None)
        if prepare is None:
            return False
        cam = self.camera.copy()
        cam.set_viewport((0, 0, self.rect.width, self.rect.height))
        return bool(prepare(state, cam, modes, side))

    def draw_ahead(self, state: State, mode: str, side: str | None, moving: frozenset[int] = frozenset()) -> None:
        """Draw the map of a state about to be shown, for the view as it is now (from a worker thread)."""
        ahead = getattr(self.renderer, "draw_ahead", None)
        if ahead is not None:
            cam = self.camera.copy()
            cam.set_viewport((0, 0, self.rect.width, self.rect.height))
            ahead(state, cam, mode, side, moving)

    def pick_place(self, state: State, pos: Sequence[int]) -> int | None:
        if not self.contains(pos):
            return None
        lp = self.local(pos)
        p = self.renderer.pick_place(state, self.camera, lp)
        if p is None and hasattr(self.renderer, "cell_at"):
            p = self.renderer.cell_at(self.camera, lp)
        return None if p is None else int(p)

    def pick_unit(self, state: State, pos: Sequence[int]) -> int | None:
        if not self.contains(pos):
            return None
        u = self.renderer.pick_unit(state, self.camera, self.local(pos))
        return None if u is None else int(u)

    def units_at(self, state: State, pos: Sequence[int]) -> list[int]:
        if not self.contains(pos) or not hasattr(self.renderer, "units_at_pos"):
            return []
        return [int(u) for u in self.renderer.units_at_pos(state, self.camera, self.local(pos))]

    def unit_rect(self, state: State, unit: int) -> pygame.Rect | None:
        """Window rectangle of the counter stack a unit is drawn in."""
        if not hasattr(self.renderer, "stack_rect"):
            x, y = self.place_xy(int(state.u_place[unit]))
            return pygame.Rect(x - 20, y - 20, 40, 40)
        r = self.renderer.stack_rect(state, self.camera, unit)
        return None if r is None else r.move(self.rect.topleft)

    def places_near(self, state: State, pos: Sequence[int], radius: float) -> list[int]:
        """Places whose marker is within `radius` pixels of `pos`, nearest first."""
        if not self.contains(pos):
            return []
        out = []
        for p in range(self.world.board.n_places):
            x, y = self.place_xy(p)
            d = math.dist((x, y), pos)
            if d <= radius:
                out.append((d, p))
        return [p for _, p in sorted(out)]

    def tooltip(self, state: State, pos: Sequence[int], side: str | None) -> list[str] | None:
        if not self.contains(pos):
            return None
        lines = self.renderer.tooltip_for(state, self.local(pos), camera=self.camera, side=side)
        return list(lines) if lines else None

    def place_xy(self, place: int) -> tuple[int, int]:
        """Window position of a place's marker."""
        x, y = self.renderer.place_screen_pos(self.camera, place)
        return int(x) + self.rect.left, int(y) + self.rect.top

    def place_lonlat(self, place: int) -> tuple[float, float]:
        p = self.world.board.places[place]
        return p.lon, p.lat

    def zoom_at(self, pos: Sequence[int], factor: float) -> None:
        self.camera.zoom_at(self.local(pos), factor)
        self.moved = True
        self.clamp()

    def pan(self, dx: float, dy: float) -> None:
        self.camera.pan(dx, dy)
        self.moved = True
        self.clamp()

    def centre_on(self, place: int) -> None:
        self.camera.centre_on(*self.place_lonlat(place))
        self.moved = True
        self.clamp()

    def show(self, place: int, margin: int = 60) -> None:
        """Pan just enough to bring a place into view (at least `margin` pixels from the edges); a place
        already in view leaves the camera where it is."""
        x, y = self.place_xy(place)
        inner = self.rect.inflate(-2 * min(margin, self.rect.width // 4), -2 * min(margin, self.rect.height // 4))
        dx = inner.left - x if x < inner.left else inner.right - x if x > inner.right else 0
        dy = inner.top - y if y < inner.top else inner.bottom - y if y > inner.bottom else 0
        if dx or dy:
            self.pan(dx, dy)

    def set_palette(self, name: str) -> None:
        if hasattr(self.renderer, "set_palette"):
            self.renderer.set_palette(name)


class SketchRenderer:
    """A plain stand-in with MapRenderer's interface: routes, places coloured by controller, unit counts."""

    def __init__(self, world: World, outline: str | None, ui_scale: float = 1.0, palette: str = "okabe-ito") -> None:
        self.world = world
        self.ui_scale = ui_scale
        self.bounds = world_bounds(world)
        self.colours = [w.hex_colour(f.colour) for f in world.factions]

    def set_palette(self, name: str) -> None:
        pass

    def set_ui_scale(self, scale: float) -> None:
        self.ui_scale = scale

    def _xy(self, camera: Camera) -> list[tuple[int, int]]:
        return [tuple(map(int, camera.to_screen(p.lon, p.lat))) for p in self.world.board.places]  # type: ignore

    def place_screen_pos(self, camera: Camera, place: int) -> tuple[float, float]:
        p = self.world.board.places[place]
        return camera.to_screen(p.lon, p.lat)

    def draw(self, surface: pygame.Surface, state: State, camera: Camera, mode: str = "control",
             selection: int | None = None, highlights: Mapping[int, str] | None = None,
             arrows: Sequence[tuple[int | None, int, str]] = (), hover: Any = None, side: str | None = None,
             moving: Mapping[int, tuple[float, float]] | None = None, legend: bool = True,
             marks: Mapping[int, str] | None = None, quick: bool = False) -> None:
        surface.fill((214, 226, 232))
        xy = self._xy(camera)
        b = self.world.board
        for r, (a, c) in enumerate(b.ends.tolist()):
            colour = (110, 104, 96) if state.route_open[r] else (180, 180, 180)
            pygame.draw.line(surface, colour, xy[a], xy[c], 3)
        s = max(8, round(9 * self.ui_scale))
        for i, p in enumerate(b.places):
            pygame.draw.circle(surface, self.colours[int(state.controller[i])], xy[i], s)
            pygame.draw.circle(surface, (20, 20, 20), xy[i], s, 2)
            kind = (highlights or {}).get(i)
            if kind:
                pygame.draw.circle(surface, (200, 0, 0) if kind == "attack" else (255, 215, 0), xy[i], s + 6, 3)
            if p.value >= 2 or camera.zoom > 2:
                w.text(surface, p.name, (xy[i][0] + s + 2, xy[i][1] - s), max(10, s + 3), w.INK, bold=True)
        hidden = set(moving or {})
        for i in range(b.n_places):
            units = [int(u) for u in self._units_at(state, i) if int(u) not in hidden]
            if units:
                self._counter(surface, state, units, (xy[i][0], xy[i][1] + s + 10), units[0] == selection)
        for u, (lon, lat) in (moving or {}).items():
            self._counter(surface, state, [u], tuple(map(int, camera.to_screen(lon, lat))), False)  # type: ignore
        for a, c, kind in arrows:
            if a is not None:
                pygame.draw.line(surface, (200, 0, 0) if kind == "attack" else (20, 20, 20), xy[a], xy[c], 4)
                pygame.draw.circle(surface, (20, 20, 20), xy[c], 6)

    def _units_at(self, state: State, place: int) -> list[int]:
        from game.engine import query

        return [int(u) for u in query.units_at(state, place)]

    def _counter(self, surface: pygame.Surface, state: State, units: list[int], pos: tuple[int, int],
                 selected: bool) -> None:
        f = int(state.u_faction[units[0]])
        size = max(10, round(11 * self.ui_scale))
        rect = pygame.Rect(0, 0, size * 4, size * 2)
        rect.center = pos
        pygame.draw.rect(surface, self.colours[f], rect)
        pygame.draw.rect(surface, (255, 215, 0) if selected else (20, 20, 20), rect, 3 if selected else 1)
        label = self.world.factions[f].short + (f"×{len(units)}" if len(units) > 1 else "")
        w.text(surface, label, rect.center, size, (255, 255, 255), bold=True, anchor="center")

    def pick_place(self, state: State, camera: Camera, pos: Sequence[int]) -> int | None:
        xy = self._xy(camera)
        best = min(range(len(xy)), key=lambda i: math.dist(xy[i], pos), default=None)
        if best is None or math.dist(xy[best], pos) > 30 * self.ui_scale:
            return None
        return best

    def units_at_pos(self, state: State, camera: Camera, pos: Sequence[int]) -> list[int]:
        p = self.pick_place(state, camera, pos)
        return [] if p is None else self._units_at(state, p)

    def pick_unit(self, state: State, camera: Camera, pos: Sequence[int]) -> int | None:
        units = self.units_at_pos(state, camera, pos)
        return units[0] if units else None

    def tooltip_for(self, state: State, pos: Sequence[int], camera: Camera | None = None,
                    side: str | None = None) -> list[str] | None:
        p = self.pick_place(state, camera, pos) if camera is not None else None
        if p is None:
            return None
        place = self.world.board.places[p]
        owner = self.world.factions[int(state.controller[p])].name
        return [place.name, f"held by {owner}", f"{place.terrain.value}, value {place.value:g}"]
