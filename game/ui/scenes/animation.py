"""The turn played back after End turn, in the order the engine resolved it: air strikes, then every
unit moving along its path, then the battles a few at a time, then the new map with the places that
changed hands. Each step has a caption; the HUD keeps the old figures until the result is shown.
The pace follows the animation speed setting; Space (or a click) skips to the end."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pygame

from game.engine import State
from game.engine import events as ev

from ..session import TurnResult
from .eventtext import Namer

STEP_SECONDS = {"air": 0.7, "move": 1.1, "battle": 0.8, "result": 1.0}
"""How long each kind of step lasts at normal speed."""
MAX_BATTLE_STEPS = 6
"""Battles are shown a few at a time so that a busy day still plays in a few seconds."""
BURST_COLOURS = {"combat": (200, 20, 20), "air": (240, 130, 0), "capture": (20, 20, 20)}


@dataclass(frozen=True)
class Step:
    kind: str
    caption: str
    bursts: tuple[tuple[str, str], ...] = ()
    """(place id, kind) rings drawn during the step."""


class TurnAnimation:
    """Progress through one turn's steps; `speed` 0 means no animation at all."""

    def __init__(self, result: TurnResult, speed: float) -> None:
        self.result = result
        self.speed = speed
        names = Namer(result.after, result.before)
        b = result.before.world.board
        rows = result.before.unit_index()
        self.paths: dict[int, list[tuple[float, float]]] = {}
        for e in result.events:
            if isinstance(e, ev.UnitMoved) and e.unit in rows and len(e.path) > 1:
                self.paths[rows[e.unit]] = [(b.places[b.index[p]].lon, b.places[b.index[p]].lat)
                                            for p in e.path if p in b.index]
        self.steps = build_steps(result.events, names, bool(self.paths)) if speed > 0 else []
        self.index = 0
        self.t = 0.0

    # --- progress

    def duration_of(self, step: Step) -> float:
        return STEP_SECONDS[step.kind] / self.speed if self.speed > 0 else 0.0

    @property
    def done(self) -> bool:
        return self.index >= len(self.steps)

    @property
    def step(self) -> Step | None:
        return self.steps[self.index] if not self.done else None

    def skip(self) -> None:
        self.index = len(self.steps)

    def update(self, dt: float) -> None:
        self.t += dt
        while not self.done and self.t >= self.duration_of(self.steps[self.index]):
            self.t -= self.duration_of(self.steps[self.index])
            self.index += 1
        if self.done:
            self.t = 0.0

    @property
    def phase(self) -> float:
        """How far the current step has played (0-1)."""
        step = self.step
        return min(1.0, self.t / self.duration_of(step)) if step is not None and self.duration_of(step) else 1.0

    def shown_result(self) -> bool:
        """Whether the new map is on screen (the result step, or the end)."""
        return self.done or any(s.kind == "result" for s in self.steps[:self.index + 1])

    # --- what to draw

    def map_state(self) -> State:
        """The state the map shows: the old one until the result step, then the new one."""
        return self.result.after if self.shown_result() else self.result.before

    def hud_state(self) -> State:
        """The figures of the top bar and status bar change only when the result is shown."""
        return self.map_state()

    def moving(self) -> dict[int, tuple[float, float]]:
        """Where moving units are drawn (lon, lat): along their paths while they move, at the end of them
        during the battles."""
        step = self.step
        if step is None or self.shown_result() or not self.paths:
            return {}
        moved = any(s.kind == "move" for s in self.steps[:self.index])
        if step.kind == "move":
            f = self.phase * self.phase * (3 - 2 * self.phase)
        elif moved:
            f = 1.0
        else:
            return {}
        return {u: along(pts, f) for u, pts in self.paths.items()}

    def caption(self) -> str:
        step = self.step
        if step is None:
            return ""
        return f"{step.caption}   ({self.index + 1} of {len(self.steps)} · Space skips)"

    def draw(self, surface: pygame.Surface, place_xy: Callable[[int], tuple[int, int]], scale: float) -> None:
        """Expanding rings where the current step happens: battles (red), air strikes (orange), captures."""
        step = self.step
        if step is None:
            return
        b = self.result.before.world.board
        f = self.phase
        for pid, kind in step.bursts:
            if pid not in b.index:
                continue
            x, y = place_xy(b.index[pid])
            colour = BURST_COLOURS[kind]
            for k in range(2):
                g = (f * 1.6 - k * 0.3) % 1.0
                r = int((10 + 34 * g) * scale)
                pygame.draw.circle(surface, colour, (x, y), r, max(2, int(4 * scale * (1 - g))))
            if kind == "air":
                for a in range(8):
                    ang = a * math.pi / 4 + f * 2
                    pygame.draw.line(surface, colour, (x, y),
                                     (x + int(18 * scale * math.cos(ang)), y + int(18 * scale * math.sin(ang))), 2)


def moving_rows(result: TurnResult) -> list[int]:
    """Rows (in the old state) of the units the playback shows moving."""
    rows = result.before.unit_index()
    return [rows[e.unit] for e in result.events if isinstance(e, ev.UnitMoved) and e.unit in rows and len(e.path) > 1]


def battle_text(e: ev.Combat, n: Namer) -> str:
    result = "took it" if e.success else "held off"
    return f"{n.s(e.attacker)} attacked {n.p(e.place)} at {e.ratio:.1f}:1 ({e.chance:.0%}): {result}"


def build_steps(events: list[ev.Event], n: Namer, anyone_moved: bool) -> list[Step]:
    """The steps of a turn, in the engine's order of resolution."""
    steps: list[Step] = []
    strikes = [e for e in events if isinstance(e, ev.AirStrike)]
    for k in range(0, len(strikes), 3):
        group = strikes[k:k + 3]
        steps.append(Step("air", "; ".join(f"{n.s(e.patron)} air strike on {n.p(e.place)}" for e in group),
                          tuple((e.place, "air") for e in group)))
    if anyone_moved:
        moved = sum(isinstance(e, ev.UnitMoved) for e in events)
        steps.append(Step("move", f"{moved} unit{'s' * (moved != 1)} move"))
    battles = [e for e in events if isinstance(e, ev.Combat)]
    per = max(1, math.ceil(len(battles) / MAX_BATTLE_STEPS))
    for k in range(0, len(battles), per):
        group = battles[k:k + per]
        steps.append(Step("battle", "; ".join(battle_text(e, n) for e in group),
                          tuple((e.place, "combat") for e in group)))
    taken = [e for e in events if isinstance(e, ev.CONTROL_CHANGES)]
    if taken:
        names = ", ".join(n.p(e.place) for e in taken[:4]) + (f" and {len(taken) - 4} more" if len(taken) > 4 else "")
        steps.append(Step("result", f"{len(taken)} place{'s' * (len(taken) != 1)} changed hands: {names}",
                          tuple((e.place, "capture") for e in taken)))
    elif steps:
        steps.append(Step("result", "The new day's map"))
    return steps


def along(points: list[tuple[float, float]], f: float) -> tuple[float, float]:
    """The point a fraction `f` of the way along a polyline (by segment count)."""
    if len(points) == 1 or f <= 0:
        return points[0]
    if f >= 1:
        return points[-1]
    pos = f * (len(points) - 1)
    k = int(pos)
    t = pos - k
    (x0, y0), (x1, y1) = points[k], points[k + 1]
    return x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
