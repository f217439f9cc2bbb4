"""While the combat preview shows (the cursor on a place the selected unit may attack), the map names no route
under the cursor: at 1024x640 its label ("road, 58 km") sat beside the preview's card."""

from __future__ import annotations

import pygame

from tests.ui.conftest import game_app, place_pos, post, unit_pos


def hovers(app, game, pos):  # type: ignore[no-untyped-def]
    seen = []
    real = game.port.draw

    def spy(screen, state, **kw):  # type: ignore[no-untyped-def]
        seen.append(kw.get("hover"))
        return real(screen, state, **kw)

    game.port.draw = spy
    try:
        post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(1, 0), buttons=(0, 0, 0)))
        app.step(dt=1 / 60)
    finally:
        del game.port.draw
    return seen


def test_no_route_is_named_while_the_combat_preview_shows(app, state):
    game = game_app(app, state)
    r1 = state.unit_index()["r1"]
    post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=unit_pos(game, r1), button=1),
         pygame.event.Event(pygame.MOUSEBUTTONUP, pos=unit_pos(game, r1), button=1))
    app.step(dt=1 / 60)
    assert game.selected == r1
    target = state.world.board.index["p2"]
    assert game.highlights().get(target) == "attack"
    at = place_pos(game, target)
    assert hovers(app, game, at) == [None] and game.aiming_attack()
    assert game.hover_preview() is not None
    far = place_pos(game, state.world.board.index["p4"])
    shown = hovers(app, game, far)
    assert shown and shown[0] is not None and not game.aiming_attack()
