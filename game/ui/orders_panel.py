"""The right-hand panel of the map: four tabs (in two rows when the panel is too narrow for one).
Orders: whose orders, the selected unit (with its actions and every unit of its stack) or the patron's
spending, and every planned order. Victory: how the game is won, each side's standing against history
and its benchmarks (where the scenario has them), and the scenario's conditions. Sides: whom each faction
is allied with, neutral to and at war with, and what each patron does. Chart: standings (or victory
points) and cohesion over the turns so far.

The orders tab is one column that scrolls with the wheel when the window is too small for all of it.
Actions that cannot be done are disabled, with the reason in their tooltip."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui

from game.engine import Attack
from game.engine.benchmarks import benchmark_sides
from game.engine.orders import order_cost

from . import cards
from .actions import Action, patron_action_ok, patron_actions, unit_actions
from .scenes import hud
from .scenes import widgets as w
from .scenes.eventtext import order_parts
from .session import Snapshot

if TYPE_CHECKING:
    from .scenes.game import GameScene

TABS = (("orders", "Orders", "Your orders and the selected unit"),
        ("victory", "Victory", "How to win: each side's standing against history, and the conditions"),
        ("sides", "Sides", "Who is allied with, neutral to or at war with whom; what each patron does"),
        ("chart", "Chart", "Standing (or victory points) and cohesion by turn"))
TEXT_TABS = ("victory", "sides")
"""Tabs of wrapped text lines, scrolled by the wheel."""


@dataclass
class Item:
    """A drawn piece of the orders column: "title", "card", "head" (a heading), "stack" (a unit of the
    stack; value: its row) or "order" (value: (side, index, order)), at `rect` in window coordinates."""

    kind: str
    rect: pygame.Rect
    value: Any = None


class OrdersPanel:
    """The panel's buttons are rebuilt by `refresh`, which also lays out what `draw` draws."""

    def __init__(self, scene: GameScene) -> None:
        self.scene = scene
        self.rect = pygame.Rect(0, 0, 1, 1)
        self.group: list[pygame_gui.core.UIElement] = []
        self.scroll = 0
        self.content_h = 0
        self.reserve = False
        """Whether the rows continue below the body (a line is kept clear there for "more")."""
        self._pending: list[tuple[pygame.Rect, str, Any, str | None, str, bool]] = []
        """The column's buttons as laid out, made by `refresh` once the column's height is known."""
        self.body = pygame.Rect(0, 0, 1, 1)
        self.items: list[Item] = []
        self.version = 0
        """Counts the layouts: what is drawn changes only with a new one."""

    def s(self, px: float) -> int:
        return self.scene.s(px)

    # --- buttons and layout

    def refresh(self, rect: pygame.Rect | None = None) -> None:
        if rect is not None:
            self.rect = rect.copy()
        self.version += 1
        sc = self.scene
        self._build()
        if sc.tab == "orders" and self.scroll and self.content_h <= self.body.height:
            self.scroll = 0  # it all fits now: from the top
            self._build()
        # the column's buttons are made once its height is known: none in the "more" line when rows continue below
        self.reserve = sc.tab == "orders" and self.scroll + self.body.height < self.content_h
        view = self.view()
        for rect, label, action, oid, tip, enabled in self._pending:
            if view.contains(rect):
                sc.button(rect, label, action, oid, tip, enabled=enabled, group=self.group)
        sc.drop_spares()
        if sc.covered:
            sc.cover(sc._cover or False)

    def view(self) -> pygame.Rect:
        """The part of the body rows are shown in: all of it, less the "more" line when rows continue below."""
        out = self.body.copy()
        if self.reserve:
            out.height -= self.s(14)
        return out

    def _build(self) -> None:
        sc = self.scene
        sc.kill_group(self.group)
        pad = self.s(8)
        x, y = self.rect.left + pad, self.rect.top + pad
        gap = self.s(6)
        span = self.rect.width - 2 * pad
        need = max(max(sc.label_width(label, "#tab"), sc.label_width(label, "#quiet")) for _, label, _ in TABS)
        per_row = len(TABS)  # one row of tabs if their labels fit, else two
        while per_row > 1 and (span - (per_row - 1) * gap) // per_row < need:
            per_row = (per_row + 1) // 2
        tw = (span - (per_row - 1) * gap) // per_row
        row_h = self.s(30) + gap
        for k, (tab, label, tip) in enumerate(TABS):
            col, row = k % per_row, k // per_row
            sc.button(pygame.Rect(x + col * (tw + gap), y + row * row_h, tw, self.s(30)), label,
                      lambda t=tab: sc.set_tab(t), "#tab" if tab == sc.tab else "#quiet", tip, group=self.group)
        rows = -(-len(TABS) // per_row)
        top = y + (rows - 1) * row_h
        self.body = pygame.Rect(x, top + self.s(38), span, self.rect.bottom - top - self.s(44))
        self.items = []
        self._pending = []
        if sc.tab == "orders":
            self._orders_column()

    def _add_button(self, rect: pygame.Rect, label: str, action: Any, oid: str | None, tip: str,
                    enabled: bool = True) -> None:
        """A button of the column, made by `refresh` if it is wholly in view."""
        self._pending.append((rect, label, action, oid, tip, enabled))

    def _orders_column(self) -> None:
        sc = self.scene
        seat = sc.session.current_seat()
        x, width = self.body.left, self.body.width
        top = y = self.body.top - self.scroll
        self.items.append(Item("title", pygame.Rect(x, y, width, self.s(22))))
        y += self.s(26)
        if seat is not None and len(seat.sides) > 1:
            y = self._side_tabs(seat.sides, x, y, width)
        self.items.append(Item("card", pygame.Rect(x, y, width, cards.card_height(sc))))
        y += cards.card_height(sc) + self.s(6)
        side = sc.active_side
        if sc.selected is not None:  # a unit, also one of a patron's own forces
            y = self._flow(unit_actions(sc), x, y, width)
        elif side is not None and side in sc.state.world.patron_index:
            y = self._flow(patron_actions(sc, side), x, y, width)
        stack = cards.stack_rows(sc)
        if stack:
            self.items.append(Item("head", pygame.Rect(x, y, width, self.s(20)), f"stack:{len(stack)}"))
            y += self.s(22)
            for row in stack:
                self.items.append(Item("stack", pygame.Rect(x, y, width, self.s(22)), row))
                y += self.s(22)
            y += self.s(8)
        rows = self.rows()
        head = pygame.Rect(x, y, width, self.s(30))
        self.items.append(Item("head", head, f"orders:{len(rows)}"))
        mine = bool(rows)
        why = "No order planned yet" if seat is not None else "The computer plays every side"
        labels = (("Undo", sc.undo, "Take back the last order you planned (Ctrl+Z)"),
                  ("Clear", sc.clear_orders, "Remove every planned order of this player"))
        bx = head.right
        for label, action, tip in reversed(labels):
            bw = sc.label_width(label, "#quiet")
            bx -= bw
            self._add_button(pygame.Rect(bx, y, bw, self.s(28)), label, action, "#quiet", tip if mine else why, mine)
            bx -= self.s(6)
        head.width = bx - head.left
        y += self.s(34)
        for row in rows:
            self.items.append(Item("order", pygame.Rect(x, y, width, self.s(24)), row))
            y += self.s(24)
        if not rows and seat is not None:
            self.items.append(Item("none", pygame.Rect(x, y, width, self.s(20))))
            y += self.s(22)
        self.content_h = y - top

    def _flow(self, actions: list[Action], x: int, y: int, width: int) -> int:
        """Buttons left to right, as wide as their labels (the short labels when the long ones would not
        fit in a row), wrapping to a new row; returns the y below."""
        if not actions:
            return y
        sc = self.scene
        h, gap = self.s(32), self.s(6)
        share = (width - gap * (len(actions) - 1)) // len(actions)
        use = 0 if all(sc.label_width(a[0], "#quiet") <= share for a in actions) else 1
        widths = [sc.label_width(a[use], "#quiet") for a in actions]
        if all(wd <= share for wd in widths):
            widths = [share] * len(actions)
        cx = x
        for (label, short, action, ok, tip), wd in zip(actions, widths):
            if cx > x and cx + wd > x + width:
                cx, y = x, y + h + gap
            self._add_button(pygame.Rect(cx, y, min(wd, width), h), (label, short)[use], action, "#quiet", tip, ok)
            cx += wd + gap
        return y + h + gap

    def _side_tabs(self, sides: tuple[str, ...], x: int, y: int, width: int) -> int:
        sc = self.scene
        gap = self.s(4)
        cx = x
        for side in sides:
            label = sc.short_name(side)
            oid = "#tab" if side == sc.active_side else "#quiet"
            bw = sc.label_width(label, "#tab")
            if cx > x and cx + bw > x + width:
                cx, y = x, y + self.s(34)
            self._add_button(pygame.Rect(cx, y, min(bw, width), self.s(30)), label,
                             lambda s=side: sc.set_active_side(s), oid, f"Give orders for {sc.long_name(side)}")
            cx += bw + gap
        return y + self.s(36)

    def patron_action_ok(self, side: str, kind: str) -> tuple[bool, str]:
        return patron_action_ok(self.scene, side, kind)

    # --- drawing

    def draw(self, surface: pygame.Surface) -> None:
        sc = self.scene
        w.panel(surface, self.rect, w.PAPER, w.EDGE, radius=0)
        with w.clipped(surface, self.body):
            if sc.tab == "victory":
                self.content_h = hud.draw_victory(surface, self.body, sc.display_state(), sc.long_name, self.s(14),
                                                  sc.short_name, self.scroll, self.marks(), self.own_sides())
            elif sc.tab == "sides":
                lines = hud.relation_lines(sc.display_state(), self.body.width, self.s(14), sc.long_name,
                                           sc.short_name, self.own_sides())
                self.content_h = hud.draw_lines(surface, self.body, lines, self.s(14), self.scroll)
            elif sc.tab == "chart":
                self._charts(surface)
            else:
                view = self.view()  # room for "more" below the rows, when they continue
                for item in self.items:
                    if view.contains(item.rect):
                        self._draw_item(surface, item)
        if sc.tab == "orders" and self.content_h > self.body.height:
            h = max(self.s(16), self.body.height * self.body.height // self.content_h)
            y = self.body.top + (self.body.height - h) * self.scroll // max(1, self.content_h - self.body.height)
            pygame.draw.rect(surface, w.EDGE, (self.rect.right - self.s(5), y, self.s(4), h), border_radius=2)
            if self.scroll + self.body.height < self.content_h:
                w.text(surface, "▾ more (wheel)", (self.body.right, self.body.bottom), self.s(12), w.ACCENT,
                       bold=True, anchor="bottomright")

    def marks(self) -> tuple[list[hud.Mark], dict[str, float]] | None:
        """The benchmarks and standings the seat at the desk may read: in a fogged hotseat game its own
        sides' (from its view); otherwise every side's (None)."""
        sc = self.scene
        return hud.view_marks(sc.seat_view_now()) if sc.fog_game() else None

    def own_sides(self) -> tuple[str, ...]:
        """The sides of the seat at the desk (listed first on the text tabs)."""
        seat = self.scene.session.current_seat()
        return tuple(seat.sides) if seat is not None else ()

    def _charts(self, surface: pygame.Surface) -> None:
        """Victory points (or, where the scenario has benchmarks, which decide who wins, each side's standing
        against history) over cohesion; fogged, only the seat's own sides."""
        sc = self.scene
        half = self.body.height // 2
        world = sc.state.world
        factions = world.factions
        rows = sc.known_factions()
        rows = list(range(len(factions))) if rows is None else rows  # fogged: only the seat's own factions
        labels = [factions[i].short for i in rows]
        colours = [sc._colours[i] for i in rows]
        top = pygame.Rect(self.body.left, self.body.top, self.body.width, half)
        turns = world.meta.turns
        marked = list(benchmark_sides(world))
        if marked:
            known = [k for k, side in enumerate(marked) if not sc.fog_game() or side in sc.seat_view_now().sides]
            history = [Snapshot(h.turn, h.date, (), (), tuple(h.standing[k] for k in known if k < len(h.standing)))
                       for h in sc.session.history]
            own = self.own_sides()
            hud.draw_chart(surface, top, history, "standing", [sc.side_rgb(marked[k]) for k in known],
                           [sc.short_name(marked[k]) for k in known], "Standing against history", self.s(14),
                           sc.tip, turns, keep=[n for n, k in enumerate(known) if marked[k] in own])
        else:
            history = [Snapshot(h.turn, h.date, tuple(h.score[i] for i in rows), ()) for h in sc.session.history]
            hud.draw_chart(surface, top, history, "score", colours, labels, "Victory points", self.s(14), sc.tip, turns,
                           keep=[n for n, i in enumerate(rows) if factions[i].id in self.own_sides()])
        history = [Snapshot(h.turn, h.date, (), tuple(h.cohesion[i] for i in rows)) for h in sc.session.history]
        own = [n for n, i in enumerate(rows) if factions[i].id in self.own_sides()]
        hud.draw_chart(surface, top.move(0, half), history, "cohesion", colours, labels, "Cohesion", self.s(14),
                       sc.tip, turns, keep=own)

    def _draw_item(self, surface: pygame.Surface, item: Item) -> None:
        sc = self.scene
        r = item.rect
        if item.kind == "title":
            seat = sc.session.current_seat()
            titles = [f"Orders: {seat.label}", f"Orders: {', '.join(sc.short_name(s) for s in seat.sides)}"] \
                if seat else ["The computer plays every side", "Computer plays all"]
            self._line(surface, titles, r, self.s(16), w.INK, True)
        elif item.kind == "card":
            cards.draw_card(sc, surface, r)
        elif item.kind == "head":
            what, n = str(item.value).split(":")
            if what == "stack" and sc.selected is not None:
                place = sc.state.world.board.places[int(sc.state.u_place[sc.selected])].name
                self._line(surface, [f"At {place}: {n} units (click one)", f"{n} units here"], r, self.s(14),
                           w.INK, True)
            else:
                self._line(surface, [f"Planned orders ({n})", f"Orders ({n})"], r.move(0, self.s(5)), self.s(15),
                           w.INK, True)
        elif item.kind == "stack":
            row = item.value
            if row.value == sc.selected:
                pygame.draw.rect(surface, (255, 236, 170), r, border_radius=4)
            if row.colour is not None:
                pygame.draw.rect(surface, row.colour, (r.left + 2, r.top + self.s(5), self.s(10), self.s(12)),
                                 border_radius=2)
            self._line(surface, [row.text], pygame.Rect(r.left + self.s(18), r.top + self.s(2), r.width - self.s(18),
                                                        r.height), self.s(13), row.ink, False)
        elif item.kind == "order":
            self._order_row(surface, item)
        elif item.kind == "none":
            self._line(surface, ["None yet: units without orders hold.", "None yet."], r, self.s(14), w.MUTED, False)

    def _line(self, surface: pygame.Surface, texts: list[str], rect: pygame.Rect, size: int, colour: w.RGB,
              bold: bool) -> None:
        """The first of `texts` that fits `rect`'s width (else the last, shortened, with the first in a tooltip)."""
        text = next((t for t in texts if w.width_of(t, size, bold) <= rect.width), texts[-1])
        shown = w.fit_text(text, size, rect.width, bold)
        drawn = w.text(surface, shown, rect.topleft, size, colour, bold, full=texts[0])
        if shown != texts[0]:
            self.scene.tip(drawn, texts[0])

    def _order_row(self, surface: pygame.Surface, item: Item) -> None:
        sc = self.scene
        side, _i, order = item.value
        r = item.rect
        what, who = order_parts(sc.state, order, sc.names)
        cost = order_cost(sc.state, order)
        what += f" ({cost:g})" if cost else ""
        if sc.selected is not None and getattr(order, "unit", None) == sc.state.units[sc.selected].id:
            pygame.draw.rect(surface, (255, 236, 170), r, border_radius=4)
        pygame.draw.rect(surface, sc.side_rgb(side), (r.left + 2, r.top + self.s(6), self.s(8), self.s(12)))
        text = f"{what} · {who}" if who else what  # too long: shortened, so rows keep their units apart
        self._line(surface, [text], pygame.Rect(r.left + self.s(14), r.top + self.s(3),
                                                      r.width - self.s(50), r.height), self.s(14), w.INK, False)
        xr = self.undo_rect(item)
        pygame.draw.rect(surface, (226, 222, 212), xr, border_radius=4)
        w.text(surface, "×", xr.center, self.s(16), w.WARN, bold=True, anchor="center")
        sc.tip(xr, "Remove this order")

    # --- input

    def rows(self) -> list[tuple[str, int, object]]:
        seat = self.scene.session.current_seat()
        if seat is None:
            return []
        return [(side, i, o) for side in seat.sides for i, o in enumerate(self.scene.session.planned[side])]

    def undo_rect(self, item: Item) -> pygame.Rect:
        return pygame.Rect(item.rect.right - self.s(30), item.rect.top + self.s(2), self.s(26),
                           item.rect.height - self.s(4))

    def order_items(self) -> list[Item]:
        return [it for it in self.items if it.kind == "order"]

    def click(self, pos: tuple[int, int]) -> bool:
        sc = self.scene
        if sc.tab != "orders" or not self.body.collidepoint(pos):
            return False
        item = next((it for it in self.items if it.rect.collidepoint(pos) and self.body.contains(it.rect)), None)
        if item is None:
            return False
        if item.kind == "stack":
            if isinstance(item.value.value, int):
                sc.select(item.value.value)
            return True
        if item.kind != "order":
            return False
        side, i, order = item.value
        if self.undo_rect(item).collidepoint(pos):
            sc.remove_order(side, i)
        elif hasattr(order, "unit"):
            sc.select(sc.state.unit_index()[order.unit], show=True)
        elif getattr(order, "place", None) in sc.state.world.board.index:
            place = sc.state.world.board.index[order.place]
            sc.port.show(place)
            sc.flash = (place, sc.app.time + 1.5)
        return True

    def wheel(self, dy: int) -> None:
        step = self.s(24)
        limit = max(0, self.content_h - self.body.height + (step if self.scene.tab in TEXT_TABS else 0))
        self.scroll = max(0, min(limit, self.scroll - dy * step))
        if self.scene.tab == "orders":
            self.refresh()


def attack_chance(scene: GameScene, order: object) -> str:
    """' · 31% they give way' for a planned attack (from the combat preview), else ''."""
    if not isinstance(order, Attack):
        return ""
    rows = scene.state.unit_index()
    b = scene.state.world.board
    if order.unit not in rows or order.target not in b.index:
        return ""
    p = scene.attack_preview(rows[order.unit], b.index[order.target])
    return f" · {p.chance:.0%} they give way" if p is not None and not p.uncontested else ""
