"""Small drawing helpers shared by the scenes: text, wrapped text, panels, bars, a clickable list.

Every line of text drawn on the window can be recorded (`recording`) with the clip in force, so the
layout test can tell text that is cut off or spills out of its box from text that fits.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

import pygame

from game.ui import fonts

RGB = tuple[int, int, int]

INK: RGB = (24, 26, 30)
MUTED: RGB = (92, 96, 104)
PAPER: RGB = (246, 244, 238)
PANEL: RGB = (236, 233, 225)
EDGE: RGB = (120, 118, 110)
DARK: RGB = (30, 36, 44)
LIGHT: RGB = (240, 240, 236)
ACCENT: RGB = (0, 94, 160)
WARN: RGB = (176, 40, 20)
GOOD: RGB = (0, 120, 70)


@dataclass(frozen=True)
class Drawn:
    """A line of text drawn on the window: where, and the area it was allowed to use (the clip)."""

    text: str
    rect: pygame.Rect
    clip: pygame.Rect
    elided: bool = False
    owner: str = ""
    """The scene that drew it (its name)."""

    @property
    def is_cut(self) -> bool:
        """Whether part of the text falls outside the area it may use."""
        return not self.clip.contains(self.rect)


_RECORD: list[Drawn] | None = None
_OWNER = [""]


def is_recording() -> bool:
    return _RECORD is not None


def drawing_for(owner: str) -> None:
    """Text drawn from now on belongs to this scene (for the layout checks)."""
    _OWNER[0] = owner


@contextmanager
def recording() -> Iterator[list[Drawn]]:
    """Record every line of text drawn on the window while inside the block."""
    global _RECORD
    before, _RECORD = _RECORD, []
    try:
        yield _RECORD
    finally:
        _RECORD = before


def _note(surface: pygame.Surface, s: str, rect: pygame.Rect, elided: bool = False,
          within: pygame.Rect | None = None) -> None:
    window = pygame.display.get_surface()
    if _RECORD is None or window is None or (surface is not window and surface.get_abs_parent() is not window):
        return
    off = surface.get_abs_offset()
    area = surface.get_clip() if within is None else surface.get_clip().clip(within)
    _RECORD.append(Drawn(s, rect.move(off), area.move(off).clip(window.get_rect()), elided, _OWNER[0]))


def text(surface: pygame.Surface, s: str, pos: tuple[int, int], size: int, colour: RGB = INK,
         bold: bool = False, anchor: str = "topleft", full: str | None = None) -> pygame.Rect:
    """Draw one line of text; `anchor` is a pygame.Rect attribute name such as 'center'. `full`: the whole
    text when `s` is shortened on purpose and a tooltip shows the rest."""
    img = fonts.text(s, max(6, int(size)), colour, bold)
    rect = img.get_rect(**{anchor: pos})
    surface.blit(img, rect)
    if _RECORD is not None:
        _note(surface, s, rect, s.endswith("…") and full is None)
    return rect


def scroll_text(surface: pygame.Surface, s: str, rect: pygame.Rect, size: int, scroll: int = 0,
                colour: RGB = INK, bold: bool = False, spacing: float = 1.25) -> int:
    """Wrapped text inside `rect` from `scroll` pixels down: only whole lines are drawn, with a mark in
    the bottom-right corner while more lies below. Returns the height of all the lines."""
    step = int(size * spacing)
    lines = wrap(s, size, rect.width, bold)
    y = rect.top - scroll
    more = False
    marked = scroll or len(lines) * step > rect.height  # the mark gets a line of its own
    bottom = rect.bottom - (fonts.font(max(6, size - 2), True).get_linesize() if marked else 0)
    for line in lines:
        if y >= rect.top and y + step <= bottom:
            text(surface, line, (rect.left, y), size, colour, bold)
        elif y + step > bottom:
            more = True
        y += step
    if more or scroll:
        mark = "▾ more (wheel)" if more else "▴ (wheel)"
        img = fonts.text(mark, max(6, size - 2), ACCENT, True)
        at = img.get_rect(bottomright=rect.bottomright)
        pygame.draw.rect(surface, PAPER, at.inflate(6, 2))
        surface.blit(img, at)
    return len(lines) * step


@lru_cache(maxsize=8192)
def width_of(s: str, size: int, bold: bool = False) -> int:
    """How many pixels wide `s` is drawn (cached: layouts ask for the same labels every frame)."""
    return int(fonts.font(max(6, int(size)), bold).size(s)[0])


def fit_text(s: str, size: int, width: int, bold: bool = False) -> str:
    """`s`, shortened with an ellipsis to fit `width` pixels."""
    f = fonts.font(max(6, int(size)), bold)
    if f.size(s)[0] <= width:
        return s
    while s and f.size(s + "…")[0] > width:
        s = s[:-1]
    return s + "…"


def wrap(s: str, size: int, width: int, bold: bool = False) -> list[str]:
    """Split text into lines no wider than `width` pixels (newlines kept; cached, as panels redraw
    the same text every frame)."""
    return list(_wrap(s, max(6, int(size)), int(width), bold))


@lru_cache(maxsize=4096)
def _wrap(s: str, size: int, width: int, bold: bool) -> tuple[str, ...]:
    f = fonts.font(size, bold)
    out: list[str] = []
    for para in s.split("\n"):
        words = []
        for word in para.split(" "):  # a word wider than the line (a file name) is broken where it must be,
            while f.size(word)[0] > width and len(word) > 1:  # after a _ - . or / when one is not too early
                k = len(word) - 1
                while k > 1 and f.size(word[:k])[0] > width:
                    k -= 1
                soft = max((j for j in range(2, k + 1) if word[j - 1] in "_-./\\"), default=0)
                k = soft if soft * 2 >= k else k
                words.append(word[:k])
                word = word[k:]
            words.append(word)
        line = ""
        for w in words:
            cand = f"{line} {w}" if line else w
            if f.size(cand)[0] <= width or not line:
                line = cand
            else:
                out.append(line)
                line = w
        out.append(line)
    return tuple(out)


@contextmanager
def clipped(surface: pygame.Surface, rect: pygame.Rect) -> Iterator[pygame.Rect]:
    """Draw inside `rect` only (within the clip already in force); text spilling out is recorded as cut."""
    old = surface.get_clip()
    area = rect.clip(old)
    surface.set_clip(area)
    try:
        yield area
    finally:
        surface.set_clip(old)


def paragraph(surface: pygame.Surface, s: str, rect: pygame.Rect, size: int, colour: RGB = INK,
              bold: bool = False, spacing: float = 1.25) -> int:
    """Draw wrapped text inside `rect`; returns the y below the last line drawn."""
    y = rect.top
    step = int(size * spacing)
    room = rect.inflate(2, 4)
    for line in wrap(s, size, rect.width, bold):
        if y + step > rect.bottom + 2:
            if _RECORD is not None:
                _note(surface, line, pygame.Rect(rect.left, y, rect.width, step), within=room)
            break
        img = fonts.text(line, max(6, int(size)), colour, bold)
        at = img.get_rect(topleft=(rect.left, y))
        surface.blit(img, at)
        if _RECORD is not None:
            _note(surface, line, at, within=room)
        y += step
    return y


def paragraph_height(s: str, size: int, width: int, bold: bool = False, spacing: float = 1.25) -> int:
    """The height `paragraph` needs for `s` at `width`."""
    return len(wrap(s, size, width, bold)) * int(size * spacing)


def panel(surface: pygame.Surface, rect: pygame.Rect, fill: RGB = PANEL, edge: RGB | None = EDGE,
          alpha: int = 255, radius: int = 8) -> None:
    """A filled, optionally translucent, rounded box."""
    if alpha < 255:
        box = pygame.Surface(rect.size, pygame.SRCALPHA)
        pygame.draw.rect(box, (*fill, alpha), box.get_rect(), border_radius=radius)
        surface.blit(box, rect)
    else:
        pygame.draw.rect(surface, fill, rect, border_radius=radius)
    if edge is not None:
        pygame.draw.rect(surface, edge, rect, 1, border_radius=radius)


def shade(surface: pygame.Surface, alpha: int = 140, colour: RGB = (10, 12, 16)) -> None:
    """Darken the whole surface (behind a dialog)."""
    veil = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    veil.fill((*colour, alpha))
    surface.blit(veil, (0, 0))


def bar(surface: pygame.Surface, rect: pygame.Rect, value: float, colour: RGB, mark: float | None = None,
        back: RGB = (210, 206, 198)) -> None:
    """A horizontal 0-1 bar, with an optional tick (e.g. a breakpoint)."""
    pygame.draw.rect(surface, back, rect, border_radius=3)
    filled = rect.copy()
    filled.width = max(0, min(rect.width, round(rect.width * value)))
    if filled.width:
        pygame.draw.rect(surface, colour, filled, border_radius=3)
    if mark is not None:
        x = rect.left + round(rect.width * mark)
        pygame.draw.line(surface, INK, (x, rect.top - 2), (x, rect.bottom + 1), 2)
    pygame.draw.rect(surface, EDGE, rect, 1, border_radius=3)


def tooltip_rect(lines: Sequence[str], pos: tuple[int, int], size: int, bounds: pygame.Rect,
                 bold_first: bool = True) -> pygame.Rect:
    """Where a tooltip of `lines` goes: below-right of `pos`, flipped and then clamped to stay in `bounds`."""
    pad = max(4, size // 3)
    w = max((width_of(s, size, bold_first and k == 0) for k, s in enumerate(lines)), default=0) + 2 * pad
    h = len(lines) * int(size * 1.3) + 2 * pad
    rect = pygame.Rect(pos[0] + 16, pos[1] + 16, w, h)
    if rect.right > bounds.right:
        rect.right = pos[0] - 8
    if rect.bottom > bounds.bottom:
        rect.bottom = pos[1] - 8
    return rect.clamp(bounds)


def fit_lines(lines: Sequence[str], size: int, width: int, bold_first: bool = True) -> list[str]:
    """Lines wrapped to `width` pixels (the first in bold when `bold_first`), each wrapped line kept bold."""
    out: list[str] = []
    for k, line in enumerate(lines):
        out += wrap(line, size, width, bold_first and k == 0)
    return out


def tooltip(surface: pygame.Surface, lines: Sequence[str], pos: tuple[int, int], size: int,
            edge: RGB = EDGE, fill: RGB = (255, 253, 240), bounds: pygame.Rect | None = None,
            bold_first: bool = True) -> pygame.Rect:
    """A box of text next to `pos`, kept inside `bounds` (default: the surface); the first line bold.
    Lines too long for `bounds` are wrapped."""
    bounds = bounds or surface.get_rect()
    pad = max(4, size // 3)
    first = len(wrap(lines[0], size, bounds.width - 2 * pad - 8, bold_first)) if lines else 0
    lines = fit_lines(lines, size, bounds.width - 2 * pad - 8, bold_first)
    rect = tooltip_rect(lines, pos, size, bounds, False)
    rect.width = max((width_of(s, size, bold_first and k < first) for k, s in enumerate(lines)), default=0) + 2 * pad
    rect.clamp_ip(bounds)
    panel(surface, rect, fill, edge, radius=5)
    for k, s in enumerate(lines):
        text(surface, s, (rect.left + pad, rect.top + pad + k * int(size * 1.3)), size, INK,
             bold=bold_first and k < first)
    return rect


@dataclass
class Row:
    """One entry of a ListView: text, an optional colour swatch and a value returned when clicked."""

    text: str
    value: object = None
    colour: RGB | None = None
    ink: RGB = INK
    header: bool = False


@dataclass
class ListView:
    """A scrollable list of wrapped rows; `click(pos)` returns the clicked row."""

    rect: pygame.Rect
    size: int
    rows: list[Row] = field(default_factory=list)
    scroll: int = 0
    selected: int = -1
    _laid: list[tuple[pygame.Rect, int, list[str]]] = field(default_factory=list)

    def set_rows(self, rows: list[Row]) -> None:
        self.rows, self.scroll, self.selected = rows, 0, -1

    def _layout(self) -> None:
        self._laid.clear()
        y = self.rect.top - self.scroll
        line_h = int(self.size * 1.3)
        for i, row in enumerate(self.rows):
            indent = 0 if row.header else self.size + 6
            lines = wrap(row.text, self.size, self.rect.width - indent - 8, row.header)
            h = len(lines) * line_h + (10 if row.header else 6)
            self._laid.append((pygame.Rect(self.rect.left, y, self.rect.width, h), i, lines))
            y += h

    def content_height(self) -> int:
        self._layout()
        return (self._laid[-1][0].bottom + self.scroll - self.rect.top) if self._laid else 0

    def draw(self, surface: pygame.Surface) -> None:
        self._layout()
        clip = surface.get_clip()
        surface.set_clip(self.rect)
        line_h = int(self.size * 1.3)
        whole = [self._whole(r, i, lines) for r, i, lines in self._laid]
        for (r, i, lines), shown in zip(self._laid, whole):
            row = self.rows[i]
            if not shown:
                continue  # only whole rows: the wheel brings the others into view
            if row.header and i + 1 < len(self.rows) and not self.rows[i + 1].header and not whole[i + 1]:
                continue  # nor a heading above none of its rows: it would read as a heading over nothing
            if i == self.selected:
                pygame.draw.rect(surface, (255, 236, 170), r, border_radius=4)
            x = r.left + (0 if row.header else self.size + 6)
            if row.colour is not None:
                pygame.draw.rect(surface, row.colour, (r.left + 2, r.top + 4, self.size - 2, self.size - 2),
                                 border_radius=3)
            for k, line in enumerate(lines):
                text(surface, line, (x, r.top + 3 + k * line_h), self.size, row.ink, row.header)
        surface.set_clip(clip)
        self._scrollbar(surface)

    def _whole(self, r: pygame.Rect, i: int, lines: list[str]) -> bool:
        """Whether row `i`, laid out at `r`, shows whole in the list's rectangle."""
        ink = fonts.font(max(6, int(self.size)), self.rows[i].header).get_height()  # a line's glyphs, below its top
        return r.top >= self.rect.top - 1 and \
            r.top + 3 + (len(lines) - 1) * int(self.size * 1.3) + ink <= self.rect.bottom

    def _scrollbar(self, surface: pygame.Surface) -> None:
        total = self.content_height()
        if total <= self.rect.height:
            return
        h = max(20, self.rect.height * self.rect.height // total)
        y = self.rect.top + (self.rect.height - h) * self.scroll // max(1, total - self.rect.height)
        pygame.draw.rect(surface, EDGE, (self.rect.right - 5, y, 4, h), border_radius=2)

    def wheel(self, dy: int) -> None:
        limit = max(0, self.content_height() - self.rect.height)
        self.scroll = max(0, min(limit, self.scroll - dy * self.size * 3))

    def click(self, pos: tuple[int, int]) -> Row | None:
        if not self.rect.collidepoint(pos):
            return None
        self._layout()
        for r, i, _ in self._laid:
            if r.collidepoint(pos) and not self.rows[i].header:
                self.selected = i
                return self.rows[i]
        return None

    def row_rect(self, index: int) -> pygame.Rect | None:
        """Where row `index` is drawn now (for tests and keyboard focus)."""
        self._layout()
        return next((r for r, i, _ in self._laid if i == index), None)


def hex_colour(s: str) -> RGB:
    """'#D55E00' -> (213, 94, 0); grey for anything malformed."""
    from game.ui.palette import hex_rgb

    return hex_rgb(s)
