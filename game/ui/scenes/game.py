"""The map scene: plan orders for the sides at this desk, end the turn, watch it resolve, read the report.

Layout: a top bar (date, turn, whose orders, buttons), the map, a right-hand panel (orders, then the
victory conditions or the chart) and a status bar of the factions along the bottom.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.engine import Attack, Entrench, Hold, Move, Order, State, Withdraw
from game.engine.orders import order_owner
from game.engine.types import Channel

from ..livereload import LiveReload
from ..orders_panel import OrdersPanel
from ..palette import make_palette
from ..session import Seat, Session, side_name
from ..tutorial import Tutorial, preview_lines
from . import hud
from . import widgets as w
from .animation import TurnAnimation
from .base import Scene
from .eventtext import Namer, report_lines, summary
from .gameinput import GameInput
from .mapport import MODE_TITLES, MODES, MapPort
from .planning import Arrow, Highlights, LegalCache, order_arrow, own_units, patron_targets, unit_highlights

if TYPE_CHECKING:
    from ..app import App

RGB = tuple[int, int, int]


class GameScene(GameInput, Scene):
    name = "game"

    def __init__(self, app: App, session: Session) -> None:
        super().__init__(app)
        self.session = session
        self.port = MapPort(session.state.world, session.source, app.settings.ui_scale, self.palette_name())
        self.legal = LegalCache()
        self.names = Namer(session.state)
        self.selected: int | None = None
        self.active_side: str | None = None
        self.targeting: str | None = None
        self.mode = 0
        self.legend = True
        self.info_tab = "victory"
        self.anim: TurnAnimation | None = None
        self.resolving = 0
        self.reported: set[int] = set()
        self.cursor_msg: tuple[str, tuple[int, int], float] | None = None
        self.flash: tuple[int, float] | None = None
        self.first_frame = True
        self.panel = OrdersPanel(self)
        self.top_ui: list = []
        self.status_cells: list[tuple[pygame.Rect, int]] = []
        self._colours: list[RGB] = []
        self.live = LiveReload(self)
        self.tutorial = Tutorial.for_source(session.source)
        self.settings_changed()

    # --- names and colours

    @property
    def state(self) -> State:
        return self.session.state

    def palette_name(self) -> str:
        return "tol" if self.app.settings.colour_blind else "okabe-ito"

    def settings_changed(self) -> None:
        world = self.state.world
        pal = make_palette([f.id for f in world.factions], [f.colour for f in world.factions], self.palette_name())
        self._colours = [pal.faction(i) for i in range(len(world.factions))]
        self.port.set_palette(self.palette_name())
        if hasattr(self.port.renderer, "set_ui_scale"):
            self.port.renderer.set_ui_scale(self.app.settings.ui_scale)

    def faction_rgb(self, i: int) -> RGB:
        return self._colours[i] if 0 <= i < len(self._colours) else (136, 136, 136)

    def side_rgb(self, side: str) -> RGB:
        wd = self.state.world
        if side in wd.faction_index:
            return self.faction_rgb(wd.faction_index[side])
        clients = wd.patrons[wd.patron_index[side]].clients
        return self.faction_rgb(wd.faction_index[clients[0]]) if clients and clients[0] in wd.faction_index \
            else (90, 90, 90)

    def short_name(self, side: str) -> str:
        wd = self.state.world
        return wd.factions[wd.faction_index[side]].short if side in wd.faction_index else side_name(self.state, side)

    def long_name(self, side: str) -> str:
        return side_name(self.state, side)

    def seat_title(self, seat: Seat) -> str:
        """A short name for a sitting: the faction's short name, the patron's name, or the team's."""
        return self.short_name(seat.sides[0]) if len(seat.sides) == 1 else seat.label

    def seat_detail(self, seat: Seat) -> str:
        return ", ".join(self.long_name(s) for s in seat.sides)

    # --- layout and buttons

    def layout(self) -> dict[str, pygame.Rect]:
        W, H = self.app.size
        top, bottom, right = self.s(56), self.s(78), min(self.s(400), W // 2)
        body = H - top - bottom
        info_h = min(self.s(300), body // 2)
        return {"top": pygame.Rect(0, 0, W, top), "map": pygame.Rect(0, top, W - right, body),
                "panel": pygame.Rect(W - right, top, right, body - info_h),
                "info": pygame.Rect(W - right, top + body - info_h, right, info_h),
                "status": pygame.Rect(0, H - bottom, W, bottom)}

    def build(self) -> None:
        r = self.layout()
        self.port.set_rect(r["map"])
        self.top_ui = []
        W = r["top"].width
        h = self.s(40)
        y = (r["top"].height - h) // 2
        x = W - self.s(8)
        for label, action, oid, tip, width in (
                ("End turn  ⏎", self.end_turn, "#primary", "Resolve the turn (Enter)", 170),
                ("Help", self.app_help, None, "Every shortcut (F1)", 80),
                ("Menu", self.open_menu, None, "Save, load, settings, quit (Esc)", 90),
                ("Report", self.show_report, None, "The last turn's report (R)", 100),
                (f"Map: {MODE_TITLES[MODES[self.mode]]}", self.cycle_mode, "#quiet",
                 "Map mode: control, supply, patron reach (M)", 190)):
            x -= self.s(width) + self.s(8)
            b = self.button(pygame.Rect(x, y, self.s(width), h), label, action, oid, tip, group=self.top_ui)
            if label.startswith("Report") and self.session.last is None:
                b.disable()
            if label.startswith("End") and self.state.is_over:
                b.disable()
        self.top_left_limit = x - self.s(12)
        info = r["info"]
        for k, (tab, label) in enumerate((("victory", "Victory"), ("chart", "Chart"))):
            rect = pygame.Rect(info.left + self.s(10) + k * self.s(110), info.top + self.s(8), self.s(100), self.s(30))
            self.button(rect, label, lambda t=tab: self.set_tab(t), "#on" if tab == self.info_tab else "#quiet")
        self.panel.refresh(r["panel"])

    def set_tab(self, tab: str) -> None:
        self.info_tab = tab
        self.rebuild()

    def refresh_panel(self) -> None:
        self.panel.refresh()

    # --- seats (hotseat) and turn flow

    def enter(self) -> None:
        super().enter()
        self.live.start()
        self.begin_seat()

    def leave(self) -> None:
        self.live.stop()
        super().leave()

    def handle(self, event: pygame.event.Event) -> bool:
        if self.live.handle(event):
            return True
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F2 and self.tutorial is not None:
            self.tutorial.toggle()
            return True
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F7 and self.session.source:
            from .editor import EditorScene

            self.app.push(EditorScene(self.app, self.session.source))
            return True
        return super().handle(event)

    def begin_seat(self) -> None:
        """A new sitting: clear the selection and, in a hotseat game, hide the map until the player is ready."""
        seat = self.session.current_seat()
        self.selected, self.targeting = None, None
        self.active_side = seat.sides[0] if seat else None
        self.rebuild()
        if self.session.is_hotseat() and seat is not None and not self.state.is_over:
            from .handoff import HandoffScene

            self.app.push(HandoffScene(self.app, self.seat_title(seat), self.seat_ready, self.seat_detail(seat)))
        else:
            self.seat_ready()

    def seat_ready(self) -> None:
        """The player of the current seat is at the keyboard: show them last turn's report once."""
        if self.session.last is not None and self.session.seat_index not in self.reported:
            self.show_report()

    def end_turn(self) -> None:
        if self.anim is not None or self.resolving:
            return
        if self.state.is_over:
            self.show_game_over()
            return
        if self.session.is_hotseat() and not self.session.finish_seat():
            self.begin_seat()
            return
        self.resolving = 1
        self.targeting = None

    def update(self, dt: float) -> None:
        self.live.update()
        if self.resolving:
            self.resolving += 1
            if self.resolving >= 3:
                self.resolve()
        if self.anim is not None:
            self.anim.update(dt)
            if self.anim.done:
                self.anim = None
                self.after_turn()
        if self.cursor_msg and self.cursor_msg[2] < self.app.time:
            self.cursor_msg = None

    def resolve(self) -> None:
        self.resolving = 0
        result = self.session.end_turn()
        self.notice("end_turn")
        self.app.trace(f"turn {result.before.turn} resolved")
        self.names = Namer(result.after)
        self.reported = set()
        self.selected = None
        self.anim = TurnAnimation(result, self.app.settings.animation_speed)
        self.rebuild()

    def after_turn(self) -> None:
        self.rebuild()
        if self.state.is_over:
            self.show_game_over()
        else:
            self.begin_seat()

    def show_report(self) -> None:
        last = self.session.last
        if last is None:
            return
        from .report import ReportScene

        seat = self.session.current_seat()
        viewer = seat.sides if seat is not None else None
        self.reported.add(self.session.seat_index)
        self.notice("report")
        lines = report_lines(last.after, last.events, viewer)
        self.app.push(ReportScene(self.app, self, last.before, lines, summary(last.events)))

    def show_game_over(self) -> None:
        from .gameover import GameOverScene

        self.app.push(GameOverScene(self.app, self))

    # --- planning

    def own_units(self) -> list[int]:
        seat = self.session.current_seat()
        return own_units(self.state, seat.sides) if seat else []

    def is_mine(self, side: str) -> bool:
        seat = self.session.current_seat()
        return seat is not None and side in seat.sides

    def select(self, unit: int | None, centre: bool = False) -> None:
        self.selected, self.targeting = unit, None
        if unit is not None:
            self.active_side = self.state.world.side_of(int(self.state.u_faction[unit]))
            if centre:
                self.port.centre_on(int(self.state.u_place[unit]))
            self.notice("select")
        self.refresh_panel()

    def set_active_side(self, side: str) -> None:
        self.active_side = side
        if self.selected is not None and self.state.world.side_of(int(self.state.u_faction[self.selected])) != side:
            self.selected = None
        self.targeting = None
        self.refresh_panel()

    def plan(self, order: Order, pos: tuple[int, int] | None = None) -> bool:
        side = order_owner(self.state, order)
        reason = "unknown unit" if side is None else self.session.plan(side, order)
        if reason is not None:
            self.show_reason(reason, pos)
            return False
        if side in self.state.world.patron_index:
            self.notice("patron")
        elif isinstance(order, (Move, Attack)):
            self.notice("attack" if isinstance(order, Attack) else "move")
        if self.targeting in ("strike", "reinforce") and side is not None:
            cost = self.state.rules.cost_air_strike if self.targeting == "strike" else self.state.rules.cost_reinforce
            channel = Channel.AIR if self.targeting == "strike" else Channel.GROUND
            if self.session.capacity_left(side, channel) < cost:
                self.targeting = None
        elif self.targeting == "withdraw":
            self.targeting = None
        self.refresh_panel()
        return True

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
            options = [o for o in self.legal.for_unit(self.state, self.selected) if isinstance(o, Withdraw)]
            if not options:
                self.show_reason("No adjacent friendly place free of enemies to withdraw to.")
            elif len(options) == 1:
                self.plan(options[0])
            else:
                self.targeting = "withdraw"
                self.show_reason("Right-click a highlighted place to withdraw to.")
                self.refresh_panel()

    def start_targeting(self, kind: str) -> None:
        self.selected = None
        self.targeting = kind
        what = "enemy units to strike" if kind == "strike" else "the place the reinforcements should reach"
        self.show_reason(f"Click a highlighted place: {what}. Esc cancels.")
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

    def notice(self, action: str) -> None:
        """Tell the tutorial (if the scenario has one) what the player just did."""
        if self.tutorial is not None:
            self.tutorial.notice(action)

    def attack_preview(self, pos: tuple[int, int]) -> list[str] | None:
        """The combat preview when the selected unit may attack the place under the cursor: the unit and
        the others of its side already ordered to attack there, against the defenders."""
        if self.selected is None or self.anim is not None or not self.port.contains(pos):
            return None
        place = self.port.pick_place(self.state, pos)
        if place is None:
            return None
        st = self.state
        target = st.world.board.places[place].id
        if not any(isinstance(o, Attack) and o.target == target for o in self.legal.for_unit(st, self.selected)):
            return None
        uid = st.units[self.selected].id
        side = st.units[self.selected].faction
        others = {o.unit for o in self.session.planned.get(side, []) if isinstance(o, Attack) and o.target == target}
        index = {u.id: k for k, u in enumerate(st.units)}
        attackers = [self.selected] + [index[u] for u in sorted(others) if u != uid and u in index]
        lines = preview_lines(st, attackers, place)
        if lines:
            self.notice("preview")
        return lines

    def show_reason(self, text: str, pos: tuple[int, int] | None = None) -> None:
        """Show why something was refused next to the cursor (or atop the map when the cursor is elsewhere)."""
        if pos is None:
            area = self.port.rect
            pos = self.mouse if self.port.contains(self.mouse) else (area.centerx - self.s(220), area.top)
        self.cursor_msg = (text, pos, self.app.time + 3.0)

    # --- drawing

    def highlights(self) -> Highlights:
        out: Highlights = {}
        side = self.active_side
        if self.targeting in ("strike", "reinforce") and side is not None:
            out = patron_targets(self.state, self.legal.get(self.state, side), self.targeting)
        elif self.selected is not None:
            out = unit_highlights(self.state, self.legal.for_unit(self.state, self.selected), self.selected,
                                  withdraw_only=self.targeting == "withdraw")
        if self.flash is not None and self.flash[1] > self.app.time:
            out[self.flash[0]] = "target"
        return out

    def arrows(self) -> list[Arrow]:
        seat = self.session.current_seat()
        out = [a for side in (seat.sides if seat else ()) for o in self.session.planned[side]
               if (a := order_arrow(self.state, o)) is not None]
        drag = self.drag_target()
        if drag is not None and self.selected is not None:
            out.append((int(self.state.u_place[self.selected]), drag, "move"))
        return out

    def draw(self, surface: pygame.Surface) -> None:
        r = self.layout()
        anim = self.anim
        state = anim.state() if anim else self.state
        self.port.draw(surface, state, mode=MODES[self.mode], selection=None if anim else self.selected,
                       highlights={} if anim else self.highlights(), arrows=[] if anim else self.arrows(),
                       hover=None if anim else self.mouse, side=self.active_side,
                       moving=anim.moving() if anim else None, legend=self.legend)
        if anim is not None:
            xy = {p: self.port.place_xy(p) for p, _ in anim.bursts}
            anim.draw(surface, xy, self.app.settings.ui_scale)
        self._draw_top(surface, r["top"])
        w.panel(surface, r["panel"].union(r["info"]), w.PAPER, w.EDGE, radius=0)
        self.panel.draw(surface)
        self._draw_info(surface, r["info"])
        self.status_cells = hud.draw_status(surface, r["status"], state, self._colours, hud.patron_support(state),
                                            self.s(17))
        if self.resolving:
            self._banner(surface, r["map"], "Resolving the turn…")
        elif anim is not None:
            self._banner(surface, r["map"], "Space: skip the animation")
        if self.first_frame:
            self.first_frame = False
            if self.app.on_map_frame is not None:
                self.app.on_map_frame()

    def _banner(self, surface: pygame.Surface, area: pygame.Rect, msg: str) -> None:
        rect = pygame.Rect(0, 0, self.s(420), self.s(44))
        rect.midtop = (area.centerx, area.top + self.s(12))
        w.panel(surface, rect, (30, 36, 44), None, alpha=220)
        w.text(surface, msg, rect.center, self.s(18), (255, 255, 255), bold=True, anchor="center")

    def _draw_top(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        pygame.draw.rect(surface, (30, 40, 52), rect)
        st = self.state
        x = self.s(14)
        turn = f"Turn {st.turn} of {st.world.meta.turns}" if not st.is_over else "Game over"
        r = w.text(surface, turn, (x, rect.centery), self.s(21), (255, 255, 255), bold=True, anchor="midleft")
        date = st.world.date_of(st.outcome.turn) if st.outcome is not None else st.date
        r = w.text(surface, long_date(date), (r.right + self.s(14), rect.centery), self.s(19), (220, 228, 236),
                   anchor="midleft")
        seat = self.session.current_seat()
        who = "The computer plays every side"
        if seat is not None:
            who = "Orders: " + self.seat_title(seat)
        pill = pygame.Rect(r.right + self.s(20), rect.top + self.s(10), 0, rect.height - self.s(20))
        pill.width = min(w.fonts.font(self.s(17), True).size(who)[0] + self.s(34),
                         max(0, self.top_left_limit - pill.left))
        if pill.width > self.s(60):
            pygame.draw.rect(surface, (246, 244, 238), pill, border_radius=pill.height // 2)
            colour = self.side_rgb(self.active_side) if self.active_side else (120, 120, 120)
            pygame.draw.circle(surface, colour, (pill.left + self.s(14), pill.centery), self.s(7))
            from ..orders_panel import fit_text

            w.text(surface, fit_text(who, self.s(17), pill.width - self.s(34)), (pill.left + self.s(26), pill.centery),
                   self.s(17), w.INK, bold=True, anchor="midleft")

    def _draw_info(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        pygame.draw.line(surface, w.EDGE, rect.topleft, rect.topright)
        body = pygame.Rect(rect.left + self.s(10), rect.top + self.s(46), rect.width - self.s(20),
                           rect.height - self.s(52))
        if self.info_tab == "victory":
            hud.draw_victory(surface, body, self.state, self.long_name, self.s(15), self.short_name)
            return
        half = body.height // 2
        labels = [f.short for f in self.state.world.factions]
        hud.draw_chart(surface, pygame.Rect(body.left, body.top, body.width, half), self.session.history, "score",
                       self._colours, labels, "Victory points", self.s(15))
        hud.draw_chart(surface, pygame.Rect(body.left, body.top + half, body.width, half), self.session.history,
                       "cohesion", self._colours, labels, "Cohesion", self.s(15))

    def draw_over(self, surface: pygame.Surface) -> None:
        if self.covered:
            return
        self.live.draw(surface)
        if self.tutorial is not None and self.anim is None:
            self.tutorial.draw(surface, self.port.rect, self.app.settings.ui_scale)
        if self.cursor_msg is not None:
            text, pos, _ = self.cursor_msg
            w.tooltip(surface, w.wrap(text, self.s(16), self.s(420)), pos, self.s(16), edge=w.WARN)
            return
        if self.anim is None and not self.dragging:
            self.draw_hover(surface)


def long_date(iso: str) -> str:
    """'2024-12-07' -> 'Sat 7 Dec 2024'."""
    import datetime as _dt

    d = _dt.date.fromisoformat(iso)
    return f"{d.strftime('%a')} {d.day} {d.strftime('%b %Y')}"
