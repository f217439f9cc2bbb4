"""Which place did you mean? A small menu at the cursor when a click lands on the markers of several
places drawn closer together than a click's width."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pygame

from . import widgets as w

if TYPE_CHECKING:
    from .game import GameScene


class PlaceMenu:
    """Rows of place names; a click on one replays the click on that place, anywhere else closes it."""

    def __init__(self, scene: GameScene, pos: tuple[int, int], choices: list[tuple[str, int]],
                 act: Callable[..., Any]) -> None:
        self.scene = scene
        self.choices = choices
        self.act = act
        self.size = scene.s(15)
        self.row_h = scene.s(28)
        width = max(w.width_of(name, self.size) for name, _ in choices) + scene.s(24)
        title_w = w.width_of("Which place?", self.size, True) + scene.s(24)
        self.rect = pygame.Rect(pos[0] + scene.s(10), pos[1] + scene.s(10), max(width, title_w),
                                self.row_h * (len(choices) + 1) + scene.s(8))
        self.rect.clamp_ip(scene.layout()["map"])
        self.hovered = -1

    def row_rect(self, k: int) -> pygame.Rect:
        return pygame.Rect(self.rect.left + 4, self.rect.top + self.row_h * (k + 1), self.rect.width - 8, self.row_h)

    def hover(self, pos: tuple[int, int]) -> None:
        self.hovered = next((k for k in range(len(self.choices)) if self.row_rect(k).collidepoint(pos)), -1)

    def choice_at(self, pos: tuple[int, int]) -> int | None:
        k = next((k for k in range(len(self.choices)) if self.row_rect(k).collidepoint(pos)), None)
        return None if k is None else self.choices[k][1]

    def draw(self, surface: pygame.Surface) -> None:
        s = self.scene.s
        w.panel(surface, self.rect, (255, 253, 244), w.EDGE, radius=6)
        w.text(surface, "Which place?", (self.rect.left + s(12), self.rect.top + s(6)), self.size, w.MUTED, bold=True)
        for k, (name, place) in enumerate(self.choices):
            r = self.row_rect(k)
            if k == self.hovered:
                pygame.draw.rect(surface, (255, 236, 170), r, border_radius=4)
                pygame.draw.circle(surface, w.INK, self.scene.port.place_xy(place), s(16), s(4))
                pygame.draw.circle(surface, (255, 215, 0), self.scene.port.place_xy(place), s(16), s(2))
            pygame.draw.circle(surface, w.ACCENT, (r.left + s(8), r.centery), s(4))
            w.text(surface, name, (r.left + s(18), r.centery), self.size, w.INK, anchor="midleft")
