"""The in-game tutorial: a scenario's `tutorial:` steps shown one at a time in a card on the map.

Each step is done when the player performs its action (select a unit, plan a move or an attack, point at
a target to read the combat preview, end the turn, open the report, show the supply map, give a patron's
order). The combat preview itself is the map scene's own (`game.engine.preview`), not the tutorial's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pygame

from .scenes import widgets as w

ACTIONS = ("select", "move", "attack", "preview", "end_turn", "report", "supply", "patron")
"""What a step may wait for (the scenario format's `done_when`)."""
HAS_TUTORIAL = re.compile(r"^tutorial:", re.M)
HIDE_NOTE = "F2 hides the tutorial"


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
        self.rect: pygame.Rect | None = None
        """Where the card was last drawn (None: not drawn)."""

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

    def card_text(self) -> tuple[str, str]:
        """(headline, body) of the card."""
        step = self.current
        if step is None:
            return "Tutorial complete", "You have played through every step. Carry on with the game."
        return f"Tutorial {self.index + 1} of {len(self.steps)}: {step.title}", step.text

    def draw(self, surface: pygame.Surface, area: pygame.Rect, s: Callable[[float], int],
             keep: Sequence[pygame.Rect] = (), then: Sequence[pygame.Rect] = ()) -> pygame.Rect | None:
        """The card in a corner of the map `area` that covers as little of `keep` as it can, then of `then`
        (the player's own counters, which the steps ask to click), the bottom left first; its text gets
        smaller when the map is too small for it. Returns where it went."""
        self.rect = None
        if self.hidden:
            return None
        title, body = self.card_text()
        pad, margin = s(12), s(10)
        width = min(s(440), area.width - 2 * margin)
        for size in range(s(16), 9, -1):
            big = size + 1
            heads = w.wrap(title, big, width - 2 * pad, True)
            lines = w.wrap(body, size, width - 2 * pad)
            note = max(10, size - 3)
            height = (len(heads) * int(big * 1.25) + len(lines) * int(size * 1.25) + int(note * 1.6)
                      + 2 * pad + s(6))
            if height <= area.height - 2 * margin - s(40):
                break
        corners = [pygame.Rect(area.left + margin, area.bottom - height - margin - s(40), width, height),
                   pygame.Rect(area.right - width - margin, area.bottom - height - margin, width, height),
                   pygame.Rect(area.left + margin, area.top + margin, width, height),
                   pygame.Rect(area.right - width - margin, area.top + margin, width, height)]
        rect = min(corners, key=lambda c: (len(c.collidelistall(list(keep))), len(c.collidelistall(list(then))),
                                           corners.index(c))).clamp(area)
        w.panel(surface, rect, w.PAPER, w.ACCENT, alpha=240)
        pygame.draw.rect(surface, w.ACCENT, rect, 2, border_radius=8)
        with w.clipped(surface, rect):
            y = rect.top + pad
            for line in heads:
                w.text(surface, line, (rect.left + pad, y), big, w.ACCENT, bold=True)
                y += int(big * 1.25)
            y += s(6)
            for line in lines:
                w.text(surface, line, (rect.left + pad, y), size, w.INK)
                y += int(size * 1.25)
            w.text(surface, HIDE_NOTE, (rect.left + pad, rect.bottom - pad - int(note * 1.2)), note, w.MUTED)
        self.rect = rect
        return rect
