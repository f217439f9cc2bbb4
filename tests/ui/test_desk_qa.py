"""Regression tests for a new-player QA pass of the desktop client: the Report button after a load, the UI
scale on a large window, and place labels that do not overlap."""

from __future__ import annotations

import pygame

from game.ui.maplayers import label_spots, place_labels
from game.ui.saves import load_session, save_session
from game.ui.scenes.game import GameScene
from game.ui.scenes.report import ReportScene
from tests.ui.conftest import game_app, press, settle


def report_button(game: GameScene):  # type: ignore[no-untyped-def]
    return next(b for b in game.ui if b.text == "Report")


# 1. After loading a save, the Report button shows the last turn's report, as it did before the save.

def test_1_a_loaded_game_reopens_its_last_turn_report(app, state, tmp_path):
    game_app(app, state)
    press(app, pygame.K_RETURN, frames=3)
    assert isinstance(app.top, ReportScene)
    shown = [line.text for line in app.top.lines]
    app.pop()
    path = save_session(app.session, tmp_path / "one.json")
    assert app.load_game(path, ask=False)
    settle(app)
    game = app.top
    assert isinstance(game, GameScene), "a load does not open the report by itself"
    assert report_button(game).is_enabled
    game.show_report()
    assert isinstance(app.top, ReportScene)
    assert [line.text for line in app.top.lines] == shown


def test_1_a_save_without_a_turn_says_why_there_is_no_report(app, state, tmp_path):
    game_app(app, state)
    path = save_session(app.session, tmp_path / "fresh.json")
    assert load_session(path).last is None
    assert app.load_game(path, ask=False)
    settle(app)
    button = report_button(app.top)
    assert not button.is_enabled and app.top.reasons[button] == "No turn has been played yet"


def test_1_a_save_older_than_the_turn_record_says_why_there_is_no_report(app, state, tmp_path):
    import json

    from game.ui.saves import session_from_data
    from game.ui.session import Control, new_session

    session = new_session(state, 5, {"red": Control(True)})
    session.end_turn()
    data = session.to_dict()
    for key in ("start", "log_base"):
        del data[key]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    assert session_from_data(json.loads(path.read_text()), "old.json").log_base == 1
    assert app.load_game(path, ask=False)
    settle(app)
    button = report_button(app.top)
    assert not button.is_enabled and "older version" in app.top.reasons[button]


# 2. Without a UI scale of the player's choosing, a big window gets bigger text and panels; a chosen one is kept.

def test_2_the_automatic_ui_scale_grows_with_the_window():
    from game.ui.settings import auto_scale

    assert [auto_scale(size) for size in ((1024, 640), (1280, 800), (1440, 900), (1600, 900), (1920, 1080),
                                          (1920, 1200), (2560, 1440), (7680, 4320))] == \
        [1.0, 1.0, 1.0, 1.25, 1.5, 1.5, 2.0, 3.0]


def test_2_a_1920_window_opens_at_1_5_unless_the_player_chose_a_scale(app):
    from game.ui.app import App, effective_scale
    from game.ui.settings import Settings

    big = pygame.display.set_mode((1920, 1080))
    assert App(big, Settings()).scale == 1.5
    assert App(big, Settings(ui_scale=1.0)).scale == 1.0
    assert App(big, Settings(ui_scale=2.0)).scale == 2.0
    assert effective_scale(None, (1024, 640)) == 1.0 and effective_scale(None, (800, 500)) < 1.0


def test_2_the_automatic_scale_follows_a_resized_window(app):
    assert app.settings.ui_scale is None and app.scale == 1.0
    app.resize((1920, 1080))
    assert app.scale == 1.5
    app.resize((1280, 800))
    assert app.scale == 1.0


def test_2_automatic_is_saved_as_such_and_a_chosen_scale_stays_chosen(isolated_dirs):
    import json

    from game.ui.settings import Settings, config_dir, load_settings, save_settings

    path = save_settings(Settings())
    assert json.loads(path.read_text())["ui_scale"] is None
    assert load_settings() == (Settings(), [])
    save_settings(Settings(ui_scale=1.0))
    assert load_settings()[0].ui_scale == 1.0
    (config_dir() / "settings.json").write_text(json.dumps({"animation_speed": 0.5}))
    assert load_settings()[0].ui_scale is None


def test_2_the_settings_screen_cycles_through_auto(app):
    from game.ui.scenes.settings_scene import SettingsScene

    app.push(SettingsScene(app))
    settle(app)
    assert any(b.text == "auto (1×)" for b in app.top.ui)
    app.top.next_scale()
    assert app.settings.ui_scale == 0.8
    for _ in range(6):
        app.top.next_scale()
    assert app.settings.ui_scale is None


