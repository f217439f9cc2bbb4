"""The map API of the desktop client: a camera here, the renderer in game.ui.mapdraw.

Usage (everything in screen pixels unless it says lon/lat)::

    from game.ui.mapview import Camera, world_bounds
    from game.ui.mapdraw import MapRenderer

    renderer = MapRenderer(world, outline_path_or_None, ui_scale=1.0, palette="okabe-ito")
    camera = Camera.for_world(world, viewport=screen.get_rect())   # fitted to the window
    camera.zoom_at(mouse_pos, 1.25)      # wheel: zoom around the cursor (factor < 1 zooms out)
    camera.pan(dx, dy)                   # drag / arrow keys: move the map by dx, dy pixels
    camera.fit(renderer.bounds, screen.get_rect())   # Home: fit to window (also after a resize)
    x, y = camera.to_screen(lon, lat); lon, lat = camera.to_world(x, y)

    renderer.draw(surface, state, camera, mode="control" | "supply" | "reach", selection=unit_row,
                  highlights={place: "move" | "attack" | "strike" | "reinforce" | "target"},
                  arrows=[(from_place | None, to_place, kind)],   # None: a reticle at to_place (air strike)
                  hover=mouse_pos, side="hts", legend=True,
                  moving={unit_row: (lon, lat)})   # animation: these units drawn at these positions
    renderer.pick_place(state, camera, pos) -> place row | None   (marker or counter under pos)
    renderer.cell_at(camera, pos) -> place row | None             (whose territory is under pos)
    renderer.pick_unit(state, camera, pos) -> unit row | None     (top counter under pos)
    renderer.units_at_pos(state, camera, pos) -> list[unit row]   (the whole stack, top first)
    renderer.place_screen_pos(camera, place) -> (x, y)
    renderer.tooltip_for(state, pos, camera=None, side=None) -> list[str] | None
    renderer.draw_tooltip(surface, lines, pos)                    (a boxed tooltip near pos)
    renderer.set_palette("tol"); renderer.set_ui_scale(1.5)       (settings: colour-blind mode, UI scale)
    renderer.note_strengths(start_state)   (the 'full' mark of strength bars; else the first state drawn)
    renderer.bounds                        (lon/lat box of the map: what Home fits)

All positions are in the surface's pixels, the camera's viewport being where the map goes on that
surface (a subsurface with viewport (0, 0, w, h) works too); `renderer.make_camera(viewport)` gives
a camera fitted to the map. `side` is the viewing side (faction or patron id): supply mode shows
that faction's supply, reach mode that side's patrons. Static layers are cached per zoom level and
per state content (with a margin, so a pan only re-blits), so calling `draw` every frame is cheap;
a capture only recolours the territory palette.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from game.engine import World

Bounds = tuple[float, float, float, float]
"""(lon_min, lat_min, lon_max, lat_max)"""
Rect = tuple[int, int, int, int]


def world_bounds(world: World, margin: float = 0.35) -> Bounds:
    """The places' lon/lat box plus a margin in degrees."""
    places = world.board.places
    if not places:
        return (-1.0, -1.0, 1.0, 1.0)
    lons = [p.lon for p in places]
    lats = [p.lat for p in places]
    return (min(lons) - margin, min(lats) - margin, max(lons) + margin, max(lats) + margin)


def mean_lat_cos(world: World) -> float:
    """cos(mean latitude) of the places: the x scale of the equirectangular projection."""
    places = world.board.places
    lat = sum(p.lat for p in places) / len(places) if places else 0.0
    return max(0.05, math.cos(math.radians(lat)))


def _rect(r: Sequence[int]) -> Rect:
    return (int(r[0]), int(r[1]), int(r[2]), int(r[3]))


