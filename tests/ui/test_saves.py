"""Saves: atomic JSON in the data folder, autosaves pruned, corrupt and foreign files refused politely."""

from __future__ import annotations

import json

import pytest

from game.engine import Move, game_to_dict, state_hash
from game.ui import saves
from game.ui.saves import SaveError, autosave, list_saves, load_session, save_session, saves_dir
from game.ui.session import Control, new_session
from game.ui.settings import Settings, load_settings, save_settings


def session(state):
    return new_session(state, seed=3, controls={s: Control(s == "red") for s in state.world.sides})


def test_save_then_load_gives_the_same_state_hash(state):
    s = session(state)
    s.plan("red", Move("r2", "p1"))
    s.end_turn()
    path = save_session(s)
    assert path.parent == saves_dir() and not s.unsaved
    assert not list(path.parent.glob("*.tmp"))
    loaded = load_session(path)
    assert state_hash(loaded.state) == state_hash(s.state)
    assert loaded.seed == 3 and loaded.controls["red"].human


def test_a_bare_engine_save_loads_too(state, tmp_path):
    p = tmp_path / "engine.json"
    p.write_text(json.dumps(game_to_dict(state)))
    assert state_hash(load_session(p).state) == state_hash(state)


@pytest.mark.parametrize("content, words", [
    ("{not json", "not valid JSON"),
    ('{"format": "something-else"}', "not a Junction save"),
    ('[1, 2, 3]', "not a Junction save"),
    ('{"format": "junction-session", "version": 99}', "another version"),
    ('{"format": "junction-session", "version": 1, "game": {"format": "junction-save", "version": 1}}', "damaged"),
])
def test_corrupt_or_foreign_saves_raise_a_readable_error(tmp_path, content, words):
    p = tmp_path / "bad.json"
    p.write_text(content)
    with pytest.raises(SaveError, match=words):
        load_session(p)


def test_missing_save_is_a_save_error(tmp_path):
    with pytest.raises(SaveError, match="no saved game"):
        load_session(tmp_path / "nothing.json")


def test_autosave_keeps_the_last_five(state):
    s = session(state)
    paths = [autosave(s) for _ in range(7)]
    left = sorted(saves_dir().glob("autosave-*.json"))
    assert left == sorted(paths[-5:])
    infos = list_saves()
    assert len(infos) == 5 and all(i.kind == "Autosave" and not i.problem for i in infos)


def test_list_saves_marks_broken_files(state):
    save_session(session(state))
    (saves_dir() / "junk.json").write_text("][")
    infos = {i.path.name: i for i in list_saves()}
    assert infos["junk.json"].problem and not infos[saves.QUICKSAVE].problem
    assert saves.latest_save() == saves_dir() / saves.QUICKSAVE


def test_settings_round_trip_and_bad_values_fall_back(isolated_dirs):
    assert load_settings() == (Settings(), [])
    save_settings(Settings(ui_scale=1.5, fullscreen=True))
    assert load_settings()[0] == Settings(ui_scale=1.5, fullscreen=True)
    path = isolated_dirs / "config" / "settings.json"
    path.write_text(json.dumps({"ui_scale": "big", "window_width": 10, "colour_blind": True}))
    got, messages = load_settings()
    assert got == Settings(colour_blind=True) and len(messages) == 3 and "set aside" in messages[-1]
    assert load_settings() == (Settings(colour_blind=True), [])
    path.write_text("{{{")
    got, messages = load_settings()
    assert got == Settings() and "not valid JSON" in messages[0]
