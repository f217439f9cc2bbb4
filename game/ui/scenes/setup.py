"""Side set-up: each faction and patron is played by a human or by the AI (at a level);
several humans make a hotseat game."""

from __future__ import annotations

import random

import pygame

from game.engine import State

from ..orders_panel import fit_text
from ..session import DEFAULT_LEVEL, Control, Session, ai_levels, new_session
from . import widgets as w
from .base import Scene, key_event


def default_controls(state: State) -> dict[str, Control]:
    """The first faction human, everything else AI at the default level."""
    first = state.world.factions[0].id if state.world.factions else ""
    return {s: Control(s == first) for s in state.world.sides}


def quick_session(path: str) -> Session:
    """A session on a scenario file with the default sides (for `python main.py SCENARIO` benchmarks)."""
    from ..app import load_scenario_file

    _, state = load_scenario_file(path)
    return new_session(state, controls=default_controls(state), source=path)


class SetupScene(Scene):
    name = "setup"

    def __init__(self, app, state: State, source: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__(app)
        self.state = state
        self.source = source
        self.controls = default_controls(state)
        self._tutor_patrons(source)
        self.seed = state.world.meta.seed
        self.levels = ai_levels()

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

    def build(self) -> None:
        W, H = self.app.size
        m, top = self.s(32), self.s(130)
        col_w = (W - 3 * m) // 2
        row_h = self.s(46)
        for c, sides in enumerate(self._columns()):
            x = m + c * (col_w + m)
            for r, side in enumerate(sides):
                y = top + self.s(34) + r * row_h
                ctl = self.controls[side]
                bx = x + col_w - self.s(290)
                self.button(pygame.Rect(bx, y, self.s(130), row_h - self.s(8)), "Human" if ctl.human else "AI",
                            lambda s=side: self.toggle(s), "#on" if ctl.human else None,
                            "Human: you give the orders; AI: the computer does")
                if not ctl.human:
                    self.button(pygame.Rect(bx + self.s(140), y, self.s(150), row_h - self.s(8)), ctl.level,
                                lambda s=side: self.cycle_level(s), "#quiet",
                                "AI level" if len(self.levels) > 1 else "This AI has one level")
        bw, bh = self.s(220), self.s(50)
        self.button(pygame.Rect(W - m - bw, H - m - bh, bw, bh), "Start  ⏎", self.start, "#primary",
                    "Open the map (Enter)")
        self.button(pygame.Rect(m, H - m - bh, self.s(150), bh), "Back", self.back, None, "Esc")
        self.button(pygame.Rect(m + self.s(170), H - m - bh, self.s(210), bh), f"Seed {self.seed}", self.reseed,
                    "#quiet", "The random seed: the same seed and orders replay the same game. Click for a new one.")
        self.button(pygame.Rect(m + self.s(400), H - m - bh, self.s(190), bh), "All AI", self.all_ai, "#quiet",
                    "Watch the computer play every side")

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
        controls = {s: (c if c.level in self.levels or c.human else Control(False, DEFAULT_LEVEL))
                    for s, c in self.controls.items()}
        self.app.start_session(new_session(self.state, self.seed, controls, self.source))

    def back(self) -> None:
        self.app.pop(self)

    def handle(self, event: pygame.event.Event) -> bool:
        if key_event(event, pygame.K_RETURN, pygame.K_KP_ENTER):
            self.start()
            return True
        if key_event(event, pygame.K_ESCAPE):
            self.back()
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        W, H = surface.get_size()
        surface.fill(w.PAPER)
        wd = self.state.world
        m, top = self.s(32), self.s(130)
        w.text(surface, f"{wd.meta.title}: who plays each side?", (m, self.s(24)), self.s(30), w.INK, bold=True)
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
        w.paragraph(surface, note, pygame.Rect(m, self.s(68), W - 2 * m, self.s(50)), self.s(17), w.MUTED)
        col_w = (W - 3 * m) // 2
        row_h = self.s(46)
        for c, (title, sides) in enumerate(zip(("Factions", "Patrons (outside powers)"), self._columns())):
            x = m + c * (col_w + m)
            w.text(surface, title, (x, top), self.s(20), w.INK, bold=True)
            for r, side in enumerate(sides):
                y = top + self.s(34) + r * row_h
                self._side_row(surface, side, pygame.Rect(x, y, col_w, row_h - self.s(8)))
        y = top + self.s(34) + len(wd.factions) * row_h + self.s(20)
        self._teams(surface, pygame.Rect(m, y, col_w, H - y - self.s(100)))

    def _side_row(self, surface: pygame.Surface, side: str, rect: pygame.Rect) -> None:
        wd = self.state.world
        pygame.draw.rect(surface, (255, 255, 252), rect, border_radius=6)
        pygame.draw.rect(surface, w.EDGE, rect, 1, border_radius=6)
        sw = self.s(18)
        if side in wd.faction_index:
            f = wd.factions[wd.faction_index[side]]
            pygame.draw.rect(surface, w.hex_colour(f.colour), (rect.left + 8, rect.centery - sw // 2, sw, sw),
                             border_radius=3)
            label, sub = f"{f.short}: {f.name}", ""
        else:
            p = wd.patrons[wd.patron_index[side]]
            label = p.name
            sub = "helps " + ", ".join(map(self._short, p.clients)) if p.clients else \
                "strikes convoys of " + ", ".join(wd.patrons[wd.patron_index[x]].name for x in p.interdicts
                                                   if x in wd.patron_index)
        label = fit_text(label, self.s(17), rect.width - self.s(300) - sw - 24)
        w.text(surface, label, (rect.left + sw + 16, rect.centery), self.s(17), w.INK, anchor="midleft")
        if sub:
            right = rect.right - self.s(300)
            img_x = rect.left + sw + 16 + w.fonts.font(self.s(17)).size(label)[0] + 10
            if img_x + 40 < right:
                w.text(surface, fit_text(sub, self.s(14), right - img_x - 6), (img_x, rect.centery), self.s(14),
                       w.MUTED, anchor="midleft")

    def _short(self, fid: str) -> str:
        wd = self.state.world
        return wd.factions[wd.faction_index[fid]].short if fid in wd.faction_index else fid

    def _teams(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        """The scenario's teams: human sides of one team share a seat in a hotseat game."""
        wd = self.state.world
        if not wd.teams or rect.height < self.s(60):
            return
        w.text(surface, "Teams", rect.topleft, self.s(20), w.INK, bold=True)
        y = rect.top + self.s(32)
        for t in wd.teams:
            names = ", ".join(self._short(s) if s in wd.faction_index else wd.patrons[wd.patron_index[s]].name
                              for s in t.sides if s in wd.faction_index or s in wd.patron_index)
            y = w.paragraph(surface, f"{t.name}: {names}", pygame.Rect(rect.left, y, rect.width, rect.bottom - y),
                            self.s(15), w.INK)
        note = "Human sides of one team share a seat: one player gives all their orders."
        w.paragraph(surface, note, pygame.Rect(rect.left, y + self.s(6), rect.width, rect.bottom - y), self.s(14),
                    w.MUTED)
