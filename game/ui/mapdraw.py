"""MapRenderer: draws a game state on a pygame surface (see game.ui.mapview for the whole API).

Static layers (land, territory, fronts, routes, markers, counters, labels) are drawn into one
viewport-sized surface cached per camera and per state content; each frame blits it and adds
the dynamic overlays (selection, highlights, order arrows, hover, legend).
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pygame
from numpy.typing import NDArray

from game.engine import State, World
from game.engine.supply import supply_distances

from . import labelfit, maplayers, maptext, overlays
from .counters import CounterInfo, counter_size, draw_stack, make_info, selection_ring
from .mapcache import Layer, LayerCache
from .maplayout import Layout, layout_for, reach_marks, scaled_layout
from .mappick import MapPicking
from .mapview import Bounds, Camera, mean_lat_cos
from .palette import Palette, make_palette, mix
from .territory import Outline, Territory, load_outline

MODES = ("control", "supply", "reach")
REFERENCE_SCALE = 190.0
"""Pixels per degree at which counters have 0.75 of their full size: Syria fitted to a 1080-pixel screen."""


def state_signature(state: State) -> int:
    """Changes whenever anything drawn in the static layers changes."""
    parts = (state.controller, state.contested, state.route_open, state.u_place, state.u_strength,
             state.u_cohesion, state.u_posture, state.u_supply, state.u_faction)
    return hash((id(state.world), state.turn, len(state.units), b"|".join(a.tobytes() for a in parts)))


_TERRITORIES: dict[tuple[str, str, int], Territory] = {}
_TERRITORY_LOCK = threading.Lock()
RASTER_WIDTH = 1024


def territory_for(world: World, outline: Outline | None, path: str | Path | None, width: int) -> Territory:
    """The label raster of a world, computed once and shared by every renderer of that world (a caller
    waits for one being computed in another thread rather than computing it again)."""
    key = (world.digest(), str(path) if outline else "", int(width))
    with _TERRITORY_LOCK:
        if key not in _TERRITORIES:
            if len(_TERRITORIES) >= 4:
                _TERRITORIES.pop(next(iter(_TERRITORIES)))
            _TERRITORIES[key] = Territory(world, outline, width)
        return _TERRITORIES[key]


def prepare_world(world: World, outline_path: str | Path | None) -> threading.Thread:
    """Compute a world's label raster in a worker thread (while the player picks sides), so that the map
    opens without computing it."""
    def work() -> None:
        territory_for(world, load_outline(outline_path, world), outline_path, RASTER_WIDTH)

    t = threading.Thread(target=work, name="map-raster", daemon=True)
    t.start()
    return t


class MapRenderer(MapPicking):
    """Draws one world's map; create once per game (the label raster is computed here)."""

    def __init__(self, world: World, outline_path: str | Path | None = None, *, ui_scale: float = 1.0,
                 palette: str = "okabe-ito", raster_width: int = RASTER_WIDTH) -> None:
        self.world = world
        self.outline = load_outline(outline_path, world)
        self.territory = territory_for(world, self.outline, outline_path, raster_width)
        self.bounds: Bounds = self.territory.bounds
        self.kx = mean_lat_cos(world)
        self.ui_scale = float(ui_scale)
        self.palette: Palette = self._make_palette(palette)
        places = world.board.places
        self.lons = np.array([p.lon for p in places], dtype=np.float64)
        self.lats = np.array([p.lat for p in places], dtype=np.float64)
        self.victory = {world.board.index[p] for v in world.victory for p in v.places if p in world.board.index}
        self.full: dict[str, float] = {}
        self._base_key: object = None
        self._base: tuple[pygame.Surface, pygame.Surface] | None = None
        self.layers = LayerCache()
        self._layouts: dict[object, Layout] = {}
        self._last_layout: tuple[object, Layout] | None = None
        self._layout_lock = threading.Lock()
        self.lock = threading.RLock()
        """Held while static layers are drawn: a worker thread may draw the next turn's map ahead."""
        self._supply: tuple[int, NDArray[np.float64]] | None = None
        self._legend: tuple[object, pygame.Surface] | None = None
        self.last_camera: Camera | None = None
        self.last_side: str | None = None
        self.covered: tuple[tuple[int, int, int, int], ...] = ()
        """What widgets fixed over the map hide (`set_covered`), relative to the viewport's top-left corner."""

    # --- settings
    def _make_palette(self, name: str) -> Palette:
        return make_palette([f.id for f in self.world.factions], [f.colour for f in self.world.factions], name)

    def set_palette(self, name: str) -> None:
        """"okabe-ito" (scenario colours) or "tol" (high-contrast colour-blind mode)."""
        self.palette = self._make_palette(name)

    def set_ui_scale(self, scale: float) -> None:
        self.ui_scale = max(0.5, float(scale))

    def set_covered(self, rects: list[pygame.Rect]) -> None:
        """The rectangles of the viewport (relative to its top-left corner) that widgets fixed over the map hide,
        such as the legend's button: place labels keep clear of them, as of the viewport's edges (labelfit)."""
        self.covered = tuple(tuple(pygame.Rect(r)) for r in rects)  # type: ignore[misc]

    def _covered_on(self, camera: Camera) -> list[pygame.Rect]:
        """`covered` where the camera's viewport lies."""
        vx, vy = camera.viewport[0], camera.viewport[1]
        return [pygame.Rect(r).move(vx, vy) for r in self.covered]

    def make_camera(self, viewport: tuple[int, int, int, int]) -> Camera:
        """A camera fitted to the whole map in this viewport."""
        cam = Camera(self.kx, viewport)
        cam.fit(self.bounds, viewport)
        return cam

    def note_strengths(self, state: State) -> None:
        """Remember each unit's largest strength seen: the 'full' mark of its strength bar."""
        for info, s in zip(state.units, state.u_strength.tolist()):
            if s > self.full.get(info.id, 0.0):
                self.full[info.id] = s

    def counter_scale(self, camera: Camera) -> float:
        """Counters grow gently with the map's scale (pixels per degree) and with the UI scale;
        on small maps (thumbnails) they shrink to plain coloured chits."""
        return self.ui_scale * float(np.clip(0.75 * (camera.scale / REFERENCE_SCALE) ** 0.45, 0.3, 1.5))

    # --- caches
    def supply_dist(self, state: State) -> NDArray[np.float64]:
        sig = state_signature(state)
        if self._supply is None or self._supply[0] != sig:
            self._supply = (sig, supply_distances(state))
        return self._supply[1]

    def _recolour(self, state: State, mode: str, side: str | None) -> None:
        sig = state_signature(state) if mode == "supply" else None
        key = (state.controller.tobytes(), state.contested.tobytes(), mode, side, self.palette, sig)
        if key == self.territory.colour_key:
            return
        self.territory.colour_key = key
        pal = self.palette
        ctrl = state.controller.tolist()
        if mode == "supply":
            cls = maptext.supply_classes(state, self.supply_dist(state), maptext.faction_of_side(state, side))
            fill = [maptext.supply_fill(pal, int(k)) for k in cls]
            hatch = [pal.colours.cut if k == 2 else f for k, f in zip(cls.tolist(), fill)]
        elif mode == "reach":
            fill = [mix(pal.territory(c), (232, 230, 224), 0.55) for c in ctrl]
            hatch = fill
        else:
            fill = [pal.territory(c) for c in ctrl]
            hatch = [pal.hatch(c) if state.contested[i] else fill[i] for i, c in enumerate(ctrl)]
        self.territory.recolour(fill, hatch)

    def recolour(self, state: State, mode: str = "control", side: str | None = None) -> None:
        """Update the territory colours for a state (done by draw; public for benchmarks and tests)."""
        self._recolour(state, mode, side)

    def _base_layers(self, cam: Camera) -> tuple[pygame.Surface, pygame.Surface]:
        key = (cam.key(), self.palette, self.ui_scale)
        if self._base is None or key != self._base_key:
            size = (cam.viewport[2], cam.viewport[3])
            self._base = maplayers.base_layers(size, cam, self.outline, self.territory.land_polygons,
                                               self.palette, self.ui_scale)
            self._base_key = key
        return self._base

    def layout(self, state: State, camera: Camera, moving: frozenset[int] = frozenset(), quick: bool = False) -> Layout:
        """Where counters and labels go at this zoom (cached; positions relative to place 0). `quick`: during a
        zoom, the last layout stretched to this zoom rather than a new one."""
        cu = self.counter_scale(camera)
        key = (round(camera.scale, 6), state_signature(state), moving, self.ui_scale, cu, id(self.palette))
        hit = self._layouts.get(key)
        if hit is not None:
            return hit
        old = self._last_layout
        if quick and old is not None and old[0][1:3] == key[1:3]:  # type: ignore[index]
            return scaled_layout(old[1], camera.scale / float(old[0][0]))  # type: ignore[index, arg-type]
        pts = camera.to_screen_many(self.lons, self.lats)
        lay = layout_for(self, state, pts, cu, moving)
        with self._layout_lock:  # a worker thread may be laying out the next turn's map
            if len(self._layouts) >= 6:
                self._layouts.pop(next(iter(self._layouts)))
            self._layouts[key] = lay
            self._last_layout = (key, lay)
        return lay

    # --- drawing
    def draw(self, surface: pygame.Surface, state: State, camera: Camera, *, mode: str = "control",
             selection: int | None = None, highlights: dict[int, str] | None = None,
             arrows: list[tuple[int | None, int, str]] | None = None, hover: tuple[int, int] | None = None,
             side: str | None = None, moving: dict[int, tuple[float, float]] | None = None,
             legend: bool = True, marks: dict[int, str] | None = None, quick: bool = False) -> None:
        """Draw the whole map into camera.viewport of `surface` (`marks`: unit row -> "hold" or "entrench",
        planned orders that stay in place). `quick`: in the middle of a gesture, reuse what was drawn,
        scaled and shifted, instead of drawing the static layers again."""
        mode = mode if mode in MODES else "control"
        self.last_camera, self.last_side = camera, side
        if len(self.full) < len(state.units):
            self.note_strengths(state)
        vx, vy, vw, vh = camera.viewport
        moved = frozenset(moving or ())
        content = self._content(state, camera, side, moved)
        if not (quick and self.layers.view(mode, round(camera.scale, 6), content, camera) is None and
                self.layers.approximate(surface, mode, content, camera, self.palette.colours.background)):
            layer, area = self._static_layer(state, camera, mode, side, moved)
            surface.blit(layer.surface, (vx, vy), area)
        else:
            layer = None
        old_clip = surface.get_clip()
        surface.set_clip(pygame.Rect(camera.viewport).clip(old_clip))
        pts = camera.to_screen_many(self.lons, self.lats)
        if layer is not None and layer.loose:
            self._loose_labels(surface, state, camera, pts, moved, layer.loose)
        self._dynamic(surface, state, camera, pts, selection, highlights or {}, arrows or [], hover, moving or {},
                      marks or {}, quick)
        if legend:
            box = self.legend_surface(state, mode, side)
            lay = self.layout(state, camera, moved)
            off = self._offset(camera)
            busy = [s.rect.move(off) for s in lay.stacks] + [r.move(off) for _, r in lay.labels]
            surface.blit(box, self._legend_pos(box.get_size(), camera, pts, busy))
        surface.set_clip(old_clip)

    def _loose_labels(self, surface: pygame.Surface, state: State, camera: Camera, pts: NDArray[np.float64],
                      moving: frozenset[int], loose: frozenset[int]) -> None:
        """The labels left out of the static layer, each moved where the viewport does not cut it."""
        lay = self.layout(state, camera, moving)
        for k, rect in labelfit.on_screen(lay, camera.viewport, pts, self._offset(camera), loose,
                                          self._covered_on(camera)):
            if k in loose:
                surface.blit(lay.labels[k][0], rect)

    def labels_shown(self, state: State, camera: Camera, mode: str = "control", side: str | None = None,
                     moving: frozenset[int] = frozenset()) -> list[tuple[int, pygame.Rect]]:
        """(place, screen rect) of each place label that `draw` shows in this view (after drawing it)."""
        lay = self.layout(state, camera, moving)
        hit = self.layers.find(mode, round(camera.scale, 6), self._content(state, camera, side, moving), camera)
        pts = camera.to_screen_many(self.lons, self.lats)
        shown = labelfit.on_screen(lay, camera.viewport, pts, self._offset(camera), hit[0].loose if hit else (),
                                   self._covered_on(camera))
        return [(lay.label_places[k], rect) for k, rect in shown]

    def _pad(self, camera: Camera) -> int:
        """Margin drawn around the viewport so that a pan of up to this many pixels only re-blits."""
        return max(64, min(camera.viewport[2], camera.viewport[3]) // 4)

    def _content(self, state: State, camera: Camera, side: str | None, moving: frozenset[int]) -> tuple[object, ...]:
        """What a static layer shows, apart from the camera and the map mode."""
        return (camera.viewport[2], camera.viewport[3], side, state_signature(state), self.palette, self.ui_scale,
                moving, self.covered)

    def _static_layer(self, state: State, camera: Camera, mode: str, side: str | None,
                      moving: frozenset[int]) -> tuple[Layer, pygame.Rect]:
        """The static layers (cached per map mode, with a margin) and the area of them the viewport shows."""
        _, _, vw, vh = camera.viewport
        content = self._content(state, camera, side, moving)
        hit = self.layers.find(mode, round(camera.scale, 6), content, camera)  # no lock: a worker drawing
        if hit is not None:                                                    # ahead does not hold us up
            return hit
        with self.lock:
            hit = self.layers.find(mode, round(camera.scale, 6), content, camera)
            if hit is not None:
                return hit
            layer = self._draw_layer(state, camera, mode, side, moving, self._pad(camera))
            self.layers.store(mode, layer)
        return layer, pygame.Rect(layer.pad, layer.pad, vw, vh)

    def draw_ahead(self, state: State, camera: Camera, mode: str, side: str | None = None,
                   moving: frozenset[int] = frozenset()) -> None:
        """Draw the static layers of a state about to be shown (the next turn, from a worker thread)."""
        with self.lock:
            if len(self.full) < len(state.units):
                self.note_strengths(state)
            content = self._content(state, camera, side, moving)
            if self.layers.find(mode, round(camera.scale, 6), content, camera) is None:
                self.layers.store(mode, self._draw_layer(state, camera, mode, side, moving, self._pad(camera)))

    def _draw_layer(self, state: State, camera: Camera, mode: str, side: str | None, moving: frozenset[int],
                    pad: int) -> Layer:
        _, _, vw, vh = camera.viewport
        cam = camera.copy()
        cam.set_viewport((0, 0, vw + 2 * pad, vh + 2 * pad))
        content = self._content(state, camera, side, moving)  # (read once: the UI thread may change `covered`)
        surface, loose = self._build_static(state, cam, mode, side, moving, pad, content[-1])  # type: ignore[arg-type]
        return Layer(round(camera.scale, 6), content, surface, cam, pad,
                     frozenset(k for k, _ in loose), tuple(label for _, label in loose))

    def prepare(self, state: State, camera: Camera, modes: tuple[str, ...], side: str | None = None,
                moving: frozenset[int] = frozenset()) -> bool:
        """Draw ahead while the player does nothing, one layer per call: the overview of the whole map for the
        first mode, then the other modes' layers for this view. False when nothing was left to draw."""
        with self.lock:
            return self._prepare(state, camera, modes, side, moving)

    def _prepare(self, state: State, camera: Camera, modes: tuple[str, ...], side: str | None,
                 moving: frozenset[int]) -> bool:
        content = self._content(state, camera, side, moving)
        first = modes[0] if modes else "control"
        overview = self.layers.overviews.get(first)
        if overview is None or overview.content != content:
            fit = self.make_camera((0, 0, camera.viewport[2], camera.viewport[3]))
            layer = self._draw_layer(state, fit, first, side, moving, 0)
            self.layers.overviews[first] = Layer(layer.scale, content, layer.surface, layer.camera, 0)
            return True
        scale = round(camera.scale, 6)
        for mode in modes:
            if self.layers.view(mode, scale, content, camera) is None:
                self.layers.store(mode, self._draw_layer(state, camera, mode, side, moving, self._pad(camera)))
                return True
        return False

    def _build_static(self, state: State, cam: Camera, mode: str, side: str | None, moving: frozenset[int],
                      pad: int, covered: tuple[tuple[int, int, int, int], ...] = ()
                      ) -> tuple[pygame.Surface, list[tuple[int, tuple[pygame.Surface, pygame.Rect]]]]:
        """The static layers for `cam`'s viewport, a margin of `pad` around the view, and the labels left out
        (index, (image, spot)): those a view shifted within the margin could cut, or that a widget over the map
        (`covered`, relative to the view) could hide in such a view (none without a margin)."""
        self._recolour(state, mode, side)
        base, outside = self._base_layers(cam)
        surf = base.copy()
        pal, u = self.palette, self.ui_scale
        maplayers.territory(surf, self.territory, cam)
        maplayers.fronts(surf, self.territory, state, cam, pal, u, bold=mode != "reach")
        surf.blit(outside, (0, 0))
        maplayers.home_edge(surf, self.territory.land_polygons, cam, pal, u)
        pts = cam.to_screen_many(self.lons, self.lats)
        maplayers.corridors(surf, state, pts, pal, u, strong=mode == "reach")
        maplayers.routes(surf, state, pts, pal, u)
        lay = self.layout(state, cam, moving)
        off = (round(pts[0, 0]), round(pts[0, 1])) if len(pts) else (0, 0)
        maplayers.markers(surf, state, pts, pal, u, lay.importance)
        maplayers.leader_lines(surf, [((pts[s.place, 0], pts[s.place, 1]), s.rect.move(off)) for s in lay.stacks], u)
        cu = lay.counter_scale
        for s in lay.stacks:
            draw_stack(surf, s.rect.move(off).center, cu, [self._info(state, k) for k in s.units[:3]], len(s.units))
        safe = surf.get_rect().inflate(-4 * pad - 4, -4 * pad - 4)  # what every view within the margin holds
        # what a widget over the map hides in some view within the margin (a view's corner is 0 to 2 * pad in)
        hidden = [pygame.Rect(x, y, w + 2 * pad + 2, h + 2 * pad + 2).move(-1, -1) for x, y, w, h in covered]
        loose = []
        for k, (img, rect) in enumerate(lay.labels):
            if not pad or (safe.contains(rect.move(off)) and rect.move(off).collidelist(hidden) < 0):
                surf.blit(img, rect.move(off))
            else:
                loose.append((k, (img, rect.move(off))))
        if mode == "reach":
            reach_marks(surf, state, pts, side, pal, u)
        return surf, loose

    def _info(self, state: State, u: int) -> CounterInfo:
        info = state.units[u]
        fi = int(state.u_faction[u])
        return make_info(self.palette.faction(fi), self.world.factions[fi].short, info.type,
                         float(state.u_strength[u]), self.full.get(info.id, float(state.u_strength[u])),
                         float(state.u_cohesion[u]), int(state.u_supply[u]), int(state.u_posture[u]))

    def _dynamic(self, surf: pygame.Surface, state: State, cam: Camera, pts: NDArray[np.float64],
                 selection: int | None, highlights: dict[int, str], arrows: list[tuple[int | None, int, str]],
                 hover: tuple[int, int] | None, moving: dict[int, tuple[float, float]],
                 marks: dict[int, str], quick: bool = False) -> None:
        """Bottom to top: hovered route, place highlights, order arrows, moving units, selection, route name."""
        pal, u = self.palette, self.ui_scale
        lay = self.layout(state, cam, frozenset(moving), quick)
        off = (round(pts[0, 0]), round(pts[0, 1])) if len(pts) else (0, 0)
        cu = lay.counter_scale
        ring_r = max(counter_size(cu)) * 0.62 + 4 * u
        route = None
        if hover is not None and self._pick_stack(lay, off, hover) is None and self._near_place(pts, hover) is None:
            route = self._route_near(state, pts, hover)
        if route is not None:
            i, j = (int(x) for x in self.world.board.ends[route])
            overlays.hover_route(surf, (pts[i, 0], pts[i, 1]), (pts[j, 0], pts[j, 1]), u)
        for p, kind in highlights.items():
            if 0 <= p < len(pts):
                overlays.ring(surf, (pts[p, 0], pts[p, 1]), ring_r, kind, pal, u)
        for a, b, kind in arrows:
            if b is None or not 0 <= b < len(pts):
                continue
            if a is None or not 0 <= a < len(pts):
                overlays.reticle(surf, (pts[b, 0], pts[b, 1]), ring_r, pal.colours.highlight.get(kind, (255, 0, 0)), u)
            else:
                overlays.order_arrow(surf, (pts[a, 0], pts[a, 1]), (pts[b, 0], pts[b, 1]), kind, u, ring_r * 0.8)
        for row, kind in marks.items():
            stack = next((s for s in lay.stacks if row in s.units), None)
            if stack is not None:
                overlays.order_mark(surf, stack.rect.move(off), kind, cu)
        for row, (lon, lat) in moving.items():
            if 0 <= row < len(state.units):
                draw_stack(surf, cam.to_screen(lon, lat), cu, [self._info(state, row)], 1)
        if selection is not None:
            stack = next((s for s in lay.stacks if selection in s.units), None)
            if stack is not None:
                selection_ring(surf, stack.rect.move(off), cu, pal.colours.highlight["select"])
        if route is not None and hover is not None:
            overlays.route_label(surf, maptext.route_text(state, route), hover, u, pal, surf.get_clip())

    def legend_surface(self, state: State, mode: str, side: str | None) -> pygame.Surface:
        present = tuple(sorted(set(state.controller.tolist())))
        key = (mode, side, self.palette, self.ui_scale, present, state.world.digest())
        if self._legend is None or self._legend[0] != key:
            title, rows = maptext.legend_rows(state, mode, side, self.palette)
            self._legend = (key, overlays.legend(rows, title, self.palette, self.ui_scale))
        return self._legend[1]

    def _legend_pos(self, size: tuple[int, int], cam: Camera, pts: NDArray[np.float64],
                    busy: list[pygame.Rect]) -> tuple[int, int]:
        """The viewport corner where the legend hides the fewest (and least important) places."""
        vx, vy, vw, vh = cam.viewport
        m = round(10 * self.ui_scale)
        w, h = size
        corners = [(vx + m, vy + vh - h - m), (vx + vw - w - m, vy + vh - h - m), (vx + m, vy + m),
                   (vx + vw - w - m, vy + m)]
        weight = 1.0 + self._importance()

        def cost(c: tuple[int, int]) -> float:
            inside = (pts[:, 0] >= c[0] - 20) & (pts[:, 0] <= c[0] + w + 20) & \
                     (pts[:, 1] >= c[1] - 20) & (pts[:, 1] <= c[1] + h + 20)
            return float(weight[inside].sum()) + len(pygame.Rect(c, size).collidelistall(busy))

        return min(corners, key=cost)
