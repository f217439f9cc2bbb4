"""F1: the rules of the game in tabs (keys, how a turn works, combat, supply, cohesion, scoring, a
glossary, about), drawn from docs/rules/ — the same text docs/rules.md is generated from — with the
numbers of the scenario being played."""

from __future__ import annotations

import functools

import pygame

from game.engine import Rules, State
from game.report.rulebook import Chapter, chapters, plain

from . import widgets as w
from .dialogs import Dialog

Piece = tuple[str, int, w.RGB, bool]
"""(text, x offset, colour, bold): one piece of a row."""
Row = tuple[int, tuple[Piece, ...]]
"""(font size, pieces) of one row of a laid-out chapter; no pieces: a gap of half a row."""


_BOOKS: dict[tuple[str, int], tuple[Chapter, ...]] = {}


def _chosen_state(app) -> State | None:  # type: ignore[no-untyped-def]
    """Before a game starts: the state of the scenario being set up (the team screen holds it), so
    that its rules' numbers are the ones shown; None on the title screen and the picker."""
    for scene in reversed(app.scenes):
        state = getattr(scene, "state", None)
        if isinstance(state, State):
            return state
    return None


def rulebook(rules: Rules | None, turn_days: int) -> tuple[Chapter, ...]:
    """The chapters with these rules' numbers (kept for the next time F1 is pressed)."""
    key = (repr(rules), turn_days)
    if key not in _BOOKS:
        if len(_BOOKS) > 8:
            _BOOKS.clear()
        _BOOKS[key] = tuple(chapters(rules, turn_days))
    return _BOOKS[key]


class HelpScene(Dialog):
    width, height = 1100, 760
    close_keys = (pygame.K_ESCAPE, pygame.K_F1)
    swallows = Dialog.swallows + (pygame.MOUSEWHEEL,)
    name = "help"

    def __init__(self, app, tab: str = "keys") -> None:  # type: ignore[no-untyped-def]
        super().__init__(app)
        state = app.session.state if app.session is not None else _chosen_state(app)
        rules = state.rules if state is not None else None
        days = state.world.meta.turn_days if state is not None else 1
        self.chapters = rulebook(rules, days)
        ids = [c.id for c in self.chapters]
        self.tab = tab if tab in ids else ids[0]
        self.scroll = 0
        self.body = pygame.Rect(0, 0, 1, 1)

    @staticmethod
    def tab_names() -> list[str]:
        return [c.id for c in rulebook(None, 1)]

    @property
    def chapter(self) -> Chapter:
        return next(c for c in self.chapters if c.id == self.tab)

    def build(self) -> None:
        r = self.box()
        pad = self.s(18)
        x, y = r.left + pad, r.top + self.s(60)
        gap = self.s(6)
        for c in self.chapters:
            label = c.id.capitalize()
            oid = "#tab" if c.id == self.tab else "#quiet"
            bw = self.label_width(label, "#tab")
            if x + bw > r.right - pad:
                x, y = r.left + pad, y + self.s(38)
            tip = c.title if c.title.lower() != label.lower() else None  # no tooltip that only repeats the tab
            self.button(pygame.Rect(x, y, bw, self.s(32)), label, lambda t=c.id: self.show(t), oid, tip)
            x += bw + gap
        close = pygame.Rect(r.right - pad - self.s(120), r.bottom - self.s(58), self.s(120), self.s(44))
        self.button(close, "Close", self.close, "#primary", "Esc or F1")
        top = y + self.s(46)
        self.body = pygame.Rect(r.left + pad, top, r.width - 2 * pad, close.top - self.s(10) - top)

    def show(self, tab: str) -> None:
        self.tab, self.scroll = tab, 0
        self.rebuild()

    def handle(self, event: pygame.event.Event) -> bool:
        ids = [c.id for c in self.chapters]
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_LEFT, pygame.K_RIGHT, pygame.K_TAB):
            step = -1 if event.key == pygame.K_LEFT or event.mod & pygame.KMOD_SHIFT else 1
            self.show(ids[(ids.index(self.tab) + step) % len(ids)])
            return True
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_DOWN, pygame.K_PAGEUP,
                                                          pygame.K_PAGEDOWN):
            step = {pygame.K_UP: 1, pygame.K_DOWN: -1, pygame.K_PAGEUP: 8, pygame.K_PAGEDOWN: -8}[event.key]
            self.scroll_by(step)
            return True
        if event.type == pygame.MOUSEWHEEL:
            self.scroll_by(event.y)
            return True
        return super().handle(event)

    def scroll_by(self, lines: int) -> None:
        size = self.s(16)
        total = sum(self.row_height(row) for row in self.rows())
        self.scroll = max(0, min(max(0, total - self.body.height), self.scroll - lines * int(size * 1.3)))

    @staticmethod
    def row_height(row: Row) -> int:
        return int(row[0] * 1.3) if row[1] else row[0] // 2

    def rows(self) -> tuple[Row, ...]:
        return layout(self.chapter, self.body.width, self.s(16), self.s(18), self.s(200), self.s(22))

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        r = self.box()
        pad = self.s(18)
        w.text(surface, f"Help: {self.chapter.title}", (r.left + pad, r.top + self.s(16)), self.s(24), w.INK,
               bold=True)
        y = self.body.top - self.scroll
        more = False
        for row in self.rows():
            size, pieces = row
            if pieces and y >= self.body.top and y + int(size * 1.3) <= self.body.bottom:
                for text, x, colour, bold in pieces:
                    w.text(surface, text, (self.body.left + x, y), size, colour, bold)
            elif pieces and y + int(size * 1.3) > self.body.bottom:
                more = True
            y += self.row_height(row)
        if more or self.scroll:
            mark = "▾ more: wheel or arrow keys" if more else "▴ wheel or arrow keys"
            w.text(surface, mark, (self.body.left, self.body.bottom + self.s(8)), self.s(14), w.ACCENT, bold=True)


@functools.lru_cache(maxsize=64)
def layout(chapter: Chapter, width: int, size: int, big: int, key_w: int, indent: int) -> tuple[Row, ...]:
    """A chapter as rows that fit `width`: headings, paragraphs, numbered steps, and items (a bold key
    with its text beside it, or under it when the key is long)."""
    out: list[Row] = []
    gap: Row = (size, ())
    number = 0
    for b in chapter.blocks:
        text = plain(b.text)
        if b.kind == "heading":
            out += [gap, *((big, ((ln, 0, w.INK, True),)) for ln in w.wrap(text, big, width, True))]
        elif b.kind == "para":
            out += [(size, ((ln, 0, w.INK, False),)) for ln in w.wrap(text, size, width)]
        elif b.kind == "step":
            number += 1
            lines = w.wrap(text, size, width - indent)
            out += [(size, ((f"{number}.", 0, w.ACCENT, True),) * (k == 0) + ((ln, indent, w.INK, False),))
                    for k, ln in enumerate(lines)]
        elif b.key and w.width_of(b.key, size, True) <= key_w - indent:
            lines = w.wrap(text, size, width - key_w) or [""]
            out += [(size, ((b.key, 0, w.ACCENT, True),) * (k == 0) + ((ln, key_w, w.INK, False),))
                    for k, ln in enumerate(lines)]
        else:
            out += [(size, ((ln, 0, w.ACCENT, True),)) for ln in w.wrap(b.key, size, width, True)] if b.key else []
            lines = w.wrap(text, size, width - indent)
            out += [(size, (("•", 0, w.INK, True),) * (k == 0 and not b.key) + ((ln, indent, w.INK, False),))
                    for k, ln in enumerate(lines)]
        out.append(gap)
    return tuple(out)