class Camera:
    """lon/lat ↔ screen: an equirectangular projection whose x axis is scaled by cos(mean lat).

    `scale` is pixels per degree of latitude; (cx, cy) is the lon/lat at the viewport's centre.
    """

    ZOOM_OUT_LIMIT = 0.5
    ZOOM_IN_LIMIT = 24.0

    def __init__(self, kx: float = 1.0, viewport: Sequence[int] = (0, 0, 800, 600), scale: float = 100.0,
                 centre: tuple[float, float] = (0.0, 0.0)) -> None:
        self.kx = kx
        self.viewport: Rect = _rect(viewport)
        self.scale = scale
        self.cx, self.cy = centre
        self.fit_scale = scale

    @classmethod
    def for_world(cls, world: World, viewport: Sequence[int] = (0, 0, 800, 600), margin: float = 0.35) -> Camera:
        cam = cls(mean_lat_cos(world), viewport)
        cam.fit(world_bounds(world, margin), viewport)
        return cam

    def copy(self) -> Camera:
        cam = Camera(self.kx, self.viewport, self.scale, (self.cx, self.cy))
        cam.fit_scale = self.fit_scale
        return cam

    def key(self) -> tuple[float, float, float, Rect]:
        """Changes whenever the picture moves: a cache key for drawn layers."""
        return (round(self.scale, 6), round(self.cx, 9), round(self.cy, 9), self.viewport)

    @property
    def zoom(self) -> float:
        """Scale relative to the last fit (1.0 = the whole map fits the window)."""
        return self.scale / self.fit_scale if self.fit_scale else 1.0

    def to_screen(self, lon: float, lat: float) -> tuple[float, float]:
        vx, vy, vw, vh = self.viewport
        return (vx + vw / 2 + (lon - self.cx) * self.kx * self.scale, vy + vh / 2 - (lat - self.cy) * self.scale)

    def to_screen_many(self, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.float64]:
        """Vectorised to_screen: an (n, 2) array of x, y."""
        vx, vy, vw, vh = self.viewport
        x = vx + vw / 2 + (np.asarray(lon) - self.cx) * self.kx * self.scale
        y = vy + vh / 2 - (np.asarray(lat) - self.cy) * self.scale
        return np.stack([x, y], axis=-1)

    def to_world(self, x: float, y: float) -> tuple[float, float]:
        vx, vy, vw, vh = self.viewport
        return (self.cx + (x - vx - vw / 2) / (self.kx * self.scale), self.cy - (y - vy - vh / 2) / self.scale)

    def px_per_km(self) -> float:
        return self.scale / 111.2

    def fit(self, bounds: Bounds, viewport: Sequence[int] | None = None) -> None:
        """Show the whole lon/lat box in the viewport (Home)."""
        if viewport is not None:
            self.viewport = _rect(viewport)
        lon0, lat0, lon1, lat1 = bounds
        _, _, vw, vh = self.viewport
        w = max(1e-6, (lon1 - lon0) * self.kx)
        h = max(1e-6, lat1 - lat0)
        self.scale = max(1e-6, min(vw / w, vh / h))
        self.fit_scale = self.scale
        self.cx, self.cy = (lon0 + lon1) / 2, (lat0 + lat1) / 2

    def set_viewport(self, viewport: Sequence[int]) -> None:
        """A new window size; keeps the centre and the scale."""
        self.viewport = _rect(viewport)

    def zoom_at(self, pos: tuple[float, float], factor: float) -> None:
        """Zoom by `factor` keeping the point under `pos` fixed (wheel zoom around the cursor)."""
        lon, lat = self.to_world(*pos)
        lo, hi = self.fit_scale * self.ZOOM_OUT_LIMIT, self.fit_scale * self.ZOOM_IN_LIMIT
        self.scale = min(hi, max(lo, self.scale * factor))
        x, y = self.to_screen(lon, lat)
        self.pan(pos[0] - x, pos[1] - y)

    def pan(self, dx: float, dy: float) -> None:
        """Move the picture by dx, dy pixels (drag direction)."""
        self.cx -= dx / (self.kx * self.scale)
        self.cy += dy / self.scale

    def centre_on(self, lon: float, lat: float) -> None:
        self.cx, self.cy = lon, lat

    def visible_bounds(self) -> Bounds:
        vx, vy, vw, vh = self.viewport
        lon0, lat1 = self.to_world(vx, vy)
        lon1, lat0 = self.to_world(vx + vw, vy + vh)
        return (lon0, lat0, lon1, lat1)
