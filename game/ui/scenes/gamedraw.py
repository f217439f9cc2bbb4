"""Drawing the map scene: the top bar, the map and its overlays (legend, prompts, refusals, the combat
preview), the right-hand panel and the status bar. Numbers on screen register a tooltip saying what
they mean (`tip`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pygame

from game.engine import State
from game.engine.benchmarks import standings

from . import hud, previewcard
from . import widgets as w
from .mapport import MODE_TITLES, MODES
from .planning import Arrow, Highlights, order_arrow, order_marks, patron_targets, unit_highlights

if TYPE_CHECKING:
    from .game import GameScene

    _Base = GameScene
else:
    _Base = object

TOP_BUTTONS = (("End turn  ⏎", "end_turn", "#primary", "Resolve the turn (Enter)"),
               ("Report", "show_report", None, "The last turn's report (R)"),
               ("Map", "cycle_mode", "#quiet", "Map mode: control, supply, patron reach (M)"),
               ("Umpire", "open_umpire", "#quiet", "The umpire's console: injects and rulings on the record, "
                                                   "behind the umpire's PIN (U)"),
               ("Menu", "open_menu", None, "Save, load, settings, quit (Esc)"),
               ("Help", "app_help", None, "Keys and the rules of the game (F1)"))


def no_report_reason(log: list[dict[str, Any]], base: int) -> str:
    """Why the Report button has no report to show: no turn played, or a save whose record does not give it."""
    if any(r.get("type") == "turn" for r in log[base:]):
        return "This save's record of the game does not play back to it, so its last turn cannot be shown"
    if any(r.get("type") == "turn" for r in log[:base]):
        return ("This game was saved by an older version that kept no record of its turns, so its last turn "
                "cannot be shown")
    return "No turn has been played yet"


class GameDraw(_Base):
    """Drawing for GameScene (kept apart to keep each module small)."""

    tips: list[tuple[pygame.Rect, list[str]]]
    top_left_limit = 0
    status_cells: list[tuple[pygame.Rect, int]] = []
    _chrome: dict[str, tuple[object, pygame.Surface, list[tuple[pygame.Rect, list[str]]], object]]

    def cached(self, surface: pygame.Surface, name: str, key: object, rect: pygame.Rect,
               draw: Callable[[], object]) -> object:
        """Draw a part of the screen that seldom changes once, then blit it (with its tooltips) while `key`
        stays the same: the map's frames pay only for what moves."""
        hit = self._chrome.get(name)
        if hit is not None and hit[0] == key and not w.is_recording():
            surface.blit(hit[1], rect)
            self.tips += hit[2]
            return hit[3]
        start = len(self.tips)
        result = draw()
        self._chrome[name] = (key, surface.subsurface(rect).copy(), self.tips[start:], result)
        return result

    def layout(self) -> dict[str, pygame.Rect]:
        W, H = self.app.size
        top, bottom = self.s(52), self.s(64)
        right = max(self.s(290), min(self.s(420), int(W * 0.3)))
        body = H - top - bottom
        return {"top": pygame.Rect(0, 0, W, top), "map": pygame.Rect(0, top, W - right, body),
                "panel": pygame.Rect(W - right, top, right, body), "status": pygame.Rect(0, H - bottom, W, bottom)}

    def build_top(self, rect: pygame.Rect) -> None:
        """The top bar's buttons, right to left, each as wide as its label needs."""
        h = self.s(38)
        y = (rect.height - h) // 2
        x = rect.right - self.s(8)
        for label, action, oid, tip in TOP_BUTTONS:
            width = self.label_width(label, oid)
            if action == "cycle_mode":
                label = f"Map: {MODE_TITLES[MODES[self.mode]]}"
                width = max(self.label_width(f"Map: {t}", oid) for t in MODE_TITLES.values())
            x -= width
            why_not = self.top_button_disabled(action)
            if action == "end_turn" and self.state.is_over:  # as Enter does, and as the panel's hint says
                tip = "The game is over: see who won (Enter)"
            b = self.button(pygame.Rect(x, y, width, h), label, getattr(self, action), oid, why_not or tip,
                            enabled=why_not is None)
            if action == "cycle_mode":
                self.mode_button = b
            x -= self.s(6)
        self.top_left_limit = x - self.s(6)

    def top_button_disabled(self, action: str) -> str | None:
        """Why a top-bar button cannot be used now (shown when it is hovered), or None."""
        if action == "show_report" and self.session.last is None:
            return no_report_reason(self.session.log, self.session.log_base)
        return None

    # --- what to show

    def display_state(self) -> State:
        """The state the screen shows: the turn being replayed while it animates, else the current one."""
        return self.anim.hud_state() if self.anim is not None else self.state

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

    def tip(self, rect: pygame.Rect, *lines: str) -> None:
        """Hovering `rect` shows `lines` (what a number on screen means)."""
        self.tips.append((rect, list(lines)))

    # --- drawing

    def draw(self, surface: pygame.Surface) -> None:
        self.tips = []
        if not hasattr(self, "_chrome"):
            self._chrome = {}
        r = self.layout()
        anim = self.anim
        state = anim.map_state() if anim else self.map_state()
        seat = self.session.current_seat()
        marks = order_marks(state, [o for s in (seat.sides if seat else ()) for o in self.session.planned[s]])
        self.port.set_covered(self.fixed_overlays())
        self.port.draw(surface, state, mode=MODES[self.mode], selection=None if anim else self.shown_row(self.selected),
                       highlights={} if anim else self.highlights(), arrows=[] if anim else self.arrows(),
                       hover=None if anim or self.aiming_attack() else self.mouse, side=self.active_side,
                       moving=anim.moving() if anim else None, legend=False, marks={} if anim else marks,
                       quick=self.quick_map())
        with w.clipped(surface, r["map"]):
            if anim is not None:
                anim.draw(surface, self.port.place_xy, self.app.scale)
            self.draw_legend(surface, r["map"], state)
            self.draw_prompt(surface, r["map"])
        shown = self.display_state()
        seat = self.session.seat_index
        self.cached(surface, "top", (id(shown), seat, self.active_side, tuple(r["top"]), self.app.scale,
                                     self.top_left_limit), r["top"], lambda: self.draw_top(surface, r["top"]))
        self.cached(surface, "panel", (self.panel.version, self.tab, self.panel.scroll, tuple(r["panel"]), id(shown),
                                       len(self.session.history), self.app.scale, seat), r["panel"],
                    lambda: self.panel.draw(surface))
        self.status_cells = self.cached(  # type: ignore[assignment]
            surface, "status", (id(shown), tuple(r["status"]), self.app.scale, tuple(self._colours), seat),
            r["status"], lambda: hud.draw_status(surface, r["status"], shown, self._colours, hud.patron_support(shown),
                                                 self.s(15), self.tip, self.known_factions(),
                                                 self.status_standings(shown)))
        if self.first_frame:
            self.first_frame = False
            if self.app.on_map_frame is not None:
                self.app.on_map_frame()

    def fixed_overlays(self) -> list[pygame.Rect]:
        """The widgets that stay over the map whatever it shows, which place labels keep clear of: the legend's
        button (kept clear when the legend is open too, so that opening it does not redraw the map)."""
        return [self.legend_chip().inflate(self.s(4), self.s(4))]

    def legend_chip(self) -> pygame.Rect:
        """The collapsed legend: one line at the map's bottom-left corner (click or L opens it)."""
        area = self.layout()["map"]
        size = self.s(14)
        rect = pygame.Rect(0, 0, w.width_of("▸ Legend (L)", size, True) + self.s(16), self.s(26))
        rect.bottomleft = (area.left + self.s(8), area.bottom - self.s(8))
        return rect

    def draw_legend(self, surface: pygame.Surface, area: pygame.Rect, state: State) -> None:
        chip = self.legend_chip()
        if not self.legend or not hasattr(self.port.renderer, "legend_surface"):
            w.panel(surface, chip, (250, 248, 240), w.EDGE, alpha=235, radius=6)
            w.text(surface, "▸ Legend (L)", chip.center, self.s(14), w.INK, bold=True, anchor="center")
            self.tip(chip, "Legend", "What the colours and symbols of this map mode mean (L or click)")
            return
        box = self.port.renderer.legend_surface(state, MODES[self.mode], self.active_side)
        rect = self.legend_rect(box.get_size(), area)
        surface.blit(box, rect)
        self.tip(rect, "Legend", "L or a click closes it")

    def legend_rect(self, size: tuple[int, int], area: pygame.Rect) -> pygame.Rect:
        """The map corner where the open legend covers neither the selected unit nor a highlighted place."""
        m = self.s(8)
        corners = [pygame.Rect(area.left + m, area.bottom - size[1] - m, *size),
                   pygame.Rect(area.right - size[0] - m, area.bottom - size[1] - m, *size),
                   pygame.Rect(area.left + m, area.top + m, *size),
                   pygame.Rect(area.right - size[0] - m, area.top + m, *size)]
        keep = self.keep_clear()
        return min(corners, key=lambda c: (len(c.collidelistall(keep)), corners.index(c)))

    def keep_clear(self) -> list[pygame.Rect]:
        """What overlays must not cover: the selected unit's counters and every highlighted place (left
        alone while a zoom or pan goes on)."""
        out: list[pygame.Rect] = []
        if self.in_gesture():
            return out
        if self.selected is not None and self.anim is None:
            row = self.shown_row(self.selected)
            rect = self.port.unit_rect(self.map_state(), row) if row is not None else None
            if rect is not None:
                out.append(rect.inflate(self.s(8), self.s(8)))
        r = self.s(22)
        for p in self.highlights():
            x, y = self.port.place_xy(p)
            out.append(pygame.Rect(x - r, y - r, 2 * r, 2 * r))
        return out

    def tutorial_keep_clear(self, area: pygame.Rect) -> list[pygame.Rect]:
        """What the tutorial's card must not cover: what overlays never cover, the legend and the prompt."""
        out = self.keep_clear() + [self.legend_chip()]
        if self.legend and hasattr(self.port.renderer, "legend_surface"):
            box = self.port.renderer.legend_surface(self.map_state(), MODES[self.mode], self.active_side)
            out.append(self.legend_rect(box.get_size(), area))
        prompt = self.prompt_rect(area)
        return out + ([prompt] if prompt is not None else [])

    def own_counters(self) -> list[pygame.Rect]:
        """Where the seat's own units are drawn (the tutorial's card keeps off them: its first step asks to
        click one)."""
        if self.in_gesture() or self.anim is not None:
            return []
        state = self.map_state()
        rows = (self.shown_row(u) for u in self.own_units())  # type: ignore[attr-defined]
        rects = (self.port.unit_rect(state, row) for row in rows if row is not None)
        return [r for r in rects if r is not None]

    def status_standings(self, shown: State) -> dict[str, float] | None:
        """The standings the status bar shows (None where the scenario has no benchmarks): a fogged seat's
        own, from its view; otherwise every side's, as the state shown stands."""
        if not shown.world.benchmarks:
            return None
        if self.fog_game():  # a seat's own (between seats, the public view's: none)
            return dict(self.seat_view_now().standings)
        return standings(shown)

    def prompt_rect(self, area: pygame.Rect) -> pygame.Rect | None:
        """Where the current instruction goes: the top or bottom of the map, whichever covers no place it
        asks you to click."""
        if self.prompt is None:
            return None
        size = self.s(16)
        lines = w.wrap(self.prompt, size, min(area.width - self.s(40), self.s(560)), True)
        width = max(w.width_of(ln, size, True) for ln in lines) + self.s(28)
        rect = pygame.Rect(0, 0, width, len(lines) * int(size * 1.3) + self.s(16))
        keep = self.keep_clear()
        spots = []
        for y in (area.top + self.s(10), area.bottom - rect.height - self.s(44)):
            for x in (area.centerx - width // 2, area.left + self.s(10), area.right - width - self.s(10)):
                spots.append(rect.move(x, y))
        return min(spots, key=lambda c: (len(c.collidelistall(keep)), spots.index(c)))

    def draw_prompt(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        if self.job is not None:
            self.banner(surface, area, "Resolving the turn…")
        elif self.anim is not None:
            self.banner(surface, area, self.anim.caption() or "Space: skip the animation")
        rect = self.prompt_rect(area)
        if rect is None or self.prompt is None:
            return
        size = self.s(16)
        w.panel(surface, rect, (255, 250, 226), w.ACCENT, radius=8)
        pygame.draw.rect(surface, w.ACCENT, rect, 2, border_radius=8)
        for k, line in enumerate(w.wrap(self.prompt, size, rect.width - self.s(28), True)):
            w.text(surface, line, (rect.left + self.s(14), rect.top + self.s(8) + k * int(size * 1.3)), size,
                   w.INK, bold=True)

    def banner(self, surface: pygame.Surface, area: pygame.Rect, msg: str) -> None:
        size = self.s(17)
        lines = w.wrap(msg, size, min(area.width - self.s(40), self.s(620)), True)
        width = max(w.width_of(ln, size, True) for ln in lines) + self.s(32)
        rect = pygame.Rect(0, 0, width, len(lines) * int(size * 1.3) + self.s(18))
        rect.midtop = (area.centerx, area.top + self.s(10))
        w.panel(surface, rect, (30, 36, 44), None, alpha=225)
        for k, line in enumerate(lines):
            w.text(surface, line, (rect.centerx, rect.top + self.s(9) + k * int(size * 1.3)), size,
                   (255, 255, 255), bold=True, anchor="midtop")

    def draw_top(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        pygame.draw.rect(surface, (30, 40, 52), rect)
        st = self.display_state()
        x = self.s(12)
        world = st.world
        if st.is_over:
            turn, date = "Game over", st.world.date_of(st.outcome.turn) if st.outcome else st.date
        else:
            turn, date = f"Turn {st.turn} of {world.meta.turns}", st.date
        big, small = self.s(18), self.s(14)
        top = rect.centery - (int(big * 1.2) + int(small * 1.2)) // 2
        a = w.text(surface, turn, (x, top), big, (255, 255, 255), bold=True)
        b = w.text(surface, long_date(date), (x, top + int(big * 1.2)), small, (210, 220, 230))
        self.tip(a.union(b), "The turn", f"Each turn is {world.meta.turn_days} day(s); the game ends after turn "
                 f"{world.meta.turns} or at a decisive victory.")
        seat = self.session.current_seat()
        who = f"Orders: {self.seat_title(seat)}" if seat is not None else "The computer plays every side"
        size = self.s(15)
        pill = pygame.Rect(max(a.right, b.right) + self.s(14), rect.top + self.s(10),
                           w.width_of(who, size, True) + self.s(34), rect.height - self.s(20))
        if pill.right <= self.top_left_limit:
            pygame.draw.rect(surface, (246, 244, 238), pill, border_radius=pill.height // 2)
            colour = self.side_rgb(self.active_side) if self.active_side else (120, 120, 120)
            pygame.draw.circle(surface, colour, (pill.left + self.s(14), pill.centery), self.s(7))
            w.text(surface, who, (pill.left + self.s(26), pill.centery), size, w.INK, bold=True, anchor="midleft")

    def draw_over(self, surface: pygame.Surface) -> None:
        if self.covered:
            return
        self.live.draw(surface)
        area = self.layout()["map"]
        if self.tutorial is not None and self.anim is None:
            self.tutorial.draw(surface, area, self.s, self.tutorial_keep_clear(area), self.own_counters())
        if self.menu is not None:
            self.menu.draw(surface)
            return
        if self.cursor_msg is not None:
            text, pos, _ = self.cursor_msg
            size = self.s(15)
            lines = w.wrap(text, size, min(self.s(420), area.width - self.s(40)))
            w.tooltip(surface, lines, pos, size, edge=w.WARN, bounds=area, bold_first=False)
            return
        if self.anim is None and not self.dragging:
            self.draw_hover(surface)

    def draw_hover(self, surface: pygame.Surface) -> None:
        if self.in_gesture():
            return
        pos = self.mouse
        size = self.s(14)
        for rect, lines in reversed(self.tips):
            if rect.collidepoint(pos):
                w.tooltip(surface, lines, pos, size)
                return
        if not self.port.contains(pos) or self.panel.rect.collidepoint(pos):
            return
        area = self.layout()["map"]
        preview = self.hover_preview()
        if preview is not None:
            previewcard.draw(surface, preview, self.names, pos, area, self.s(14))
            return
        if self.fog_game():
            place = self.port.pick_place(self.state, pos)
            lines = self.fog_tooltip(place) if place is not None else None
            if lines:
                w.tooltip(surface, lines, pos, size, bounds=area)
            return
        lines: Any = self.port.tooltip(self.state, pos, self.active_side)
        stack = self.port.units_at(self.state, pos)
        if len(stack) > 1:
            lines = hud.stack_lines(self.state, stack)
        if lines:
            w.tooltip(surface, lines, pos, size, bounds=area)

    def aiming_attack(self) -> bool:
        """Whether the cursor is on a place the selected unit may attack, where the combat preview shows: the
        map then names no route under the cursor (its label sat beside the preview's card)."""
        if self.selected is None or self.targeting is not None or not self.port.contains(self.mouse) or \
                self.fog_game():
            return False
        place = self.aim_place(self.mouse)  # type: ignore[attr-defined]
        return place is not None and self.highlights().get(place) == "attack"

    def hover_preview(self) -> Any:
        """The combat preview when the cursor is on a place the selected unit may attack."""
        if self.selected is None or self.targeting is not None or self.fog_game():
            return None  # fogged: the card's figures are exact, the seat sees others only as estimates
        place = self.aim_place(self.mouse)  # type: ignore[attr-defined]
        if place is None or self.highlights().get(place) != "attack":
            return None
        preview = self.attack_preview(self.selected, place)
        if preview is not None:
            self.notice("preview")
        return preview


def long_date(iso: str) -> str:
    """'2024-12-07' -> 'Sat 7 Dec 2024'."""
    import datetime as _dt

    d = _dt.date.fromisoformat(iso)
    return f"{d.strftime('%a')} {d.day} {d.strftime('%b %Y')}"
