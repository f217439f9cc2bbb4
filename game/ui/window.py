"""The window's size: a saved size shrunk to fit the screen it opens on."""

from __future__ import annotations

import pygame

WINDOW_MARGIN = (0, 60)
"""Room left on the desktop around a window (title bar, task bar)."""


def fit_window(size: tuple[int, int], desktop: tuple[int, int] | None) -> tuple[int, int]:
    """A saved window size shrunk to fit the desktop (keeping the minimum of 640×480), so a size saved on
    a bigger screen never opens partly off this one."""
    if desktop is None or desktop[0] <= 0 or desktop[1] <= 0:
        return size
    room = (max(640, desktop[0] - WINDOW_MARGIN[0]), max(480, desktop[1] - WINDOW_MARGIN[1]))
    return min(size[0], room[0]), min(size[1], room[1])


def desktop_size() -> tuple[int, int] | None:
    """The size of the first desktop, or None when the display cannot say."""
    try:
        sizes = pygame.display.get_desktop_sizes()
    except pygame.error:
        return None
    return (int(sizes[0][0]), int(sizes[0][1])) if sizes else None
