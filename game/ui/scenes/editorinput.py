"""Mouse and keyboard in the map editor: drag places and units, the route and control tools, pan and zoom,
and the editor's shortcuts."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui

from . import widgets as w
from .base import is_ctrl, is_shift

if TYPE_CHECKING:
    from .editor import EditorScene

    _Base = EditorScene
else:
    _Base = object

DRAG_PIXELS = 6
MARKER_PIXELS = 14
"""How close to a place's marker a press must be to drag the place (farther away it pans the map)."""


class EditorInput(_Base):
    """Event handling for EditorScene (kept apart to keep each module small)."""

    mouse: tuple[int, int] = (0, 0)
    pressed: tuple[tuple[int, int], str, Any] | None = None
    """Where the left button went down and on what: ("place", id), ("unit", id) or ("map", None)."""
    dragging = False

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED:
            return self.menu_changed(event)
        if event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED:
            return self.panel.entry_finished(event)
        if event.type == pygame.MOUSEMOTION:
            self.mouse = event.pos
            self._motion(event)
            return False
        if event.type == pygame.KEYDOWN:
            if self.panel.typing() and event.key != pygame.K_ESCAPE:
                return True
            return self._key(event)
        if not self.is_ready():
            return event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP)
        if event.type == pygame.MOUSEBUTTONDOWN:
            self.mouse = event.pos
            return self._button_down(event)
        if event.type == pygame.MOUSEBUTTONUP:
            self.mouse = event.pos
            return self._button_up(event)
        if event.type == pygame.MOUSEWHEEL:
            if self.port is not None and self.port.contains(self.mouse):
                self.port.zoom_at(self.mouse, 1.15 ** event.y)
                self.redraw()
                return True
            return self.panel.wheel(event.y, self.mouse)
        return False

    def menu_changed(self, event: pygame.event.Event) -> bool:
        if event.ui_element is self.tool_menu:
            if self.tool == "route":
                self.route_kind = event.text
            else:
                self.paint = event.text
            return True
        return self.panel.menu_changed(event)

    # --- keyboard

    def _key(self, event: pygame.event.Event) -> bool:
        k = event.key
        if k == pygame.K_ESCAPE:
            self.escape()
            return True
        if not self.is_ready():
            return False
        assert self.port is not None
        step = self.s(90)
        pans = {pygame.K_LEFT: (step, 0), pygame.K_RIGHT: (-step, 0), pygame.K_UP: (0, step),
                pygame.K_DOWN: (0, -step)}
        if is_ctrl(event) and k == pygame.K_z:
            self.redo() if is_shift(event) else self.undo()
        elif is_ctrl(event) and k == pygame.K_y:
            self.redo()
        elif is_ctrl(event) and k == pygame.K_s:
            self.save()
        elif k in (pygame.K_m, pygame.K_r, pygame.K_c) and not is_ctrl(event):
            self.set_tool({pygame.K_m: "move", pygame.K_r: "route", pygame.K_c: "control"}[k])
        elif k == pygame.K_HOME:
            self.port.fit()
        elif k in pans:
            self.port.pan(*pans[k])
        elif k in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self.port.zoom_at(self.port.rect.center, 1.25)
        elif k in (pygame.K_MINUS, pygame.K_KP_MINUS):
            self.port.zoom_at(self.port.rect.center, 0.8)
        else:
            return False
        self.redraw()
        return True

    def escape(self) -> None:
        """Esc: hide the problems, else stop the route being drawn, else drop the selection, else close."""
        if self.problems:
            self.problems = []
        elif self.route_from is not None:
            self.route_from = None
            self.status = ("Route drawing stopped.", "info")
        elif self.selected is not None:
            self.select(None)
        else:
            self.close()
        self.redraw()

    # --- mouse

    def place_at(self, pos: tuple[int, int], near: bool = True) -> str | None:
        """The place whose marker is under `pos` (or, with near=False, whose area is)."""
        assert self.port is not None
        if not self.port.contains(pos):
            return None
        board = self.world.board
        if not near:
            index = self.port.pick_place(self.state, pos)
            return None if index is None else board.places[index].id
        best = min(range(board.n_places), key=lambda i: math.dist(self.port.place_xy(i), pos), default=None)
        if best is None or math.dist(self.port.place_xy(best), pos) > self.s(MARKER_PIXELS):
            return None
        return str(board.places[best].id)

    def _button_down(self, event: pygame.event.Event) -> bool:
        assert self.port is not None
        pos = event.pos
        if self.panel.rect.collidepoint(pos):
            return self.panel.click(pos) if event.button == 1 else False
        if not self.port.contains(pos):
            return False
        if event.button == 3:
            self.route_from = None
            self.select(None)
            return True
        if event.button not in (1, 2):
            return False
        moving = event.button == 1 and self.tool == "move"
        unit = self.port.pick_unit(self.state, pos) if moving and is_shift(event) else None
        place = self.place_at(pos) if moving and unit is None else None
        if unit is not None:
            self.pressed = (pos, "unit", self.state.units[unit].id)
        elif place is not None:
            self.pressed = (pos, "place", place)
        else:
            self.pressed = (pos, "map", None)
        self.dragging = False
        return True

    def _motion(self, event: pygame.event.Event) -> None:
        if self.pressed is None or self.port is None:
            return
        if not self.dragging and math.dist(self.pressed[0], event.pos) >= DRAG_PIXELS:
            self.dragging = True
        if self.dragging:
            if self.pressed[1] == "map":
                self.port.pan(*event.rel)
            self.redraw()

    def _button_up(self, event: pygame.event.Event) -> bool:
        if self.pressed is None or self.port is None:
            return False
        (start, kind, what), dragging = self.pressed, self.dragging
        self.pressed, self.dragging = None, False
        if dragging and kind == "place":
            lon, lat = self.port.camera.to_world(*self.port.local(event.pos))
            if self.do(self.edits.move_place, what, lat, lon):  # type: ignore[union-attr]
                self.selected = what
                self.panel.refresh()
        elif dragging and kind == "unit":
            target = self.place_at(event.pos, near=False)
            index = self.state.unit_index()[what]
            if target is not None and target != self.world.board.places[int(self.state.u_place[index])].id:
                self.do(self.edits.move_unit, what, target)  # type: ignore[union-attr]
        elif not dragging:
            self.click(start)
        self.redraw()
        return True

    def click(self, pos: tuple[int, int]) -> None:
        place = self.place_at(pos) or self.place_at(pos, near=False)
        edits = self.edits
        assert edits is not None
        if self.tool == "move":
            self.select(place)
        elif place is None:
            return
        elif self.tool == "control":
            if self.paint and self.state.world.factions[int(self.state.controller[self.world.board.index[place]])].id \
                    != self.paint:
                self.do(edits.set_control, place, self.paint)
        elif self.route_from is None or self.route_from == place:
            self.route_from = None if self.route_from == place else place
            name = edits.place_name(place)
            self.status = (f"From {name}: click the place to join it to (Esc stops).", "info") \
                if self.route_from else ("Route drawing stopped.", "info")
        else:
            a = self.route_from
            if edits.has_route(a, place):
                done = self.do(edits.remove_route, a, place)
            else:
                done = self.do(edits.add_route, a, place, self.route_kind)
            if done:
                self.route_from = place

    def draw_drag(self, surface: pygame.Surface) -> None:
        """While a place or a unit is dragged: where it would go, with the routes of a place."""
        if not self.dragging or self.pressed is None or self.port is None or self.pressed[1] == "map":
            return
        kind, what = self.pressed[1], self.pressed[2]
        x, y = self.mouse
        if kind == "place":
            board = self.world.board
            i = board.index[what]
            for a, b in board.ends.tolist():
                if i in (a, b):
                    other = self.port.place_xy(b if a == i else a)
                    pygame.draw.line(surface, (20, 20, 20), (x, y), other, max(2, self.s(3)))
            pygame.draw.circle(surface, (255, 214, 90), (x, y), self.s(9))
            pygame.draw.circle(surface, (20, 20, 20), (x, y), self.s(9), 2)
            label = board.places[i].name
        else:
            target = self.place_at((x, y), near=False)
            if target is not None:
                pygame.draw.circle(surface, (255, 214, 90), self.port.place_xy(self.world.board.index[target]),
                                   self.s(16), max(2, self.s(3)))
            label = self.state.units[self.state.unit_index()[what]].name
        w.tooltip(surface, [label], (x, y), self.s(15))
