"""Place labels keep clear of the widgets fixed over the map, as of the viewport's edges: at 1024×640, scale 1,
the Legend button covered "Daraa" once the map was moved down a little. A label a widget would hide takes
another spot, or is left out; the drawn layer is reused for a pan all the same."""

from __future__ import annotations

import pygame
import pytest

from game.ui.labelfit import fit_labels
from game.ui.scenes.game import MODES
from tests.ui.conftest import press, settle
from tests.ui.test_label_edges import SIZES, check_view, default_game, one_place, overlapping


def chip_on_map(game):  # type: ignore[no-untyped-def]
    """The Legend button in the map's own coordinates (those of labels_shown)."""
    return game.legend_chip().move(-game.port.rect.left, -game.port.rect.top)


def shown_names(game):  # type: ignore[no-untyped-def]
    r = game.port.renderer
    shown = r.labels_shown(game.map_state(), game.port.camera, MODES[game.mode], game.active_side)
    return {r.world.board.places[p].name: rect for p, rect in shown}


def test_daraa_is_not_under_the_legend_button_at_1024x640():
    app, game = default_game((1024, 640), 1.0)
    chip = chip_on_map(game)
    game.port.camera.pan(0, 30)  # Daraa's label, below its place, would lie on the button
    app.dirty = True
    settle(app, 2)
    lay = game.port.renderer.layout(game.map_state(), game.port.camera)
    off = game.port.renderer._offset(game.port.camera)
    first = {game.port.world.board.places[p].name: rect.move(off) for p, (_, rect) in zip(lay.label_places,
                                                                                         lay.labels)}
    assert first["Daraa"].colliderect(chip), "the layout alone puts it under the button: this view tests it"
    names = shown_names(game)
    assert "Daraa" in names and not names["Daraa"].colliderect(chip)
    assert not [n for n, rect in names.items() if rect.colliderect(chip)]
    check_view(game, "Daraa moved")
    app.scenes.clear()


@pytest.mark.parametrize("w,h,scale", SIZES)
def test_no_label_lies_under_the_legend_button_as_the_map_is_panned(w, h, scale):
    app, game = default_game((w, h), scale)
    chip = chip_on_map(game)
    cam = game.port.camera
    seen = 0
    for dx in range(-160, 161, 40):
        for dy in range(-100, 101, 20):
            cam.pan(dx, dy)
            app.dirty = True
            settle(app, 1)
            names = shown_names(game)
            seen += len(names)
            assert not [n for n, rect in names.items() if rect.colliderect(chip)], (w, h, scale, dx, dy)
            assert not overlapping(list(names.values())), (w, h, scale, dx, dy)
            cam.pan(-dx, -dy)
    assert seen > 500
    app.scenes.clear()


def test_the_drawn_layer_is_reused_for_a_pan_and_opening_the_legend():
    app, game = default_game((1024, 640), 1.0)
    r = game.port.renderer
    layer = r.layers.latest("control")
    assert r.covered == (tuple(game.fixed_overlays()[0].move(0, -game.port.rect.top)),)
    game.port.camera.pan(-20, 15)
    press(app, pygame.K_l)
    assert game.legend
    app.dirty = True
    settle(app, 2)
    assert r.layers.latest("control") is layer
    app.scenes.clear()


# fit_labels alone: one place near the right edge of a 200×100 view (see test_label_edges.one_place)

def test_a_label_a_widget_covers_takes_another_spot_clear_of_it():
    lay, marks = one_place()
    view = pygame.Rect(0, 0, 200, 100)
    inside = lay.label_spots[0][3]  # left of the place: inside the view
    lay.labels[0] = (lay.labels[0][0], inside)
    assert fit_labels(lay, view, marks, {0}) == [(0, inside)]
    widget = inside.copy()
    [(k, spot)] = fit_labels(lay, view, marks, {0}, [widget])
    assert k == 0 and view.contains(spot) and not spot.colliderect(widget) and spot == lay.label_spots[0][0]
    assert fit_labels(lay, view, marks, set(), [widget]) == [(0, inside)], "a label drawn already stays"


def test_a_label_with_no_spot_clear_of_the_widgets_is_left_out():
    lay, marks = one_place()
    view = pygame.Rect(0, 0, 200, 100)
    assert fit_labels(lay, view, marks, {0}, [pygame.Rect(0, 0, 200, 100)]) == []
