"""The hotseat hand-off with a PIN: a team that has set a PIN must type it before its view is shown; a
wrong one keeps the hand-off screen (and five wrong ones in a minute lock it for the rest of the minute).
A team without one may set one here. PINs are kept only as salted hashes (game.session.pins). P shows the
projector view (the public map) while the next team comes to the keyboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pygame

from game.session.pins import PinLimiter, check_pin, hash_pin

from . import widgets as w
from .base import key_event
from .handoff import ARM_SECONDS, HandoffScene

MIN_DIGITS, MAX_DIGITS = 4, 12
DIGIT_KEYS = {getattr(pygame, f"K_{d}"): str(d) for d in range(10)} | {
    getattr(pygame, f"K_KP{d}"): str(d) for d in range(10)}
LIMITS = PinLimiter()
"""Failed attempts per seat, for the whole program (a new hand-off screen does not reset them)."""


class PinHandoffScene(HandoffScene):
    name = "handoff"

    def __init__(self, app: Any, label: str, ready: Callable[[], None], detail: str = "", *,
                 pin_hash: str = "", set_pin: Callable[[str], None] | None = None) -> None:
        super().__init__(app, label, ready, detail)
        self.pin_hash = pin_hash
        self.set_pin = set_pin
        self.typed = ""
        self.setting = False
        self.message = ""

    @property
    def asking(self) -> bool:
        """Whether digits typed go to a PIN: one to check, or a new one being set."""
        return bool(self.pin_hash) or self.setting

    def build(self) -> None:
        super().build()
        if not self.pin_hash and self.set_pin is not None and not self.setting:
            W, H = self.app.size
            rect = pygame.Rect(0, 0, self.label_width("Set a PIN for this team", None, self.s(260)), self.s(44))
            rect.center = (W // 2, int(H * 0.74) + self.s(70))
            self.button(rect, "Set a PIN for this team", self.start_setting,
                        tooltip="From now on this team's view is shown only after its PIN is typed")

    def start_setting(self) -> None:
        self.setting, self.typed, self.message = True, "", ""
        self.rebuild()

    def go(self) -> None:
        if self.pin_hash:
            self.check()
        elif self.setting:
            self.save_pin()
        else:
            super().go()

    def check(self) -> None:
        key = f"seat:{self.label}"
        wait = LIMITS.wait(key, self.app.time)
        if wait > 0:
            self.message = f"Too many wrong PINs: wait {wait:.0f} s"
        elif check_pin(self.typed, self.pin_hash):
            LIMITS.succeeded(key)
            super().go()
            return
        else:
            LIMITS.failed(key, self.app.time)
            self.message = "Wrong PIN: try again"
        self.typed = ""
        self.app.dirty = True

    def save_pin(self) -> None:
        if not (self.typed.isdigit() and MIN_DIGITS <= len(self.typed) <= MAX_DIGITS):
            self.message = f"A PIN is {MIN_DIGITS} to {MAX_DIGITS} digits"
            self.app.dirty = True
            return
        assert self.set_pin is not None
        self.set_pin(hash_pin(self.typed))
        super().go()

    def handle(self, event: pygame.event.Event) -> bool:
        if key_event(event, pygame.K_p) and not self.asking:
            from ..projector import show_projector

            show_projector(self.app)
            return True
        if self.asking and event.type == pygame.KEYDOWN:
            if event.key in DIGIT_KEYS and len(self.typed) < MAX_DIGITS:
                self.typed += DIGIT_KEYS[event.key]
                self.message = ""
            elif event.key == pygame.K_BACKSPACE:
                self.typed = self.typed[:-1]
            elif event.key == pygame.K_ESCAPE and self.setting:
                self.setting, self.typed = False, ""
                self.rebuild()
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and self.settled(ARM_SECONDS):
                self.go()
            self.app.dirty = True
            return event.key not in (pygame.K_F1, pygame.K_F11, pygame.K_F12)
        return super().handle(event)

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        if not self.asking:
            W, H = surface.get_size()
            w.text(surface, "P: show the public map (projector view)", (W // 2, H - self.s(30)), self.s(15),
                   (150, 160, 172), anchor="center")
            return
        W, H = surface.get_size()
        prompt = f"Type {self.label}'s PIN, then Enter" if self.pin_hash else (
            f"Choose a PIN for {self.label}: {MIN_DIGITS} to {MAX_DIGITS} digits, then Enter (Esc: no PIN)")
        y = int(H * 0.52)
        w.text(surface, w.fit_text(prompt, self.s(20), W - self.s(40), True), (W // 2, y), self.s(20),
               (255, 255, 255), bold=True, anchor="center")
        box = pygame.Rect(0, 0, self.s(300), self.s(52))
        box.center = (W // 2, y + self.s(50))
        w.panel(surface, box, (240, 240, 236), (120, 130, 140), radius=6)
        shown = "•" * len(self.typed) if self.typed else " "
        w.text(surface, shown, box.center, self.s(30), w.INK, bold=True, anchor="center")
        if self.message:
            w.text(surface, self.message, (W // 2, box.bottom + self.s(22)), self.s(18), (255, 150, 130),
                   bold=True, anchor="center")
