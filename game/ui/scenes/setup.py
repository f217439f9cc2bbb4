"""Side set-up: each faction and patron is played by a human or by the AI (at a level);
several humans make a hotseat game. With scenario teams the screen opens on the team view (setupteams):
a row per team and optional PINs for the teams and the umpire."""

from __future__ import annotations

import random

import pygame

from game.engine import State

from ..session import DEFAULT_LEVEL, Control, Session, ai_levels, new_session
from . import widgets as w
from .base import Scene, is_shift, key_event
from .pinhandoff import MAX_DIGITS, MIN_DIGITS
from .setupteams import TeamSetup


def default_controls(state: State) -> dict[str, Control]:
    """The first faction human, everything else AI at the default level."""
    first = state.world.factions[0].id if state.world.factions else ""
    return {s: Control(s == first) for s in state.world.sides}


def quick_session(path: str) -> Session:
    """A session on a scenario file with the default sides (for `python main.py SCENARIO` benchmarks)."""
    from ..app import load_scenario_file

    _, state = load_scenario_file(path)
    return new_session(state, controls=default_controls(state), source=path)


class SetupScene(TeamSetup, Scene):
    name = "setup"

    def __init__(self, app, state: State, source: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__(app)
        self.state = state
        self.source = source
        self.controls = default_controls(state)
        self._tutor_patrons(source)
        self.seed = state.world.meta.seed
        self.levels = ai_levels()
        self.init_teams()
        try:
            from ..mapdraw import prepare_world
            from .mapport import outline_path

            prepare_world(state.world, outline_path(state.world, source))
        except ImportError:
            pass

    def _tutor_patrons(self, source: str) -> None:
        """A tutorial teaches patrons too: its player also sits for the first faction's patrons."""
        from ..tutorial import Tutorial

        w_ = self.state.world
        if not w_.factions or Tutorial.for_source(source) is None:
            return
        first = w_.factions[0].id
        for p in w_.patrons:
            if first in p.clients:
                self.controls[p.id] = Control(True)

    def _columns(self) -> list[list[str]]:
        w_ = self.state.world
        return [[f.id for f in w_.factions if f.commander is None], [p.id for p in w_.patrons]]

    def geometry(self) -> tuple[int, int, int, int, int]:
        """(margin, top of the rows, column width, row height, top of the bottom bar): rows shrink to fit."""
        W, H = self.app.size
        m, top = self.s(28), self.s(124)
        bar = H - m - self.s(46)
        most = max(len(c) for c in self._columns()) or 1
        row_h = max(self.s(30), min(self.s(46), (bar - self.s(12) - top - self.s(30)) // most))
        return m, top, (W - 3 * m) // 2, row_h, bar

    def rebuild(self) -> None:
        self.keep_pin_texts()
        super().rebuild()

    def kill_ui(self) -> None:
        self.keep_pin_texts()
        super().kill_ui()

    def build(self) -> None:
        if self.by_team:
            self.build_teams()
        else:
            self.build_sides()
        self.build_bar()

    def build_sides(self) -> None:
        self.entries = {}
        m, top, col_w, row_h, bar = self.geometry()
        human_w, level_w = self.s(84), self.s(96)
        for c, sides in enumerate(self._columns()):
            x = m + c * (col_w + m)
            for r, side in enumerate(sides):
                y = top + self.s(30) + r * row_h
                ctl = self.controls[side]
                bx = x + col_w - human_w - level_w - self.s(14)
                h = row_h - self.s(8)
                number = c * len(self._columns()[0]) + r + 1
                self.button(pygame.Rect(bx, y + self.s(2), human_w, h - self.s(4)), "Human" if ctl.human else "AI",
                            lambda s=side: self.toggle(s), "#on" if ctl.human else "#small",
                            "Human: you give the orders; AI: the computer does" +
                            (f" (key {number})" if number <= 9 else ""))
                if not ctl.human:
                    self.button(pygame.Rect(bx + human_w + self.s(6), y + self.s(2), level_w, h - self.s(4)),
                                ctl.level, lambda s=side: self.cycle_level(s), "#quiet",
                                "AI level: click for the next" if len(self.levels) > 1 else "This AI has one level")

    def build_bar(self) -> None:
        W, H = self.app.size
        m, bar = self.s(28), H - self.s(28) - self.s(46)
        x = m
        view = [("By side" if self.by_team else "By team", self.switch_view, "#quiet",
                 "Set each faction and patron on its own" if self.by_team else
                 "One row per team, with optional PINs")] if self.state.world.teams else []
        for label, action, oid, tip in (("Back", self.back, None, "Esc"),
                                         (f"Seed {self.seed}", self.reseed, "#quiet",
                                          "The random seed: the same seed and orders replay the same game. "
                                          "Click for a new one."),
                                         ("All AI", self.all_ai, "#quiet", "Watch the computer play every side"),
                                         *view):
            bw = self.label_width(label, oid, self.s(90))
            self.button(pygame.Rect(x, bar, bw, self.s(46)), label, action, oid, tip)
            x += bw + self.s(12)
        bw = self.label_width("Start  ⏎", "#primary", self.s(160))
        self.button(pygame.Rect(W - m - bw, bar, bw, self.s(46)), "Start  ⏎", self.start, "#primary",
                    "Open the map (Enter)")

    def toggle(self, side: str) -> None:
        c = self.controls[side]
        self.controls[side] = Control(not c.human, c.level)
        self.rebuild()

    def cycle_level(self, side: str) -> None:
        c = self.controls[side]
        i = self.levels.index(c.level) if c.level in self.levels else -1
        self.controls[side] = Control(c.human, self.levels[(i + 1) % len(self.levels)])
        self.rebuild()

    def reseed(self) -> None:
        self.seed = random.SystemRandom().randrange(1, 10**6)
        self.rebuild()

    def all_ai(self) -> None:
        self.controls = {s: Control(False, c.level) for s, c in self.controls.items()}
        self.rebuild()

    def start(self) -> None:
        """Start the game, with the PINs typed (hashed); a field that holds no PIN stops it, named."""
        controls = {s: (c if c.level in self.levels or c.human else Control(False, DEFAULT_LEVEL))
                    for s, c in self.controls.items()}
        session = new_session(self.state, self.seed, controls, self.source)
        if not self.add_pins(session):
            self.app.dirty = True
            return
        self.app.start_session(session)

    def back(self) -> None:
        self.app.pop(self)

    def handle(self, event: pygame.event.Event) -> bool:
        if key_event(event, pygame.K_RETURN, pygame.K_KP_ENTER):
            self.start()
            return True
        if key_event(event, pygame.K_TAB):
            self.focus_next(back=is_shift(event))
            return True
        if self.typing() and event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:  # leave the field; a second Esc goes back
                for entry in self.entries.values():
                    entry.unfocus()
                self.app.manager.set_focus_set(None)
            return event.key not in (pygame.K_F1, pygame.K_F11, pygame.K_F12)
        keys = [r.key for r in self.rows()] if self.by_team else [s for col in self._columns() for s in col]
        if event.type == pygame.KEYDOWN and pygame.K_1 <= event.key <= pygame.K_9 and \
                event.key - pygame.K_1 < len(keys):
            key = keys[event.key - pygame.K_1]
            self.toggle_team(key) if self.by_team else self.toggle(key)
            return True
        if key_event(event, pygame.K_ESCAPE):
            self.back()
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        W, H = surface.get_size()
        surface.fill(w.PAPER)
        wd = self.state.world
        m, top, col_w, row_h, bar = self.geometry()
        title = f"{wd.meta.title}: who plays each {'team' if self.by_team else 'side'}?"
        size = self.s(28) if w.width_of(title, self.s(28), True) <= W - 2 * m else self.s(22)
        w.text(surface, w.fit_text(title, size, W - 2 * m, True), (m, self.s(20)), size, w.INK, bold=True,
               full=title)
        humans = [s for s, c in self.controls.items() if c.human]
        session = Session(self.state, self.seed, dict(self.controls))
        seats = session.seats()
        if len(seats) > 1:
            note = (f"Hotseat for {len(seats)} players: " + ", then ".join(s.label for s in seats) +
                    ". A hand-off screen hides the map between players.")
        elif humans:
            note = f"You play {seats[0].label}; the computer plays every other side."
        else:
            note = "The computer plays every side; you watch and press End turn."
        if self.by_team and len(seats) == 1 and any(e.get_text() for k, e in self.entries.items() if k != "umpire"):
            note += " With one human team there is no hand-off, so its PIN is never asked for."
        elif self.by_team:
            note += (f" PINs (optional, {MIN_DIGITS} to {MAX_DIGITS} digits): the hand-off asks each team for its "
                     "own; the umpire's PIN guards the umpire console.")
        w.scroll_text(surface, note, pygame.Rect(m, self.s(58), W - 2 * m, top - self.s(62)), self.s(15), 0, w.MUTED)
        if self.by_team:
            self.draw_teams(surface)
            return
        for c, (title, sides) in enumerate(zip(("Factions", "Patrons (outside powers)"), self._columns())):
            x = m + c * (col_w + m)
            w.text(surface, title, (x, top), self.s(18), w.INK, bold=True)
            for r, side in enumerate(sides):
                y = top + self.s(30) + r * row_h
                self._side_row(surface, side, pygame.Rect(x, y, col_w, row_h - self.s(8)))
        y = top + self.s(30) + len(wd.factions) * row_h + self.s(14)
        self._teams(surface, pygame.Rect(m, y, col_w, bar - y - self.s(8)))

    def _side_row(self, surface: pygame.Surface, side: str, rect: pygame.Rect) -> None:
        """The side's colour and name (the long name when it fits, else the short one; hover for all)."""
        wd = self.state.world
        pygame.draw.rect(surface, (255, 255, 252), rect, border_radius=6)
        pygame.draw.rect(surface, w.EDGE, rect, 1, border_radius=6)
        sw = self.s(16)
        room = rect.width - self.s(84 + 96 + 14) - sw - self.s(20)
        size = self.s(15)
        if side in wd.faction_index:
            f = wd.factions[wd.faction_index[side]]
            pygame.draw.rect(surface, w.hex_colour(f.colour), (rect.left + 8, rect.centery - sw // 2, sw, sw),
                             border_radius=3)
            names = [f"{f.short}: {f.name}", f.name, f.short]
            sub = ""
        else:
            p = wd.patrons[wd.patron_index[side]]
            names = [p.name]
            sub = "helps " + ", ".join(map(self._short, p.clients)) if p.clients else \
                "strikes convoys of " + ", ".join(wd.patrons[wd.patron_index[x]].name for x in p.interdicts
                                                   if x in wd.patron_index)
        label = next((n for n in names if w.width_of(n, size) <= room), None)
        shown = label or w.fit_text(names[-1], size, room)
        w.text(surface, shown, (rect.left + sw + 16, rect.centery), size, w.INK, anchor="midleft", full=names[0])
        if sub:
            x = rect.left + sw + 16 + w.width_of(shown, size) + 10
            if x + w.width_of(sub, self.s(12)) <= rect.left + sw + 16 + room:
                w.text(surface, sub, (x, rect.centery), self.s(12), w.MUTED, anchor="midleft")
    def _short(self, fid: str) -> str:
        wd = self.state.world
        return wd.factions[wd.faction_index[fid]].short if fid in wd.faction_index else fid

    def _teams(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """The scenario's teams: human sides of one team share a seat in a hotseat game."""
        wd = self.state.world
        if not wd.teams or rect.height < self.s(60):
            return
        w.text(surface, "Teams", rect.topleft, self.s(18), w.INK, bold=True)
        lines = []
        for t in wd.teams:
            names = ", ".join(self._short(s) if s in wd.faction_index else wd.patrons[wd.patron_index[s]].name
                              for s in t.sides if s in wd.faction_index or s in wd.patron_index)
            lines.append(f"{t.name}: {names}")
        lines.append("Human sides of one team share a seat: one player gives all their orders.")
        box = pygame.Rect(rect.left, rect.top + self.s(28), rect.width, rect.height - self.s(28))
        w.scroll_text(surface, "\n".join(lines), box, self.s(14), 0, w.INK)
