"""A box listing a scenario file's located problems (FILE:LINE:COL: …), for live reload and the map editor."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pygame

from . import fonts
from .scenes import widgets as w

MAX_LINES = 14


def located(problems: Iterable[Any]) -> list[str]:
    """FILE:LINE:COL: severity: message lines, the file by its name (the window is narrower than a path)."""
    return [f"{Path(p.file).name}:{p.line}:{p.col}: {p.severity}: {p.message}" for p in problems]


def wrap_hard(text: str, size: int, width: int, bold: bool = False) -> list[str]:
    """Wrapped at spaces, and inside a word too long for a line (a path, an id)."""
    font = fonts.font(size, bold)
    out: list[str] = []
    for line in w.wrap(text, size, width, bold):
        while font.size(line)[0] > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and font.size(line[:cut])[0] > width:
                cut -= 1
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return out


def draw_problems(surface: pygame.Surface, area: pygame.Rect, title: str, problems: Sequence[str], hint: str,
                  scale: float) -> pygame.Rect:
    """Draw the problems in a box at the top of `area` (as many as fit, then how many more); its rect."""
    size, big = round(15 * scale), round(19 * scale)
    pad = round(14 * scale)
    width = min(area.width - 2 * pad, round(900 * scale))
    step = int(size * 1.3)
    lines: list[str] = []
    for problem in problems:
        lines += wrap_hard(problem, size, width - 2 * pad)
    titles = wrap_hard(title, big, width - 2 * pad, bold=True)
    room = max(1, (area.height - 4 * pad - 4 * step - len(titles) * int(big * 1.3)) // step)
    room = min(room, MAX_LINES)
    shown = lines[:room]
    if len(lines) > room:
        shown[-1] = f"… and {len(lines) - room + 1} more lines (run: python main.py validate FILE)"
    hint_lines = w.wrap(hint, size, width - 2 * pad)
    height = pad * 2 + len(titles) * int(big * 1.3) + pad // 2 + len(shown) * step + pad // 2 + len(hint_lines) * step
    rect = pygame.Rect(0, 0, width, height)
    rect.midtop = (area.centerx, area.top + pad)
    w.panel(surface, rect, (255, 250, 244), w.WARN, radius=8)
    pygame.draw.rect(surface, w.WARN, rect, max(2, round(3 * scale)), border_radius=8)
    y = rect.top + pad
    for line in titles:
        w.text(surface, line, (rect.left + pad, y), big, w.WARN, bold=True)
        y += int(big * 1.3)
    y += pad // 2
    for line in shown:
        w.text(surface, line, (rect.left + pad, y), size, w.INK)
        y += step
    y += pad // 2
    for line in hint_lines:
        w.text(surface, line, (rect.left + pad, y), size, w.MUTED)
        y += step
    return rect
