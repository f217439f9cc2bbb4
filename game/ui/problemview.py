"""A box listing a scenario file's located problems (FILE:LINE:COL: …), for live reload and the map editor."""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from .scenes import widgets as w

MAX_LINES = 14


def draw_problems(surface: pygame.Surface, area: pygame.Rect, title: str, problems: Sequence[str], hint: str,
                  scale: float) -> pygame.Rect:
    """Draw the problems in a box at the top of `area` (as many as fit, then how many more); its rect."""
    size, big = round(15 * scale), round(19 * scale)
    pad = round(14 * scale)
    width = min(area.width - 2 * pad, round(900 * scale))
    step = int(size * 1.3)
    lines: list[str] = []
    for problem in problems:
        lines += w.wrap(problem, size, width - 2 * pad)
    room = max(1, (area.height - 4 * pad - 3 * step) // step)
    room = min(room, MAX_LINES)
    shown = lines[:room]
    if len(lines) > room:
        shown[-1] = f"… and {len(lines) - room + 1} more lines (run: python main.py validate FILE)"
    hint_lines = w.wrap(hint, size, width - 2 * pad)
    height = pad * 2 + int(big * 1.5) + len(shown) * step + pad // 2 + len(hint_lines) * step
    rect = pygame.Rect(0, 0, width, height)
    rect.midtop = (area.centerx, area.top + pad)
    w.panel(surface, rect, (255, 250, 244), w.WARN, radius=8)
    pygame.draw.rect(surface, w.WARN, rect, max(2, round(3 * scale)), border_radius=8)
    y = rect.top + pad
    w.text(surface, title, (rect.left + pad, y), big, w.WARN, bold=True)
    y += int(big * 1.5)
    for line in shown:
        w.text(surface, line, (rect.left + pad, y), size, w.INK)
        y += step
    y += pad // 2
    for line in hint_lines:
        w.text(surface, line, (rect.left + pad, y), size, w.MUTED)
        y += step
    return rect
