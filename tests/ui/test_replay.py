"""The replay viewer, the projector view and the hotseat hand-off with a PIN, driven through App.step with
the dummy video driver: stepping reproduces the log's hashes, a team's replay shows only what view_for
gives it, the projector draws no unit, a wrong PIN keeps the hand-off, a damaged log is a dialog."""

from __future__ import annotations

import json
from pathlib import Path

import pygame
import pytest

from game.engine import state_hash
from game.engine.sight import UMPIRE, find_leaks, hidden_units
from game.engine.view import view_for
from game.session.pins import check_pin, hash_pin
from game.sim.playback import play_back
from game.sim.runner import run_game
from game.ui import saves
from game.ui.projector import ProjectorScene
from game.ui.replaybook import PUBLIC, open_book
from game.ui.scenes import widgets as w
from game.ui.scenes.dialogs import ConfirmScene
from game.ui.scenes.game import GameScene
from game.ui.scenes.pinhandoff import PinHandoffScene
from game.ui.scenes.replay import ReplayScene
from game.ui.scenes.replayopen import ReplayOpenScene, open_replay
from game.ui.scenes.title import TitleScene
from game.ui.session import Control, new_session, pin_key
from game.ui.viewstate import shown_state
from tests.boards import fog_state, umpire_bot, umpire_state
from tests.sim.test_umpiring import PLAN, SEED, TURNS
from tests.ui.conftest import click, press, press_button, settle, wait


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The umpire board played for three turns with every kind of umpire's record."""
    path = tmp_path_factory.mktemp("replay") / "game.jsonl"
    run_game(umpire_state(), TURNS, SEED, log=path, bot=umpire_bot, umpire=PLAN)
    return path


@pytest.fixture(scope="module")
def fog_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fog board (units far apart, short sight) played by bots for three turns."""
    path = tmp_path_factory.mktemp("replay") / "fog.jsonl"
    run_game(fog_state(air=0.0), TURNS, SEED, log=path)
    return path


def logged_hashes(path: Path) -> dict[int, str]:
    """From the log's own lines: the hash of the game at the start of each turn (the last hash written
    before that turn's record), and at the end."""
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    start = play_back(path, upto=0).start  # the header's game, not re-resolved
    last, out = state_hash(start), {}
    for rec in lines[1:]:
        if rec["type"] == "turn":
            out[rec["turn"]] = last
        if "hash" in rec:
            last = rec["hash"]
    out[max(out) + 1] = last
    return out


def texts_drawn(app) -> str:
    with w.recording() as drawn:
        app.dirty = True
        app.draw()
    return "\n".join(d.text for d in drawn)


def test_stepping_forwards_and_back_reproduces_each_turns_hash(app, log: Path) -> None:
    expected = logged_hashes(log)
    app.push(TitleScene(app))
    assert open_replay(app, log)
    settle(app)
    scene = app.top
    assert isinstance(scene, ReplayScene) and len(scene.book) == len(expected) == TURNS + 1

    def check() -> None:
        frame = scene.book.frames[scene.index]
        assert state_hash(frame.state) == expected[frame.turn], f"turn {frame.turn}"

    seen = [scene.index]
    check()
    for _ in range(TURNS + 1):  # one press past the end stays at the end
        press(app, pygame.K_RIGHT)
        check()
        seen.append(scene.index)
    assert seen == [0, 1, 2, 3, 3]
    for _ in range(TURNS):
        press(app, pygame.K_LEFT)
        check()
    assert scene.index == 0
    press(app, pygame.K_END)
    assert scene.index == TURNS
    check()
    press(app, pygame.K_HOME)
    assert scene.index == 0
    press_button(app, "Next")
    assert scene.index == 1
    check()
    press_button(app, "◀ Back")
    assert scene.index == 0
    press(app, pygame.K_ESCAPE)
    assert isinstance(app.top, TitleScene)


def test_the_umpire_sees_every_ruling_and_teams_only_those_told_them(app, log: Path) -> None:
    book = open_book(log)
    scene = ReplayScene(app, book, UMPIRE)
    app.push(scene)
    settle(app)
    records = [r for f in book.frames for r in f.rulings]
    assert len(records) == sum(len(v) for v in PLAN.values())
    umpire_text = ""
    for i in range(len(book)):
        scene.go(i)
        umpire_text += "\n".join(r.text for r in scene.events.rows)
    for r in records:
        assert r["reason"] in umpire_text
    scene.set_team("reds")
    reds_text = ""
    for i in range(len(book)):
        scene.go(i)
        reds_text += "\n".join(r.text for r in scene.events.rows)
    assert "A local truce, told to Blue only." not in reds_text  # told to Blue only


