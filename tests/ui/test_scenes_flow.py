"""Screens around the map: title → scenario picker → sides → map, hotseat hand-offs, game over,
help, settings, screenshots, and the report's privacy in hotseat games."""

from __future__ import annotations

import shutil
from pathlib import Path

import pygame

from game.engine import Move, Patron
from game.engine import events as ev
from game.ui.scenes.eventtext import report_lines
from game.ui.scenes.game import GameScene
from game.ui.scenes.gameover import GameOverScene
from game.ui.scenes.handoff import HandoffScene
from game.ui.scenes.help import HelpScene
from game.ui.scenes.picker import PickerScene
from game.ui.scenes.report import ReportScene
from game.ui.scenes.setup import SetupScene
from game.ui.scenes.title import TitleScene
from game.ui.settings import load_settings
from tests.boards import line_state, line_world, split_control
from tests.ui.conftest import click, game_app, place_pos, press, press_button, settle, unit_pos, wait

ROOT = Path(__file__).resolve().parents[2]


def test_keys_lead_from_the_title_to_the_map_of_the_default_scenario(app):
    app.push(TitleScene(app))
    settle(app)
    press(app, pygame.K_RETURN)
    assert isinstance(app.top, PickerScene) and app.top.current.path.name == "homs_junction.yaml"
    press(app, pygame.K_RETURN)
    assert isinstance(app.top, SetupScene)
    press(app, pygame.K_RETURN, frames=2)
    game = app.top
    assert isinstance(game, GameScene) and game.state.world.meta.title == "Homs Junction"
    assert app.session.current_seat().sides[0] == "government"


def test_the_picker_lists_a_broken_file_with_its_error(app, tmp_path):
    shutil.copy(ROOT / "tests" / "data" / "good" / "tiny.yaml", tmp_path / "tiny.yaml")
    (tmp_path / "broken.yaml").write_text("meta: {title: [unclosed\n")
    picker = app.push(PickerScene(app, tmp_path))
    settle(app)
    while app.idle_work():  # the files are read while the list is on screen
        pass
    by_name = {e.path.name: e for e in picker.entries}
    assert by_name["broken.yaml"].error and by_name["tiny.yaml"].state is not None
    picker.index = picker.entries.index(by_name["broken.yaml"])
    press(app, pygame.K_RETURN)
    assert app.top is picker and any("cannot be played" in t[0] for t in app.toasts)


def test_setup_toggles_sides_and_starts_a_hotseat_game(app, state):
    app.push(SetupScene(app, state, ""))
    settle(app)
    press_button(app, "AI")
    assert app.top.controls["blue"].human
    press(app, pygame.K_RETURN, frames=2)
    assert isinstance(app.top, HandoffScene) and app.top.label == "RED"


def test_hotseat_hides_each_players_orders_from_the_other(app):
    world = line_world(5)
    st = line_state(world, split_control(world, 1), [("r1", "red", "p1", 3000.0), ("b1", "blue", "p3", 3000.0)])
    game = game_app(app, st, humans=("red", "blue"))
    assert isinstance(app.top, HandoffScene)
    wait(app)
    press(app, pygame.K_RETURN)
    assert app.top is game and game.session.current_seat().label == "Red"
    click(app, unit_pos(game, 0))
    click(app, place_pos(game, 0), button=3)
    assert app.session.planned["red"] == [Move("r1", "p0")]
    wait(app)
    press(app, pygame.K_RETURN)
    assert isinstance(app.top, HandoffScene) and app.top.label == "BLUE"
    wait(app)
    press(app, pygame.K_RETURN)
    assert game.arrows() == [] and game.panel.rows() == []
    press(app, pygame.K_RETURN, frames=3)
    assert app.session.state.turn == 2
    assert isinstance(app.top, HandoffScene) and app.top.label == "RED"
    wait(app)
    press(app, pygame.K_RETURN)
    assert isinstance(app.top, ReportScene)


def test_the_report_shows_only_the_viewers_refused_orders(state):
    events = [ev.OrderRejected("red", Move("r1", "p0"), "red reason"),
              ev.OrderRejected("blue", Move("b1", "p3"), "blue reason"),
              ev.InjectFired("x", "Secret", "for blue only", ("blue",)),
              ev.PlaceCaptured("p2", "red", "blue", 1.0)]
    texts = [ln.text for ln in report_lines(state, events, viewer=("red",))]
    assert any("red reason" in t for t in texts) and not any("blue" in t.lower() and "reason" in t for t in texts)
    assert not any("Secret" in t for t in texts) and any("took Place 2" in t for t in texts)
    assert len(report_lines(state, events, viewer=None)) == 4


def test_the_last_turn_ends_in_the_game_over_screen(app):
    world = line_world(5, turns=1, patrons=(Patron("pat", "Patron", clients=("red",)),))
    st = line_state(world, split_control(world, 1), [("r1", "red", "p1", 3000.0), ("b1", "blue", "p3", 3000.0)])
    game_app(app, st)
    press(app, pygame.K_RETURN, frames=3)
    assert app.session.state.is_over and isinstance(app.top, GameOverScene)
    press(app, pygame.K_ESCAPE)
    assert isinstance(app.top, GameScene)
    press(app, pygame.K_RETURN)
    assert isinstance(app.top, GameOverScene)


def test_help_overlay_opens_with_f1_and_states_what_results_mean(app, state):
    game_app(app, state)
    press(app, pygame.K_F1)
    assert isinstance(app.top, HelpScene)
    about = next(c for c in app.top.chapters if c.id == "about")
    assert "model's assumptions" in about.source
    press(app, pygame.K_ESCAPE)
    assert isinstance(app.top, GameScene)


