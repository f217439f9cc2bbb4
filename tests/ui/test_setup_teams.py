"""The set-up screen's team view: a row sets every side of its team; PINs typed there (teams and umpire) are
asked for at the first hand-off, survive save and load, and are never kept, saved or logged in clear."""

from __future__ import annotations

import logging

import pygame
import pytest

from game.session.pins import check_pin, hash_pin
from game.ui import saves
from game.ui.scenes.game import GameScene
from game.ui.scenes.pinhandoff import PinHandoffScene
from game.ui.scenes.setup import SetupScene
from game.ui.scenes.setupteams import pin_problem
from game.ui.session import UMPIRE_PIN_KEY, Control, Session, new_session, pin_key, team_pin_key
from tests.boards import make_state, umpire_state, umpire_world
from tests.ui.conftest import post, press, press_button, settle, wait

REDS, BLUES, UMPIRE = "90817263", "55443322", "13572468"
"""PINs unlikely to turn up in a save by chance."""


def setup(app) -> SetupScene:  # type: ignore[no-untyped-def]
    """The set-up screen on the umpire board (teams: reds = red and its patron pat; blues = blue)."""
    scene = app.push(SetupScene(app, umpire_state(), ""))
    settle(app)
    return scene


def type_text(app, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type into the focused field as the keyboard does (one text event a character)."""
    for ch in text:
        post(pygame.event.Event(pygame.TEXTINPUT, text=ch))
    settle(app, 2)


def tab_and_type(app, *texts: str) -> None:  # type: ignore[no-untyped-def]
    """Tab to each PIN field in turn and type into it ('' leaves it empty)."""
    for text in texts:
        press(app, pygame.K_TAB)
        type_text(app, text)


def humans(app) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    return {s: c.human for s, c in app.top.controls.items()}


def test_the_team_view_is_the_default_and_a_row_sets_every_side_of_its_team(app) -> None:
    scene = setup(app)
    assert scene.by_team and [r.key for r in scene.rows()] == ["reds", "blues"]
    assert scene.team_state(scene.rows()[0]) == "mixed"  # red human, its patron AI
    press(app, pygame.K_1)
    assert humans(app) == {"red": True, "pat": True, "blue": False}
    press_button(app, "AI")  # the only AI team left: blues
    assert humans(app) == {"red": True, "pat": True, "blue": True}
    press(app, pygame.K_1)
    assert humans(app) == {"red": False, "pat": False, "blue": True}
    press_button(app, "normal")  # the reds' level, for both their sides
    levels = {s: c.level for s, c in scene.controls.items() if s in ("red", "pat")}
    assert len(set(levels.values())) == 1 and "normal" not in levels.values()
    press_button(app, "By side")
    assert not scene.by_team and not scene.entries
    press_button(app, "By team")
    assert scene.by_team and set(scene.entries) == {"blues", "umpire"}


def test_pins_typed_at_set_up_are_asked_at_the_first_hand_off(app) -> None:
    scene = setup(app)
    press(app, pygame.K_1)
    press(app, pygame.K_2)
    tab_and_type(app, REDS, BLUES, UMPIRE)
    assert [scene.entries[k].get_text() for k in ("reds", "blues", "umpire")] == [REDS, BLUES, UMPIRE]
    press(app, pygame.K_RETURN, frames=2)
    session = app.session
    assert check_pin(UMPIRE, session.pins[UMPIRE_PIN_KEY])
    assert check_pin(REDS, session.pins[team_pin_key("reds")])
    assert check_pin(BLUES, session.pins[team_pin_key("blues")])
    assert scene.pin_texts == {} and all(e.get_text() == "" for e in scene.entries.values())
    handoff = app.top
    assert isinstance(handoff, PinHandoffScene) and handoff.pin_hash == session.pins["team:reds"]
    wait(app)
    type_digits(app, BLUES)
    press(app, pygame.K_RETURN)
    assert app.top is handoff and "Wrong PIN" in handoff.message
    type_digits(app, REDS)
    press(app, pygame.K_RETURN)
    assert isinstance(app.top, GameScene) and session.current_seat().sides == ("red", "pat")


def type_digits(app, digits: str) -> None:  # type: ignore[no-untyped-def]
    for d in digits:
        press(app, getattr(pygame, f"K_{d}"))


@pytest.mark.parametrize("typed, words", [("12", "4 to 12 digits (this one has 2)"),
                                          ("12ab", "4 to 12 digits, with no letters")])
def test_a_bad_pin_is_named_and_the_game_does_not_start(app, typed, words) -> None:
    scene = setup(app)
    tab_and_type(app, "", typed)  # the reds' field left empty, then the umpire's
    press(app, pygame.K_RETURN)
    assert app.top is scene and app.session is None
    key, message = scene.problem
    assert key == "umpire" and message.startswith(f"Umpire's PIN: a PIN is {words}")
    assert scene.entries["umpire"].is_focused
    assert words in pin_problem(typed) and pin_problem("") is None and pin_problem("0042") is None


def test_a_bad_pin_found_from_the_side_view_brings_the_team_view_back(app) -> None:
    scene = setup(app)
    tab_and_type(app, "123")
    press_button(app, "By side")
    press(app, pygame.K_RETURN)
    assert app.top is scene and scene.by_team and scene.problem[0] == "reds"
    assert scene.entries["reds"].get_text() == "123"  # kept across the two rebuilds


def test_pins_survive_save_and_load_and_the_resumed_game_asks_again(app, caplog, capsys) -> None:
    caplog.set_level(logging.DEBUG)
    setup(app)
    press(app, pygame.K_1)
    press(app, pygame.K_2)
    tab_and_type(app, REDS, BLUES, UMPIRE)
    press(app, pygame.K_RETURN, frames=2)
    session = app.session
    path = saves.save_session(session)
    text = path.read_bytes()
    assert all(pin.encode() not in text for pin in (REDS, BLUES, UMPIRE))
    loaded = saves.load_session(path)
    assert loaded.pins == session.pins and set(loaded.pins) == {"team:reds", "team:blues", "umpire"}
    assert app.load_game(path, ask=False)
    settle(app)
    handoff = app.top
    assert isinstance(handoff, PinHandoffScene) and check_pin(REDS, handoff.pin_hash)
    wait(app)
    type_digits(app, REDS)
    press(app, pygame.K_RETURN)
    assert isinstance(app.top, GameScene)
    out = capsys.readouterr()
    assert all(pin not in caplog.text + out.out + out.err for pin in (REDS, BLUES, UMPIRE))


def test_a_team_keeps_its_pin_when_a_side_of_it_is_out_and_old_saves_are_adopted() -> None:
    state = umpire_state()
    session = new_session(state, 3, {s: Control(True) for s in state.world.sides})
    seat = session.seats()[0]
    assert seat.sides == ("red", "pat") and pin_key(seat) == "team:reds"
    red_out = make_state(umpire_world(), {"a": "blue", "b": "blue", "c": "blue", "d": "blue"},
                         [("r1", "red", "a", 0.0), ("b1", "blue", "b", 1000.0)])
    # the reds keep their place in the hand-off order with only their patron left
    seats = new_session(red_out, 3, {s: Control(True) for s in state.world.sides}).seats()
    assert [(seat.sides, pin_key(seat)) for seat in seats] == [(("pat",), "team:reds"), (("blue",), "team:blues")]
    old = session.to_dict()
    old["pins"] = {"red+pat": hash_pin("2468")}  # as the hand-off kept it before teams had keys
    assert set(Session.from_dict(old).pins) == {"team:reds"}


def test_a_pin_for_the_only_human_team_is_said_to_be_never_asked_for(app) -> None:
    from game.ui.scenes import widgets as w

    setup(app)
    tab_and_type(app, REDS)
    app.dirty = True
    with w.recording() as texts:
        app.draw()
    assert any("its PIN is never asked for" in d.text for d in texts)
