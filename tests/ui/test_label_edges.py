"""Place labels at the edge of the map's viewport: the layout is made once per zoom, relative to the map, so a
pan reuses it; at draw time a label the viewport would cut takes another of its spots, slides inside, or is
left out (a QA pass saw "ty (Tartus)", "al-Omar oil field (US ba" and "Semalka cros" at 1024×640, scale 1.5)."""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from game.ui.labelfit import fit_labels
from game.ui.maplayout import Layout
from game.ui.scenes.game import GameScene
from tests.ui.conftest import settle

SIZES = ((1024, 640, 1.0), (1024, 640, 1.5), (1920, 1080, 1.5))


def overlapping(rects):  # type: ignore[no-untyped-def]
    inner = [r.inflate(-2, -2) for r in rects]
    return [(a, b) for i, a in enumerate(inner) for b in inner[i + 1:] if a.colliderect(b)]


def default_game(size, scale):  # type: ignore[no-untyped-def]
    from game.scenario import load_scenario
    from game.ui.app import DEFAULT_SCENARIO, App
    from game.ui.session import Control, new_session
    from game.ui.settings import Settings

    pygame.display.init()
    pygame.font.init()
    world, start = load_scenario(DEFAULT_SCENARIO)
    session = new_session(start, controls={s: Control(s == "government") for s in world.sides},
                          source=str(DEFAULT_SCENARIO))
    app = App(pygame.display.set_mode(size), Settings(ui_scale=scale, animation_speed=0.0), fps=0)
    app.background = False
    app.start_session(session)
    settle(app)
    return app, app.find(GameScene)


def check_view(game, what):  # type: ignore[no-untyped-def]
    """Every label shown lies inside the map's viewport when its place's marker does; none overlap."""
    from game.ui.scenes.game import MODES

    cam = game.port.camera
    r = game.port.renderer
    shown = r.labels_shown(game.map_state(), cam, MODES[game.mode], game.active_side)
    view = pygame.Rect(cam.viewport)
    pts = cam.to_screen_many(r.lons, r.lats)
    assert shown, what
    for place, rect in shown:
        if view.collidepoint(float(pts[place, 0]), float(pts[place, 1])):
            assert view.contains(rect), (what, r.world.board.places[place].name, rect, view)
    assert not overlapping([rect for _, rect in shown]), what
    return shown


@pytest.mark.parametrize("w,h,scale", SIZES)
def test_no_label_is_cut_by_the_viewport_after_panning_to_each_edge(w, h, scale):
    app, game = default_game((w, h), scale)
    cam = game.port.camera
    vw, vh = cam.viewport[2], cam.viewport[3]
    checked = 0
    for zoom in (1.0, 2.0):
        if zoom != 1.0:
            cam.zoom_at((vw / 2, vh / 2), zoom)
        for dx, dy in ((0, 0), (vw * 0.4, 0), (-vw * 0.4, 0), (0, vh * 0.4), (0, -vh * 0.4), (vw * 0.07, vh * 0.05)):
            cam.pan(dx, dy)
            app.dirty = True
            settle(app, 2)
            checked += len(check_view(game, (w, h, scale, zoom, dx, dy)))
            cam.pan(-dx, -dy)
    assert checked > 50
    app.scenes.clear()


def test_the_cut_labels_of_the_qa_pass_are_whole_or_left_out_and_damascus_stays():
    app, game = default_game((1024, 640), 1.5)
    names = {game.port.world.board.places[p].name: rect for p, rect in check_view(game, "fitted view")}
    view = pygame.Rect(game.port.camera.viewport)
    assert "Damascus" in names and view.contains(names["Damascus"])
    lay = game.port.renderer.layout(game.map_state(), game.port.camera)
    off = game.port.renderer._offset(game.port.camera)
    cut = [game.port.world.board.places[p].name for p, (_, rect) in zip(lay.label_places, lay.labels)
           if view.colliderect(rect.move(off)) and not view.contains(rect.move(off))]
    assert "Damascus" in cut, "the layout alone cuts it: this view tests the edge"
    app.scenes.clear()


