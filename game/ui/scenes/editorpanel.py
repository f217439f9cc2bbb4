"""The map editor's right-hand panel: the selected place's fields as pygame_gui widgets (name, kind,
terrain, value, fort, who holds it), a form to put a unit there, and its routes and units, each with a
remove mark. Every change is one edit of game.scenario.editing, undone with Ctrl+Z."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pygame
from pygame_gui.elements import UIDropDownMenu, UITextEntryLine

from game.engine import query

from . import widgets as w

if TYPE_CHECKING:
    from .editor import EditorScene

KINDS = ("city", "town", "crossing", "base", "airbase", "junction")
TERRAINS = ("urban", "open", "rough", "mountain", "desert")
FORTS = ("0", "1", "2", "3")
UNIT_TYPES = ("infantry", "militia", "mechanised", "armour", "special_forces", "artillery")
MENUS = ("kind", "terrain", "fort", "controller")
NEW_UNIT_STRENGTH = "1000"
ENTRY = "#editor_entry"


def entry_theme(app: Any, scale: float) -> str:
    """The object id of the editor's text boxes, themed once per UI manager with the game's font at the
    UI scale (pygame_gui's default text box font does not follow the scale)."""
    manager = app.manager
    if getattr(manager, "_junction_entry_scale", None) != scale:
        from ..app import FONT_DIR

        font: dict[str, str] = {"name": "dejavu", "size": str(max(8, round(16 * scale)))}
        regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            font.update(regular_path=str(regular), bold_path=str(bold))
        manager.get_theme().load_theme({ENTRY: {"font": font}})
        manager._junction_entry_scale = scale  # noqa: SLF001 - remembered on the manager it themed
    return ENTRY


class PlacePanel:
    """Widgets for one place; rebuilt with the scene's buttons whenever the place or the scenario changes."""

    def __init__(self, scene: EditorScene) -> None:
        self.scene = scene
        self.rect = pygame.Rect(0, 0, 1, 1)
        self.widgets: dict[str, Any] = {}
        self.labels: list[tuple[str, tuple[int, int]]] = []
        self.removers: list[tuple[pygame.Rect, str, str]] = []
        self.shortened: list[tuple[pygame.Rect, str]] = []
        """(where a row shortened with an ellipsis is, its whole text) for the tooltip."""
        """(where the remove mark is, "route" or "unit", the other place's id or the unit's id)."""
        self.list_rect = pygame.Rect(0, 0, 1, 1)
        self.scroll = 0
        self.unit_faction: str | None = None
        self.unit_type = "infantry"

    def s(self, px: float) -> int:
        return self.scene.s(px)

    # --- building

    def refresh(self) -> None:
        self.scene.rebuild()

    def build(self, rect: pygame.Rect) -> None:
        self.rect = rect
        self.widgets, self.labels, self.removers = {}, [], []
        scene, pid = self.scene, self.scene.selected
        if scene.edits is None or pid is None:
            return
        world, state = scene.world, scene.state
        place = world.board.places[world.board.index[pid]]
        pad, row, gap = self.s(12), self.s(30), self.s(5)
        label_w = self.s(90)
        x, width = rect.left + pad + label_w, rect.width - 2 * pad - label_w
        y = rect.top + pad + self.s(46)
        factions = [f.id for f in world.factions]
        controller = world.factions[int(state.controller[world.board.index[pid]])].id
        fields: list[tuple[str, str, Any]] = [
            ("name", "Name", place.name), ("kind", "Kind", (KINDS, place.kind.value)),
            ("terrain", "Terrain", (TERRAINS, place.terrain.value)), ("value", "Value", f"{place.value:g}"),
            ("fort", "Fort", (FORTS, str(place.fort))), ("controller", "Held by", (factions, controller))]
        apply_w = self.s(72)
        for key, label, value in fields:
            self.labels.append((label, (rect.left + pad, y + row // 2)))
            box = pygame.Rect(x, y, width, row)
            if isinstance(value, tuple):
                options, current = value
                self._add(key, UIDropDownMenu(list(options), current, box, scene.app.manager,
                                              expansion_height_limit=self.s(260)))
            else:
                box.width -= apply_w + gap
                self._add(key, UITextEntryLine(box, scene.app.manager, initial_text=str(value),
                                               object_id=entry_theme(scene.app, scene.scale)))
                scene.button(pygame.Rect(box.right + gap, y, apply_w, row), "Apply", self.apply, None,
                             f"Apply the {label.lower()} you typed (Enter in the box does too)")
            y += row + gap
        y += gap * 2
        self.labels.append(("New unit", (rect.left + pad, y + row // 2)))
        self.unit_faction = self.unit_faction if self.unit_faction in factions else controller
        half = (width - gap) // 2
        self._add("unit_faction", UIDropDownMenu(factions, self.unit_faction, pygame.Rect(x, y, half, row),
                                                 scene.app.manager, expansion_height_limit=self.s(220)))
        self._add("unit_type", UIDropDownMenu(list(UNIT_TYPES), self.unit_type,
                                              pygame.Rect(x + half + gap, y, width - half - gap, row),
                                              scene.app.manager, expansion_height_limit=self.s(220)))
        y += row + gap
        self._add("unit_strength", UITextEntryLine(pygame.Rect(x, y, half, row), scene.app.manager,
                                                   initial_text=NEW_UNIT_STRENGTH,
                                                   object_id=entry_theme(scene.app, scene.scale)))
        scene.button(pygame.Rect(x + half + gap, y, width - half - gap, row), "Add unit", self.add_unit, None,
                     "Put a unit of this faction and type here, with the number of troops typed on the left")
        y += row + gap * 2
        self.list_rect = pygame.Rect(rect.left + pad, y, rect.width - 2 * pad, rect.bottom - y - pad)

    def _add(self, key: str, element: Any) -> None:
        self.widgets[key] = element
        self.scene.ui.append(element)

    # --- reacting

    def typing(self) -> bool:
        """Whether a text box has the keyboard (the editor's shortcuts then wait)."""
        return any(isinstance(e, UITextEntryLine) and e.is_focused for e in self.widgets.values())

    def menu_changed(self, event: pygame.event.Event) -> bool:
        key = next((k for k, e in self.widgets.items() if e is event.ui_element), None)
        if key is None:
            return False
        if key == "unit_faction":
            self.unit_faction = event.text
        elif key == "unit_type":
            self.unit_type = event.text
        elif key in MENUS and self.scene.selected is not None and self.scene.edits is not None:
            value: Any = int(event.text) if key == "fort" else event.text
            if not self.scene.do(self.scene.edits.set_place, self.scene.selected, **{key: value}):
                self.refresh()
        return True

    def entry_finished(self, event: pygame.event.Event) -> bool:
        key = next((k for k, e in self.widgets.items() if e is event.ui_element), None)
        if key in ("name", "value"):
            self.apply()
            return True
        if key == "unit_strength":
            self.add_unit()
            return True
        return False

    def apply(self) -> None:
        """Apply the typed name and value (only what differs from the place's)."""
        scene, pid = self.scene, self.scene.selected
        if scene.edits is None or pid is None:
            return
        place = scene.world.board.places[scene.world.board.index[pid]]
        changes: dict[str, Any] = {}
        name = self.widgets["name"].get_text().strip()
        if name and name != place.name:
            changes["name"] = name
        text = self.widgets["value"].get_text().strip()
        try:
            value = float(text)
        except ValueError:
            scene.status = (f"Value: {text!r} is not a number.", "warn")
            return
        if value != place.value:
            changes["value"] = int(value) if value.is_integer() else value
        if not changes:
            scene.status = ("Nothing to apply: the name and value are as they were.", "info")
            return
        if not scene.do(scene.edits.set_place, pid, **changes):
            self.refresh()

    def add_unit(self) -> None:
        scene, pid = self.scene, self.scene.selected
        if scene.edits is None or pid is None:
            return
        text = self.widgets["unit_strength"].get_text().strip()
        try:
            strength = float(text)
        except ValueError:
            scene.status = (f"Troops: {text!r} is not a number of troops.", "warn")
            return
        faction = self.unit_faction or scene.world.factions[0].id
        scene.do(scene.edits.add_unit, faction, self.unit_type, pid, strength)

    def click(self, pos: tuple[int, int]) -> bool:
        scene = self.scene
        for rect, kind, what in self.removers:
            if rect.collidepoint(pos) and scene.edits is not None and scene.selected is not None:
                if kind == "route":
                    scene.do(scene.edits.remove_route, scene.selected, what)
                else:
                    scene.do(scene.edits.remove_unit, what)
                return True
        return self.rect.collidepoint(pos)

    def wheel(self, dy: int, pos: tuple[int, int]) -> bool:
        if not self.list_rect.collidepoint(pos):
            return False
        self.scroll = max(0, self.scroll - dy * self.s(24))
        self.scene.redraw()
        return True

    # --- drawing

    def draw(self, surface: pygame.Surface) -> None:
        scene, r, pad = self.scene, self.rect, self.s(12)
        if scene.edits is None:
            return
        if scene.selected is None:
            self._draw_help(surface)
            return
        world = scene.world
        i = world.board.index[scene.selected]
        place = world.board.places[i]
        w.text(surface, place.name, (r.left + pad, r.top + pad), self.s(21), w.INK, bold=True)
        w.text(surface, f"id: {place.id} · {place.lat:.4f} N, {place.lon:.4f} E", (r.left + pad, r.top + pad +
               self.s(27)), self.s(14), w.MUTED)
        for label, (x, y) in self.labels:
            w.text(surface, label, (x, y), self.s(15), w.INK, anchor="midleft")
        self._draw_lists(surface, i)

    def _draw_lists(self, surface: pygame.Surface, i: int) -> None:
        world, state = self.scene.world, self.scene.state
        rows: list[tuple[str, str | None, str]] = [("Routes", None, "")]
        for k, (a, b) in enumerate(world.board.ends.tolist()):
            if i in (a, b):
                other = world.board.places[b if a == i else a]
                route = world.board.routes[k]
                rows.append((f"{other.name} · {route.kind.value}{f' ({route.name})' if route.name else ''}",
                             "route", other.id))
        rows.append(("Units here", None, ""))
        for u in query.units_at(state, i).tolist():
            info = state.units[u]
            rows.append((f"{info.name} · {info.faction}, {info.type.value}, {state.u_strength[u]:,.0f} troops", "unit",
                         info.id))
        size, step = self.s(15), self.s(24)
        clip = surface.get_clip()
        surface.set_clip(self.list_rect)
        self.removers, self.shortened = [], []
        y = self.list_rect.top - self.scroll
        more = False
        bottom = self.list_rect.bottom - w.fonts.font(self.s(12), True).get_linesize()  # a line for 'more'
        for text, kind, what in rows:
            if kind is None:
                y += self.s(4)
            if y < self.list_rect.top or y + step > bottom:  # only whole rows are drawn
                more = more or y + step > bottom
                y += step
                continue
            if kind is None:
                w.text(surface, text, (self.list_rect.left, y), size, w.INK, bold=True)
            else:
                mark = pygame.Rect(self.list_rect.left, y, step - self.s(4), step - self.s(4))
                pygame.draw.rect(surface, (250, 226, 220), mark, border_radius=4)
                pygame.draw.rect(surface, w.WARN, mark, 1, border_radius=4)
                w.text(surface, "×", mark.center, size, w.WARN, bold=True, anchor="center")
                room = self.list_rect.right - mark.right - self.s(8)
                short = fit(text, size, room)
                at = w.text(surface, short, (mark.right + self.s(8), y + self.s(1)), size, w.INK, full=text)
                if short != text:
                    self.shortened.append((at, text))
                self.removers.append((mark, kind, what))
            y += step
        if more or self.scroll:
            w.text(surface, "▾ more (wheel)" if more else "▴ (wheel)", self.list_rect.bottomright, self.s(12),
                   w.ACCENT, bold=True, anchor="bottomright")
        surface.set_clip(clip)

    def draw_tip(self, surface: pygame.Surface, pos: tuple[int, int]) -> None:
        """The whole text of a list row shortened to fit, while the mouse is over it."""
        for rect, text in self.shortened:
            if rect.collidepoint(pos):
                size = self.s(14)
                w.tooltip(surface, w.wrap(text, size, self.s(360)), (pos[0], rect.bottom + 4), size,
                          bold_first=False)
                return

    def _draw_help(self, surface: pygame.Surface) -> None:
        r, pad = self.rect, self.s(14)
        w.text(surface, "No place selected", (r.left + pad, r.top + pad), self.s(21), w.INK, bold=True)
        text = ("Click a place to edit its name, kind, terrain, value, fort and who holds it, to add a unit "
                "there, and to remove its routes or units.\n\n"
                "Move tool (M): drag a place to move it; Shift+drag a unit counter onto another place.\n"
                "Routes tool (R): click two places to join them, or to cut the route between them.\n"
                "Control tool (C): click places to give them to the faction chosen at the top.\n\n"
                "Ctrl+Z undo · Ctrl+Y redo · Ctrl+S save (the file is checked first and keeps its comments) · "
                "Esc close.")
        w.paragraph(surface, text, pygame.Rect(r.left + pad, r.top + pad + self.s(40), r.width - 2 * pad,
                                               r.height - 2 * pad - self.s(40)), self.s(15), w.INK)


def fit(text: str, size: int, width: int, bold: bool = False) -> str:
    """`text` cut with an ellipsis to fit `width` pixels."""
    from .. import fonts

    font = fonts.font(size, bold)
    if font.size(text)[0] <= width:
        return text
    while text and font.size(text + "…")[0] > width:
        text = text[:-1]
    return text + "…"
