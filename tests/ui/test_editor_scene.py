"""The map editor scene driven by posted pygame events on a copy of a small scenario: drag a place, join two
places, edit a field, undo, save; reached from the title screen and from a game (F7), where live reload
then picks up the saved file."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pygame
import pytest

from game.scenario import load, load_scenario
from game.ui.scenes.editor import EditorScene
from game.ui.scenes.game import GameScene
from game.ui.session import Control, new_session
from tests.ui.conftest import click, post, press, settle

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "good" / "tiny.yaml"
WAIT = 20.0


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    shutil.copy(TINY, path)
    return path


def step_until(app, done, seconds: float = WAIT) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.step(dt=1 / 60)
        if done():
            return True
        time.sleep(0.02)
    return False


def open_editor(app, path: Path) -> EditorScene:
    editor = app.push(EditorScene(app, path))
    assert step_until(app, editor.is_ready), editor.error
    settle(app)
    return editor


def marker(editor: EditorScene, pid: str) -> tuple[int, int]:
    return editor.port.place_xy(editor.world.board.index[pid])


def drag(app, start, end, steps: int = 6, mod: int = 0) -> None:
    post(pygame.event.Event(pygame.MOUSEMOTION, pos=start, rel=(0, 0), buttons=(0, 0, 0)),
         pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=start, button=1, mod=mod))
    app.step(dt=1 / 60)
    last = start
    for k in range(1, steps + 1):
        pos = (start[0] + (end[0] - start[0]) * k // steps, start[1] + (end[1] - start[1]) * k // steps)
        post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(pos[0] - last[0], pos[1] - last[1]),
                                buttons=(1, 0, 0)))
        app.step(dt=1 / 60)
        last = pos
    post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=end, button=1, mod=mod))
    app.step(dt=1 / 60)


def button(scene, label: str):
    return next(b for b in scene.ui if getattr(b, "text", "").startswith(label) and b.visible)


def test_drag_a_place_add_a_route_edit_a_name_undo_and_save(app, scenario: Path) -> None:
    original = scenario.read_text(encoding="utf-8")
    editor = open_editor(app, scenario)
    start = marker(editor, "nabk")
    end = (start[0] + 60, start[1] - 40)
    drag(app, start, end)
    lon, lat = editor.port.camera.to_world(*editor.port.local(end))
    nabk = editor.world.board.places[editor.world.board.index["nabk"]]
    assert (nabk.lat, nabk.lon) == (round(lat, 4), round(lon, 4))
    assert editor.selected == "nabk"

    press(app, pygame.K_r)
    assert editor.tool == "route"
    click(app, marker(editor, "damascus"))
    click(app, marker(editor, "qusayr"))
    assert editor.edits.has_route("damascus", "qusayr")

    editor.select("hama")
    settle(app, 2)
    editor.panel.widgets["name"].set_text("Hama city")
    click(app, button(editor, "Apply").rect.center)
    assert editor.world.board.places[editor.world.board.index["hama"]].name == "Hama city"
    press(app, pygame.K_z, mod=pygame.KMOD_CTRL)
    assert editor.world.board.places[editor.world.board.index["hama"]].name == "Hama"
    assert editor.edits.dirty

    press(app, pygame.K_s, mod=pygame.KMOD_CTRL, frames=3)
    assert not editor.edits.dirty and editor.problems == []
    text = scenario.read_text(encoding="utf-8")
    assert [c for c in original.splitlines() if c.lstrip().startswith("#") and c not in text.splitlines()] == []
    loaded = load(scenario)
    board = loaded.world.board
    assert board.places[board.index["nabk"]].lat == round(lat, 4)
    ends = {frozenset((board.places[a].id, board.places[b].id)) for a, b in board.ends.tolist()}
    assert frozenset(("damascus", "qusayr")) in ends
    assert board.places[board.index["hama"]].name == "Hama"


def test_a_unit_is_moved_by_shift_drag_and_control_painted(app, scenario: Path) -> None:
    editor = open_editor(app, scenario)
    state = editor.state
    unit = state.unit_index()["gov_damascus"]
    counter = next(pos for pos in ((x, y) for r in range(0, 40, 2) for x in range(marker(editor, "damascus")[0] - r,
                   marker(editor, "damascus")[0] + r + 1, 2) for y in (marker(editor, "damascus")[1] - r,
                   marker(editor, "damascus")[1] + r)) if editor.port.pick_unit(state, pos) == unit)
    drag(app, counter, marker(editor, "nabk"), mod=pygame.KMOD_SHIFT)
    index = editor.state.unit_index()["gov_damascus"]
    assert int(editor.state.u_place[index]) == editor.world.board.index["nabk"]
    press(app, pygame.K_c)
    editor.paint = "hts"
    click(app, marker(editor, "nabk"))
    assert editor.world.factions[int(editor.state.controller[editor.world.board.index["nabk"]])].id == "hts"


def test_a_refused_edit_shows_why_and_closing_with_edits_asks(app, scenario: Path) -> None:
    editor = open_editor(app, scenario)
    press(app, pygame.K_r)
    click(app, marker(editor, "homs"))
    click(app, marker(editor, "qusayr"))  # the corridor to Lebanon needs this route: refused
    assert editor.edits.has_route("homs", "qusayr") and editor.status[1] == "warn"
    assert any("corridor" in p for p in editor.problems)
    press(app, pygame.K_ESCAPE)  # hides the problems
    press(app, pygame.K_ESCAPE)  # stops drawing routes
    assert editor.problems == [] and editor.route_from is None
    press(app, pygame.K_ESCAPE)
    assert app.top is not editor or not app.scenes or app.top.name != "editor"


def test_from_the_title_and_from_a_game_where_the_saved_file_is_reloaded(app, scenario: Path) -> None:
    from game.ui.scenes.editorpick import EditorPickScene
    from game.ui.scenes.title import TitleScene

    app.push(TitleScene(app))
    settle(app)
    click(app, button(app.top, "Map editor").rect.center)
    assert isinstance(app.top, EditorPickScene)
    press(app, pygame.K_ESCAPE)
    assert isinstance(app.top, TitleScene)

    _, state = load_scenario(scenario)
    app.start_session(new_session(state, None, {s: Control(s == "hts") for s in state.world.sides},
                                  str(scenario)))
    settle(app)
    game = app.find(GameScene)
    assert game.live.watcher.ready.wait(WAIT)
    press(app, pygame.K_F7)
    editor = app.top
    assert isinstance(editor, EditorScene) and step_until(app, editor.is_ready)
    settle(app)
    start = marker(editor, "hama")
    drag(app, start, (start[0] - 50, start[1] + 20))
    press(app, pygame.K_s, mod=pygame.KMOD_CTRL, frames=3)
    moved = editor.world.board.places[editor.world.board.index["hama"]].lon
    press(app, pygame.K_ESCAPE)  # drop the selection
    press(app, pygame.K_ESCAPE)  # close
    assert app.find(EditorScene) is None

    def reloaded() -> bool:
        board = app.session.state.world.board
        return board.places[board.index["hama"]].lon == moved
    assert step_until(app, reloaded)


def test_a_shortened_row_of_the_place_list_shows_its_whole_text_on_hover(app, scenario: Path) -> None:
    from game.ui.scenes import widgets as w

    editor = open_editor(app, scenario)
    editor.select("damascus")
    settle(app)
    editor.panel.list_rect.width = 120  # a narrow panel: rows are shortened to fit
    app.dirty = True
    app.step([], dt=1 / 60)
    assert editor.panel.shortened, "no row was shortened"
    rect, whole = editor.panel.shortened[0]
    post(pygame.event.Event(pygame.MOUSEMOTION, pos=rect.center, rel=(0, 0), buttons=(0, 0, 0)))
    app.step(dt=1 / 60)
    with w.recording() as texts:
        app.dirty = True
        app.draw()
    shown = " ".join(d.text for d in texts if d.owner == "editor (over)")
    assert shown.split() == whole.split()
