"""The load dialog says that a line is what to click, and Enter loads the newest save that can be loaded (it
listed the saves with nothing but a Cancel button)."""

from __future__ import annotations

import os
import time

import pygame

from game.ui import saves
from game.ui.saves import save_session
from game.ui.scenes.dialogs import LoadScene
from game.ui.scenes.game import GameScene
from tests.ui.conftest import game_app, press, settle, wait


def test_enter_loads_the_newest_good_save(app, state):
    game_app(app, state)
    folder = saves.saves_dir()
    older = save_session(app.session, folder / "older.json")
    app.session.end_turn()
    newer = save_session(app.session, folder / "newer.json")
    now = time.time()
    for path in folder.glob("*.json"):  # the autosaves too: older than both
        os.utime(path, (now - 60, now - 60))
    os.utime(older, (now - 30, now - 30))
    os.utime(newer, (now - 20, now - 20))
    (folder / "broken.json").write_text("{")  # the newest file, but not a save
    scene = app.push(LoadScene(app))
    settle(app)
    assert scene.infos[0].path.name == "broken.json" and scene.newest().path == newer
    wait(app)
    press(app, pygame.K_RETURN, frames=3)
    assert isinstance(app.top, GameScene) and app.session.state.turn == 2


def test_enter_with_no_save_to_load_keeps_the_dialog(app, state):
    game_app(app, state)
    scene = app.push(LoadScene(app))
    settle(app)
    wait(app)
    press(app, pygame.K_RETURN, frames=2)
    assert app.top is scene