# 3. Place labels never cover each other, on any map, at any scale; the least important give way.

def overlapping(rects):  # type: ignore[no-untyped-def]
    inner = [r.inflate(-2, -2) for r in rects]
    return [(a, b) for i, a in enumerate(inner) for b in inner[i + 1:] if a.colliderect(b)]


def test_3_the_labels_around_idlib_and_aleppo_do_not_overlap_at_scale_one_and_a_half():
    from game.scenario import load_scenario
    from game.ui.app import DEFAULT_SCENARIO, App
    from game.ui.session import Control, new_session
    from game.ui.settings import Settings

    world, start = load_scenario(DEFAULT_SCENARIO)
    human = {s: Control(s in ("government", "russia")) for s in world.sides}
    session = new_session(start, controls=human, source=str(DEFAULT_SCENARIO))
    session.end_turn()  # the layout test's map, where a QA pass saw Raqqa's label over Deir ez-Zor's
    app = App(pygame.display.set_mode((1024, 640)), Settings(ui_scale=1.5, animation_speed=0.0), fps=0)
    app.background = False
    app.start_session(session)
    settle(app)
    game = app.find(GameScene)
    lay = game.port.renderer.layout(game.state, game.port.camera)
    assert len(lay.labels) > 20 and not overlapping([r for _, r in lay.labels])
    app.scenes.clear()


def test_3_no_two_labels_overlap_at_any_scale_or_zoom():
    from game.scenario import load_scenario
    from game.ui.app import DEFAULT_SCENARIO
    from game.ui.mapdraw import MapRenderer
    from game.ui.mapview import Camera
    from game.ui.scenes.mapport import outline_path

    pygame.display.init()
    pygame.font.init()
    world, state = load_scenario(DEFAULT_SCENARIO)
    renderer = MapRenderer(world, outline_path(world, str(DEFAULT_SCENARIO)))
    for scale, viewport in ((1.0, (717, 524)), (1.5, (675, 500)), (1.5, (1344, 906)), (2.0, (1340, 848))):
        renderer.set_ui_scale(scale)
        for zoom in (1.0, 1.7, 3.0):
            cam = Camera.for_world(world, (0, 0, *viewport))
            cam.zoom_at((viewport[0] / 2, viewport[1] / 2), zoom)
            labels = renderer.layout(state, cam).labels
            assert not overlapping([r for _, r in labels]), (scale, viewport, zoom)


def test_3_in_a_crowded_cluster_the_most_important_labels_stay_and_none_overlap(state):
    import numpy as np

    from game.ui.palette import make_palette

    pygame.display.init()
    pygame.font.init()
    n = state.world.board.n_places
    anchors = np.array([[3.0 * k, 2.0 * k] for k in range(n)])
    bodies = [pygame.Rect(round(x) - 6, round(y) - 6, 12, 12) for x, y in anchors]
    imp = np.array([20.0, 9.0, 4.0, 2.0, 1.0][:n])
    factions = state.world.factions
    pal = make_palette([f.id for f in factions], [f.colour for f in factions])
    labels = place_labels(state, pal, 1.5, imp, set(), bodies, anchors)
    for k, (t, rect) in enumerate(labels[:2]):  # by importance: Place 0's label, then Place 1's
        assert rect in label_spots(t, bodies[k], round(anchors[k, 1]), 3)
    assert len(labels) < n and not overlapping([r for _, r in labels])


# Found in the same pass: the buttons' tooltips kept their size at every UI scale (their text box had no
# font of its own in the theme, and their width was pygame_gui's fixed 170 pixels).

def test_tooltips_grow_with_the_ui_scale():
    import pygame_gui

    from game.ui.app import make_theme

    pygame.display.init()
    pygame.font.init()
    pygame.display.set_mode((1280, 800))
    sizes = []
    for scale in (1.0, 2.0):
        manager = pygame_gui.UIManager((1280, 800), make_theme(scale))
        tip = pygame_gui.elements.UITooltip("The last turn's report (R)", (0, 0), manager)
        sizes.append(tip.rect.size)
        tip.kill()
    assert sizes[1][0] == 2 * sizes[0][0] and sizes[1][1] > 1.5 * sizes[0][1]


def test_1_hovering_the_disabled_report_button_shows_why(app, state, monkeypatch):
    """pygame_gui shows no tooltip over a disabled button: the scene draws the reason itself."""
    from game.ui.scenes import widgets

    game = game_app(app, state)
    button = report_button(game)
    shown: list[list[str]] = []
    monkeypatch.setattr(widgets, "tooltip", lambda surface, lines, *a, **k: shown.append(lines))
    app.mouse = button.rect.center
    game.draw_reasons(app.screen, button.rect.center)
    assert shown and " ".join(shown[0]) == "No turn has been played yet"
