"""Game over: who won and why, the score table and the chart of the whole game."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from ..session import score_table
from . import hud
from . import widgets as w
from .dialogs import Dialog

if TYPE_CHECKING:
    from .game import GameScene


class GameOverScene(Dialog):
    width, height = 980, 640
    close_keys = (pygame.K_ESCAPE, pygame.K_RETURN, pygame.K_KP_ENTER)
    name = "gameover"

    def __init__(self, app, game: GameScene) -> None:  # type: ignore[no-untyped-def]
        super().__init__(app)
        self.game = game

    def build(self) -> None:
        r = self.box()
        y = r.bottom - self.s(62)
        bw = self.s(200)
        self.button(pygame.Rect(r.right - bw - self.s(16), y, bw, self.s(46)), "Look at the map", self.close,
                    "#primary", "Close this window (Esc)")
        self.button(pygame.Rect(r.right - 2 * bw - self.s(28), y, bw, self.s(46)), "New game", self.new_game)
        self.button(pygame.Rect(r.left + self.s(16), y, self.s(140), self.s(46)), "Quit", self.app.request_quit,
                    "#danger")

    def new_game(self) -> None:
        from .title import TitleScene

        self.app.session = None
        self.app.replace(TitleScene(self.app))

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        r = self.box()
        st = self.game.state
        pad = self.s(22)
        out = st.outcome
        winners = ", ".join(self.game.long_name(f) for f in out.winners) if out else ""
        w.text(surface, "Game over", (r.left + pad, r.top + pad), self.s(30), w.INK, bold=True)
        head = f"{winners or 'Nobody'} {'wins' if out and len(out.winners) == 1 else 'win'}" if out else ""
        w.text(surface, head, (r.left + pad, r.top + pad + self.s(44)), self.s(22), w.ACCENT, bold=True)
        reason = f"{out.reason.rstrip('.')} (turn {out.turn}, {st.world.date_of(out.turn)})." if out else ""
        w.text(surface, reason, (r.left + pad, r.top + pad + self.s(76)), self.s(17), w.MUTED)
        self._table(surface, pygame.Rect(r.left + pad, r.top + pad + self.s(116), r.width // 2 - pad, self.s(300)))
        chart = pygame.Rect(r.centerx + pad, r.top + pad + self.s(116), r.width // 2 - 2 * pad, self.s(300))
        labels = [f.short for f in st.world.factions]
        hud.draw_chart(surface, chart, self.game.session.history, "score", self.game._colours, labels,
                       "Victory points by turn", self.s(15))
        note = "The result explores the model's assumptions; it is not a forecast of what happened or would happen."
        w.paragraph(surface, note, pygame.Rect(r.left + pad, r.bottom - self.s(120), r.width - 2 * pad, self.s(50)),
                    self.s(15), w.MUTED)

    def _table(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        size = self.s(17)
        cols = (0, int(rect.width * 0.58), int(rect.width * 0.8))
        for c, head in zip(cols, ("Faction", "Score", "Cohesion")):
            w.text(surface, head, (rect.left + c, rect.top), size, w.MUTED, bold=True)
        y = rect.top + self.s(30)
        wd = self.game.state.world
        for fid, name, score, coh, collapsed in score_table(self.game.state):
            colour = self.game.faction_rgb(wd.faction_index[fid])
            pygame.draw.rect(surface, colour, (rect.left, y + 3, size - 2, size - 2), border_radius=3)
            label = f"{wd.factions[wd.faction_index[fid]].short}: {name}" + (" (collapsed)" if collapsed else "")
            w.text(surface, w.fit_text(label, size, cols[1] - size - 16), (rect.left + size + 6, y), size, w.INK)
            w.text(surface, f"{score:.0f}", (rect.left + cols[1], y), size, w.INK, bold=True)
            w.text(surface, f"{coh:.2f}", (rect.left + cols[2], y), size, w.INK)
            y += self.s(30)
