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
        who = self.label[:1].upper() + self.label[1:]  # "the umpire" starts the button's sentence
        text = f"{who} is ready  ⏎"
        rect = pygame.Rect(0, 0, min(W - self.s(40), self.label_width(text, "#primary", self.s(320))), self.s(60))
        rect.center = (W // 2, int(H * 0.74))
        label = w.fit_text(f"{who} is ready", self.s(19), rect.width - self.s(70), True)
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
        y = int(H * 0.18)
        big = self.s(44)
        for line in w.wrap(f"Pass to {self.label}", big, W - self.s(40), True):
            w.text(surface, line, (W // 2, y), big, (255, 255, 255), bold=True, anchor="midtop")
            y += int(big * 1.2)
        y += self.s(8)
        for text, size, colour in ((self.detail, 19, (230, 234, 240)),
                                   ("The map is hidden so that nobody sees another player's orders.", 17,
                                    (200, 208, 216)),
                                   ("Everyone else: please look away.", 17, (200, 208, 216))):
            for line in w.wrap(text, self.s(size), W - self.s(40)) if text else []:
                w.text(surface, line, (W // 2, y), self.s(size), colour, anchor="midtop")
                y += int(self.s(size) * 1.3)
            y += self.s(6)
