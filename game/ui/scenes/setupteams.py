"""The team view of the set-up screen: one row per scenario team (human, AI or mixed, which sets every side of
the team), an optional PIN per human team and one for the umpire. A PIN lives in clear only in its masked
field; Start checks every field, hashes the PINs (game.session.pins) into `Session.pins` under the keys the
hot-seat hand-off reads, and empties the fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pygame
from pygame_gui.core import ObjectID
from pygame_gui.elements import UITextEntryLine

from game.engine import World
from game.session.pins import hash_pin

from ..session import UMPIRE_PIN_KEY, Control, Session, team_pin_key
from . import widgets as w
from .pinhandoff import MAX_DIGITS, MIN_DIGITS

if TYPE_CHECKING:
    from .setup import SetupScene

UMPIRE_ROW = "umpire"
"""The umpire's row (and its PIN field) in the team view."""
HUMAN_W, LEVEL_W, PIN_W, GAP = 96, 96, 170, 8


@dataclass(frozen=True)
class TeamRow:
    """One row of the team view: a scenario team, or a side that is in no team."""

    key: str
    label: str
    sides: tuple[str, ...]
    team: bool


def team_rows(world: World, shown: list[str]) -> list[TeamRow]:
    """The scenario's teams (their sides on the set-up screen only), then each shown side in no team."""
    rows = [TeamRow(t.id, t.name, tuple(s for s in t.sides if s in shown), True) for t in world.teams]
    rows = [r for r in rows if r.sides]
    placed = {s for r in rows for s in r.sides}
    names = {f.id: f.name for f in world.factions} | {p.id: p.name for p in world.patrons}
    return rows + [TeamRow(s, names.get(s, s), (s,), False) for s in shown if s not in placed]


def pin_problem(text: str) -> str | None:
    """What is wrong with a typed PIN, in plain words (None when it is fine or empty: PINs are optional)."""
    if not text:
        return None
    if not text.isdigit():
        return f"a PIN is {MIN_DIGITS} to {MAX_DIGITS} digits, with no letters or other signs"
    if not MIN_DIGITS <= len(text) <= MAX_DIGITS:
        return f"a PIN is {MIN_DIGITS} to {MAX_DIGITS} digits (this one has {len(text)})"
    return None


