"""The hotseat hand-off: the map is hidden until the next player says they are at the keyboard."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from . import widgets as w
from .base import Scene, key_event

ARM_SECONDS = 0.6
"""Enter is ignored this long after the screen appears: a double press on End turn must not skip it."""


class HandoffScene(Scene):
    name = "handoff"

    def __init__(self, app, label: str, ready: Callable[[], None], detail: str = "") -> None:  # type: ignore
        super().__init__(app)
        self.label = label
        self.detail = detail
        self.ready = ready

    def build(self) -> None:
        W, H = self.app.size
        text = f"{self.label} is ready  ⏎"
        rect = pygame.Rect(0, 0, min(W - self.s(40), self.label_width(text, "#primary", self.s(320))), self.s(60))
        rect.center = (W // 2, int(H * 0.66))
        label = w.fit_text(f"{self.label} is ready", self.s(19), rect.width - self.s(70), True)
        self.button(rect, f"{label}  ⏎", self.go, "#primary", "Show the map and your orders (Enter)")

    def go(self) -> None:
        self.app.pop(self)
        self.ready()

    def handle(self, event: pygame.event.Event) -> bool:
        if key_event(event, pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            if self.settled(ARM_SECONDS):
                self.go()
            return True
        return event.type == pygame.KEYDOWN and event.key not in (pygame.K_F1, pygame.K_F11, pygame.K_F12)

    def draw(self, surface: pygame.Surface) -> None:
        W, H = surface.get_size()
        surface.fill((24, 30, 38))
        y = int(H * 0.32)
        title = w.fit_text(f"Pass to {self.label}", self.s(48), W - self.s(40), True)
        w.text(surface, title, (W // 2, y), self.s(48), (255, 255, 255), bold=True, anchor="center")
        if self.detail:
            w.text(surface, w.fit_text(self.detail, self.s(20), W - self.s(40)), (W // 2, y + self.s(52)), self.s(20),
                   (230, 234, 240), anchor="center")
        w.text(surface, "The map is hidden so that nobody sees another player's orders.",
               (W // 2, y + self.s(104)), self.s(19), (200, 208, 216), anchor="center")
        w.text(surface, "Everyone else: please look away.", (W // 2, y + self.s(136)), self.s(19),
               (200, 208, 216), anchor="center")
