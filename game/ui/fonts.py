"""Font loading and cached text rendering for the map.

Uses the DejaVu Sans shipped in assets/fonts (see assets/PROVENANCE.md); falls back to a
system sans font and finally to pygame's built-in default font, so text always renders.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pygame

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "assets" / "fonts"
FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
RGB = tuple[int, int, int]


def _ensure_init() -> None:
    if not pygame.font.get_init():
        pygame.font.init()


@lru_cache(maxsize=128)
def font(size: int, bold: bool = False) -> pygame.font.Font:
    """A font of `size` pixels (at least 6), bold or regular."""
    _ensure_init()
    size = max(6, int(size))
    path = FONT_DIR / FILES[bold]
    if path.is_file():
        try:
            return pygame.font.Font(str(path), size)
        except (OSError, pygame.error):
            pass
    try:
        f = pygame.font.SysFont("dejavusans,arial,helvetica,liberationsans,freesans", size, bold=bold)
        if f is not None:
            return f
    except (OSError, pygame.error):
        pass
    f = pygame.font.Font(None, int(size * 1.3))
    f.set_bold(bold)
    return f


@lru_cache(maxsize=4096)
def text(s: str, size: int, colour: RGB, bold: bool = False) -> pygame.Surface:
    """Anti-aliased text on a transparent background."""
    return font(size, bold).render(s, True, colour)


@lru_cache(maxsize=4096)
def halo_text(s: str, size: int, colour: RGB, halo: RGB, bold: bool = False, width: int = 2) -> pygame.Surface:
    """Text with a solid outline (halo) so it reads on any background."""
    core = text(s, size, colour, bold)
    ring = text(s, size, halo, bold)
    w, h = core.get_size()
    out = pygame.Surface((w + 2 * width, h + 2 * width), pygame.SRCALPHA)
    for dx in range(-width, width + 1):
        for dy in range(-width, width + 1):
            if dx * dx + dy * dy <= width * width + 1 and (dx or dy):
                out.blit(ring, (width + dx, width + dy))
    out.blit(core, (width, width))
    return out


def clear_caches() -> None:
    """Forget cached fonts and text (after pygame.quit / re-init)."""
    font.cache_clear()
    text.cache_clear()
    halo_text.cache_clear()
