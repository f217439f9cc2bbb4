"""Regression tests for a new-player QA pass of the desktop client: the Report button after a load, the UI
scale on a large window, and place labels that do not overlap."""

from __future__ import annotations

import pygame

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
    assert not button.is_enabled and "No turn has been played yet" in button.tool_tip_text


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
    assert not button.is_enabled and "older version" in button.tool_tip_text
