"""The projector view of the desktop client: what everyone in the room may see, for a second screen or the
room's projector between hotseat turns. Built from the public view only (`game.engine.public`): the map
and who holds each place, the date and turn, and the injects and rulings told to all. No unit of any side
is drawn, and no side's figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pygame

from game.engine import State
from game.engine import events as ev
from game.engine.public import public_view
from game.engine.view import View
from game.report.narrate import Names, describe, gather_unseen

from .scenes import widgets as w
from .scenes.base import Scene, key_event
from .scenes.mapport import MapPort
from .viewstate import shown_state

TOLD = ("InjectFired", "UmpireOverride", "MatrixResolved")


def public_lines(view: View) -> tuple[list[str], list[str]]:
    """(injects and rulings told to all, the other public news) as sentences."""
    n = Names()
    n.learn(view)
    told = [describe(e, n) for e in view.events if e.kind in TOLD]
    news = [describe(e, n) for e in gather_unseen(view.events) if e.kind not in TOLD]
    return told, news


class ProjectorScene(Scene):
    """The public view over the whole window; P or Esc goes back."""

    name = "projector"

    def __init__(self, app: Any, state: State, events: Sequence[ev.Event] = (), source: str = "") -> None:
        super().__init__(app)
        self.view = public_view(state, events)
        self.state = shown_state(state, self.view)
        palette = "tol" if app.settings.colour_blind else "okabe-ito"
        self.port = MapPort(state.world, source, app.scale, palette)
        self.list = w.ListView(pygame.Rect(0, 0, 1, 1), 17)
        told, news = public_lines(self.view)
        rows = [w.Row("Told to everyone", header=True)]
        rows += [w.Row(t, colour=(0, 94, 160)) for t in told] or [w.Row("Nothing this turn.", ink=w.MUTED)]
        rows.append(w.Row("Places that changed hands", header=True))
        rows += [w.Row(t, colour=w.MUTED) for t in news] or [w.Row("None.", ink=w.MUTED)]
        self.list.rows = rows

    def bar_h(self) -> int:
        return self.s(70)

    def side_rect(self) -> pygame.Rect:
        W, H = self.app.size
        width = min(self.s(440), W // 3)
        return pygame.Rect(W - width, self.bar_h(), width, H - self.bar_h())

    def build(self) -> None:
        side = self.side_rect()
        self.port.set_rect(pygame.Rect(0, self.bar_h(), side.left, side.height))
        self.list.rect = side.inflate(-self.s(28), -self.s(28))
        self.list.size = self.s(17)

    def handle(self, event: pygame.event.Event) -> bool:
        if key_event(event, pygame.K_p, pygame.K_ESCAPE):
            self.app.pop(self)
            return True
        if event.type == pygame.MOUSEWHEEL:
            self.list.wheel(event.y)
            self.app.dirty = True
            return True
        return event.type == pygame.KEYDOWN and event.key not in (pygame.K_F1, pygame.K_F11, pygame.K_F12)

    def draw(self, surface: pygame.Surface) -> None:
        W, _ = surface.get_size()
        surface.fill((24, 30, 38))
        self.port.draw(surface, self.state)
        pygame.draw.rect(surface, (18, 24, 32), (0, 0, W, self.bar_h()))
        v = self.view
        when = f"turn {v.turn} of {v.turns}" if v.outcome is None else "game over"
        w.text(surface, w.fit_text(f"{v.title} — {v.date} — {when}", self.s(26), W - self.s(28), True),
               (self.s(14), self.s(8)), self.s(26), (250, 248, 240), bold=True)
        w.text(surface, "Projector: the public map and what everyone is told · P or Esc: back",
               (self.s(14), self.s(44)), self.s(15), (190, 198, 206))
        w.panel(surface, self.side_rect(), w.PAPER, w.EDGE, radius=0)
        self.list.draw(surface)


def show_projector(app: Any) -> bool:
    """Push the projector view of the game being played (its last turn's public news); False without one."""
    s = app.session
    if s is None:
        return False
    last = s.last
    events = last.events if last is not None and last.after is s.state else []
    app.push(ProjectorScene(app, s.state, events, s.source))
    return True
