"""The game scene driven by real pygame events through App.step: select, order, undo, end turn."""

from __future__ import annotations

import pygame

from game.engine import AirStrike, Channel, Move, state_hash
from game.ui.scenes.dialogs import ConfirmScene
from game.ui.scenes.report import ReportScene
from tests.ui.conftest import click, game_app, place_pos, press, press_button, settle, unit_pos, wait


def test_click_a_unit_right_click_a_place_and_end_turn_moves_it(app, state):
    game = game_app(app, state)
    r2 = state.unit_index()["r2"]
    click(app, unit_pos(game, r2))
    assert game.selected == r2
    assert game.highlights()[1] == "move"
    click(app, place_pos(game, 1), button=3)
    assert app.session.planned["red"] == [Move("r2", "p1")]
    assert game.arrows() == [(0, 1, "move")]
    press(app, pygame.K_RETURN, frames=3)
    assert app.session.state.turn == 2
    assert int(app.session.state.u_place[r2]) == 1
    assert isinstance(app.top, ReportScene)
    wait(app)
    press(app, pygame.K_RETURN)
    assert app.top is game
    from game.ui.saves import saves_dir

    assert len(list(saves_dir().glob("autosave-*.json"))) == 1


def test_attack_takes_the_place(app, state):
    game = game_app(app, state, seed=2)  # a seed on which r1's attack carries the place
    r1 = state.unit_index()["r1"]
    click(app, unit_pos(game, r1))
    assert game.highlights()[2] == "attack"
    click(app, place_pos(game, 2), button=3)
    press(app, pygame.K_RETURN, frames=3)
    after = app.session.state
    assert after.world.factions[int(after.controller[2])].id == "red"
    lines = [row.text for row in app.top.list.rows]
    assert any("RED took Place 2 from BLUE" in t for t in lines)


def test_tab_selects_and_refused_orders_show_their_reason(app, state):
    game = game_app(app, state)
    press(app, pygame.K_TAB)
    assert game.selected is not None and state.units[game.selected].faction == "red"
    press(app, pygame.K_HOME)
    click(app, place_pos(game, 4), button=3)
    assert game.cursor_msg is not None and game.cursor_msg[0]
    assert app.session.planned["red"] == []


def test_undo_with_ctrl_z_and_the_remove_button(app, state):
    game = game_app(app, state)
    r2 = state.unit_index()["r2"]
    click(app, unit_pos(game, r2))
    click(app, place_pos(game, 1), button=3)
    press(app, pygame.K_z, mod=pygame.KMOD_CTRL)
    assert app.session.planned["red"] == []
    click(app, place_pos(game, 1), button=3)
    assert len(app.session.planned["red"]) == 1
    click(app, game.panel.undo_rect(game.panel.order_items()[0]).center)
    assert app.session.planned["red"] == []


def test_patron_air_strike_within_capacity(app, state):
    game = game_app(app, state, humans=("red", "pat"))
    assert app.session.current_seat().sides == ("red", "pat")
    press_button(app, "Patron")
    assert game.active_side == "pat"
    press_button(app, "Strike")
    assert game.targeting == "strike" and 2 in game.highlights()
    click(app, place_pos(game, 2))
    assert app.session.planned["pat"] == [AirStrike("pat", "p2")]
    assert app.session.capacity_left("pat", Channel.AIR) == 2.0
    assert app.session.capacity_left("pat", Channel.GROUND) == 3.0


def test_save_then_load_gives_the_same_state_hash(app, state):
    game_app(app, state)
    press(app, pygame.K_F5)
    saved = state_hash(app.session.state)
    press(app, pygame.K_RETURN, frames=3)
    wait(app)
    press(app, pygame.K_RETURN)
    assert state_hash(app.session.state) != saved
    press(app, pygame.K_F9)
    settle(app)
    assert state_hash(app.session.state) == saved


def test_a_corrupt_save_leaves_the_game_running_with_a_message(app, state):
    from game.ui import saves

    game = game_app(app, state)
    path = saves.saves_dir() / saves.QUICKSAVE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"format": "junction-session", "version": 1, "game": {"nope": 1}}')
    before = state_hash(app.session.state)
    press(app, pygame.K_F9)
    assert app.top is game and state_hash(app.session.state) == before
    assert any("Not loaded" in t[0] and "damaged" in t[0] for t in app.toasts)


def test_quit_asks_when_orders_are_unsaved(app, state):
    game = game_app(app, state)
    click(app, unit_pos(game, state.unit_index()["r2"]))
    click(app, place_pos(game, 1), button=3)
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    app.step(dt=1 / 60)
    assert app.running and isinstance(app.top, ConfirmScene)
    press(app, pygame.K_ESCAPE)
    assert app.running and app.top is game
    press(app, pygame.K_F5)
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    assert not app.step(dt=1 / 60)


def test_animation_plays_and_space_skips_it(app, state):
    app.settings = app.settings.with_changes(animation_speed=0.5)
    game = game_app(app, state)
    click(app, unit_pos(game, state.unit_index()["r2"]))
    click(app, place_pos(game, 1), button=3)
    press(app, pygame.K_RETURN, frames=3)
    assert game.anim is not None and game.anim.paths
    press(app, pygame.K_SPACE, frames=2)
    assert game.anim is None and isinstance(app.top, ReportScene)


def test_report_click_centres_the_map(app, state):
    game = game_app(app, state)
    click(app, unit_pos(game, state.unit_index()["r1"]))
    click(app, place_pos(game, 2), button=3)
    press(app, pygame.K_RETURN, frames=3)
    report = app.top
    k = next(i for i, row in enumerate(report.list.rows) if row.value == "p2")
    cam_before = (game.port.camera.cx, game.port.camera.cy)
    click(app, report.list.row_rect(k).center)
    assert game.flash is not None and game.flash[0] == 2
    assert (game.port.camera.cx, game.port.camera.cy) != cam_before


def test_hover_tooltips_and_a_window_resize(app, state):
    game = game_app(app, state)
    pos = unit_pos(game, state.unit_index()["b1"])
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    app.step(dt=1 / 60)
    lines = game.port.tooltip(game.state, pos, "red")
    assert lines and any("B1" in ln or "Blue" in ln for ln in lines)
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, w=1024, h=700, size=(1024, 700)))
    settle(app)
    assert app.size == (1024, 700) and game.port.rect.right <= 1024 - game.panel.rect.width
