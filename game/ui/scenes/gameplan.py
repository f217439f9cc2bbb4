"""Planning on the map scene: selecting, giving orders (with the reason at the place when one is
refused), postures, a patron's targets, undo, and the combat preview of a possible attack (a mixin of
GameScene, kept apart to keep each module small)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.engine import Attack, Entrench, Hold, Move, Order, Withdraw
from game.engine.orders import order_owner
from game.engine.preview import AttackPreview, preview_attack

from .planning import own_units

if TYPE_CHECKING:
    from .game import GameScene

    _Base = GameScene
else:
    _Base = object


class GamePlan(_Base):
    """Orders for GameScene."""

    # --- planning

    def own_units(self) -> list[int]:
        seat = self.session.current_seat()
        return own_units(self.state, seat.sides) if seat else []

    def is_mine(self, side: str) -> bool:
        seat = self.session.current_seat()
        return seat is not None and side in seat.sides

    def is_mine_unit(self, unit: int) -> bool:
        """Whether the players at the keyboard give this unit its orders (a patron's seat commands its forces)."""
        return self.is_mine(self.state.world.side_of(int(self.state.u_faction[unit])))

    def select(self, unit: int | None, show: bool = False) -> None:
        """Select a unit (None: nothing); `show` pans just enough to bring it into view."""
        self.selected, self.targeting, self.prompt = unit, None, None
        if unit is not None:
            self.active_side = self.state.world.side_of(int(self.state.u_faction[unit]))
            self.tab = "orders"
            if show:
                self.port.show(int(self.state.u_place[unit]))
            self.notice("select")
        self.refresh_panel()

    def set_active_side(self, side: str) -> None:
        self.active_side = side
        if self.selected is not None and self.state.world.side_of(int(self.state.u_faction[self.selected])) != side:
            self.selected = None
        self.targeting, self.prompt = None, None
        self.refresh_panel()

    def plan(self, order: Order, pos: tuple[int, int] | None = None) -> bool:
        side = order_owner(self.state, order)
        reason = "unknown unit" if side is None else self.session.plan(side, order)
        if reason is not None:
            self.show_reason(self.about(order, reason), pos)
            return False
        if side in self.state.world.patron_index:
            self.notice("patron")
        elif isinstance(order, (Move, Attack)):
            self.notice("attack" if isinstance(order, Attack) else "move")
        if self.targeting in ("strike", "reinforce") and side is not None:
            if not self.panel.patron_action_ok(side, self.targeting)[0]:
                self.targeting, self.prompt = None, None
        elif self.targeting == "withdraw":
            self.targeting, self.prompt = None, None
        self.refresh_panel()
        return True

    def about(self, order: Order, reason: str) -> str:
        """A refusal that names the place it is about, in the game's words (a routed unit falls back)."""
        where = getattr(order, "to", None) or getattr(order, "target", None) or getattr(order, "place", None)
        reason = reason.replace("can only hold or withdraw", "can only hold or fall back")
        return f"{self.names.p(where)}: {reason}" if where else reason

    def posture(self, kind: str) -> None:
        if self.selected is None:
            self.show_reason("Select one of your units first (click it, or press Tab).")
            return
        uid = self.state.units[self.selected].id
        if kind == "hold":
            self.plan(Hold(uid))
        elif kind == "entrench":
            self.plan(Entrench(uid))
        else:
            options = self.withdraw_options()
            if not options:
                self.show_reason("No adjacent friendly place free of enemies to withdraw to.")
            elif len(options) == 1:
                self.plan(options[0])
            else:
                self.targeting = "withdraw"
                self.prompt = "Withdraw: right-click (or click) a highlighted place to fall back to. Esc cancels."
                self.refresh_panel()

    def withdraw_options(self) -> list[Order]:
        if self.selected is None:
            return []
        return [o for o in self.legal.for_unit(self.state, self.selected) if isinstance(o, Withdraw)]

    def start_targeting(self, kind: str) -> None:
        self.selected = None
        self.targeting = kind
        what = "a highlighted place with enemy units to strike" if kind == "strike" else \
            "a highlighted place for the reinforcements to reach"
        self.prompt = f"Click {what}. Esc cancels."
        self.refresh_panel()

    def remove_order(self, side: str, index: int) -> None:
        self.session.remove(side, index)
        self.refresh_panel()

    def undo(self) -> None:
        seat = self.session.current_seat()
        if seat is None or self.session.undo(seat.sides) is None:
            self.show_reason("Nothing to undo.")
        self.refresh_panel()

    def clear_orders(self) -> None:
        seat = self.session.current_seat()
        for side in seat.sides if seat else ():
            self.session.clear(side)
        self.refresh_panel()

    def show_reason(self, text: str, pos: tuple[int, int] | None = None) -> None:
        """Show why something was refused next to the cursor (or atop the map when the cursor is elsewhere)."""
        if pos is None:
            area = self.port.rect
            pos = self.mouse if self.port.contains(self.mouse) else (area.left + self.s(20), area.top)
        self.cursor_msg = (text, pos, self.app.time + 3.5)
        self.app.dirty = True

    def attack_preview(self, unit: int, place: int) -> AttackPreview | None:
        """The combat model's preview of the selected unit (and any others of this seat already ordered to
        attack the same place) attacking `place`."""
        info = self.state.units[unit]
        target = self.state.world.board.places[place].id
        side = info.faction
        planned = self.session.planned.get(side, [])
        others = [o.unit for o in planned if isinstance(o, Attack) and o.target == target and o.unit != info.id]
        key = (target, ",".join(sorted([info.id, *others])))
        if key not in self._previews:
            try:
                self._previews[key] = preview_attack(self.state, side, [info.id, *others], target,
                                                     self.session.planned)
            except KeyError:
                return None
        return self._previews[key]
