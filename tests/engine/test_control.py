"""Control phase: a place passes to a faction hostile to its holder that stands there alone; hostile units
together contest it."""

from __future__ import annotations

import numpy as np
import pytest

from bench.synthetic import random_game
from game.engine import Corridor, Faction, Move, Patron, query
from game.engine import events as ev
from game.engine.context import TurnContext
from game.engine.control import contested_mask, corridor_status, report_corridors, run_control
from tests.boards import graph_world, make_state, of, place, resolve

FACTIONS = (Faction("red", "Red", "RED", allies=("green",), sources=("a",)), Faction("green", "Green", "GRN"),
            Faction("blue", "Blue", "BLU", sources=("d",)))


def board(control: dict[str, str], units: list[tuple[str, str, str, float]]):
    places = [place("a", value=0.0), place("b", value=3.0), place("c", value=2.0), place("d", value=5.0)]
    world = graph_world(places, [("a", "b", 30.0), ("b", "c", 30.0), ("c", "d", 30.0)], FACTIONS)
    return make_state(world, control, units)


CONTROL = {"a": "red", "b": "blue", "c": "blue", "d": "blue"}


def test_hostile_units_together_contest_a_place_and_change_nobody() -> None:
    s = board(CONTROL, [("r1", "red", "b", 100.0), ("b1", "blue", "b", 100.0), ("g1", "green", "c", 50.0)])
    assert contested_mask(s).tolist() == [False, True, False, False]
    assert s.contested.tolist() == [False, True, False, False]  # hostile units that start together already fight
    s.contested[:] = False  # as if they had just met
    ctx = TurnContext(start=s)
    run_control(s, ctx)
    assert s.contested.tolist() == [False, True, False, False]
    assert of(ctx.events, ev.PlaceContested) == [ev.PlaceContested("b", ("red", "blue"))]
    assert s.controller.tolist() == [0, 2, 1, 2]  # b stays blue; green took c alone
    assert of(ctx.events, ev.PlaceCaptured) == [ev.PlaceCaptured("c", "green", "blue", 2.0)]
    assert ctx.value_lost.tolist() == [0.0, 0.0, 2.0] and ctx.value_gained.tolist() == [0.0, 2.0, 0.0]
    run_control(s, ctx)
    assert len(of(ctx.events, ev.PlaceContested)) == 1  # reported when it starts, not every turn


def test_allied_units_in_an_allys_place_do_not_take_it_over() -> None:
    s = board({"a": "red", "b": "red", "c": "blue", "d": "blue"}, [("g1", "green", "b", 100.0)])
    ctx = TurnContext(start=s)
    run_control(s, ctx)
    assert int(s.controller[1]) == 0 and not of(ctx.events, ev.PlaceCaptured)
    assert not ctx.value_lost.any() and not ctx.value_gained.any()


def test_the_strongest_of_several_allies_takes_an_empty_enemy_place() -> None:
    s = board(CONTROL, [("r1", "red", "b", 100.0), ("g1", "green", "b", 300.0)])
    ctx = TurnContext(start=s)
    run_control(s, ctx)
    assert int(s.controller[1]) == 1
    assert of(ctx.events, ev.PlaceCaptured) == [ev.PlaceCaptured("b", "green", "blue", 3.0)]


def test_the_owner_keeps_a_place_while_its_units_are_there() -> None:
    control = {"a": "red", "b": "red", "c": "blue", "d": "blue"}
    s = board(control, [("r1", "red", "b", 10.0), ("g1", "green", "b", 900.0)])
    ctx = TurnContext(start=s)
    run_control(s, ctx)
    assert int(s.controller[1]) == 0


def test_capture_moves_value_between_factions_and_shakes_cohesion() -> None:
    s = board(CONTROL, [("r1", "red", "a", 1000.0)])
    s = s.copy(rules=s.rules.replace(shock_sd=0.0))
    after, events = resolve(s, {"red": [Move("r1", "b")]})
    assert of(events, ev.PlaceCaptured) == [ev.PlaceCaptured("b", "red", "blue", 3.0)]
    r = s.rules
    assert after.f_cohesion[0] == pytest.approx(0.8 + 3.0 * r.cohesion_per_value_gained)
    assert after.f_cohesion[2] == pytest.approx(0.8 - 3.0 * r.cohesion_per_value_lost)


