"""The right-hand panel of the map: three tabs. Orders: whose orders, the selected unit (with its
actions and the other units of its stack) or the patron's spending, and every planned order (scrolling).
Victory: the scenario's conditions. Chart: victory points and cohesion over the turns so far.

Actions that cannot be done are disabled, with the reason in their tooltip."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame
import pygame_gui

from game.engine import AirStrike, Attack, Channel, Reinforce, SupplySurge
from game.engine.orders import order_cost, support_level

from . import cards
from .scenes import hud
from .scenes import widgets as w
from .scenes.eventtext import describe_order

if TYPE_CHECKING:
    from .scenes.game import GameScene

TABS = (("orders", "Orders", "Your orders and the selected unit"), ("victory", "Victory", "How to win"),
        ("chart", "Chart", "Victory points and cohesion by turn"))
PATRON_ACTIONS = {"strike": (AirStrike, Channel.AIR, "air"), "reinforce": (Reinforce, Channel.GROUND, "ground")}


class OrdersPanel:
    """The panel's buttons are rebuilt by `refresh`; `draw` draws the rest at the positions it laid out."""

    def __init__(self, scene: GameScene) -> None:
        self.scene = scene
        self.rect = pygame.Rect(0, 0, 1, 1)
        self.group: list[pygame_gui.core.UIElement] = []
        self.scroll = 0
        self.row_h = 24
        self.card = pygame.Rect(0, 0, 1, 1)
        self.stack = w.ListView(pygame.Rect(0, 0, 1, 1), 14)
        self.list_top = 0
        self.body = pygame.Rect(0, 0, 1, 1)
        self.content_h = 0

    def s(self, px: float) -> int:
        return self.scene.s(px)

    # --- buttons and layout

    def refresh(self, rect: pygame.Rect | None = None) -> None:
        if rect is not None:
            self.rect = rect.copy()
        sc = self.scene
        sc.kill_group(self.group)
        pad = self.s(8)
        x, y = self.rect.left + pad, self.rect.top + pad
        gap = self.s(6)
        tw = (self.rect.width - 2 * pad - 2 * gap) // 3
        for k, (tab, label, tip) in enumerate(TABS):
            sc.button(pygame.Rect(x + k * (tw + gap), y, tw, self.s(30)), label, lambda t=tab: sc.set_tab(t),
                      "#tab" if tab == sc.tab else "#quiet", tip, group=self.group)
        self.body = pygame.Rect(x, y + self.s(38), self.rect.width - 2 * pad, self.rect.bottom - y - self.s(44))
        if sc.tab == "orders":
            self._orders_buttons()
        if sc.covered:
            sc.cover(sc._cover or False)

    def _orders_buttons(self) -> None:
        sc = self.scene
        seat = sc.session.current_seat()
        x, y, width = self.body.left, self.body.top + self.s(26), self.body.width
        if seat is not None and len(seat.sides) > 1:
            y = self._side_tabs(seat.sides, x, y, width)
        self.card = pygame.Rect(x, y, width, cards.card_height(self.scene))
        y = self.card.bottom + self.s(6)
        side = sc.active_side
        actions: list[tuple[str, object, bool, str]] = []
        if side is not None and side in sc.state.world.patron_index:
            actions = self._patron_actions(side)
        elif sc.selected is not None:
            actions = self._unit_actions()
        y = self._flow(actions, x, y, width)
        self.stack.rect = pygame.Rect(x, y, width, 0)
        rows = cards.stack_rows(sc)
        if rows:
            self.stack.size = self.s(14)
            self.stack.rows = rows
            self.stack.selected = next((k for k, r in enumerate(rows) if r.value == sc.selected), -1)
            room = max(self.s(40), (self.body.bottom - y) // 3)
            self.stack.rect = pygame.Rect(x, y + self.s(20), width, min(room, self.stack.content_height()))
            y = self.stack.rect.bottom + self.s(6)
        mine = any(sc.session.planned[s] for s in (seat.sides if seat else ()))
        bw = (width - self.s(8)) // 2
        why = "No order planned yet" if seat is not None else "The computer plays every side"
        sc.button(pygame.Rect(x, y, bw, self.s(30)), "Undo (Ctrl+Z)", sc.undo, "#quiet",
                  "Take back the last order you planned" if mine else why, enabled=mine, group=self.group)
        sc.button(pygame.Rect(x + bw + self.s(8), y, bw, self.s(30)), "Clear all", sc.clear_orders, "#quiet",
                  "Remove every planned order of this player" if mine else why, enabled=mine, group=self.group)
        self.list_top = y + self.s(38)

    def _flow(self, actions: list[tuple[str, object, bool, str]], x: int, y: int, width: int) -> int:
        """Buttons left to right, as wide as their labels, wrapping to a new row; returns the y below."""
        if not actions:
            return y
        sc = self.scene
        h, gap = self.s(32), self.s(6)
        widths = [sc.label_width(label, "#quiet") for label, *_ in actions]
        share = (width - gap * (len(actions) - 1)) // len(actions)
        if all(wd <= share for wd in widths):
            widths = [share] * len(actions)
        cx = x
        for (label, action, ok, tip), wd in zip(actions, widths):
            if cx > x and cx + wd > x + width:
                cx, y = x, y + h + gap
            sc.button(pygame.Rect(cx, y, min(wd, width), h), label, action, "#quiet", tip, enabled=ok,  # type: ignore
                      group=self.group)
            cx += wd + gap
        return y + h + gap

    def _side_tabs(self, sides: tuple[str, ...], x: int, y: int, width: int) -> int:
        sc = self.scene
        gap = self.s(4)
        cx = x
        for side in sides:
            label = sc.short_name(side)
            oid = "#tab" if side == sc.active_side else "#quiet"
            bw = sc.label_width(label, oid)
            if cx > x and cx + bw > x + width:
                cx, y = x, y + self.s(34)
            sc.button(pygame.Rect(cx, y, min(bw, width), self.s(30)), label, lambda s=side: sc.set_active_side(s),
                      oid, f"Give orders for {sc.long_name(side)}", group=self.group)
            cx += bw + gap
        return y + self.s(36)

    def _unit_actions(self) -> list[tuple[str, object, bool, str]]:
        sc = self.scene
        u = sc.selected
        assert u is not None
        legal = sc.legal.for_unit(sc.state, u)
        kinds = {type(o).__name__ for o in legal}
        withdraw = len(sc.withdraw_options())
        routed = "a routed unit can only hold or fall back" if int(sc.state.u_posture[u]) == 5 else ""
        return [("Hold (H)", lambda: sc.posture("hold"), "Hold" in kinds, "Stay and defend (H)"),
                ("Entrench (E)", lambda: sc.posture("entrench"), "Entrench" in kinds,
                 "Dig in: a better defence, no movement (E)" if "Entrench" in kinds else
                 (routed or "It cannot entrench now").capitalize()),
                ("Withdraw (W)", lambda: sc.posture("withdraw"), withdraw > 0,
                 "Fall back to an adjacent friendly place before any fighting (W)" if withdraw else
                 "No adjacent friendly place free of enemies to fall back to")]

    def patron_action_ok(self, side: str, kind: str) -> tuple[bool, str]:
        """Whether a patron can give an air strike ("strike") or reinforcements ("reinforce") now, and
        the tooltip: what it does, or why it cannot."""
        sc = self.scene
        st = sc.state
        pi = st.world.patron_index[side]
        name = st.world.patrons[pi].name
        cls, channel, word = PATRON_ACTIONS[kind]
        cost = st.rules.cost_air_strike if kind == "strike" else st.rules.cost_reinforce
        left = sc.session.capacity_left(side)
        if support_level(st, pi, channel) <= 0:
            return False, f"{name} gives no {word} support now"
        if kind == "reinforce" and float(st.p_reserve[pi]) <= 0:
            return False, f"{name} has no reserve troops left"
        if left < cost - 1e-9:
            return False, f"Not enough capacity left this turn ({left:g} of {float(st.p_capacity[pi]):g}; " \
                          f"this costs {cost:g})"
        if not any(isinstance(o, cls) for o in sc.legal.get(st, side)):
            return False, "No enemy units within reach of an air strike" if kind == "strike" else \
                "No place open to reinforcements now (the corridor is closed)"
        return True, "Air strike: then click a highlighted place with enemy units" if kind == "strike" else \
            "Reinforcements: then click a highlighted place along the open corridor"

    def _patron_actions(self, side: str) -> list[tuple[str, object, bool, str]]:
        sc = self.scene
        st = sc.state
        r = st.rules
        pat = st.world.patrons[st.world.patron_index[side]]
        out: list[tuple[str, object, bool, str]] = []
        for kind, label, cost in (("strike", "Strike", r.cost_air_strike), ("reinforce", "Reinforce",
                                                                           r.cost_reinforce)):
            ok, tip = self.patron_action_ok(side, kind)
            out.append((f"{label} ({cost:g})", lambda k=kind: sc.start_targeting(k), ok, tip))
        if pat.clients:
            planned = sc.session.planned[side]
            todo = [c for c in pat.clients if SupplySurge(side, c) not in planned]
            legal = [o for o in sc.legal.get(st, side) if isinstance(o, SupplySurge) and o in
                     [SupplySurge(side, c) for c in todo]]
            names = " or ".join(sc.short_name(c) for c in pat.clients)
            left = sc.session.capacity_left(side)
            ok = bool(legal) and left >= r.cost_supply_surge - 1e-9
            why = ("Every client already gets a surge this turn" if not todo else
                   f"Not enough capacity left this turn ({left:g})" if left < r.cost_supply_surge - 1e-9 else
                   f"{pat.name} cannot surge supplies now (no supply support, or no open way)")
            out.append((f"Surge ({r.cost_supply_surge:g})", lambda: sc.plan(legal[0]) if legal else None, ok,
                        f"Push supplies to {names} (click again for the next client)" if ok else why))
        return out

    # --- drawing

    def draw(self, surface: pygame.Surface) -> None:
        sc = self.scene
        w.panel(surface, self.rect, w.PAPER, w.EDGE, radius=0)
        with w.clipped(surface, self.body):
            if sc.tab == "victory":
                self.content_h = hud.draw_victory(surface, self.body, sc.display_state(), sc.long_name, self.s(14),
                                                  sc.short_name, self.scroll)
            elif sc.tab == "chart":
                self._charts(surface)
            else:
                self._orders(surface)

    def _charts(self, surface: pygame.Surface) -> None:
        sc = self.scene
        half = self.body.height // 2
        labels = [f.short for f in sc.state.world.factions]
        top = pygame.Rect(self.body.left, self.body.top, self.body.width, half)
        turns = sc.state.world.meta.turns
        hud.draw_chart(surface, top, sc.session.history, "score", sc._colours, labels, "Victory points",
                       self.s(14), sc.tip, turns)
        hud.draw_chart(surface, top.move(0, half), sc.session.history, "cohesion", sc._colours, labels,
                       "Cohesion", self.s(14), sc.tip, turns)

    def _orders(self, surface: pygame.Surface) -> None:
        sc = self.scene
        seat = sc.session.current_seat()
        title = f"Orders: {seat.label}" if seat else "The computer plays every side"
        shown = w.fit_text(title, self.s(16), self.body.width, True)
        r = w.text(surface, shown, self.body.topleft, self.s(16), w.INK, bold=True)
        if shown != title:
            sc.tip(r, title)
        cards.draw_card(sc, surface, self.card)
        if self.stack.rows and self.stack.rect.height:
            place = sc.state.world.board.places[int(sc.state.u_place[sc.selected])] if sc.selected is not None \
                else None
            head = f"At {place.name}: {len(self.stack.rows)} units" if place else "Units here"
            w.text(surface, w.fit_text(head, self.s(14), self.body.width, True),
                   (self.body.left, self.stack.rect.top - self.s(19)), self.s(14), w.INK, bold=True)
            self.stack.draw(surface)
        self._order_list(surface)

    def _order_list(self, surface: pygame.Surface) -> None:
        sc = self.scene
        seat = sc.session.current_seat()
        x = self.body.left
        rows = self.rows()
        w.text(surface, f"Planned orders ({len(rows)})", (x, self.list_top), self.s(15), w.INK, bold=True)
        self.row_h = self.s(24)
        area = self.list_area()
        with w.clipped(surface, area):
            if not rows and seat is not None:
                w.text(surface, "None yet: units without orders hold.", (x, area.top), self.s(14), w.MUTED)
            for k, (side, _i, order) in enumerate(rows):
                y = area.top + k * self.row_h - self.scroll
                if y + self.row_h < area.top or y > area.bottom:
                    continue
                cost = order_cost(sc.state, order)
                label = describe_order(sc.state, order, sc.names) + (f" ({cost:g})" if cost else "")
                sel = sc.selected is not None and getattr(order, "unit", None) == sc.state.units[sc.selected].id
                if sel:
                    pygame.draw.rect(surface, (255, 236, 170), (x - 4, y, area.width, self.row_h - 2))
                pygame.draw.rect(surface, sc.side_rgb(side), (x, y + self.s(6), self.s(8), self.s(12)))
                room = area.width - self.s(50)
                shown = w.fit_text(label, self.s(14), room)
                t = w.text(surface, shown, (x + self.s(14), y + self.s(3)), self.s(14), w.INK)
                if shown != label:
                    sc.tip(t, label)
                xr = self.undo_rect(y)
                pygame.draw.rect(surface, (226, 222, 212), xr, border_radius=4)
                w.text(surface, "×", xr.center, self.s(16), w.WARN, bold=True, anchor="center")
                sc.tip(xr, "Remove this order")
        total = len(rows) * self.row_h
        if total > area.height:
            h = max(self.s(16), area.height * area.height // total)
            y = area.top + (area.height - h) * self.scroll // max(1, total - area.height)
            pygame.draw.rect(surface, w.EDGE, (self.rect.right - self.s(6), y, self.s(4), h), border_radius=2)

    def list_area(self) -> pygame.Rect:
        top = self.list_top + self.s(22)
        return pygame.Rect(self.body.left, top, self.body.width, max(0, self.body.bottom - top))

    def rows(self) -> list[tuple[str, int, object]]:
        seat = self.scene.session.current_seat()
        if seat is None:
            return []
        return [(side, i, o) for side in seat.sides for i, o in enumerate(self.scene.session.planned[side])]

    def undo_rect(self, y: int) -> pygame.Rect:
        return pygame.Rect(self.body.right - self.s(30), y + 1, self.s(26), self.row_h - 4)

    def row_at(self, pos: tuple[int, int]) -> tuple[int, bool] | None:
        """(row number, on its × button) under `pos`, or None."""
        area = self.list_area()
        if self.scene.tab != "orders" or not area.collidepoint(pos):
            return None
        k = (pos[1] - area.top + self.scroll) // max(1, self.row_h)
        if not 0 <= k < len(self.rows()):
            return None
        return k, self.undo_rect(area.top + k * self.row_h - self.scroll).collidepoint(pos)

    def click(self, pos: tuple[int, int]) -> bool:
        sc = self.scene
        if sc.tab == "orders" and self.stack.rows and self.stack.rect.collidepoint(pos):
            row = self.stack.click(pos)
            if row is not None and isinstance(row.value, int):
                sc.select(row.value)
            return True
        hit = self.row_at(pos)
        if hit is None:
            return False
        side, i, order = self.rows()[hit[0]]
        if hit[1]:
            sc.remove_order(side, i)
        elif hasattr(order, "unit"):
            sc.select(sc.state.unit_index()[order.unit], show=True)  # type: ignore[attr-defined]
        elif getattr(order, "place", None) in sc.state.world.board.index:
            place = sc.state.world.board.index[order.place]  # type: ignore[attr-defined]
            sc.port.show(place)
            sc.flash = (place, sc.app.time + 1.5)
        return True

    def wheel(self, dy: int) -> None:
        if self.scene.tab == "victory":
            step = self.s(20)
            self.scroll = max(0, min(max(0, self.content_h - self.body.height + step), self.scroll - dy * step))
            return
        if self.stack.rows and self.stack.rect.collidepoint(self.scene.mouse):
            self.stack.wheel(dy)
            return
        total = len(self.rows()) * self.row_h
        room = self.list_area().height
        self.scroll = max(0, min(max(0, total - room), self.scroll - dy * self.row_h))


def attack_chance(scene: GameScene, order: object) -> str:
    """' · 31% to take it' for a planned attack (from the combat preview), else ''."""
    if not isinstance(order, Attack):
        return ""
    rows = scene.state.unit_index()
    b = scene.state.world.board
    if order.unit not in rows or order.target not in b.index:
        return ""
    p = scene.attack_preview(rows[order.unit], b.index[order.target])
    return f" · {p.chance:.0%} to take it" if p is not None and not p.uncontested else ""
