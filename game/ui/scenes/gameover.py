"""Game over: who won and why, the table of standings against history (or of scores) and the chart of the
whole game."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.engine.benchmarks import benchmark_sides

from ..session import score_table, standing_table
from . import hud
from . import widgets as w
from .dialogs import Dialog

if TYPE_CHECKING:
    from .game import GameScene


def standing_figure(value: float) -> str:
    """A standing to two places, or three where two would read as a level 0 (a winner is above 0)."""
    return f"{value:+.3f}" if 0 < abs(value) < 0.005 else f"{value:+.2f}"


STANDING_TIPS = ("Best standing first; a patron's row is its own",
                 "Standing: each benchmark's measure less what history scored on it, times its weight, summed; "
                 "above 0 beats history and wins",
                 "Cohesion (0-1): order and will to fight; a faction below its breakpoint has collapsed (patrons: -)")
"""The column headings' tooltips when the scenario has benchmarks (winners beat history on them)."""

HEAD_TIPS = ("Best score first",
             "Victory points: the value of the places a faction holds, plus the conditions it achieved",
             "Cohesion (0-1): order and will to fight; a faction below its breakpoint has collapsed")


class GameOverScene(Dialog):
    width, height = 980, 640
    close_keys = (pygame.K_ESCAPE, pygame.K_RETURN, pygame.K_KP_ENTER)
    name = "gameover"

    def __init__(self, app, game: GameScene) -> None:  # type: ignore[no-untyped-def]
        super().__init__(app)
        self.game = game
        self.heads: list[tuple[pygame.Rect, str]] = []

    def draw_over(self, surface: pygame.Surface) -> None:
        """What the table's columns mean, when their heading is hovered."""
        for rect, tip in self.heads:
            if rect.collidepoint(self.app.mouse):
                w.tooltip(surface, w.wrap(tip, self.s(14), self.s(360)), self.app.mouse, self.s(14), bold_first=False)

    def build(self) -> None:
        r = self.box()
        y = r.bottom - self.s(62)
        bw = self.s(200)
        self.button(pygame.Rect(r.right - bw - self.s(16), y, bw, self.s(46)), "Look at the map", self.close,
                    "#primary", "Close this window (Esc)")
        self.button(pygame.Rect(r.right - 2 * bw - self.s(28), y, bw, self.s(46)), "New game", self.new_game)
        self.button(pygame.Rect(r.left + self.s(16), y, self.s(140), self.s(46)), "Quit", self.app.request_quit,
                    "#danger")
        self.button(pygame.Rect(r.left + self.s(168), y, self.label_width("After-action report"), self.s(46)),
                    "After-action report", self.write_report, None,
                    "Write the after-action report (an HTML file beside the saves) and open it in a browser")

    def write_report(self) -> None:
        from .aar import AarScene

        self.app.push(AarScene(self.app, self.game.session))

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
        width = r.width - 2 * pad
        y = r.top + pad
        w.text(surface, "Game over", (r.left + pad, y), self.s(28), w.INK, bold=True)
        y += self.s(40)
        verb = "wins" if out and len(out.winners) == 1 else "win"
        head = f"{winners or 'Nobody'} {verb}" if out else ""
        lines = w.wrap(head, self.s(20), width, True)
        if out and len(lines) > 2:  # many winners: their short names, so the table keeps its room
            lines = w.wrap(f"{', '.join(self.game.short_name(f) for f in out.winners)} {verb}", self.s(20), width, True)
        for line in lines:
            w.text(surface, line, (r.left + pad, y), self.s(20), w.ACCENT, bold=True)
            y += int(self.s(20) * 1.25)
        reason = f"{out.reason.rstrip('.')} (turn {out.turn}, {st.world.date_of(out.turn)})." if out else ""
        y = w.paragraph(surface, reason, pygame.Rect(r.left + pad, y + self.s(4), width, self.s(44)), self.s(16),
                        w.MUTED) + self.s(12)
        note = "The result explores the model's assumptions; it is not a forecast of what happened or would happen."
        note_h = w.paragraph_height(note, self.s(14), width)
        bottom = r.bottom - self.s(74) - note_h - self.s(8)
        self._table(surface, pygame.Rect(r.left + pad, y, r.width // 2 - pad, bottom - y))
        chart = pygame.Rect(r.centerx + pad, y, r.width // 2 - 2 * pad, bottom - y)
        marked = benchmark_sides(st.world)
        if marked:  # they decide who wins
            hud.draw_chart(surface, chart, self.game.session.history, "standing",
                           [self.game.side_rgb(side) for side in marked],
                           [self.game.short_name(side) for side in marked],
                           "Standing against history by turn", self.s(14), turns=st.world.meta.turns)
        else:
            labels = [f.short for f in st.world.factions]
            hud.draw_chart(surface, chart, self.game.session.history, "score", self.game._colours, labels,
                           "Victory points by turn", self.s(14), turns=st.world.meta.turns)
        w.paragraph(surface, note, pygame.Rect(r.left + pad, bottom + self.s(8), width, note_h + 4), self.s(14),
                    w.MUTED)

    def rows(self) -> tuple[tuple[str, str, str], tuple[str, str, str], list[tuple[str, str, str, str, bool, bool]]]:
        """The table's headings, their tooltips and rows (side id, name, figure, cohesion, collapsed, won): standings
        against history where the scenario has benchmarks (they decide who wins), else victory points."""
        st = self.game.state
        won = set(st.outcome.winners) if st.outcome else set()
        if st.world.benchmarks:
            return (("Side", "Standing", "Cohesion"), STANDING_TIPS,
                    [(side, name, "-" if stand is None else standing_figure(stand),
                      "-" if coh is None else f"{coh:.2f}", collapsed, side in won)
                     for side, name, stand, coh, collapsed in standing_table(st)])
        return (("Faction", "Score", "Cohesion"), HEAD_TIPS,
                [(fid, name, f"{score:.0f}", f"{coh:.2f}", collapsed, fid in won)
                 for fid, name, score, coh, collapsed in score_table(st)])

    def _table(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        heads, tips, rows = self.rows()
        size = max(self.s(11), min(self.s(17), rect.height // (len(rows) + 1) * 3 // 5))
        cols = (0, int(rect.width * 0.58), int(rect.width * 0.8))
        self.heads = []
        for c, head, tip in zip(cols, heads, tips):
            r = w.text(surface, head, (rect.left + c, rect.top), size, w.MUTED, bold=True)
            self.heads.append((r, tip))
        step = int(size * 1.6)
        if (len(rows) + 1) * step > rect.height:  # tight: closer rows, and if need be the last ones left out
            step = max(size + 2, int(size * 1.25))
        fit = max(1, rect.height // step - 1)
        cut = len(rows) - fit + 1 if len(rows) > fit else 0
        y = rect.top + step
        if cut:
            rows = rows[:fit - 1]
            w.text(surface, f"… and {cut} more (the after-action report has them all)",
                   (rect.left, rect.top + step * fit), size, w.MUTED)
        for fid, name, score, coh, collapsed, winner in rows:
            colour = self.game.side_rgb(fid)
            pygame.draw.rect(surface, colour, (rect.left, y + 3, size - 2, size - 2), border_radius=3)
            short = self.game.short_name(fid)
            end = " (collapsed)" if collapsed else ""
            mark = "✓ " if winner else ""
            room = cols[1] - size - 16
            options = (f"{mark}{name}{end}",) if short == name else (
                f"{mark}{short}: {name}{end}", f"{mark}{name}{end}", f"{mark}{short}{end}")
            label = next((t for t in options if w.width_of(t, size) <= room), options[-1])
            w.text(surface, w.fit_text(label, size, room), (rect.left + size + 6, y), size, w.INK)
            w.text(surface, score, (rect.left + cols[1], y), size, w.INK, bold=True)
            w.text(surface, coh, (rect.left + cols[2], y), size, w.INK)
            y += step
