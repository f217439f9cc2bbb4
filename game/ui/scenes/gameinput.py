"""Mouse and keyboard on the map scene: select, right-click or drag to order, pan, zoom, shortcuts."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pygame

from game.engine import Withdraw

from .base import is_ctrl, is_shift
from .mapport import MODES
from .placemenu import PlaceMenu
from .planning import order_for_click, patron_order_at

if TYPE_CHECKING:
    from .game import GameScene

    _Base = GameScene
else:
    _Base = object

DRAG_PIXELS = 8
CLICK_SLOP = 7
"""Pixels (before the UI scale) around a click in which another place's marker makes the click ambiguous."""


class GameInput(_Base):
    """Event handling for GameScene (kept apart to keep each module small)."""

    mouse: tuple[int, int] = (0, 0)
    pressed_at: tuple[tuple[int, int], int | None, int] | None = None
    dragging = False
    menu: PlaceMenu | None = None

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEMOTION:
            self.mouse = event.pos
            self._motion(event)
            return False
        if self.anim is not None:
            if event.type == pygame.KEYDOWN and event.key in (pygame.K_SPACE, pygame.K_RETURN, pygame.K_ESCAPE) or \
                    event.type == pygame.MOUSEBUTTONDOWN:
                self.anim.skip()
                return True
            return event.type == pygame.MOUSEBUTTONUP or is_planning_key(event)
        if self.resolving:
            return event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP) or is_planning_key(event)
        if self.menu is not None:
            return self._menu_event(event)
        if event.type == pygame.KEYDOWN:
            return self._key(event)
        if event.type == pygame.MOUSEBUTTONDOWN:
            self.mouse = event.pos
            return self._button_down(event)
        if event.type == pygame.MOUSEBUTTONUP:
            self.mouse = event.pos
            return self._button_up(event)
        if event.type == pygame.MOUSEWHEEL:
            return self._wheel(event)
        return False

    # --- keyboard

    def _key(self, event: pygame.event.Event) -> bool:
        k = event.key
        step = self.s(90)
        pans = {pygame.K_LEFT: (step, 0), pygame.K_RIGHT: (-step, 0), pygame.K_UP: (0, step),
                pygame.K_DOWN: (0, -step)}
        if k in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.end_turn()
        elif k == pygame.K_ESCAPE:
            self.cancel()
        elif k == pygame.K_TAB:
            self.cycle_unit(-1 if is_shift(event) else 1)
        elif k == pygame.K_z and is_ctrl(event):
            self.undo()
        elif k == pygame.K_HOME:
            self.port.fit()
        elif k in pans:
            self.port.pan(*pans[k])
            self.gesture()
        elif k in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS, pygame.K_MINUS, pygame.K_KP_MINUS):
            at = self.mouse if self.port.contains(self.mouse) else self.port.rect.center  # as the wheel (F1 says so)
            self.port.zoom_at(at, 0.8 if k in (pygame.K_MINUS, pygame.K_KP_MINUS) else 1.25)
        elif k == pygame.K_m:
            self.cycle_mode()
        elif k == pygame.K_F5:
            self.app.save_game()
        elif k == pygame.K_l:
            self.legend = not self.legend
        elif k == pygame.K_r:
            self.show_report()
        elif k == pygame.K_u:
            self.open_umpire()
        elif k in (pygame.K_h, pygame.K_e, pygame.K_w):
            self.posture({pygame.K_h: "hold", pygame.K_e: "entrench", pygame.K_w: "withdraw"}[k])
        elif k in (pygame.K_DELETE, pygame.K_BACKSPACE):
            self.delete_selected_order()
        else:
            return False
        return True

    def cancel(self) -> None:
        """Esc: stop targeting, else drop the selection, else open the menu."""
        if self.targeting is not None:
            self.targeting, self.prompt = None, None
            self.refresh_panel()
        elif self.selected is not None:
            self.select(None)
        else:
            self.open_menu()

    def cycle_unit(self, direction: int) -> None:
        """Tab: the next unit of this seat; the map pans only when it is out of view."""
        units = self.own_units()
        if not units:
            self.show_reason("No unit of yours to select.")
            return
        k = units.index(self.selected) + direction if self.selected in units else (0 if direction > 0 else -1)
        before = (self.port.camera.cx, self.port.camera.cy)
        self.select(units[k % len(units)], show=True)
        if (self.port.camera.cx, self.port.camera.cy) != before:
            self.gesture()

    def cycle_mode(self) -> None:
        """M: the next map mode (only the mode button's label changes on the screen's buttons)."""
        from .mapport import MODE_TITLES

        self.mode = (self.mode + 1) % len(MODES)
        if MODES[self.mode] == "supply":
            self.notice("supply")
        button = getattr(self, "mode_button", None)
        if button is not None and button.alive():
            button.set_text(f"Map: {MODE_TITLES[MODES[self.mode]]}")
        else:
            self.rebuild()
        self.app.dirty = True

    def delete_selected_order(self) -> None:
        if self.selected is None:
            return
        uid = self.state.units[self.selected].id
        side = self.state.world.side_of(int(self.state.u_faction[self.selected]))
        for i, o in enumerate(self.session.planned.get(side, [])):
            if getattr(o, "unit", None) == uid:
                self.remove_order(side, i)
                return

    def open_menu(self) -> None:
        from .dialogs import MenuScene

        self.app.push(MenuScene(self.app))

    def app_help(self) -> None:
        from .help import HelpScene

        self.app.push(HelpScene(self.app))

    # --- mouse

    def _button_down(self, event: pygame.event.Event) -> bool:
        pos = event.pos
        if self.panel.rect.collidepoint(pos):
            return self.panel.click(pos) if event.button == 1 else False
        if not self.port.contains(pos):
            return False
        if event.button == 1 and self.legend_hit(pos):
            self.legend = not self.legend
            return True
        if event.button == 3:
            self.pick_then(pos, self.right_click)
        elif event.button in (1, 2):
            unit = self.port.pick_unit(self.state, pos) if event.button == 1 else None
            self.pressed_at, self.dragging = (pos, unit, event.button), False
        return True

    def legend_hit(self, pos: tuple[int, int]) -> bool:
        if not self.legend:
            return self.legend_chip().collidepoint(pos)
        box = getattr(self.port.renderer, "legend_surface", None)
        if box is None:
            return False
        size = box(self.map_state(), MODES[self.mode], self.active_side).get_size()
        return self.legend_rect(size, self.layout()["map"]).collidepoint(pos)

    def _motion(self, event: pygame.event.Event) -> None:
        if self.menu is not None:
            self.menu.hover(event.pos)
            return
        if self.pressed_at is None or self.anim is not None:
            return
        start, unit, _ = self.pressed_at
        if not self.dragging and math.dist(start, event.pos) >= DRAG_PIXELS:
            self.dragging = True
            if unit is not None and self.is_mine_unit(unit) and unit != self.selected:
                self.select(unit)
        if self.dragging and not self.is_drag_order():
            self.port.pan(*event.rel)
            self.gesture()

    def is_drag_order(self) -> bool:
        return self.pressed_at is not None and self.pressed_at[1] is not None and self.pressed_at[1] == self.selected \
            and self.pressed_at[2] == 1

    def drag_target(self) -> int | None:
        if not (self.dragging and self.is_drag_order()):
            return None
        return self.aim_place(self.mouse)

    def _button_up(self, event: pygame.event.Event) -> bool:
        if self.pressed_at is None:
            return False
        press, dragging = self.pressed_at, self.dragging
        self.pressed_at, self.dragging = None, False
        if dragging:
            if press[1] is not None and press[1] == self.selected and press[2] == 1:
                self.right_click(event.pos)
            return True
        if press[2] == 1:
            self.pick_then(press[0], self.left_click)
        return True

    def _wheel(self, event: pygame.event.Event) -> bool:
        pos = self.mouse
        if self.port.contains(pos):
            self.port.zoom_at(pos, 1.15 ** event.y)
            self.gesture()
            return True
        if self.panel.rect.collidepoint(pos):
            self.panel.wheel(event.y)
            return True
        return False

    # --- clicks on the map

    def pick_then(self, pos: tuple[int, int], act: object) -> None:
        """Run a click at once, or first ask which place was meant when markers of several places lie
        under it (and no counter was hit squarely)."""
        if self.port.pick_unit(self.state, pos) is None:
            near = self.port.places_near(self.state, pos, self.s(CLICK_SLOP) + self.s(6))
            if len(near) > 1:
                names = [self.state.world.board.places[p].name for p in near[:6]]
                self.menu = PlaceMenu(self, pos, list(zip(names, near[:6])), act)
                return
        act(pos)  # type: ignore[operator]

    def _menu_event(self, event: pygame.event.Event) -> bool:
        menu = self.menu
        assert menu is not None
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.menu = None
        elif event.type == pygame.MOUSEBUTTONDOWN:
            place = menu.choice_at(event.pos)
            self.menu = None
            if place is not None:
                menu.act(self.port.place_xy(place), place)
        return event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEWHEEL)

    def left_click(self, pos: tuple[int, int], place: int | None = None) -> None:
        if self.targeting in ("strike", "reinforce"):
            self.target_click(pos, place)
            return
        if self.targeting == "withdraw":
            self.right_click(pos, place)
            return
        stack = self.port.units_at(self.state, pos) if place is None else \
            [u for u in self.own_units() if int(self.state.u_place[u]) == place]
        mine = [u for u in stack if self.is_mine_unit(u)]
        if mine:
            k = (mine.index(self.selected) + 1) % len(mine) if self.selected in mine else 0
            self.select(mine[k])
            return
        place = place if place is not None else self.port.pick_place(self.state, pos)
        if place is not None and self.selected is None:
            self.flash = (place, self.app.time + 0.6)
        self.select(None)

    def target_click(self, pos: tuple[int, int], place: int | None = None) -> None:
        place = place if place is not None else self.port.pick_place(self.state, pos)
        side = self.active_side
        if place is None or side is None or self.targeting is None:
            return
        order = patron_order_at(self.state, self.legal.get(self.state, side), self.targeting, place)
        if order is None:
            name = self.state.world.board.places[place].name
            what = "an air strike" if self.targeting == "strike" else "reinforcements"
            self.show_reason(f"{name} is not a place for {what} now: choose a highlighted place.", pos)
            return
        self.plan(order, pos)

    def aim_place(self, pos: tuple[int, int]) -> int | None:
        """The place an order aimed at `pos` means: with a unit selected, the highlighted place (one it may
        move to or attack) whose marker is nearest within a finger's width, even where another stack's
        counters are drawn over it; otherwise the place under the cursor."""
        if self.selected is not None and self.targeting in (None, "withdraw"):
            marks = self.highlights()
            for p in self.port.places_near(self.state, pos, self.s(CLICK_SLOP) + self.s(8)):
                if marks.get(p) in ("attack", "move", "withdraw"):
                    return p
        return self.port.pick_place(self.state, pos)

    def right_click(self, pos: tuple[int, int], place: int | None = None) -> None:
        place = place if place is not None else self.aim_place(pos)
        if place is None:
            return
        if self.targeting in ("strike", "reinforce"):
            self.target_click(pos, place)
            return
        if self.selected is None:
            self.show_reason("Select one of your units first (click it, or press Tab).", pos)
            return
        legal = self.legal.for_unit(self.state, self.selected)
        if self.targeting == "withdraw":
            legal = [o for o in legal if isinstance(o, Withdraw)]
        order, reason = order_for_click(self.state, legal, self.selected, place)
        if order is None:
            reason = reason.replace("can only hold or withdraw", "can only hold or fall back")
            self.show_reason(f"{self.state.world.board.places[place].name}: {reason}", pos)
        else:
            self.plan(order, pos)


def is_planning_key(event: pygame.event.Event) -> bool:
    """A key press that would change the plan: held back while a turn resolves or plays back. Fullscreen
    (F11) and the screenshot (F12) still work then."""
    return event.type == pygame.KEYDOWN and event.key not in (pygame.K_F11, pygame.K_F12)
