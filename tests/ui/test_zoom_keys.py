"""+ and - zoom around the cursor when it is over the map, as the wheel does and as F1's Keys page says ("Wheel,
+ and - — zoom around the cursor"); they zoomed around the map's centre."""

from __future__ import annotations

import pygame

from tests.ui.conftest import game_app, post, press


def test_plus_and_minus_zoom_around_the_cursor_over_the_map_as_the_help_says(app, state):
    game = game_app(app, state)
    port = game.port
    at = (port.rect.left + port.rect.width // 4, port.rect.top + port.rect.height // 3)
    post(pygame.event.Event(pygame.MOUSEMOTION, pos=at, rel=(0, 0), buttons=(0, 0, 0)))
    app.step(dt=1 / 60)
    before = port.camera.to_world(*port.local(at))
    scale = port.camera.scale
    press(app, pygame.K_PLUS)
    assert port.camera.scale > scale
    after = port.camera.to_world(*port.local(at))
    assert abs(after[0] - before[0]) < 1e-6 and abs(after[1] - before[1]) < 1e-6, "the point under the cursor stays"
    press(app, pygame.K_MINUS)
    assert abs(port.camera.scale - scale) < 1e-9
    post(pygame.event.Event(pygame.MOUSEMOTION, pos=game.panel.rect.center, rel=(0, 0), buttons=(0, 0, 0)))
    app.step(dt=1 / 60)
    centre = port.camera.to_world(*port.local(port.rect.center))
    press(app, pygame.K_PLUS)
    now = port.camera.to_world(*port.local(port.rect.center))
    assert abs(now[0] - centre[0]) < 1e-6, "off the map: around its centre"