def test_a_pan_within_the_margin_reuses_the_drawn_layer_and_the_layout():
    app, game = default_game((1024, 640), 1.5)
    r = game.port.renderer
    layer = r.layers.latest("control")
    layout = r.layout(game.map_state(), game.port.camera)
    before = len(r.labels_shown(game.map_state(), game.port.camera, "control", game.active_side))
    game.port.camera.pan(-30, 12)
    app.dirty = True
    settle(app, 2)
    assert r.layers.latest("control") is layer and r.layout(game.map_state(), game.port.camera) is layout
    assert abs(len(r.labels_shown(game.map_state(), game.port.camera, "control", game.active_side)) - before) < 6
    app.scenes.clear()


# fit_labels alone, on a made-up layout: one place near the right edge of a 200×100 view.

def one_place(label_w=60, others=()):  # type: ignore[no-untyped-def]
    from game.ui.maplayers import label_spots

    pygame.display.init()
    body = pygame.Rect(160, 44, 12, 12)
    t = pygame.Surface((label_w, 14))
    spots = label_spots(t, body, 50, 2)
    right = spots[2]  # the layout put it right of the place: cut by the view
    labels = [(t, right)] + [(pygame.Surface(o.size), o) for o in others]
    bodies = [body] + [pygame.Rect(o.x - 10, o.y, 4, 4) for o in others]
    lay = Layout([], labels, np.array([1.0] * (1 + len(others))), 1.0, list(range(1 + len(others))),
                 [spots] + [[o] for o in others], bodies)
    marks = np.array([[166.0, 50.0]] + [[o.x - 8, o.y + 2] for o in others])
    return lay, marks


def test_a_cut_label_takes_another_spot_inside_the_view():
    lay, marks = one_place()
    view = pygame.Rect(0, 0, 200, 100)
    [(k, spot)] = fit_labels(lay, view, marks, {0})
    assert k == 0 and view.contains(spot) and not spot.colliderect(lay.bodies[0])
    assert spot == lay.label_spots[0][0], "below the place: its first spot"


def test_a_cut_label_keeps_clear_of_the_labels_shown():
    lay, marks = one_place(others=(pygame.Rect(120, 58, 70, 14), pygame.Rect(120, 28, 70, 14)))
    view = pygame.Rect(0, 0, 200, 100)
    out = dict(fit_labels(lay, view, marks, {0, 1, 2}))
    assert out[0] == lay.label_spots[0][3], "below and above are taken: left of the place"
    assert out[1] == lay.labels[1][1] and out[2] == lay.labels[2][1] and not overlapping(list(out.values()))


def test_a_cut_label_whose_place_is_outside_the_view_or_that_fits_nowhere_is_left_out():
    lay, marks = one_place()
    assert fit_labels(lay, pygame.Rect(0, 0, 164, 100), marks, {0}) == []  # the place is past the edge
    wide, marks = one_place(label_w=240)
    assert fit_labels(wide, pygame.Rect(0, 0, 200, 100), marks, {0}) == []  # wider than the view


def test_during_a_gesture_the_kept_layer_is_pasted_with_the_labels_left_out_of_it():
    from game.ui.mapcache import Layer, paste
    from game.ui.mapview import Camera

    pygame.display.init()
    cam = Camera(1.0, (0, 0, 100, 80), 10.0)
    label = pygame.Surface((20, 10))
    label.fill((255, 0, 0))
    layer = Layer(10.0, (), pygame.Surface((100, 80)), cam.copy(), 0, frozenset({0}),
                  ((label, pygame.Rect(40, 30, 20, 10)),))
    out = pygame.Surface((100, 80))
    paste(out, layer, cam)
    assert out.get_at((50, 35))[:3] == (255, 0, 0) and out.get_at((35, 35))[:3] == (0, 0, 0)
    cam.zoom_at((50, 40), 2.0)  # a wheel zoom in progress: the layer and its labels scaled together
    paste(out, layer, cam)
    assert out.get_at((35, 35))[:3] == (255, 0, 0) and out.get_at((69, 29))[:3] == (255, 0, 0)
