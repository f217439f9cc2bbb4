"""The turn report: what happened, in sentences grouped by kind; clicking one centres the map on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.engine import State

from . import widgets as w
from .base import Scene, key_event
from .eventtext import CATEGORY_TITLES, ReportLine

if TYPE_CHECKING:
    from .game import GameScene

ICON_COLOURS = {"game": (20, 20, 20), "standing": (0, 94, 160), "inject": (0, 94, 160), "victory": (0, 120, 70),
                "capture": (20, 20, 20),
                "combat": (200, 20, 20), "air": (240, 130, 0), "rout": (176, 40, 20), "surrender": (120, 0, 0),
                "supply": (0, 114, 178), "support": (0, 140, 70), "corridor": (90, 70, 110),
                "cohesion": (120, 100, 0), "move": (130, 130, 130), "refused": (176, 40, 20)}


class ReportScene(Scene):
    overlay = True
    dims_below = False
    """The map stays in sight beside the report, its buttons shown but disabled."""
    name = "report"

    def __init__(self, app, game: GameScene, before: State, lines: list[ReportLine],  # type: ignore
                 summary_text: str = "") -> None:
        super().__init__(app)
        self.game = game
        self.summary = summary_text
        self.before = before
        self.lines = lines
        self.list = w.ListView(pygame.Rect(0, 0, 1, 1), 16)
        self.list.rows = self._rows()

    def _rows(self) -> list[w.Row]:
        rows: list[w.Row] = []
        last = None
        for ln in self.lines:
            if ln.category != last:
                rows.append(w.Row(CATEGORY_TITLES.get(ln.category, ln.category), header=True))
                last = ln.category
            rows.append(w.Row(ln.text, value=ln.place, colour=ICON_COLOURS.get(ln.category, w.MUTED)))
        if not rows:
            rows.append(w.Row("A quiet day: nothing changed hands and nobody fought."))
        return rows

    def panel_rect(self) -> pygame.Rect:
        area = self.game.layout()["map"]
        width = min(area.width - self.s(40), self.s(620))
        return pygame.Rect(area.left + self.s(16), area.top + self.s(16), width, area.height - self.s(32))

    def head_lines(self) -> list[str]:
        """The day's summary, wrapped to the panel."""
        r = self.panel_rect()
        return w.wrap(self.summary or "Click a line to show it on the map.", self.s(15), r.width - self.s(32), True)

    def tutorial_lines(self) -> list[str]:
        """The tutorial's "read the report" step, when it is the current one: shown in the report itself,
        which covers the map where its card would be."""
        tut = self.game.tutorial
        step = tut.current if tut is not None and not tut.hidden else None
        if step is None or step.done_when != "report":
            return []
        title, body = tut.card_text()  # type: ignore[union-attr]
        return w.wrap(f"{title}. {body}", self.s(14), self.panel_rect().width - self.s(32))

    def build(self) -> None:
        r = self.panel_rect()
        top = self.s(50) + len(self.head_lines()) * int(self.s(15) * 1.3) + self.s(8)
        tut = self.tutorial_lines()
        top += len(tut) * int(self.s(14) * 1.3) + (self.s(6) if tut else 0)
        self.list.rect = pygame.Rect(r.left + self.s(16), r.top + top, r.width - self.s(28),
                                     r.height - top - self.s(72))
        self.list.size = self.s(16)
        self.button(pygame.Rect(r.right - self.s(216), r.bottom - self.s(60), self.s(200), self.s(46)),
                    "Continue  ⏎", self.close, "#primary", "Back to the map (Enter or Esc)")

    def close(self) -> None:
        self.app.pop(self)
        self.game.notice("report")  # the tutorial's "read the report" step: done once it has been read

    def handle(self, event: pygame.event.Event) -> bool:
        if key_event(event, pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_ESCAPE, pygame.K_SPACE):
            if self.settled():
                self.close()
            return True
        if event.type == pygame.MOUSEWHEEL:
            self.list.wheel(event.y)
            return True
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            row = self.list.click(event.pos)
            if row is not None and isinstance(row.value, str):
                self.centre_on(row.value)
            return row is not None
        return False

    def centre_on(self, place_id: str) -> None:
        """Centre the map (beneath the report) on a place and flash it."""
        b = self.game.state.world.board
        if place_id in b.index:
            p = b.index[place_id]
            self.game.port.centre_on(p)
            r = self.panel_rect()
            self.game.port.pan((r.right - self.game.port.rect.left) / 2, 0)
            self.game.flash = (p, self.app.time + 2.5)

    def draw(self, surface: pygame.Surface) -> None:
        r = self.panel_rect()
        w.panel(surface, r, w.PAPER, w.EDGE, alpha=246, radius=10)
        st = self.game.state
        from .gamedraw import long_date

        title = f"Turn {self.before.turn} report: {long_date(self.before.date)}"
        if w.width_of(title, self.s(22), True) > r.width - self.s(32):
            title = f"Turn {self.before.turn}: {long_date(self.before.date)}"
        w.text(surface, title, (r.left + self.s(16), r.top + self.s(12)), self.s(22), w.INK, bold=True)
        for k, line in enumerate(self.head_lines()):
            w.text(surface, line, (r.left + self.s(16), r.top + self.s(48) + k * int(self.s(15) * 1.3)), self.s(15),
                   w.INK, bold=True)
        y = r.top + self.s(48) + len(self.head_lines()) * int(self.s(15) * 1.3) + self.s(4)
        for k, line in enumerate(self.tutorial_lines()):
            w.text(surface, line, (r.left + self.s(16), y + k * int(self.s(14) * 1.3)), self.s(14), w.ACCENT)
        hint = "Click a line to show it on the map."
        room = r.width - self.s(32) - self.s(216)
        if w.width_of(hint, self.s(14)) <= room:
            w.text(surface, hint, (r.left + self.s(16), r.bottom - self.s(44)), self.s(14), w.MUTED)
        self.list.draw(surface)
        if st.is_over:
            w.text(surface, "The game is over.", (r.left + self.s(16), r.bottom - self.s(24)), self.s(15), w.WARN,
                   bold=True)
