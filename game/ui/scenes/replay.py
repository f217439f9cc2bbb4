"""The replay viewer: a game log stepped through turn by turn, forwards and back, in any team's view, the
umpire's full view or the public one. Everything drawn for a team (map, counters, tooltips, the turn's
events) comes from its View (`ReplayBook.view`), never from the State; each turn's umpire rulings are
listed (a team sees those it was told of, through its events; the umpire sees every record)."""

from __future__ import annotations

from typing import Any

import pygame

from game.engine.sight import UMPIRE
from game.engine.view import View
from game.report.narrate import Names, describe, gather_unseen, outcome_text, record_summary

from ..replaybook import PUBLIC, ReplayBook
from ..viewstate import shown_state
from . import widgets as w
from .base import Scene, key_event
from .mapport import MapPort

TOLD_KINDS = ("InjectFired", "UmpireOverride", "MatrixResolved")
"""Events that are the umpire's doing: listed under the rulings."""


def forget_drawn(port: MapPort) -> None:
    """The map forgets what it drew: another view is shown, whose counters must not be measured against
    (nor reuse the pictures of) what another team saw."""
    renderer = port.renderer
    for cache in (getattr(renderer, "full", None), getattr(getattr(renderer, "layers", None), "kept", None)):
        if isinstance(cache, dict):
            cache.clear()


def names_of(view: View) -> Names:
    n = Names()
    n.learn(view)
    return n


def view_lines(book: ReplayBook, index: int, view: View) -> tuple[list[str], list[str]]:
    """(the rulings and injects of the turn, the other events) as sentences for this view."""
    n = names_of(view)
    n.learn_teams({t.id: t.name for t in book.start.world.teams})
    told = [describe(e, n) for e in view.events if e.kind in TOLD_KINDS]
    if view.umpire:
        told = []
        for rec in book.frames[index].rulings:
            title, rows = record_summary(rec, n)
            told.append(title + "".join(f" · {label}: {text}" for label, text in rows))
        told += [describe(e, n) for e in view.events if e.kind == "InjectFired"]
    other = [describe(e, n) for e in gather_unseen(view.events) if e.kind not in TOLD_KINDS]
    if view.outcome is not None:
        other.insert(0, outcome_text(view, n))
    return told, other


def place_tooltip(view: View, place_id: str) -> list[str]:
    """A place's line and what the view knows to be there: own units exactly, others as estimates."""
    n = names_of(view)
    p = next(p for p in view.places if p.id == place_id)
    lines = [f"{p.name} — held by {n(p.controller)}{' (contested)' if p.contested else ''}"]
    lines += [f"{u.name} ({n(u.faction)}): {u.strength:,.0f}, cohesion {u.cohesion:.2f}, {u.posture}"
              for u in view.units if u.place == place_id]
    lines += [f"{e.name} ({n(e.faction)}): {e.label} (estimate)" for e in view.estimates if e.place == place_id]
    if not view.umpire and view.team != PUBLIC and not p.seen:
        lines.append("Not in sight: units there are unknown")
    return lines


