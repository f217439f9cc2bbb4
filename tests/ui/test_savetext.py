"""Autosaves off the UI thread, the world encoded once per game: the same JSON as before, readable by
the save checks."""

from __future__ import annotations

import json

from game.engine import World, state_hash
from game.ui import saves, savetext
from game.ui.session import Control, new_session


def session_of(state):  # type: ignore[no-untyped-def]
    return new_session(state, 5, {s: Control(s == "red") for s in state.world.sides})


def test_the_text_is_the_json_of_the_session(state):
    session = session_of(state)
    session.end_turn()
    text = savetext.encode(savetext.snapshot(session, {"title": "Line"}))
    expected = session.to_dict() | {"summary": {"title": "Line"}}
    assert json.loads(text) == json.loads(json.dumps(expected))


def test_the_world_is_encoded_once_per_game(state, monkeypatch, tmp_path):
    calls = []
    original = World.to_dict

    def counting(self):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(self)

    session = session_of(state)
    session.end_turn()
    monkeypatch.setattr(World, "to_dict", counting)
    for _ in range(3):
        saves.autosave(session, tmp_path)
        session.end_turn()
    assert len(calls) == 1 and len(list(tmp_path.glob("autosave-*.json"))) == 3


def test_a_background_autosave_loads_back(state, tmp_path):
    session = session_of(state)
    session.end_turn()
    path = saves.autosave(session, tmp_path, background=True)
    assert savetext.WRITER.wait(30)
    loaded = saves.load_session(path)
    assert state_hash(loaded.state) == state_hash(session.state) and not session.unsaved


def test_a_failed_background_autosave_is_reported(state, tmp_path):
    session = session_of(state)
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    heard = []
    saves.autosave(session, blocked, background=True, failed=heard.append)
    assert savetext.WRITER.wait(30)
    assert heard and "could not save" in heard[0]
