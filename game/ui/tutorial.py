"""The in-game tutorial and the combat preview it teaches.

A scenario's `tutorial:` steps are shown one at a time in a card on the map; each step is done when
the player performs its action (select a unit, plan a move or an attack, point at a target to read the
combat preview, end the turn, open the report, show the supply map, give a patron's order).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pygame

from game.engine import State, crt

from .scenes import widgets as w

ACTIONS = ("select", "move", "attack", "preview", "end_turn", "report", "supply", "patron")
"""What a step may wait for (the scenario format's `done_when`)."""
HAS_TUTORIAL = re.compile(r"^tutorial:", re.M)


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    text: str
    done_when: str


class Tutorial:
    """Steps in order; `notice(action)` completes the current step when it waits for that action."""

    def __init__(self, steps: Sequence[Step]) -> None:
        self.steps = list(steps)
        self.index = 0
        self.hidden = False

    @staticmethod
    def for_source(path: str) -> Tutorial | None:
        """The tutorial of a scenario file, or None when it has none (or cannot be read: the game has
        already loaded it, so a file changed since merely goes without a tutorial)."""
        if not path:
            return None
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError:
            return None
        if not HAS_TUTORIAL.search(text):
            return None
        from game.scenario import ScenarioError, load

        try:
            model = load(path).scenario
        except (ScenarioError, OSError):
            return None
        steps = [Step(s.id, s.title, s.text, s.done_when) for s in model.tutorial]
        return Tutorial(steps) if steps else None

    @property
    def current(self) -> Step | None:
        return self.steps[self.index] if self.index < len(self.steps) else None

    @property
    def done(self) -> bool:
        return self.index >= len(self.steps)

    def notice(self, action: str) -> bool:
        """The player did `action`: complete the current step if it waits for it."""
        step = self.current
        if step is None or step.done_when != action:
            return False
        self.index += 1
        return True

    def toggle(self) -> None:
        self.hidden = not self.hidden

    def draw(self, surface: pygame.Surface, area: pygame.Rect, scale: float) -> None:
        """A card at the bottom left of the map: the step, its number, and how to hide it."""
        if self.hidden:
            return

        def s(px: float) -> int:
            return int(round(px * scale))

        width = min(s(440), area.width - s(24))
        step = self.current
        title = f"Tutorial {self.index + 1} of {len(self.steps)}: {step.title}" if step else "Tutorial complete"
        body = step.text if step else "You have played through every step. Carry on with the game."
        lines = w.wrap(body, s(16), width - s(24))
        height = s(16) * 5 // 4 * len(lines) + s(64)
        rect = pygame.Rect(area.left + s(12), area.bottom - height - s(12), width, height)
        w.panel(surface, rect, w.PAPER, w.ACCENT, alpha=240)
        w.text(surface, title, (rect.left + s(12), rect.top + s(10)), s(17), w.ACCENT, bold=True)
        y = rect.top + s(36)
        for line in lines:
            w.text(surface, line, (rect.left + s(12), y), s(16), w.INK)
            y += s(16) * 5 // 4
        w.text(surface, "F2 hides the tutorial", (rect.left + s(12), rect.bottom - s(22)), s(13), w.MUTED)


def preview_lines(s: State, attackers: Sequence[int], place: int) -> list[str] | None:
    """The combat preview of an attack on `place` by `attackers`: the powers, the column after shifts and
    why, and the chance the defenders give way (before air support and whatever the others do this turn)."""
    if not attackers:
        return None
    hostile = s.hostile[int(s.u_faction[attackers[0]])]
    defenders = [int(u) for u in range(len(s.units)) if int(s.u_place[u]) == place and s.u_strength[u] > 0
                 and hostile[int(s.u_faction[u])]]
    name = s.world.board.places[place].name
    if not defenders:
        return [f"Attack {name}", "No defenders: your units take it unopposed."]
    o = crt.odds(s, list(attackers), defenders, place)
    lines = [f"Attack {name}: combat preview",
             f"Power {o.attack:,.0f} against {o.defence:,.0f} (ratio {o.ratio:.1f} : 1)",
             f"Column {o.column_label} after shifts"]
    lines += [f"  {x.columns:+.1f} {x.why}" for x in o.shifts]
    lines.append(f"Defenders give way: {o.success:.0%}")
    lines.append("Before air support and what the others do this turn.")
    return lines