def test_corridor_status_lists_every_patron_corridor() -> None:
    places = [place("a"), place("b"), place("c"), place("d")]
    world = graph_world(places, [("a", "b", 30.0), ("b", "c", 30.0), ("c", "d", 30.0)], FACTIONS,
                        corridors=(Corridor("k", "K", ("a", "b")),),
                        patrons=(Patron("p", "P", clients=("red", "green"), corridor="k"),))
    s = make_state(world, {"a": "red", "b": "green", "c": "blue", "d": "blue"}, [])
    assert corridor_status(s) == {(0, 0): True, (0, 1): True}
    s.controller[1] = 2
    assert corridor_status(s) == {(0, 0): False, (0, 1): False}
    assert np.array_equal(s.contested, np.zeros(4, dtype=bool))


def test_contested_places_and_new_holders_agree_with_the_unit_counts() -> None:
    for seed in range(6):
        s = random_game(seed, 8, 4)
        rng = np.random.default_rng(seed)
        s.u_place[:] = rng.integers(0, 8, len(s.units))  # hostile units meet, stacks form
        s.u_strength[rng.random(len(s.units)) < 0.2] = 0.0
        occ = query.occupancy(s)
        friends, enemies = occ.count @ s.world.friendly, occ.count @ s.world.hostile
        contested = np.any(occ.present & (enemies > 0), axis=1)
        assert contested_mask(s).tolist() == contested.tolist()
        holder_foes = s.world.hostile[s.controller]  # (places × factions): hostile to the holder
        change = ~contested & (friends[np.arange(8), s.controller] == 0) & (occ.present & holder_foes).any(axis=1)
        expected = np.where(change, np.where(holder_foes, occ.strength, -1.0).argmax(axis=1), s.controller)
        run_control(s, TurnContext(start=s))
        assert s.controller.tolist() == expected.tolist() and s.contested.tolist() == contested.tolist()


def test_more_factions_than_bits_in_a_machine_word() -> None:
    factions = tuple(Faction(f"f{i}", f"F{i}", f"F{i}") for i in range(64))
    world = graph_world([place("a"), place("b"), place("c")], [("a", "b", 30.0), ("b", "c", 30.0)], factions)
    s = make_state(world, {"a": "f0", "b": "f0", "c": "f63"},
                   [("x", "f0", "a", 100.0), ("y", "f63", "a", 100.0), ("z", "f63", "b", 100.0)])
    s.contested[:] = False  # as if they had just met
    ctx = TurnContext(start=s)
    run_control(s, ctx)
    assert of(ctx.events, ev.PlaceContested) == [ev.PlaceContested("a", ("f0", "f63"))]
    assert s.controller.tolist() == [0, 63, 63] and s.contested.tolist() == [True, False, False]


@pytest.mark.parametrize("seed", range(20))
def test_corridor_reports_name_every_status_that_changed(seed: int) -> None:
    """Against the statuses compared in full: places changing hands or contested, routes closing."""
    start = random_game(seed, 12, 3)
    rng = np.random.default_rng(seed)
    for _ in range(5):
        s = start.copy()
        s.controller[rng.random(12) < 0.3] = rng.integers(0, 3)
        s.contested[:] = rng.random(12) < 0.2
        s.route_open[rng.random(len(s.route_open)) < 0.2] = False
        ctx = TurnContext(start=start)
        report_corridors(s, ctx, start)
        before, after = corridor_status(start), corridor_status(s)
        assert ctx.events == [ev.CorridorChanged(s.world.board.corridors[c].id, s.world.factions[f].id, after[(c, f)])
                              for c, f in sorted(after) if after[(c, f)] != before[(c, f)]]