def test_settings_changes_are_saved_to_the_config_folder(app):
    from game.ui.scenes.settings_scene import SettingsScene

    app.push(TitleScene(app))
    app.push(SettingsScene(app))
    settle(app)
    press_button(app, "auto (1×)")  # automatic -> the smallest chosen scale, then on
    press_button(app, "0.8×")
    press_button(app, "1×")
    click(app, app.top.ui[3].rect.center)  # animation speed: off -> slow
    settings, messages = load_settings()
    assert settings.ui_scale == 1.25 and settings.animation_speed == 0.5 and not messages
    assert app.settings == settings and app.s(100) == 125


def test_colour_blind_setting_reaches_the_map(app, state):
    game = game_app(app, state)
    app.apply_settings(app.settings.with_changes(colour_blind=True))
    assert load_settings()[0].colour_blind
    assert game.port.renderer.palette.name == "tol"


def test_f12_saves_a_screenshot(app, state, isolated_dirs):
    game_app(app, state)
    press(app, pygame.K_F12)
    shots = list((isolated_dirs / "data" / "screenshots").glob("*.png"))
    assert len(shots) == 1 and shots[0].stat().st_size > 1000


def test_dragging_a_unit_to_a_place_orders_it(app, state):
    game = game_app(app, state)
    r2 = state.unit_index()["r2"]
    start, end = unit_pos(game, r2), place_pos(game, 1)
    click(app, start)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=start, button=1))
    for k in range(1, 5):
        p = (start[0] + (end[0] - start[0]) * k // 4, start[1] + (end[1] - start[1]) * k // 4)
        pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=p, rel=(1, 1), buttons=(1, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=end, button=1))
    app.step(dt=1 / 60)
    assert app.session.planned["red"] == [Move("r2", "p1")]


def _env(tmp_path, **extra):
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    env.update(JUNCTION_DATA_DIR=str(tmp_path / "data"), JUNCTION_CONFIG_DIR=str(tmp_path / "config"), **extra)
    return env


def test_without_a_display_main_plays_headless_and_writes_the_map(tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, str(ROOT / "main.py")], cwd=tmp_path, env=_env(tmp_path),
                         capture_output=True, text=True, timeout=120)
    lines = out.stdout.splitlines()
    assert out.returncode == 0, out.stderr
    assert lines[0].startswith("No display found") and any(ln.startswith("Turn  1 ") for ln in lines)
    png = Path(lines[-1].rsplit(" ", 1)[1])
    assert lines[-1].startswith("final map written to") and png.is_file() and png.parent == tmp_path


def test_quit_after_first_frame_prints_the_startup_time(tmp_path):
    import subprocess
    import sys

    env = _env(tmp_path, SDL_VIDEODRIVER="dummy", JUNCTION_QUIT_AFTER_FIRST_FRAME="1")
    out = subprocess.run([sys.executable, str(ROOT / "main.py")], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().startswith("first map frame after ") and out.stdout.strip().endswith(" ms")


def test_menu_saves_and_the_load_list_loads(app, state):
    from game.engine import state_hash
    from game.ui.scenes.dialogs import LoadScene, MenuScene

    game = game_app(app, state)
    press(app, pygame.K_ESCAPE)
    assert isinstance(app.top, MenuScene)
    press_button(app, "Save game")
    saved = state_hash(app.session.state)
    assert app.top is game
    press(app, pygame.K_RETURN, frames=3)
    wait(app)
    press(app, pygame.K_RETURN)
    press(app, pygame.K_ESCAPE)
    press_button(app, "Load game")
    assert isinstance(app.top, LoadScene) and app.top.infos
    k = next(i for i, info in enumerate(app.top.infos) if info.kind == "Quick save")
    click(app, app.top.list.row_rect(k).center)
    assert state_hash(app.session.state) == saved and isinstance(app.top, GameScene)


def test_watching_the_computer_play_every_side(app, state):
    game = game_app(app, state, humans=())
    assert app.session.current_seat() is None and game.panel.rows() == []
    press(app, pygame.K_RETURN, frames=3)
    assert app.session.state.turn == 2 and isinstance(app.top, ReportScene)


def test_many_retreats_of_one_faction_read_as_one_line(state):
    events = [ev.UnitRetreated(f"u{k}", "blue", "p2", "p3", "broke") for k in range(5)]
    events.append(ev.UnitRetreated("r1", "red", "p1", "p0", "defeated"))
    texts = [ln.text for ln in report_lines(state, events)]
    assert len(texts) == 2
    assert "5 BLUE units fell back (broke): Place 2 → Place 3 (5)." in texts


def test_after_the_last_turn_the_end_turn_button_shows_who_won_as_the_panel_says(app):
    """Found playing HTS to the end at 1920×1080: the panel said "End turn (Enter) shows who won" over a
    greyed-out End turn button; Enter showed the result, a click did nothing."""
    world = line_world(5, turns=1)
    st = line_state(world, split_control(world, 1), [("r1", "red", "p1", 3000.0), ("b1", "blue", "p3", 3000.0)])
    game_app(app, st)
    press(app, pygame.K_RETURN, frames=3)
    press(app, pygame.K_ESCAPE)
    game = app.top
    assert isinstance(game, GameScene) and game.state.is_over
    button = next(b for b in game.ui if b.text.startswith("End turn"))
    assert button.is_enabled
    press_button(app, "End turn")
    settle(app)
    assert isinstance(app.top, GameOverScene)