class TeamSetup:
    """The team view, mixed into SetupScene (which owns the controls, the levels and the buttons)."""

    def init_teams(self: SetupScene) -> None:
        self.by_team = bool(self.state.world.teams)
        self.pin_texts: dict[str, str] = {}
        """What each PIN field holds while the set-up screen is open (kept across rebuilds)."""
        self.entries: dict[str, UITextEntryLine] = {}
        self.problem: tuple[str, str] | None = None
        """(row key, message) of the PIN field that stopped Start."""

    def rows(self: SetupScene) -> list[TeamRow]:
        return team_rows(self.state.world, [s for col in self._columns() for s in col])

    def team_state(self: SetupScene, row: TeamRow) -> str:
        """'human', 'ai' or 'mixed'."""
        humans = sum(self.controls[s].human for s in row.sides)
        return "human" if humans == len(row.sides) else "ai" if humans == 0 else "mixed"

    def toggle_team(self: SetupScene, key: str) -> None:
        """AI or mixed becomes all human; all human becomes all AI (each side keeps its level)."""
        row = next(r for r in self.rows() if r.key == key)
        human = self.team_state(row) != "human"
        for s in row.sides:
            self.controls[s] = Control(human, self.controls[s].level)
        self.rebuild()

    def cycle_team_level(self: SetupScene, key: str) -> None:
        """The next level for every AI side of the team."""
        row = next(r for r in self.rows() if r.key == key)
        ai = [s for s in row.sides if not self.controls[s].human]
        level = self.controls[ai[0]].level
        i = self.levels.index(level) if level in self.levels else -1
        for s in ai:
            self.controls[s] = Control(False, self.levels[(i + 1) % len(self.levels)])
        self.rebuild()

    def switch_view(self: SetupScene) -> None:
        self.by_team = not self.by_team
        self.problem = None
        self.rebuild()

    # --- PIN fields

    def keep_pin_texts(self: SetupScene) -> None:
        """Remember what the fields hold (before they are taken down by a rebuild or a resize)."""
        for key, entry in self.entries.items():
            if entry.alive():
                self.pin_texts[key] = entry.get_text()
                if not self.pin_texts[key]:
                    del self.pin_texts[key]

    def pin_rows(self: SetupScene) -> list[str]:
        """Keys of the rows with a PIN field now: teams with a human side, then the umpire."""
        return [r.key for r in self.rows() if r.team and self.team_state(r) != "ai"] + [UMPIRE_ROW]

    def focus_next(self: SetupScene, back: bool = False) -> None:
        """Tab: the next PIN field (Shift+Tab: the one before)."""
        keys = [k for k in self.pin_rows() if k in self.entries]
        if not keys:
            return
        now = next((i for i, k in enumerate(keys) if self.entries[k].is_focused), None)
        i = (len(keys) - 1 if back else 0) if now is None else (now + (-1 if back else 1)) % len(keys)
        self.focus(keys[i])

    def focus(self: SetupScene, key: str) -> None:
        for entry in self.entries.values():
            entry.unfocus()
        self.app.manager.set_focus_set(self.entries[key])
        self.entries[key].focus()
        self.app.dirty = True

    def typing(self: SetupScene) -> bool:
        """Whether a PIN field has the keyboard (digits then go to it, not to the row keys)."""
        return any(e.is_focused for e in self.entries.values())

    def add_pins(self: SetupScene, session: Session) -> bool:
        """Check every PIN field and hash them into `session.pins`; False (with `problem` set and the field
        focused) when one is not a PIN. Fields of AI teams are not used."""
        self.keep_pin_texts()
        wanted = self.pin_rows()
        labels = {r.key: r.label for r in self.rows()} | {UMPIRE_ROW: "Umpire"}
        for key in wanted:
            problem = pin_problem(self.pin_texts.get(key, ""))
            if problem is not None:
                self.problem = (key, f"{labels[key]}'s PIN: {problem}.")
                if not self.by_team:
                    self.by_team = True
                    self.rebuild()
                self.focus(key)
                return False
        for key in wanted:
            text = self.pin_texts.get(key, "")
            if text:
                session.pins[UMPIRE_PIN_KEY if key == UMPIRE_ROW else team_pin_key(key)] = hash_pin(text)
        self.forget_pins()
        return True

    def forget_pins(self: SetupScene) -> None:
        for entry in self.entries.values():
            entry.set_text("")
        self.pin_texts = {}

    # --- layout

    def team_geometry(self: SetupScene) -> tuple[int, int, int, int]:
        """(margin, top of the first row, row height, top of the bottom bar) of the team view."""
        W, H = self.app.size
        m, top = self.s(28), self.s(124)
        bar = H - m - self.s(46)
        n = len(self.rows()) + 1
        first = top + self.s(30)
        row_h = max(self.s(30), min(self.s(46), (bar - self.s(34) - first) // n))
        return m, first, row_h, bar

    def cluster(self: SetupScene, rect: pygame.Rect) -> tuple[pygame.Rect, pygame.Rect, pygame.Rect]:
        """The who-plays button, the level button and the PIN field of a row."""
        h = rect.height - self.s(6)
        pin = pygame.Rect(rect.right - self.s(GAP) - self.s(PIN_W), rect.top + self.s(3), self.s(PIN_W), h)
        level = pygame.Rect(pin.left - self.s(GAP) - self.s(LEVEL_W), pin.top, self.s(LEVEL_W), h)
        human = pygame.Rect(level.left - self.s(GAP) - self.s(HUMAN_W), pin.top, self.s(HUMAN_W), h)
        return human, level, pin

    def row_rects(self: SetupScene) -> list[tuple[str, pygame.Rect]]:
        W, _ = self.app.size
        m, first, row_h, _ = self.team_geometry()
        keys = [r.key for r in self.rows()] + [UMPIRE_ROW]
        return [(k, pygame.Rect(m, first + i * row_h, W - 2 * m, row_h - self.s(6))) for i, k in enumerate(keys)]

    def build_teams(self: SetupScene) -> None:
        self.entries = {}
        rows = {r.key: r for r in self.rows()}
        pins = set(self.pin_rows())
        for number, (key, rect) in enumerate(self.row_rects(), 1):
            human, level, pin = self.cluster(rect)
            row = rows.get(key)
            if row is not None:
                state = self.team_state(row)
                label, oid = {"human": ("Human", "#on"), "ai": ("AI", "#small"), "mixed": ("Mixed", "#quiet")}[state]
                tip = ("Mixed: some sides human, some AI (click: all human; 'By side' sets each one)"
                       if state == "mixed" else "Human: a player gives the team's orders; AI: the computer does")
                self.button(human, label, lambda k=key: self.toggle_team(k), oid,
                            tip + (f" (key {number})" if number <= 9 else ""))
                if state != "human":
                    ai = next(s for s in row.sides if not self.controls[s].human)
                    self.button(level, self.controls[ai].level, lambda k=key: self.cycle_team_level(k), "#quiet",
                                "AI level of the team's computer-played sides: click for the next"
                                if len(self.levels) > 1 else "This AI has one level")
            if key in pins:
                self.pin_entry(key, pin)

    def pin_entry(self: SetupScene, key: str, rect: pygame.Rect) -> None:
        entry = UITextEntryLine(rect, self.app.manager, placeholder_text="PIN (optional)",
                                initial_text=self.pin_texts.get(key, ""), object_id=ObjectID(object_id="#pin"))
        entry.hidden_font = entry.font  # the masked dots in the theme's font, at the UI scale
        entry.set_text_hidden(True)
        entry.set_text_length_limit(MAX_DIGITS)
        entry.set_tooltip(f"Optional: {MIN_DIGITS} to {MAX_DIGITS} digits. " + (
            "The umpire console asks for it." if key == UMPIRE_ROW else
            "The hand-off screen asks for it before showing this team's map.") + " Tab: next field")
        self.ui.append(entry)
        self.entries[key] = entry

    def draw_teams(self: SetupScene, surface: pygame.Surface) -> None:
        W, _ = surface.get_size()
        m, first, row_h, bar = self.team_geometry()
        w.text(surface, "Teams", (m, first - self.s(30)), self.s(18), w.INK, bold=True)
        rects = self.row_rects()
        human, _, pin = self.cluster(rects[0][1])
        for label, r in (("Played by", human), ("PIN", pin)):
            w.text(surface, label, (r.left, first - self.s(24)), self.s(13), w.MUTED)
        rows = {r.key: r for r in self.rows()}
        for key, rect in rects:
            self._team_row(surface, rows.get(key), rect)
        if self.problem is not None:
            key, message = self.problem
            rect = dict(rects).get(key)
            if rect is not None:
                pygame.draw.rect(surface, w.WARN, self.cluster(rect)[2].inflate(6, 6), 2, border_radius=5)
            y = rects[-1][1].bottom + self.s(4)
            short = "The PIN outlined in red: " + message.split(": ", 1)[-1]
            shown = message if w.width_of(message, self.s(15), True) <= W - 2 * m else short
            w.scroll_text(surface, shown, pygame.Rect(m, y, W - 2 * m, bar - self.s(4) - y), self.s(15), 0,
                          w.WARN, bold=True)

    def _team_row(self: SetupScene, surface: pygame.Surface, row: TeamRow | None, rect: pygame.Rect) -> None:
        """The team's colours, its name (hover for all of it) and, when there is room, its sides."""
        wd = self.state.world
        fill = (255, 255, 252) if row is not None else (238, 238, 246)
        pygame.draw.rect(surface, fill, rect, border_radius=6)
        pygame.draw.rect(surface, w.EDGE, rect, 1, border_radius=6)
        x, sw = rect.left + self.s(8), self.s(12)
        colours = [w.hex_colour(wd.factions[wd.faction_index[s]].colour) for s in (row.sides if row else ())
                   if s in wd.faction_index] or [(150, 150, 160)]
        for c in colours[:5]:
            pygame.draw.rect(surface, c, (x, rect.centery - sw // 2, sw, sw), border_radius=3)
            x += sw + self.s(3)
        x += self.s(6)
        room = self.cluster(rect)[0].left - self.s(10) - x
        name = row.label if row is not None else "Umpire (White cell)"
        size = self.s(15)
        shown = w.fit_text(name, size, room, True)
        w.text(surface, shown, (x, rect.centery), size, w.INK, bold=True, anchor="midleft", full=name)
        sub = ", ".join(self._short(s) if s in wd.faction_index else wd.patrons[wd.patron_index[s]].name
                        for s in row.sides) if row is not None and row.team else \
            "in no team" if row is not None else "runs the game; the PIN guards the umpire console"
        sx = x + w.width_of(shown, size, True) + self.s(10)
        if sx + w.width_of(sub, self.s(12)) <= x + room:
            w.text(surface, sub, (sx, rect.centery), self.s(12), w.MUTED, anchor="midleft")
