"""The umpire at the desk: every ruling made through the console's forms lands in the session's log, in the
order log the desktop game writes, and that log replays to the same game; the umpire's PIN gates the
console; the game-over screen writes the after-action report. Dummy SDL driver, seeded games."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pygame
import pytest

from game.engine import state_hash
from game.scenario import load_scenario
from game.session.pins import check_pin, hash_pin
from game.sim.playback import play_back
from game.ui import orderlog, saves, umpiredesk
from game.ui.app import DEFAULT_SCENARIO
from game.ui.scenes.dialogs import ConfirmScene
from game.ui.scenes.eventtext import report_lines
from game.ui.scenes.game import GameScene
from game.ui.scenes.gameover import GameOverScene
from game.ui.scenes.umpire import UmpirePinScene, UmpireScene
from game.ui.session import Control, new_session
from tests.ui.conftest import settle, wait

HUMANS = ("government", "hts", "sna")


@pytest.fixture(scope="module")
def start():
    return load_scenario(DEFAULT_SCENARIO)[1]


def session_of(start, seed=11):
    controls = {s: Control(s in HUMANS) for s in start.world.sides}
    return new_session(start, seed, controls, str(DEFAULT_SCENARIO))


def console(app, session) -> UmpireScene:
    """The console over the map, opened with U and the umpire's PIN (1357)."""
    session.pins[umpiredesk.PIN_KEY] = hash_pin("1357")
    app.start_session(session)
    settle(app)
    game = app.find(GameScene)
    app.scenes[:] = [game]
    app.step([pygame.event.Event(pygame.KEYDOWN, key=pygame.K_u, mod=0, unicode="u", scancode=0)], dt=1 / 60)
    gate = app.top
    assert isinstance(gate, UmpirePinScene)
    wait(app)
    gate.typed = "1357"
    gate.go()
    settle(app, 1)
    assert isinstance(app.top, UmpireScene)
    return app.top


def rule_with(scene: UmpireScene, tab: str, ok: bool = True, **values: str) -> None:
    """Fill a tab's form (choices by value, typed text) and press its button, as the umpire would."""
    scene.set_tab(tab)
    scene.values[tab].update(values)
    scene.rebuild()
    button = next(b for b in scene.ui if getattr(b, "text", "") == scene.form.submit)
    scene.press(button)
    assert scene.message is not None and scene.message[0].startswith("On the record") == ok, scene.message


def test_every_ruling_through_the_console_is_logged_saved_and_replayed(app, start, isolated_dirs):
    session = session_of(start)
    session.end_turn()
    scene = console(app, session)
    place, result = umpiredesk.battles(session)[0]
    other = next(r for r in ("retreat", "held", "rout") if r != result)
    rule_with(scene, "combat", place=place, result=other, reason="the defenders' ammunition ran out",
              audience="all")
    inject = next(i.id for i in start.world.injects if i.id not in session.state.fired)
    rule_with(scene, "inject", inject=inject, reason="to test the cabinet's nerve", audience="government_team")
    rule_with(scene, "new_inject", title="Rumours in Homs", message="Crowds gather at the clock tower",
              reason="a live inject", audience="hts_team")
    held = session.state.world.factions[int(session.state.controller[0])].id
    to = next(f.id for f in start.world.factions if f.id != held)
    place0 = start.world.board.places[0].id
    rule_with(scene, "controller", place=place0, faction=to, reason="a local deal", audience="all")
    rule_with(scene, "support", patron="russia", channel="air", value="0.4", reason="aircraft moved to Libya",
              audience="-")
    rule_with(scene, "rule", rule="detect_km", value="45", reason="dust storms", audience="all")
    rule_with(scene, "matrix", team="hts_team", action="Negotiate the surrender of Hama's garrison",
              arguments="elders mediate; pay arrears", counter="the garrison fears reprisals", mod1="+1",
              mod1_why="elders trusted", needed="8", outcome="the garrison leaves", reason="argued well",
              audience="all")
    assert scene.message is not None and "Roll (2d6)" in scene.message[0], scene.message
    kinds = [(r["type"], r.get("what")) for r in session.log if r["type"] != "turn"]
    assert kinds == [("override", "combat_result"), ("override", "inject"), ("override", "new_inject"),
                     ("override", "controller"), ("override", "support"), ("override", "rule"), ("matrix", None)]
    assert all(r["reason"] for r in session.log if r["type"] != "turn")
    log = orderlog.log_path(session)
    written = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(r["type"], r.get("what")) for r in written if r["type"] in ("override", "matrix")] == kinds
    assert state_hash(play_back(log).final) == state_hash(session.state)
    # the turn's events show the rulings to those told of them
    sides = {t.id: t.sides for t in start.world.teams}
    last = session.last

    def report(team: str) -> str:
        return " ".join(ln.text for ln in report_lines(last.after, last.events, sides[team], last.before))

    assert "Rumours in Homs" in report("hts_team") and "Rumours in Homs" not in report("government_team")
    assert "aircraft moved to Libya" not in report("hts_team") + report("government_team")
    # saved and loaded: the records stay, the table is built again, one more turn extends the same log
    loaded = saves.load_session(saves.save_session(session))
    assert [r for r in loaded.log if r["type"] != "turn"] == [r for r in session.log if r["type"] != "turn"]
    shown = {team: report(team) for team in sides}
    assert umpiredesk.restore_last(loaded) and loaded.last is not None and loaded.last.after is loaded.state
    last = loaded.last
    assert {team: report(team) for team in sides} == shown  # the Report button's, as before the save
    assert umpiredesk.new_inject(loaded, "Second thoughts", "", "after the load") is None
    loaded.end_turn()
    assert orderlog.write_log(loaded) == log
    assert state_hash(play_back(log).final) == state_hash(loaded.state)