def test_a_teams_replay_shows_only_what_view_for_gives_it(app, fog_log: Path) -> None:
    book = open_book(fog_log)
    scene = ReplayScene(app, book, book.teams[0])
    app.push(scene)
    settle(app)
    checked = 0
    for team in [t for t in book.teams if t not in (UMPIRE, PUBLIC)]:
        scene.set_team(team)
        for i, frame in enumerate(book.frames):
            scene.go(i)
            view = view_for(frame.state, team, frame.events)
            known = {u.id for u in view.units} | {e.id for e in view.estimates}
            drawn = scene.shown()
            assert {u.id for u in drawn.units} == known
            hidden = hidden_units(frame.state, team)
            secrets = [u.id for u in hidden]
            text = texts_drawn(app)
            for p in range(frame.state.world.board.n_places):
                scene.hover = scene.port().place_xy(p)
                text += "\n" + "\n".join(scene.tooltip_lines(scene.hover) or [])
            text += "\n".join(r.text for r in scene.events.rows)
            assert not find_leaks(text, secrets), (team, frame.turn)
            checked += len(secrets)
    assert checked > 0, "no turn had a hidden unit: the test board shows nothing"


def test_the_umpire_view_draws_every_unit_as_it_is(app, log: Path) -> None:
    book = open_book(log)
    frame = book.frames[-1]
    drawn = shown_state(book.start, book.view(len(book) - 1, UMPIRE))
    alive = [(u.id, float(s)) for u, s in zip(frame.state.units, frame.state.u_strength) if s > 0]
    assert [(u.id, float(s)) for u, s in zip(drawn.units, drawn.u_strength)] == alive
    assert drawn.controller.tolist() == frame.state.controller.tolist()


def test_a_damaged_log_is_a_dialog_with_its_line_from_the_title(app, log: Path) -> None:
    folder = saves.saves_dir()
    folder.mkdir(parents=True, exist_ok=True)
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    rec = json.loads(lines[2])
    rec["hash"] = "0" * 64
    (folder / "damaged.jsonl").write_text("".join(lines[:2] + [json.dumps(rec) + "\n"] + lines[3:]),
                                          encoding="utf-8")
    app.push(TitleScene(app))
    settle(app)
    press_button(app, "Replay a game")
    dialog = app.top
    assert isinstance(dialog, ReplayOpenScene)
    k = next(k for k, p in enumerate(dialog.files) if p.name == "damaged.jsonl")
    click(app, dialog.list.row_rect(k).center)
    assert isinstance(app.top, ConfirmScene)
    assert "damaged.jsonl:3:" in app.top.question and "cannot be replayed" in app.top.question
    assert app.find(ReplayScene) is None
    wait(app)
    press(app, pygame.K_RETURN)
    assert isinstance(app.top, TitleScene)


