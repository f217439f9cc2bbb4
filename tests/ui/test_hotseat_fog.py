"""Hotseat fog at the desk: in a game of two human teams, every piece of text drawn while a seat plays (the
map, its tooltips, the place menu, the orders, victory and chart tabs, the legend, the turn report) and on
the hand-off between seats names no unit the seat's team cannot see, nor gives such a unit's exact strength;
the seat's own units are named. Text is caught where all of it is rendered (`game.ui.fonts`)."""

from __future__ import annotations

import pygame
import pytest

from game.engine.sight import find_leaks, hidden_units, secrets_of
from game.ui import fonts
from game.ui.scenes.game import GameScene
from game.ui.scenes.pinhandoff import PinHandoffScene
from game.ui.scenes.placemenu import PlaceMenu
from game.ui.scenes.report import ReportScene
from tests.boards import fog_state
from tests.ui.conftest import click, game_app, place_pos, press, settle, unit_pos, wait

TEAM_OF = {"red": "reds", "blue": "blues"}
"""The fog board's human sides and the scenario team each sits for."""


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every string rendered from now on (fonts.text and fonts.halo_text, uncached, so nothing is missed)."""
    out: list[str] = []
    text, halo = fonts.text.__wrapped__, fonts.halo_text.__wrapped__

    def record_text(s: str, *a: object, **k: object) -> pygame.Surface:
        out.append(s)
        return text(s, *a, **k)

    def record_halo(s: str, *a: object, **k: object) -> pygame.Surface:
        out.append(s)
        return halo(s, *a, **k)

    monkeypatch.setattr(fonts, "text", record_text)
    monkeypatch.setattr(fonts, "halo_text", record_halo)
    return out


def frame(app) -> None:
    app.dirty = True
    app.draw()


def walk_seat(app, game: GameScene) -> None:
    """Draw every screen a seat can open on its map: the tabs, the legend, a tooltip over every place
    (with and without one of its units selected), and the place menu listing every place."""
    state = game.state
    n = state.world.board.n_places
    game._chrome = {}  # the bars and the panel are drawn anew, not blitted from a cache
    for tab in ("orders", "victory", "chart"):
        game.set_tab(tab)
        frame(app)
    game.set_tab("orders")
    game.legend = True
    frame(app)
    game.legend = False
    mine = game.own_units()
    assert mine, "the seat has no unit to select"
    click(app, unit_pos(game, mine[0]))
    assert game.selected == mine[0]
    for selected in (mine[0], None):
        game.selected = selected
        for p in range(n):
            game.mouse = game.port.place_xy(p)
            frame(app)
    game.menu = PlaceMenu(game, game.port.place_xy(0), [(state.world.board.places[p].name, p) for p in range(n)],
                          lambda *a: None)
    frame(app)
    game.menu = None


def strength_leaks(app, game: GameScene, team: str, text: str) -> list[str]:
    """Exact strengths of hidden units found in `text` as figures (a figure that is also one the seat may
    read, an own unit's strength or a band's bound, proves nothing and is left out)."""
    view = game.seat_view_now()
    public = "\n".join([f"{u.strength:,.0f}" for u in view.units] + [e.label for e in view.estimates])
    figures = [f"{float(game.state.u_strength[game.state.unit_index()[u.id]]):,.0f}"
               for u in hidden_units(game.state, team)]
    return [f for f in find_leaks(text, figures) if not find_leaks(public, [f])]


def test_each_hotseat_seat_sees_only_what_its_team_may_know(app, drawn: list[str]) -> None:
    state = fog_state(air=0.0)
    game = game_app(app, state, humans=("red", "blue"))
    assert game.session.is_hotseat()
    checked = {"reds": 0, "blues": 0}
    for _turn in range(2):
        for _seat in range(2):
            assert isinstance(app.top, PinHandoffScene)
            drawn.clear()
            frame(app)
            handoff_text = "\n".join(drawn)
            for team in checked:  # the hand-off shows nothing of either team's units
                assert not find_leaks(handoff_text, secrets_of(game.state, team)), team
            wait(app)
            press(app, pygame.K_RETURN)
            settle(app)
            seat = game.session.current_seat()
            team = TEAM_OF[seat.sides[0]]
            assert game.fogged()
            drawn.clear()
            if isinstance(app.top, ReportScene):
                frame(app)
                assert app.top.lines, "the report of a turn with fighting is empty"
                wait(app)
                press(app, pygame.K_RETURN)
                settle(app)
            assert app.top is game
            walk_seat(app, game)
            text = "\n".join(drawn)
            secrets = secrets_of(game.state, team)
            assert secrets, f"{team} sees every unit: the board tests nothing"
            assert not find_leaks(text, secrets), (team, game.state.turn)
            assert not strength_leaks(app, game, team, text), (team, game.state.turn)
            assert "? VP" in drawn, "another team's score is shown to this seat"
            own = [game.state.units[u].name for u in game.own_units()]
            assert find_leaks(text, own) == own, (team, own)
            shown = {u.id for u in game.map_state().units}
            assert not shown & {u.id for u in hidden_units(game.state, team)}
            checked[team] += len(secrets)
            if team == "reds" and _turn == 0:  # red_b attacks blue_near at p2: the next report has a fight
                red_b = game.state.unit_index()["red_b"]
                click(app, unit_pos(game, red_b))
                click(app, place_pos(game, 2), button=3)
                assert game.session.planned["red"], "red_b's attack was not planned"
            game.end_turn()
            settle(app)
    assert game.session.state.turn == 3
    assert all(checked.values())


def test_one_human_against_the_computer_is_not_fogged(app) -> None:
    game = game_app(app, fog_state(air=0.0), humans=("red",))
    assert not game.session.is_hotseat() and not game.fogged()
    assert game.map_state() is game.state


def test_between_seats_the_desk_shows_only_the_public_map(app, drawn: list[str]) -> None:
    """While the turn resolves (every seat has ordered, nobody sits) the map shows no unit of any side."""
    game = game_app(app, fog_state(air=0.0), humans=("red", "blue"))
    wait(app)
    press(app, pygame.K_RETURN)
    game.session.seat_index = len(game.session.seats())
    assert game.fog_game() and not game.fogged()
    assert not game.map_state().units
    assert app.top is game
    game._chrome = {}
    drawn.clear()
    for p in range(game.state.world.board.n_places):
        game.mouse = game.port.place_xy(p)
        frame(app)
    names = [u.id for u in game.state.units] + [u.name for u in game.state.units]
    assert not find_leaks("\n".join(drawn), names)
    assert any("Place 0" in t for t in drawn), "the public map drew no place name"