def test_a_refused_or_unreasoned_ruling_changes_nothing_and_says_why(app, start):
    session = session_of(start)
    scene = console(app, session)
    before = state_hash(session.state)
    rule_with(scene, "rule", False, rule="detect_km", value="45", reason="  ")
    assert scene.message is not None and "reason" in scene.message[0]
    rule_with(scene, "support", False, patron="russia", channel="air", value="7", reason="too much")
    assert scene.message is not None and scene.message[1] == (176, 40, 20)
    assert state_hash(session.state) == before and not session.log
    assert "No battle" in next(f for f in scene.forms if f.id == "combat").note


def test_the_umpires_pin_gates_the_console(app, start):
    session = session_of(start)
    session.pins[umpiredesk.PIN_KEY] = hash_pin("2468")
    app.start_session(session)
    settle(app)
    app.scenes[:] = [app.find(GameScene)]
    app.find(GameScene).open_umpire()
    gate = app.top
    wait(app)
    for key in (pygame.K_1, pygame.K_1, pygame.K_1, pygame.K_1, pygame.K_RETURN):
        app.step([pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0)], dt=1 / 60)
    assert app.top is gate and "Wrong PIN" in gate.message
    for key in (pygame.K_2, pygame.K_4, pygame.K_6, pygame.K_8, pygame.K_RETURN):
        app.step([pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0)], dt=1 / 60)
    assert isinstance(app.top, UmpireScene)


def test_without_an_umpires_pin_one_is_offered_and_set(app, start):
    session = session_of(start)
    app.start_session(session)
    settle(app)
    app.scenes[:] = [app.find(GameScene)]
    app.find(GameScene).open_umpire()
    gate = app.top
    assert isinstance(gate, UmpirePinScene) and not gate.pin_hash
    button = next(b for b in gate.ui if b.text == "Set the umpire's PIN")
    gate.press(button)
    wait(app)
    gate.typed = "97531"
    gate.go()
    assert check_pin("97531", session.pins[umpiredesk.PIN_KEY])
    assert isinstance(app.top, UmpireScene)


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:  # type: ignore[no-untyped-def]
        self.tags.append(tag)


def test_the_game_over_button_writes_the_report_and_survives_no_browser(app, state, monkeypatch):
    session = new_session(state, 5, {"red": Control(True)})
    session.end_turn()
    app.start_session(session)
    settle(app)
    game = app.find(GameScene)
    app.scenes[:] = [game]
    over = app.push(GameOverScene(app, game))
    settle(app, 1)
    button = next(b for b in over.ui if b.text == "After-action report")
    over.press(button)
    settle(app, 2)
    ask = app.top
    assert isinstance(ask, ConfirmScene)
    out = orderlog.report_path(orderlog.log_path(session))
    assert str(out) in ask.question and out.is_file()
    parsed = Tags()
    parsed.feed(out.read_text(encoding="utf-8"))
    assert parsed.tags.count("img") >= 2 and "h2" in parsed.tags

    def no_browser(url: str) -> bool:
        raise RuntimeError("no runnable browser")

    monkeypatch.setattr("webbrowser.open", no_browser)
    ask.choices[0][1]()
    settle(app, 1)
    assert any("No browser" in m and str(out) in m for m, _, _ in app.toasts)


def test_a_save_played_on_differently_starts_its_own_log_and_leaves_the_first_whole(state, isolated_dirs):
    session = new_session(state, 5, {"red": Control(True)})
    session.end_turn()
    first = saves.save_session(session, isolated_dirs / "turn2.json")
    session.end_turn()
    log = orderlog.write_log(session)
    kept = log.read_bytes()
    again = saves.load_session(first)
    assert umpiredesk.new_inject(again, "A different day", "", "another line of play") is None
    again.end_turn()
    other = orderlog.write_log(again)
    assert other != log and log.read_bytes() == kept
    assert state_hash(play_back(other).final) == state_hash(again.state)
    assert state_hash(play_back(log).final) == state_hash(session.state)


def test_a_save_without_a_log_start_logs_from_where_it_is_loaded(state):
    session = new_session(state, 5, {"red": Control(True)})
    session.end_turn()
    data = session.to_dict()
    for key in ("start", "log_base"):
        del data[key]
    old = saves.session_from_data(json.loads(json.dumps(data)), "old.json")
    assert old.log_base == 1 and old.start is old.state
    old.end_turn()
    assert state_hash(play_back(orderlog.write_log(old)).final) == state_hash(old.state)


def test_a_saves_log_name_is_a_file_name_in_the_saves_folder_never_a_path(state):
    data = new_session(state, 5, {"red": Control(True)}).to_dict()
    data["log_name"] = "../../elsewhere.jsonl"
    with pytest.raises(saves.SaveError, match="log_name"):
        saves.session_from_data(json.loads(json.dumps(data)), "bad.json")