class ReplayScene(Scene):
    name = "replay"

    def __init__(self, app: Any, book: ReplayBook, team: str = UMPIRE) -> None:
        super().__init__(app)
        self.book = book
        self.index = 0
        self.team = team
        self._port: MapPort | None = None
        self._shown: tuple[tuple[int, str], Any] | None = None
        self.events = w.ListView(pygame.Rect(0, 0, 1, 1), 15)
        self.hover: tuple[int, int] | None = None
        self.legend = False
        self._refresh()

    # --- what is shown

    def view(self) -> View:
        return self.book.view(self.index, self.team)

    def shown(self) -> Any:
        """The State drawn: built from the view alone (kept while the turn and the view stay)."""
        key = (self.index, self.team)
        if self._shown is None or self._shown[0] != key:
            self._shown = (key, shown_state(self.book.start, self.view()))
        return self._shown[1]

    def port(self) -> MapPort:
        if self._port is None:
            palette = "tol" if self.app.settings.colour_blind else "okabe-ito"
            self._port = MapPort(self.book.start.world, self.book.source, self.app.scale, palette)
        port = self._port
        if port.rect != self.map_rect():
            port.set_rect(self.map_rect())
        return port

    def _refresh(self) -> None:
        told, other = view_lines(self.book, self.index, self.view())
        rows = [w.Row("Umpire's rulings and injects", header=True)]
        rows += [w.Row(t, colour=(0, 94, 160)) for t in told] or [w.Row("None this turn.", ink=w.MUTED)]
        rows.append(w.Row(f"What {self.book.team_name(self.team)} heard of", header=True))
        rows += [w.Row(t, colour=w.MUTED) for t in other] or [w.Row("Nothing.", ink=w.MUTED)]
        self.events.set_rows(rows)
        self.app.dirty = True

    # --- moving through the log

    def go(self, index: int) -> None:
        self.index = max(0, min(len(self.book) - 1, index))
        self._refresh()
        self.rebuild()

    def set_team(self, team: str) -> None:
        """Show another view; the map forgets the strengths it drew (a counter's bar is measured against
        the largest strength drawn, which must come from this view too)."""
        self.team = team
        forget_drawn(self.port())
        self._refresh()
        self.rebuild()

    def next_team(self, step: int = 1) -> None:
        teams = self.book.teams
        self.set_team(teams[(teams.index(self.team) + step) % len(teams)])

    def close(self) -> None:
        self.app.pop(self)

    # --- layout

    def bar_h(self) -> int:
        return self.s(58)

    def side_rect(self) -> pygame.Rect:
        W, H = self.app.size
        width = min(self.s(420), W // 3)
        return pygame.Rect(W - width, self.bar_h(), width, H - 2 * self.bar_h())

    def map_rect(self) -> pygame.Rect:
        W, H = self.app.size
        return pygame.Rect(0, self.bar_h(), self.side_rect().left, H - 2 * self.bar_h())

    def build(self) -> None:
        W, H = self.app.size
        y, h, gap = H - self.bar_h() + self.s(8), self.bar_h() - self.s(16), self.s(8)
        last = len(self.book) - 1
        entries = [("|◀ First", lambda: self.go(0), self.index > 0, "The start of the game (Home)"),
                   ("◀ Back", lambda: self.go(self.index - 1), self.index > 0, "The turn before (Left)"),
                   ("Next ▶", lambda: self.go(self.index + 1), self.index < last, "The turn after (Right)"),
                   ("Last ▶|", lambda: self.go(last), self.index < last, "The end of the log (End)")]
        x = self.s(12)
        for label, action, enabled, tip in entries:
            bw = self.label_width(label, None, self.s(110))
            self.button(pygame.Rect(x, y, bw, h), label, action, tooltip=tip, enabled=enabled)
            x += bw + gap
        cw = self.label_width("Close", None, self.s(110))
        self.button(pygame.Rect(W - cw - self.s(12), y, cw, h), "Close", self.close, tooltip="Back (Esc)")
        name = self.book.team_name(self.team)
        room = W - cw - self.s(12) - 2 * gap - (x + gap)
        label = next((t for t in (f"View: {name}", name, "View") if self.label_width(t) <= room), "V")
        bw = min(self.label_width(label, None, self.s(200)), room)
        self.button(pygame.Rect(x + gap, y, bw, h), label, self.next_team,
                    tooltip=f"Showing {name}'s view: each team's, the umpire's or the public one (V)")
        side = self.side_rect()
        self.events.rect = side.inflate(-self.s(24), -self.s(24))
        self.events.size = self.s(15)

    # --- input

    def handle(self, event: pygame.event.Event) -> bool:
        moves = {pygame.K_RIGHT: self.index + 1, pygame.K_LEFT: self.index - 1, pygame.K_HOME: 0,
                 pygame.K_END: len(self.book) - 1}
        if event.type == pygame.KEYDOWN and event.key in moves:
            self.go(moves[event.key])
            return True
        if key_event(event, pygame.K_l):
            self.legend = not self.legend
            self.app.dirty = True
            return True
        if key_event(event, pygame.K_v):
            self.next_team(-1 if event.mod & pygame.KMOD_SHIFT else 1)
            return True
        if key_event(event, pygame.K_ESCAPE):
            self.close()
            return True
        if event.type == pygame.MOUSEMOTION:
            self.hover = event.pos
            self.app.dirty = True
        if event.type == pygame.MOUSEWHEEL:
            if self.events.rect.collidepoint(self.hover or (-1, -1)):
                self.events.wheel(event.y)
            else:
                self.port().zoom_at(self.hover or self.map_rect().center, 1.15 if event.y > 0 else 1 / 1.15)
            self.app.dirty = True
            return True
        return False

    def tooltip_lines(self, pos: tuple[int, int]) -> list[str] | None:
        """What the view knows of the place under `pos` (None off the map or away from a place)."""
        port = self.port()
        state = self.shown()
        p = port.pick_place(state, pos)
        if p is None:
            return None
        return place_tooltip(self.view(), state.world.board.places[p].id)

    # --- drawing

    def draw(self, surface: pygame.Surface) -> None:
        W, H = surface.get_size()
        surface.fill((24, 30, 38))
        view = self.view()
        state = self.shown()
        port = self.port()
        port.draw(surface, state, hover=None, legend=self.legend)
        self._top_bar(surface, view)
        side = self.side_rect()
        w.panel(surface, side, w.PAPER, w.EDGE, radius=0)
        self.events.draw(surface)
        pygame.draw.rect(surface, (18, 24, 32), (0, H - self.bar_h(), W, self.bar_h()))
        if self.hover is not None and port.contains(self.hover):
            lines = self.tooltip_lines(self.hover)
            if lines:
                w.tooltip(surface, lines, self.hover, self.s(15), bounds=port.rect)

    def _top_bar(self, surface: pygame.Surface, view: View) -> None:
        W = surface.get_width()
        pygame.draw.rect(surface, (18, 24, 32), (0, 0, W, self.bar_h()))
        f = self.book.frames[self.index]
        when = f"turn {f.turn} of {view.turns}" if view.outcome is None else f"after turn {f.turn - 1} (game over)"
        head = f"Replay · {view.title} — {view.date} — {when}"
        w.text(surface, w.fit_text(head, self.s(19), W - self.s(24), True), (self.s(12), self.s(6)), self.s(19),
               (245, 245, 245), bold=True)
        sight = "sees everything" if view.umpire else "what everyone is told" if self.team == PUBLIC else (
            f"sees {view.sight_km:.0f} km by route" if view.sight_km is not None else "")
        units = (f"{len(view.units)} units" if view.umpire else "no units shown" if self.team == PUBLIC else
                 f"{len(view.units)} own units, {len(view.estimates)} seen")
        parts = [f"Viewing as {self.book.team_name(self.team)} ({sight})", units,
                 f"step {self.index + 1} of {len(self.book)}", "← → Home End: turns · V: view · L: legend · Esc: close"]
        while len(parts) > 1 and w.width_of(" · ".join(parts), self.s(14)) > W - self.s(24):
            parts.pop()
        sub = " · ".join(parts)
        w.text(surface, w.fit_text(sub, self.s(14), W - self.s(24)), (self.s(12), self.s(33)), self.s(14),
               (190, 198, 206))
