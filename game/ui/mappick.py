"""Picking on the drawn map and its words: which stack, place or route lies under a point, and the
tooltip lines for it (a mixin of MapRenderer, kept apart to keep each module small)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pygame
from numpy.typing import NDArray

from game.engine import State

from . import fonts, maplayers, maptext
from .counters import Stack
from .drawutil import boxed_text
from .maplayout import Layout
from .mapview import Camera

if TYPE_CHECKING:
    from .mapdraw import MapRenderer

    _Base = MapRenderer
else:
    _Base = object


class MapPicking(_Base):
    """What is under a point of the map, and how to say it."""

    # --- picking
    def _pick_stack(self, lay: Layout, off: tuple[int, int], pos: tuple[float, float]) -> Stack | None:
        for s in reversed(lay.stacks):
            if s.rect.move(off).inflate(4, 4).collidepoint(pos):
                return s
        return None

    def _near_place(self, pts: NDArray[np.float64], pos: tuple[float, float]) -> int | None:
        if not len(pts):
            return None
        d = np.hypot(pts[:, 0] - pos[0], pts[:, 1] - pos[1])
        i = int(np.argmin(d))
        reach = maplayers.marker_radius(float(self._importance()[i]), self.ui_scale) + 6 * self.ui_scale
        return i if d[i] <= reach else None

    def _importance(self) -> NDArray[np.float64]:
        places = self.world.board.places
        return np.array([p.value + maplayers.KIND_WEIGHT.get(p.kind.value, 0.0) for p in places])

    def _route_near(self, state: State, pts: NDArray[np.float64], pos: tuple[float, float]) -> int | None:
        ends = self.world.board.ends
        if not len(ends):
            return None
        a, b = pts[ends[:, 0]], pts[ends[:, 1]]
        d = b - a
        ll = np.maximum((d ** 2).sum(axis=1), 1e-9)
        t = np.clip(((pos[0] - a[:, 0]) * d[:, 0] + (pos[1] - a[:, 1]) * d[:, 1]) / ll, 0, 1)
        dist = np.hypot(a[:, 0] + t * d[:, 0] - pos[0], a[:, 1] + t * d[:, 1] - pos[1])
        r = int(np.argmin(dist))
        return r if dist[r] <= 7 * self.ui_scale else None

    def _offset(self, camera: Camera) -> tuple[int, int]:
        if not len(self.lons):
            return (0, 0)
        x, y = camera.to_screen(float(self.lons[0]), float(self.lats[0]))
        return (round(x), round(y))

    def pick_unit(self, state: State, camera: Camera, pos: tuple[float, float]) -> int | None:
        """The top unit of the counter stack under pos."""
        s = self._pick_stack(self.layout(state, camera), self._offset(camera), pos)
        return s.units[0] if s else None

    def stack_rect(self, state: State, camera: Camera, unit: int) -> pygame.Rect | None:
        """The counter rectangle of the stack a unit is drawn in (None when it is not drawn)."""
        lay = self.layout(state, camera)
        stack = next((s for s in lay.stacks if unit in s.units), None)
        return stack.rect.move(self._offset(camera)) if stack is not None else None

    def units_at_pos(self, state: State, camera: Camera, pos: tuple[float, float]) -> list[int]:
        """Every unit of the stack under pos, top first (click again to cycle through them)."""
        s = self._pick_stack(self.layout(state, camera), self._offset(camera), pos)
        return list(s.units) if s else []

    def pick_place(self, state: State, camera: Camera, pos: tuple[float, float]) -> int | None:
        """The place whose marker (or counter stack) is under pos."""
        s = self._pick_stack(self.layout(state, camera), self._offset(camera), pos)
        if s is not None:
            return s.place
        return self._near_place(camera.to_screen_many(self.lons, self.lats), pos)

    def cell_at(self, camera: Camera, pos: tuple[float, float]) -> int | None:
        """The place whose territory is under pos (None at sea or abroad)."""
        return self.territory.label_at(*camera.to_world(*pos))

    def place_screen_pos(self, camera: Camera, place: int) -> tuple[float, float]:
        return camera.to_screen(float(self.lons[place]), float(self.lats[place]))

    # --- words
    def tooltip_for(self, state: State, pos: tuple[float, float], camera: Camera | None = None,
                    side: str | None = None) -> list[str] | None:
        """Lines describing the unit, place or route under pos; None over empty map."""
        cam = camera or self.last_camera
        if cam is None:
            return None
        side = side if side is not None else self.last_side
        unit = self.pick_unit(state, cam, pos)
        if unit is not None:
            return maptext.unit_lines(state, unit, self.full.get(state.units[unit].id, 0.0))
        place = self.pick_place(state, cam, pos)
        if place is not None:
            fi = maptext.faction_of_side(state, side)
            cls = None
            if fi is not None:
                cls = int(maptext.supply_classes(state, self.supply_dist(state), fi)[place])
            viewer = self.world.factions[fi].short if fi is not None else ""
            return maptext.place_lines(state, place, cls, viewer, place in self.victory)
        r = self._route_near(state, cam.to_screen_many(self.lons, self.lats), pos)
        return [maptext.route_text(state, r)] if r is not None else None

    def draw_tooltip(self, surface: pygame.Surface, lines: list[str], pos: tuple[float, float]) -> pygame.Rect:
        """A boxed tooltip below-right of pos, kept on screen; the first line in bold."""
        u = self.ui_scale
        size = round(14 * u)
        texts = [fonts.text(t, size, (20, 20, 20), k == 0) for k, t in enumerate(lines)]
        return boxed_text(surface, texts, (pos[0] + 16 * u, pos[1] + 16 * u), self.palette.colours.panel,
                          self.palette.colours.panel_edge, round(6 * u), surface.get_rect())
