"""The in-game tutorial of scenarios/tutorial.yaml: its steps advance as the player acts (select, move, read
the combat preview, attack, give a patron's order, end the turn, read the report, show supply), the card
draws and hides, and a scenario without a tutorial has none."""

from __future__ import annotations

from pathlib import Path

import pygame

from game.engine import AirStrike, Attack, Move
from game.scenario import load_scenario
from game.ui.scenes.mapport import MODES
from game.ui.scenes.report import ReportScene
from game.ui.scenes.setup import SetupScene
from game.ui.session import Control, new_session
from game.ui.tutorial import ACTIONS, Step, Tutorial
from tests.ui.conftest import click, place_pos, press, press_button, settle, unit_pos, wait

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"


def test_steps_advance_only_on_the_action_they_wait_for() -> None:
    t = Tutorial([Step("a", "A", "do a", "select"), Step("b", "B", "do b", "move")])
    assert not t.notice("move") and t.index == 0
    assert t.notice("select") and t.current is not None and t.current.id == "b"
    assert t.notice("move") and t.done and t.current is None
    assert not t.notice("move")


def test_the_shipped_tutorial_teaches_every_action_and_others_have_none() -> None:
    t = Tutorial.for_source(str(TUTORIAL))
    assert t is not None and sorted(s.done_when for s in t.steps) == sorted(ACTIONS)
    assert Tutorial.for_source(str(ROOT / "scenarios" / "homs_junction.yaml")) is None
    assert Tutorial.for_source("") is None


def test_the_tutorials_player_sits_with_the_patron_by_default(app) -> None:
    _, state = load_scenario(TUTORIAL)
    setup = SetupScene(app, state, str(TUTORIAL))
    assert setup.controls["wardens"].human and setup.controls["harbour_league"].human
    assert not setup.controls["raiders"].human


def test_playing_one_turn_walks_through_every_step(app) -> None:
    _, state = load_scenario(TUTORIAL)
    humans = {"wardens", "harbour_league"}
    app.start_session(new_session(state, 5, {s: Control(s in humans) for s in state.world.sides},
                                  source=str(TUTORIAL)))
    settle(app)
    game = app.top
    tut = game.tutorial
    assert tut is not None and tut.current.done_when == "select"
    units, places = state.unit_index(), state.world.board.index

    click(app, unit_pos(game, units["wardens_1"]))
    assert tut.current.done_when == "move"
    click(app, place_pos(game, places["millbrook"]), button=3)
    assert app.session.planned["wardens"] == [Move("wardens_1", "millbrook")]
    assert tut.current.done_when == "preview"

    click(app, unit_pos(game, units["wardens_3"]))
    assert tut.current.done_when == "preview"
    tor = place_pos(game, places["crag_tor"])
    hover(app, tor)
    preview = game.hover_preview()
    assert preview is not None and preview.place == "crag_tor" and 0 < preview.chance < 1
    assert tut.current.done_when == "attack"
    click(app, tor, button=3)
    assert Attack("wardens_3", "crag_tor") in app.session.planned["wardens"]
    assert tut.current.done_when == "patron"

    press_button(app, "Harbour")
    press_button(app, "Strike")
    click(app, place_pos(game, places["crag_pass"]))
    assert app.session.planned["harbour_league"] == [AirStrike("harbour_league", "crag_pass")]
    assert tut.current.done_when == "end_turn"

    press(app, pygame.K_RETURN, frames=3)
    report = app.top
    assert app.session.state.turn == 2 and isinstance(report, ReportScene)
    assert tut.current.done_when == "report"  # "read the report": the step shows in the report itself
    assert report.tutorial_lines() and report.tutorial_lines()[0].startswith("Tutorial 7 of 8: Read the report")
    wait(app)  # the report ignores keys for a moment after it opens
    press(app, pygame.K_ESCAPE)
    assert app.top is game
    assert tut.current.done_when == "supply"
    while MODES[game.mode] != "supply":
        press(app, pygame.K_m)
    assert tut.done


def test_the_card_draws_and_f2_hides_it(app) -> None:
    _, state = load_scenario(TUTORIAL)
    app.start_session(new_session(state, 5, {s: Control(s == "wardens") for s in state.world.sides},
                                  source=str(TUTORIAL)))
    settle(app)
    game = app.top
    card = game.tutorial.rect
    assert card is not None and game.port.rect.contains(card)
    assert not card.colliderect(game.legend_chip())
    inside = (card.left + game.s(4), card.centery)
    shown = app.screen.get_at(inside)
    press(app, pygame.K_F2)
    assert game.tutorial.hidden
    settle(app)
    assert game.tutorial.rect is None and app.screen.get_at(inside) != shown
    press(app, pygame.K_F2)
    settle(app)
    assert game.tutorial.rect == card


def hover(app, pos) -> None:
    """Move the mouse to `pos` and draw a frame (the hover preview is drawn then)."""
    pos = (int(pos[0]), int(pos[1]))
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    app.dirty = True
    app.step(dt=1 / 60)