def test_a_cut_log_typed_in_is_a_dialog(app, log: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(log.read_bytes()[:500])
    app.push(TitleScene(app))
    app.push(ReplayOpenScene(app))
    settle(app)
    app.top.entry.set_text(str(cut))
    press(app, pygame.K_RETURN)
    assert isinstance(app.top, ConfirmScene) and f"{cut}:1:" in app.top.question


def test_the_projector_draws_no_unit_of_any_side(app) -> None:
    state = umpire_state()
    app.start_session(new_session(state, SEED, {s: Control(s == "red") for s in state.world.sides}))
    settle(app)
    press(app, pygame.K_p)
    proj = app.top
    assert isinstance(proj, ProjectorScene)
    assert proj.state.units == () and proj.view.units == () and proj.view.estimates == ()
    text = texts_drawn(app)
    assert not find_leaks(text, [u.id for u in state.units] + [u.name for u in state.units])
    assert state.date in text
    press(app, pygame.K_p)
    assert isinstance(app.top, GameScene)


def test_the_projector_is_in_the_menu(app) -> None:
    state = umpire_state()
    app.start_session(new_session(state, SEED, {s: Control(s == "red") for s in state.world.sides}))
    settle(app)
    press(app, pygame.K_ESCAPE)
    press_button(app, "Projector view")
    assert isinstance(app.top, ProjectorScene)


def hotseat(app, pins: dict[str, str] | None = None):
    state = umpire_state()
    session = new_session(state, SEED, {s: Control(s in ("red", "blue")) for s in state.world.sides})
    session.pins.update(pins or {})
    app.start_session(session)
    settle(app)
    return session


def type_digits(app, digits: str) -> None:
    for d in digits:
        press(app, getattr(pygame, f"K_{d}"))


def test_a_wrong_pin_keeps_the_hand_off_and_the_right_one_shows_the_view(app) -> None:
    session = hotseat(app)
    seat = session.current_seat()
    session.pins[pin_key(seat)] = hash_pin("2468")
    app.pop(app.top)
    app.find(GameScene).begin_seat()
    settle(app)
    handoff = app.top
    assert isinstance(handoff, PinHandoffScene) and handoff.pin_hash
    wait(app)
    type_digits(app, "1357")
    press(app, pygame.K_RETURN)
    assert app.top is handoff and "Wrong PIN" in handoff.message
    press_button(app, f"{handoff.label} is ready")
    assert app.top is handoff
    type_digits(app, "2468")
    press(app, pygame.K_RETURN)
    assert isinstance(app.top, GameScene)


def test_a_team_sets_its_pin_on_the_hand_off_and_it_is_saved_as_a_hash(app) -> None:
    session = hotseat(app)
    handoff = app.top
    assert isinstance(handoff, PinHandoffScene) and not handoff.pin_hash
    press_button(app, "Set a PIN")
    wait(app)
    type_digits(app, "12")
    press(app, pygame.K_RETURN)
    assert app.top is handoff and "4 to 12 digits" in handoff.message
    type_digits(app, "34")
    press(app, pygame.K_RETURN)
    assert isinstance(app.top, GameScene)
    stored = session.pins[pin_key(session.current_seat())]
    assert check_pin("1234", stored) and stored.startswith("pbkdf2_sha256$") and stored != "1234"
    path = saves.save_session(session)
    assert saves.load_session(path).pins == session.pins


def test_replay_view_opens_the_viewer_and_plain_replay_is_unchanged(log: Path, monkeypatch, capsys) -> None:
    from game.cli import main
    from game.ui.app import App

    assert main(["replay", str(log)]) == 0
    assert "final state hash" in capsys.readouterr().out
    shown: list[object] = []
    monkeypatch.setattr(pygame, "quit", lambda: None)  # the other tests go on with this display
    monkeypatch.setattr(App, "step", lambda self, *a, **k: shown.append(self.top) or False)
    assert main(["replay", str(log), "--view", "--team", "blues"]) == 0
    assert isinstance(shown[0], ReplayScene) and shown[0].team == "blues"
    monkeypatch.setenv("JUNCTION_HEADLESS", "1")
    assert main(["replay", str(log), "--view"]) == 2
    assert capsys.readouterr().err.startswith("error: replay --view needs a display")


@pytest.mark.parametrize("size,scale", [((1024, 640), 1.5), ((1280, 800), 1.0), ((1920, 1080), 2.0)])
def test_the_new_screens_fit_the_window(size, scale, log: Path) -> None:
    from game.ui.app import App
    from game.ui.settings import Settings
    from tests.ui.layout import draw_and_check

    pygame.display.init()
    pygame.font.init()
    app = App(pygame.display.set_mode(size), Settings(ui_scale=scale, animation_speed=0.0), fps=0)
    app.background = False
    found = []
    app.push(TitleScene(app))
    found += draw_and_check(app)
    app.push(ReplayOpenScene(app))
    found += draw_and_check(app)
    app.pop(app.top)
    open_replay(app, log, "reds")
    found += draw_and_check(app)
    app.top.set_team(UMPIRE)
    app.top.go(1)
    found += draw_and_check(app)
    app.pop(app.top)
    open_replay(app, log.with_name("missing.jsonl"))
    found += draw_and_check(app)
    app.scenes.clear()
    hotseat(app, {})
    found += draw_and_check(app)
    press_button(app, "Set a PIN")
    found += draw_and_check(app)
    app.scenes.clear()
    state = umpire_state()
    app.start_session(new_session(state, SEED, {s: Control(s == "red") for s in state.world.sides}))
    settle(app)
    press(app, pygame.K_p)
    found += draw_and_check(app)
    app.scenes.clear()
    assert not found, "\n".join(found)


def test_a_save_with_a_damaged_pin_is_refused_by_name(app, tmp_path: Path) -> None:
    session = hotseat(app)
    path = saves.save_session(session, tmp_path / "pins.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["pins"] = {"red": "1234"}  # a PIN as typed, not a hash
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(saves.SaveError, match="pins"):
        saves.load_session(path)
