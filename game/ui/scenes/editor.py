"""The map editor: a scenario's map with tools to move places, join and cut routes, place units and set
who holds what at the start, a panel of the selected place's fields, undo, and a save that keeps the
author's comments and formatting (game.scenario.editing does the editing; this is its screen).

Reached from the title screen ("Map editor") and from a game (F7, on the scenario being played).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui

from ..livereload import wake
from ..problemview import draw_problems, located
from . import widgets as w
from .base import Scene
from .editorinput import EditorInput
from .editorpanel import PlacePanel, fit
from .mapport import MapPort

if TYPE_CHECKING:
    from game.scenario.editing import ScenarioEdits

    from ..app import App

TOOLS = (("move", "Move", "Drag places (Shift+drag: units); click a place to edit it (M)"),
         ("route", "Routes", "Click two places to join them, or to cut the route between them (R)"),
         ("control", "Control", "Click places to give them to the chosen faction at the start (C)"))
ROUTE_KINDS = ("road", "highway", "track", "border")
HINTS = {"move": "Drag a place to move it; Shift+drag a unit counter onto another place to move the unit. "
                 "Click a place to edit it. Drag the map to pan, wheel to zoom.",
         "route": "Click a place, then another: a route joins them (or the one that did is removed).",
         "control": "Click places to give them to the faction chosen above."}


class EditorScene(EditorInput, Scene):
    name = "editor"

    def __init__(self, app: App, path: str | Path) -> None:
        super().__init__(app)
        self.path = Path(path)
        self.edits: ScenarioEdits | None = None
        self.port: MapPort | None = None
        self.error: list[str] = []
        self.selected: str | None = None
        self.tool = "move"
        self.route_kind = "road"
        self.paint: str | None = None
        self.route_from: str | None = None
        self.problems: list[str] = []
        self.problems_title = ""
        self.status = ("Opening …", "info")
        self.pending_save = 0
        self.overwrite = False
        self.panel = PlacePanel(self)
        self.top_ui: list[Any] = []
        self.tool_menu: pygame_gui.elements.UIDropDownMenu | None = None
        self._opened: queue.SimpleQueue[Any] = queue.SimpleQueue()
        threading.Thread(target=self._open, name=f"open {self.path.name}", daemon=True).start()

    # --- opening (in the background: a large file takes a few seconds to read for round-tripping)

    def _open(self) -> None:
        from game.scenario import Problem, ScenarioError
        from game.scenario.editing import ScenarioEdits
        from game.scenario.roundtrip import Document

        try:
            self._opened.put(ScenarioEdits(Document.open(self.path)))
        except ScenarioError as exc:
            self._opened.put(located(exc.problems))
        except Exception as exc:  # noqa: BLE001 - the editor must say why, never crash the game
            self._opened.put(located([Problem(str(self.path), 1, 1, f"cannot open the file for editing ({exc})")]))
        wake()

    def _take_opened(self) -> None:
        try:
            result = self._opened.get_nowait()
        except queue.Empty:
            return
        if isinstance(result, list):
            self.error = result
            self.status = ("This file cannot be edited here.", "warn")
        else:
            self.edits = result
            self.paint = self.edits.world.factions[0].id if self.edits.world.factions else None
            self.status = (HINTS[self.tool], "info")
            self.refresh_map()
            self.app.trace(f"editor opened {self.path.name}")
        self.rebuild()
        self.redraw()

    def is_ready(self) -> bool:
        return self.edits is not None and self.port is not None

    # --- layout and buttons

    def layout(self) -> dict[str, pygame.Rect]:
        W, H = self.app.size
        top, bottom, right = self.s(52), self.status_height(), min(self.s(380), W // 2)
        return {"top": pygame.Rect(0, 0, W, top), "map": pygame.Rect(0, top, W - right, H - top - bottom),
                "panel": pygame.Rect(W - right, top, right, H - top - bottom),
                "status": pygame.Rect(0, H - bottom, W, bottom)}

    def build(self) -> None:
        r = self.layout()
        if self.port is not None:
            camera = self.port.camera
            self.port.set_rect(r["map"])
            camera.set_viewport((0, 0, r["map"].width, r["map"].height))
        h = self.s(36)
        y = (r["top"].height - h) // 2
        x = r["top"].right - self.s(8)
        ready = self.edits is not None
        for label, action, oid, tip, width in (
                ("Close", self.close, None, "Back (Esc); asks first when there are unsaved edits", 76),
                ("Save", self.save, "#primary", "Check the scenario and write the file (Ctrl+S)", 76),
                ("Redo", self.redo, None, "Redo what was undone (Ctrl+Y)", 70),
                ("Undo", self.undo, None, "Take back the last edit (Ctrl+Z)", 70)):
            x -= self.s(width) + self.s(6)
            b = self.button(pygame.Rect(x, y, self.s(width), h), label, action, oid, tip)
            if not ready and label != "Close":
                b.disable()
        menu_w = self.s(150) if ready and self.tool in ("route", "control") else 0
        tools_w = len(TOOLS) * self.s(90)
        self.title_room = max(self.s(60), x - self.s(12) - tools_w - menu_w - self.s(24))
        x = self.s(12) + min(self.title_width(), self.title_room) + self.s(12)
        for tool, label, tip in TOOLS:
            self.button(pygame.Rect(x, y, self.s(86), h), label, lambda t=tool: self.set_tool(t),
                        "#on" if tool == self.tool else "#quiet", tip, enabled=ready)
            x += self.s(90)
        self.tool_menu = None
        if menu_w:
            options = list(ROUTE_KINDS) if self.tool == "route" else [f.id for f in self.world.factions]
            start = self.route_kind if self.tool == "route" else (self.paint or options[0])
            rect = pygame.Rect(x + self.s(4), y, menu_w, h)
            self.tool_menu = pygame_gui.elements.UIDropDownMenu(options, start, rect, self.app.manager)
            self.ui.append(self.tool_menu)
        self.panel.build(r["panel"])

    @property
    def world(self) -> Any:
        assert self.edits is not None
        return self.edits.world

    @property
    def state(self) -> Any:
        assert self.edits is not None
        return self.edits.state

    def set_tool(self, tool: str) -> None:
        self.tool, self.route_from = tool, None
        self.status = (HINTS[tool], "info")
        self.rebuild()

    def redraw(self) -> None:
        self.app.dirty = True  # type: ignore[attr-defined]

    # --- editing

    def refresh_map(self) -> None:
        """A renderer for the scenario as edited now, seen through the same camera."""
        if self.edits is None:
            return
        rect = self.layout()["map"]
        camera = self.port.camera if self.port is not None else None
        if self.port is not None:
            share_territory(self.port.world, self.edits.world)
        self.port = MapPort(self.edits.world, str(self.path), self.scale, self.palette_name())
        self.port.set_rect(rect)
        if camera is not None:
            self.port.camera = camera

    @property
    def scale(self) -> float:
        """The UI scale in use (an app may use less than the setting asks, to fit a small window)."""
        return float(getattr(self.app, "scale", None) or self.app.settings.ui_scale or 1.0)

    def palette_name(self) -> str:
        return "tol" if self.app.settings.colour_blind else "okabe-ito"

    def do(self, edit: Callable[..., str], *args: Any, **kw: Any) -> bool:
        """Apply one edit; a refused one shows why and changes nothing."""
        from game.scenario.editing import EditRefused

        try:
            label = edit(*args, **kw)
        except EditRefused as exc:
            self.status = (str(exc), "warn")
            if exc.problems:
                self.show_problems(str(exc), [p.message for p in exc.problems])
            self.redraw()
            return False
        self.after_edit(f"Done: {label}.")
        self.app.trace(f"edit {label}")
        return True

    def after_edit(self, message: str) -> None:
        self.problems = []
        if self.selected is not None and self.selected not in self.world.board.index:
            self.selected = None
        self.refresh_map()
        self.status = (message, "good")
        self.panel.refresh()
        self.redraw()

    def undo(self) -> None:
        if self.edits is not None:
            label = self.edits.undo()
            self.after_edit(f"Undone: {label}." if label else "Nothing to undo.")

    def redo(self) -> None:
        if self.edits is not None:
            label = self.edits.redo()
            self.after_edit(f"Redone: {label}." if label else "Nothing to redo.")

    def select(self, place: str | None) -> None:
        self.selected = place
        self.panel.refresh()
        self.redraw()

    def show_problems(self, title: str, lines: list[str]) -> None:
        self.problems_title, self.problems = title, lines

    # --- saving and closing

    def save(self, overwrite: bool = False) -> None:
        if self.edits is None:
            return
        self.pending_save, self.overwrite = 2, overwrite
        self.status = (f"Checking and saving {self.path.name} …", "info")
        self.redraw()

    def _save_now(self) -> None:
        from game.scenario.roundtrip import CHANGED_ON_DISK

        assert self.edits is not None
        problems = self.edits.save(self.overwrite)
        self.redraw()
        if len(problems) == 1 and problems[0].message == CHANGED_ON_DISK:
            from .dialogs import ConfirmScene

            self.status = ("Not saved: the file changed on disk.", "warn")
            self.app.push(ConfirmScene(self.app, f"{self.path.name} was changed elsewhere since the editor opened "
                                       "it. Overwrite it with this version?", [
                                           ("Overwrite", lambda: self.save(overwrite=True), "danger"),
                                           ("Cancel", lambda: None, None)]))
            return
        if problems:
            self.show_problems(f"Not saved: {self.path.name} would not be valid (the file is unchanged)",
                               located(problems))
            self.status = ("Not saved: see the problems listed.", "warn")
            self.app.trace(f"save refused {self.path.name}")
            return
        self.problems = []
        self.status = (f"Saved {self.path}.", "good")
        self.app.notify(f"Saved {self.path.name}.", "good", 3)
        self.app.trace(f"saved {self.path.name}")

    def close(self) -> None:
        if self.edits is not None and self.edits.dirty:
            from .dialogs import ConfirmScene

            self.app.push(ConfirmScene(self.app, f"Save your edits to {self.path.name} before closing the editor?", [
                ("Save and close", self._save_and_close, "primary"),
                ("Close without saving", lambda: self.app.pop(self), "danger"),
                ("Cancel", lambda: None, None)]))
            return
        self.app.pop(self)

    def _save_and_close(self) -> None:
        assert self.edits is not None
        problems = self.edits.save()
        if problems:
            self.show_problems(f"Not saved: {self.path.name} would not be valid (the file is unchanged)",
                               located(problems))
            return
        self.app.notify(f"Saved {self.path.name}.", "good", 3)
        self.app.pop(self)

    # --- per frame

    def update(self, dt: float) -> None:
        if self.edits is None and not self.error:
            self._take_opened()
        if self.pending_save:
            self.pending_save -= 1
            if not self.pending_save:
                self._save_now()

    def draw(self, surface: pygame.Surface) -> None:
        r = self.layout()
        surface.fill((214, 222, 228), r["map"])
        if self.is_ready():
            assert self.port is not None
            highlights = {self.world.board.index[p]: k for p, k in ((self.selected, "target"),
                                                                     (self.route_from, "move")) if p is not None}
            self.port.draw(surface, self.state, mode="control", highlights=highlights, arrows=[], hover=None,
                           side=None, legend=False)
            self.draw_drag(surface)
        elif self.error:
            draw_problems(surface, r["map"], f"{self.path.name} cannot be opened in the editor", self.error,
                          "Fix the file (python main.py validate FILE), then open it again. Esc goes back.",
                          self.scale)
        else:
            w.text(surface, f"Opening {self.path.name} …", r["map"].center, self.s(22), w.MUTED, anchor="center")
        self._draw_top(surface, r["top"])
        w.panel(surface, r["panel"], w.PAPER, w.EDGE, radius=0)
        self.panel.draw(surface)
        self._draw_status(surface, r["status"])

    def title(self) -> str:
        dirty = self.edits is not None and self.edits.dirty
        return f"Map editor · {self.path.name}{' •' if dirty else ''}"

    def title_width(self) -> int:
        from .. import fonts

        return int(fonts.font(self.s(17), True).size(self.title() + " •")[0])

    title_room = 200

    def _draw_top(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        pygame.draw.rect(surface, w.DARK, rect)
        title = self.title() if self.title_width() <= self.title_room else self.title().replace("Map editor · ", "")
        w.text(surface, fit(title, self.s(17), self.title_room, True), (self.s(12), rect.centery),
               self.s(17), w.LIGHT, bold=True, anchor="midleft")

    def status_height(self) -> int:
        """One line for the status, or two when the longest tool hint needs them (a narrow or scaled window)."""
        lines = min(2, len(w.wrap(HINTS["move"], self.s(15), self.app.size[0] - self.s(24))))
        return max(self.s(34), lines * int(self.s(15) * 1.25) + self.s(12))

    def _draw_status(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        pygame.draw.rect(surface, (226, 222, 212), rect)
        pygame.draw.line(surface, w.EDGE, rect.topleft, rect.topright)
        text, kind = self.status
        colour = {"warn": w.WARN, "good": w.GOOD}.get(kind, w.INK)
        size, step, width = self.s(15), int(self.s(15) * 1.25), rect.width - self.s(24)
        room = max(1, (rect.height - self.s(8)) // step)
        lines = w.wrap(text, size, width)
        if len(lines) > room:
            lines = lines[:room - 1] + [fit(" ".join(lines[room - 1:]), size, width)]
        y = rect.centery - len(lines) * step // 2
        for k, line in enumerate(lines):
            w.text(surface, line, (self.s(12), y + k * step), size, colour)

    def draw_over(self, surface: pygame.Surface) -> None:
        if self.problems and not self.covered:
            draw_problems(surface, self.layout()["map"], self.problems_title, self.problems,
                          "Esc hides this list.", self.scale)
        elif not self.covered:
            self.panel.draw_tip(surface, self.mouse)


def share_territory(old: Any, new: Any) -> None:
    """An edit that moved no place leaves the map's areas as they were: let the new world's renderer reuse
    the old one's territory raster instead of computing it again (most of the time an edit takes)."""
    try:
        from ..mapdraw import _TERRITORIES as cache
    except ImportError:
        return
    places = [(p.id, p.lat, p.lon) for p in old.board.places]
    if places != [(p.id, p.lat, p.lon) for p in new.board.places] or old.meta.outline != new.meta.outline:
        return
    for (digest, outline, width), territory in list(cache.items()):
        if digest == old.digest():
            cache[(new.digest(), outline, width)] = territory
