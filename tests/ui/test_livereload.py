"""Live reload in the running game scene: a saved change shows up with the camera kept; a broken file shows
its located errors over the map and the game keeps the last good scenario; F6 and the watcher's thread."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pygame
import pytest

from game.scenario import load_scenario
from game.ui.scenes.dialogs import ConfirmScene
from game.ui.scenes.game import GameScene
from game.ui.session import Control, new_session
from tests.ui.conftest import press, settle

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "good" / "tiny.yaml"
WAIT = 20.0
"""Seconds to wait for the file watcher before giving up (never asserted on: only a deadline)."""


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    shutil.copy(TINY, path)
    return path


def open_game(app, path: Path) -> GameScene:
    _, state = load_scenario(path)
    app.start_session(new_session(state, None, {s: Control(s == "hts") for s in state.world.sides}, str(path)))
    settle(app)
    game = app.find(GameScene)
    assert game.live.watcher is not None and game.live.watcher.ready.wait(WAIT), "the watcher started"
    return game


def step_until(app, done, seconds: float = WAIT) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.step(dt=1 / 60)
        if done():
            return True
        time.sleep(0.02)
    return False


def place_name(app, pid: str) -> str:
    board = app.session.state.world.board
    return board.places[board.index[pid]].name


def test_a_saved_change_reloads_at_the_start_of_play_keeping_the_camera(app, scenario: Path) -> None:
    game = open_game(app, scenario)
    game.port.zoom_at(game.port.rect.center, 2.0)
    game.port.pan(40, -25)
    camera = (game.port.camera.scale, game.port.camera.cx, game.port.camera.cy)
    old_thread = game.live.watcher.thread
    scenario.write_text(scenario.read_text(encoding="utf-8").replace("name: Nabk,", "name: An Nabk,"),
                        encoding="utf-8")
    assert step_until(app, lambda: place_name(app, "nabk") == "An Nabk")
    new = app.find(GameScene)
    assert new is not game
    assert (new.port.camera.scale, new.port.camera.cx, new.port.camera.cy) == camera
    assert not old_thread.is_alive(), "the old scene's watcher stopped with it"
    assert new.live.watcher is not None and new.live.watcher.thread.is_alive()
    assert app.session.controls["hts"].human, "the same sides are played by people"


def test_a_broken_file_shows_its_errors_and_keeps_the_last_good_scenario(app, scenario: Path) -> None:
    game = open_game(app, scenario)
    good = app.session.state
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("controller: hts}", "controller: nobody}", 1), encoding="utf-8")
    assert step_until(app, lambda: bool(game.live.problems))
    assert app.session.state is good and app.find(GameScene) is game
    line = next(i for i, t in enumerate(scenario.read_text(encoding="utf-8").splitlines(), 1) if "nobody" in t)
    assert any(re.match(rf"tiny\.yaml:{line}:\d+: error: .*nobody", p) for p in game.live.problems)
    app.step(dt=1 / 60)  # the overlay is drawn over the map
    press(app, pygame.K_ESCAPE)
    assert game.live.hidden and app.find(GameScene) is game
    scenario.write_text(text.replace("name: Hama,", "name: Hama (fixed),"), encoding="utf-8")
    assert step_until(app, lambda: place_name(app, "hama") == "Hama (fixed)")
    assert app.find(GameScene).live.problems == []


def test_after_a_turn_f6_asks_before_restarting_from_the_changed_file(app, scenario: Path) -> None:
    game = open_game(app, scenario)
    press(app, pygame.K_RETURN, frames=4)
    while app.top is not game and app.find(GameScene) is game:
        press(app, pygame.K_ESCAPE)
    assert app.session.state.turn == 2
    scenario.write_text(scenario.read_text(encoding="utf-8").replace("name: Nabk,", "name: An Nabk,"),
                        encoding="utf-8")
    assert step_until(app, lambda: game.live.waiting is not None)
    assert app.session.state.turn == 2 and place_name(app, "nabk") == "Nabk", "played turns are not thrown away"
    press(app, pygame.K_F6)
    assert isinstance(app.top, ConfirmScene)
    button = next(b for b in app.top.ui if b.text.startswith("Restart"))
    from tests.ui.conftest import click

    click(app, button.rect.center)
    settle(app)
    assert app.session.state.turn == 1 and place_name(app, "nabk") == "An Nabk"


def test_the_watcher_thread_stops_when_the_scene_ends(app, scenario: Path) -> None:
    game = open_game(app, scenario)
    thread = game.live.watcher.thread
    from game.ui.scenes.title import TitleScene

    app.replace(TitleScene(app))
    assert game.live.watcher is None and not thread.is_alive()
