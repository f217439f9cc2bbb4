"""A screen shown by an update (the turn's report, once the turn is resolved) has its buttons on screen within
the next frames without any input: pygame_gui draws a new button only after its next update, and the window
was then left as it was until the once-a-second redraw, so "Continue" appeared a second late."""

from __future__ import annotations

import pygame

from game.ui.scenes.report import ReportScene
from game.ui.scenes.widgets import PAPER
from tests.ui.conftest import game_app, press


def test_the_reports_continue_button_is_drawn_without_waiting(app, state):
    game_app(app, state)
    press(app, pygame.K_RETURN)
    for _ in range(5):
        if isinstance(app.top, ReportScene):
            break
        app.step(dt=1 / 60)
    assert isinstance(app.top, ReportScene)
    button = next(b for b in app.top.ui if b.text.startswith("Continue"))
    for _ in range(3):  # well within the once-a-second redraw: 3 frames of 1/60 s, no input
        app.step(dt=1 / 60)
    x, y = button.rect.center
    shown = {tuple(app.screen.get_at((x + dx, y + dy)))[:3] for dx in (-60, -30, 30, 60) for dy in (-10, 10)}
    assert PAPER not in shown and any(abs(a - b) > 40 for c in shown for a, b in zip(c, PAPER)), shown

