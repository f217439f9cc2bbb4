"""The orders panel beside the map: whose orders, the selected unit (with posture buttons) or the
patron's spending (within capacity), and the list of planned orders with undo per order."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame
import pygame_gui

from game.engine import CHANNELS, Posture, Supply, SupplySurge
from game.engine.orders import order_cost
from game.engine.types import Channel

from .scenes import widgets as w
from .scenes.eventtext import describe_order

if TYPE_CHECKING:
    from .scenes.game import GameScene


class OrdersPanel:
    """Top part of the right-hand panel; its buttons are rebuilt whenever `refresh` is called."""

    def __init__(self, scene: GameScene) -> None:
        self.scene = scene
        self.rect = pygame.Rect(0, 0, 1, 1)
        self.group: list[pygame_gui.core.UIElement] = []
        self.list_top = 0
        self.row_h = 24
        self.scroll = 0

    def s(self, px: float) -> int:
        return self.scene.s(px)

    # --- buttons

    def refresh(self, rect: pygame.Rect | None = None) -> None:
        if rect is not None:
            self.rect = rect.copy()
        sc = self.scene
        sc.kill_group(self.group)
        seat = sc.session.current_seat()
        x, y = self.rect.left + self.s(10), self.rect.top + self.s(40)
        if seat is not None and len(seat.sides) > 1:
            y = self._side_tabs(seat.sides, x, y)
        self.card_top = y
        y += self.s(132)
        side = sc.active_side
        if side is not None and side in sc.state.world.patron_index:
            self._patron_buttons(side, x, y)
        elif sc.selected is not None:
            self._posture_buttons(x, y)
        y += self.s(46)
        self.list_top = y + self.s(34)
        bw = (self.rect.width - self.s(30)) // 2
        mine = any(sc.session.planned[s] for s in (seat.sides if seat else ()))
        sc.button(pygame.Rect(x, y, bw, self.s(30)), "Undo (Ctrl+Z)", sc.undo, "#quiet",
                  "Take back the last order you planned", enabled=mine, group=self.group)
        sc.button(pygame.Rect(x + bw + self.s(10), y, bw, self.s(30)), "Clear all", sc.clear_orders, "#quiet",
                  "Remove every planned order of this player", enabled=mine, group=self.group)
        if sc.covered:
            sc.cover(sc._cover or False)

    def _side_tabs(self, sides: tuple[str, ...], x: int, y: int) -> int:
        sc = self.scene
        per_row = 4
        bw = (self.rect.width - self.s(20) - (per_row - 1) * self.s(4)) // per_row
        for k, side in enumerate(sides):
            r, c = divmod(k, per_row)
            rect = pygame.Rect(x + c * (bw + self.s(4)), y + r * self.s(34), bw, self.s(30))
            label = sc.short_name(side)
            sc.button(rect, label, lambda s=side: sc.set_active_side(s), "#on" if side == sc.active_side else "#quiet",
                      f"Give orders for {sc.long_name(side)}", group=self.group)
        return y + ((len(sides) + per_row - 1) // per_row) * self.s(34) + self.s(4)

    def _posture_buttons(self, x: int, y: int) -> None:
        sc = self.scene
        bw = (self.rect.width - self.s(40)) // 3
        for k, (label, kind, tip) in enumerate((
                ("Hold (H)", "hold", "Stay and defend"),
                ("Entrench (E)", "entrench", "Dig in: a better defence, no movement"),
                ("Withdraw (W)", "withdraw", "Fall back to an adjacent friendly place before any fighting"))):
            sc.button(pygame.Rect(x + k * (bw + self.s(10)), y, bw, self.s(36)), label,
                      lambda kd=kind: sc.posture(kd), None, tip, group=self.group)

    def _patron_buttons(self, side: str, x: int, y: int) -> None:
        sc = self.scene
        st = sc.state
        r = st.rules
        pat = st.world.patrons[st.world.patron_index[side]]
        bw = (self.rect.width - self.s(40)) // 3
        left = sc.session.capacity_left
        entries = [(f"Strike ({r.cost_air_strike:g})", lambda: sc.start_targeting("strike"),
                    left(side, Channel.AIR) >= r.cost_air_strike,
                    "Air strike: then click a highlighted place with enemy units"),
                   (f"Reinforce ({r.cost_reinforce:g})", lambda: sc.start_targeting("reinforce"),
                    left(side, Channel.GROUND) >= r.cost_reinforce,
                    "Then click a highlighted place along the open corridor")]
        planned = sc.session.planned[side]
        todo = [c for c in pat.clients if SupplySurge(side, c) not in planned]
        if pat.clients:
            names = " or ".join(sc.short_name(c) for c in pat.clients)
            entries.append((f"Surge ({r.cost_supply_surge:g})",
                            lambda: sc.plan(SupplySurge(side, todo[0])) if todo else None,
                            left(side, Channel.SUPPLY) >= r.cost_supply_surge and bool(todo),
                            f"Push supplies to {names} (click again for the next client)"))
        for k, (label, action, ok, tip) in enumerate(entries):
            active = sc.targeting == ("strike" if k == 0 else "reinforce" if k == 1 else "")
            sc.button(pygame.Rect(x + k * (bw + self.s(10)), y, bw, self.s(36)), label, action,
                      "#on" if active else None, tip, enabled=ok, group=self.group)

    # --- drawing

    def draw(self, surface: pygame.Surface) -> None:
        sc = self.scene
        seat = sc.session.current_seat()
        x = self.rect.left + self.s(10)
        title = f"Orders: {seat.label}" if seat else "The computer plays every side"
        title = fit_text(title, self.s(20), self.rect.width - self.s(20), True)
        w.text(surface, title, (x, self.rect.top + self.s(8)), self.s(20), w.INK, bold=True)
        card = pygame.Rect(x, self.card_top, self.rect.width - self.s(20), self.s(126))
        side = sc.active_side
        if side is not None and side in sc.state.world.patron_index:
            self._patron_card(surface, side, card)
        elif sc.selected is not None:
            self._unit_card(surface, sc.selected, card)
        else:
            self._hint(surface, card)
        self._order_list(surface)

    def _hint(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        sc = self.scene
        seat = sc.session.current_seat()
        if seat is None:
            msg = "Press End turn (Enter) to watch the next day."
        else:
            units = sc.own_units()
            done = sum(1 for u in units if sc.session.order_for_unit(sc.state.units[u].id) is not None)
            msg = (f"Click one of your units (or press Tab) to select it, then right-click a highlighted place to "
                   f"move or attack. Units without orders hold.\n{done} of {len(units)} units have orders.")
        w.paragraph(surface, msg, rect, self.s(16), w.MUTED)

    def _unit_card(self, surface: pygame.Surface, u: int, rect: pygame.Rect) -> None:
        sc = self.scene
        st = sc.state
        info = st.units[u]
        place = st.world.board.places[int(st.u_place[u])]
        fac = st.world.factions[int(st.u_faction[u])]
        size = self.s(16)
        y = rect.top
        w.text(surface, fit_text(info.name, self.s(18), rect.width, True), (rect.left, y), self.s(18), w.INK, bold=True)
        y += self.s(26)
        kind = f"{info.type.value.replace('_', ' ')} · {fac.short} · at {place.name}"
        w.text(surface, fit_text(kind, size, rect.width), (rect.left, y), size, w.MUTED)
        y += self.s(22)
        supply = Supply(int(st.u_supply[u])).label
        w.text(surface, f"{round(float(st.u_strength[u])):,} troops · quality {info.quality:g} · {supply}",
               (rect.left, y), size, w.WARN if supply == "cut" else w.INK)
        y += self.s(24)
        w.text(surface, "Cohesion", (rect.left, y), size, w.INK)
        w.bar(surface, pygame.Rect(rect.left + self.s(84), y + self.s(3), self.s(120), self.s(12)),
              float(st.u_cohesion[u]), sc.faction_rgb(int(st.u_faction[u])), mark=fac.breakpoint)
        w.text(surface, f"{float(st.u_cohesion[u]):.2f} · {Posture(int(st.u_posture[u])).label}",
               (rect.left + self.s(214), y), size, w.INK)
        y += self.s(24)
        order = sc.session.order_for_unit(info.id)
        text = describe_order(st, order, sc.names, with_unit=False) if order else "No order yet: it will hold."
        w.text(surface, fit_text(text, size, rect.width, order is not None), (rect.left, y), size,
               w.ACCENT if order else w.MUTED, bold=order is not None)

    def _patron_card(self, surface: pygame.Surface, side: str, rect: pygame.Rect) -> None:
        sc = self.scene
        st = sc.state
        pi = st.world.patron_index[side]
        pat = st.world.patrons[pi]
        size = self.s(16)
        left, total = sc.session.capacity_left(side), float(st.p_capacity[pi])
        w.text(surface, fit_text(pat.name, self.s(18), rect.width, True), (rect.left, rect.top), self.s(18), w.INK,
               bold=True)
        clients = ", ".join(sc.short_name(c) for c in pat.clients) or "none (interdicts " + \
            ", ".join(sc.long_name(p) for p in pat.interdicts) + ")"
        w.text(surface, f"Helps: {clients}", (rect.left, rect.top + self.s(26)), size, w.MUTED)
        each = " · ".join(f"{c.value} {sc.session.capacity_left(side, c):g}" for c in CHANNELS)
        w.text(surface, f"Capacity left of {total:g} each: {each}", (rect.left, rect.top + self.s(48)), size,
               w.WARN if left <= 0 else w.INK, bold=True)
        w.text(surface, f"Reserve {round(float(st.p_reserve[pi])):,} troops", (rect.left, rect.top + self.s(70)),
               size, w.INK)
        x = rect.left
        for k, ch in enumerate(CHANNELS):
            y = rect.top + self.s(96)
            w.text(surface, ch.value, (x, y), self.s(14), w.INK)
            w.bar(surface, pygame.Rect(x + self.s(54), y + self.s(3), self.s(56), self.s(11)),
                  float(st.p_support[pi, k]), w.ACCENT)
            x += self.s(120)

    def _order_list(self, surface: pygame.Surface) -> None:
        sc = self.scene
        seat = sc.session.current_seat()
        x = self.rect.left + self.s(10)
        rows = self.rows()
        w.text(surface, f"Planned orders ({len(rows)})", (x, self.list_top - self.s(2)), self.s(17), w.INK, bold=True)
        self.row_h = self.s(26)
        top = self.list_top + self.s(24)
        clip = surface.get_clip()
        area = pygame.Rect(self.rect.left, top, self.rect.width, self.rect.bottom - top)
        surface.set_clip(area)
        if not rows and seat is not None:
            w.text(surface, "None yet.", (x, top), self.s(15), w.MUTED)
        for k, (side, _i, order) in enumerate(rows):
            y = top + k * self.row_h - self.scroll
            cost = order_cost(sc.state, order)
            label = describe_order(sc.state, order, sc.names) + (f" ({cost:g})" if cost else "")
            sel = sc.selected is not None and getattr(order, "unit", None) == sc.state.units[sc.selected].id
            if sel:
                pygame.draw.rect(surface, (255, 236, 170), (x - 4, y, self.rect.width - self.s(12), self.row_h - 2))
            pygame.draw.rect(surface, sc.side_rgb(side), (x, y + self.s(6), self.s(10), self.s(12)))
            w.text(surface, fit_text(label, self.s(15), self.rect.width - self.s(64)), (x + self.s(16), y + self.s(3)),
                   self.s(15), w.INK)
            xr = self.undo_rect(y)
            pygame.draw.rect(surface, (226, 222, 212), xr, border_radius=4)
            w.text(surface, "×", xr.center, self.s(18), w.WARN, bold=True, anchor="center")
        surface.set_clip(clip)

    def rows(self) -> list[tuple[str, int, object]]:
        seat = self.scene.session.current_seat()
        if seat is None:
            return []
        return [(side, i, o) for side in seat.sides for i, o in enumerate(self.scene.session.planned[side])]

    def undo_rect(self, y: int) -> pygame.Rect:
        return pygame.Rect(self.rect.right - self.s(38), y + 1, self.s(28), self.row_h - 4)

    def row_at(self, pos: tuple[int, int]) -> tuple[int, bool] | None:
        """(row number, on its × button) under `pos`, or None."""
        top = self.list_top + self.s(24)
        if not self.rect.collidepoint(pos) or pos[1] < top:
            return None
        k = (pos[1] - top + self.scroll) // max(1, self.row_h)
        if not 0 <= k < len(self.rows()):
            return None
        return k, self.undo_rect(top + k * self.row_h - self.scroll).collidepoint(pos)

    def click(self, pos: tuple[int, int]) -> bool:
        hit = self.row_at(pos)
        if hit is None:
            return False
        side, i, order = self.rows()[hit[0]]
        if hit[1]:
            self.scene.remove_order(side, i)
        elif hasattr(order, "unit"):
            self.scene.select(self.scene.state.unit_index()[order.unit], centre=True)  # type: ignore[attr-defined]
        elif getattr(order, "place", None) in self.scene.state.world.board.index:
            place = self.scene.state.world.board.index[order.place]  # type: ignore[attr-defined]
            self.scene.port.centre_on(place)
            self.scene.flash = (place, self.scene.app.time + 1.5)
        return True

    def wheel(self, dy: int) -> None:
        total = len(self.rows()) * self.row_h
        room = self.rect.bottom - self.list_top - self.s(24)
        self.scroll = max(0, min(max(0, total - room), self.scroll - dy * self.row_h))


def fit_text(s: str, size: int, width: int, bold: bool = False) -> str:
    """`s`, shortened with an ellipsis to fit `width` pixels."""
    f = w.fonts.font(size, bold)
    if f.size(s)[0] <= width:
        return s
    while s and f.size(s + "…")[0] > width:
        s = s[:-1]
    return s + "…"
