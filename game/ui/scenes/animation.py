"""The short animation after End turn: units slide along their paths on the old map, then the new
map appears with bursts where fights and air strikes happened. Space skips it."""

from __future__ import annotations

import math

import pygame

from game.engine import State
from game.engine import events as ev

from ..session import TurnResult

BASE_SECONDS = 1.8
MOVE_SHARE = 0.55


class TurnAnimation:
    """Progress of one turn's animation; `speed` 0 means no animation at all."""

    def __init__(self, result: TurnResult, speed: float) -> None:
        self.result = result
        self.duration = BASE_SECONDS / speed if speed > 0 else 0.0
        self.t = 0.0
        b = result.before.world.board
        rows = result.before.unit_index()
        self.paths: dict[int, list[tuple[float, float]]] = {}
        for e in result.events:
            if isinstance(e, ev.UnitMoved) and e.unit in rows and len(e.path) > 1:
                pts = [(b.places[b.index[p]].lon, b.places[b.index[p]].lat) for p in e.path if p in b.index]
                self.paths[rows[e.unit]] = pts
        self.bursts: list[tuple[int, str]] = []
        for e in result.events:
            kind = {ev.Combat: "combat", ev.AirStrike: "air", ev.PlaceCaptured: "capture"}.get(type(e))
            place = getattr(e, "place", None)
            if kind and place in b.index:
                self.bursts.append((b.index[place], kind))

    @property
    def done(self) -> bool:
        return self.t >= self.duration

    def skip(self) -> None:
        self.t = self.duration

    def update(self, dt: float) -> None:
        self.t = min(self.duration, self.t + dt)

    @property
    def phase(self) -> float:
        return self.t / self.duration if self.duration else 1.0

    def state(self) -> State:
        """The state to draw now: the old one while units move, then the new one."""
        return self.result.before if self.phase < MOVE_SHARE else self.result.after

    def moving(self) -> dict[int, tuple[float, float]]:
        """Where each moving unit is drawn now (lon, lat), during the movement part."""
        if self.phase >= MOVE_SHARE:
            return {}
        f = self.phase / MOVE_SHARE
        f = f * f * (3 - 2 * f)
        return {u: along(pts, f) for u, pts in self.paths.items()}

    def draw(self, surface: pygame.Surface, place_xy: dict[int, tuple[int, int]], scale: float) -> None:
        """Expanding rings at fights (red), air strikes (orange) and captures (black)."""
        if self.phase < MOVE_SHARE * 0.8:
            return
        f = (self.phase - MOVE_SHARE * 0.8) / (1 - MOVE_SHARE * 0.8)
        colours = {"combat": (200, 20, 20), "air": (240, 130, 0), "capture": (20, 20, 20)}
        for place, kind in self.bursts:
            if place not in place_xy:
                continue
            x, y = place_xy[place]
            for k in range(2):
                g = (f * 1.6 - k * 0.3) % 1.0
                r = int((10 + 34 * g) * scale)
                pygame.draw.circle(surface, colours[kind], (x, y), r, max(2, int(4 * scale * (1 - g))))
            if kind == "air":
                for a in range(8):
                    ang = a * math.pi / 4 + f * 2
                    pygame.draw.line(surface, colours[kind], (x, y),
                                     (x + int(18 * scale * math.cos(ang)), y + int(18 * scale * math.sin(ang))), 2)


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
