"""State, world, board and codec: saves round-trip, hashes are stable and sensitive, turns are pure."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from bench.synthetic import random_game
from game.engine import (
    Board,
    Faction,
    Hold,
    Meta,
    Move,
    Order,
    Outcome,
    Place,
    Route,
    RouteKind,
    Rules,
    State,
    UnitInfo,
    UnitType,
    World,
    child_seeds,
    game_from_dict,
    game_to_dict,
    legal_orders,
    resolve_turn,
    state_hash,
    turn_rng,
)
from game.engine import events as ev
from game.engine.codec import decode, encode
from game.engine.specs import AddUnit, Effect, Inject
from game.engine.state import ARRAYS
from game.sim.runner import bot_orders
from tests.boards import line_state, line_world, resolve, split_control


def round_trip(s: State) -> State:
    return game_from_dict(json.loads(json.dumps(game_to_dict(s))))


def played(seed: int, turns: int = 3) -> State:
    s = random_game(seed, 12, 3)
    for _ in range(turns):
        if s.is_over:
            break
        s, _ = resolve_turn(s, bot_orders(s, seed), turn_rng(seed, s.turn))
    return s


@pytest.mark.parametrize("seed", range(8))
def test_a_save_round_trips_to_the_same_hash_and_plays_on_identically(seed: int) -> None:
    s = played(seed)
    back = round_trip(s)
    assert state_hash(back) == state_hash(s)
    assert back.world.digest() == s.world.digest()
    assert back.world.injects == s.world.injects and back.world.victory == s.world.victory
    assert back.units == s.units and back.rules == s.rules and back.outcome == s.outcome
    for k in ARRAYS:
        a, b = getattr(s, k), getattr(back, k)
        assert a.dtype == b.dtype and np.array_equal(a, b), k
    if not s.is_over:
        orders = bot_orders(s, seed)
        a, ea = resolve_turn(s, orders, turn_rng(seed, s.turn))
        b, eb = resolve_turn(back, orders, turn_rng(seed, back.turn))
        assert state_hash(a) == state_hash(b) and ea == eb


def test_a_finished_game_round_trips() -> None:
    world = line_world(3, turns=1)
    s = line_state(world, split_control(world, 0), [("r1", "red", "p0", 100.0)])
    over, _ = resolve(s, {})
    assert over.outcome == Outcome(("blue",), "highest score at the last turn", 1)
    assert round_trip(over).outcome == over.outcome
    assert state_hash(round_trip(over)) == state_hash(over)


def base_state() -> State:
    world = line_world(4)
    return line_state(world, split_control(world, 1), [("r1", "red", "p1", 1000.0), ("b1", "blue", "p2", 900.0)])


CHANGES = {
    "controller": lambda s: s.controller.__setitem__(0, 1),
    "contested": lambda s: s.contested.__setitem__(3, True),
    "u_faction": lambda s: s.u_faction.__setitem__(0, 1),
    "u_place": lambda s: s.u_place.__setitem__(0, 0),
    "u_strength": lambda s: s.u_strength.__setitem__(0, 1000.0000001),
    "u_cohesion": lambda s: s.u_cohesion.__setitem__(1, 0.5),
    "u_posture": lambda s: s.u_posture.__setitem__(0, 3),
    "u_supply": lambda s: s.u_supply.__setitem__(0, 1),
    "f_cohesion": lambda s: s.f_cohesion.__setitem__(1, 0.1),
    "f_score": lambda s: s.f_score.__setitem__(0, 1.0),
    "f_collapsed": lambda s: s.f_collapsed.__setitem__(1, True),
    "route_open": lambda s: s.route_open.__setitem__(2, False),
}


@pytest.mark.parametrize("field", sorted(CHANGES))
def test_the_hash_sees_every_array(field: str) -> None:
    s = base_state()
    before = state_hash(s)
    CHANGES[field](s)
    assert state_hash(s) != before


def test_the_hash_sees_every_other_fact() -> None:
    s = base_state()
    h = state_hash(s)
    variants = [s.copy(turn=2), s.copy(flags=frozenset({"x"})), s.copy(fired=frozenset({"i"})),
                s.copy(achieved=("v",)), s.copy(outcome=Outcome(("red",), "why", 1)),
                s.copy(rules=s.rules.replace(combat_k=4.5)),
                s.copy(rules=s.rules.replace(stacking={"town": 7})),
                s.copy(units=(UnitInfo("r1", "red", "R1", s.units[0].type, 1.1), s.units[1]))]
    hashes = {state_hash(v) for v in variants}
    assert h not in hashes and len(hashes) == len(variants)
    world = line_world(4, turns=11)
    other = line_state(world, split_control(world, 1), [("r1", "red", "p1", 1000.0), ("b1", "blue", "p2", 900.0)])
    assert state_hash(other) != h


def test_the_hash_is_stable_and_ignores_caches() -> None:
    a, b = base_state(), base_state()
    assert state_hash(a) == state_hash(b)
    legal_orders(a, "red")
    assert a.cache and state_hash(a) == state_hash(b)
    assert len(state_hash(a)) == 64


def test_resolve_turn_leaves_its_input_alone() -> None:
    s = base_state()
    before = state_hash(s)
    copies = {k: getattr(s, k).copy() for k in ARRAYS}
    after, _ = resolve(s, {"red": [Move("r1", "p0")], "blue": [Hold("b1")]})
    assert state_hash(s) == before and after is not s
    assert all(np.array_equal(copies[k], getattr(s, k)) for k in ARRAYS)
    assert after.turn == s.turn + 1


def test_same_seed_same_game_and_the_turn_rng_is_reproducible() -> None:
    a = played(4)
    b = played(4)
    assert state_hash(a) == state_hash(b)
    assert turn_rng(7, 3).random(4).tolist() == turn_rng(7, 3).random(4).tolist()
    assert turn_rng(7, 3).random() != turn_rng(7, 4).random() != turn_rng(8, 3).random()
    seeds = child_seeds(5, 3)
    assert len(seeds) == 3 and len({int(np.random.default_rng(x).integers(1 << 60)) for x in seeds}) == 3


def test_bad_saves_are_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="not a Junction save"):
        game_from_dict({"format": "other"})
    with pytest.raises(ValueError, match="not a Junction save"):
        game_from_dict([])  # type: ignore[arg-type]
    save = game_to_dict(base_state())
    save["version"] = 2
    with pytest.raises(ValueError, match="unsupported save version 2"):
        game_from_dict(save)


def test_the_codec_round_trips_unions_and_refuses_unknown_records() -> None:
    orders: list[Order] = [Move("u", "p"), Hold("u")]
    assert [decode(Order, encode(o)) for o in orders] == orders
    assert encode(Move("u", "p")) == {"@type": "Move", "unit": "u", "to": "p"}
    s = played(2, turns=0)
    for inject in s.world.injects:
        assert decode(Inject, json.loads(json.dumps(encode(inject)))) == inject
    with pytest.raises(ValueError, match="unknown record type 'Teleport'"):
        decode(Order, {"@type": "Teleport", "unit": "u"})
    assert decode(ev.Event, encode(ev.UnitMoved("u", "f", ("a", "b")))) == ev.UnitMoved("u", "f", ("a", "b"))


def test_copy_is_deep_for_arrays() -> None:
    s = base_state()
    c = s.copy()
    c.u_strength[0] = 1.0
    c.controller[0] = 1
    assert s.u_strength[0] == 1000.0 and int(s.controller[0]) == 0


def test_dates_and_world_relations() -> None:
    s = base_state()
    assert s.date == "2024-12-07" and s.copy(turn=26).date == "2025-01-01"
    factions = (Faction("a", "A", "A", allies=("b",)), Faction("b", "B", "B"), Faction("c", "C", "C", enemies=("a",)),
                Faction("d", "D", "D"))
    world = World(Meta(), Board((Place("x", "X", 0, 0),), ()), factions)
    assert world.friendly.tolist() == [[True, True, False, False], [True, True, False, False],
                                       [False, False, True, False], [False, False, False, True]]
    assert world.hostile.tolist() == [[False, False, True, True], [False, False, False, True],
                                      [True, False, False, False], [True, True, False, False]]
    assert world.sides == ("a", "b", "c", "d")


def test_board_lengths_indices_and_errors() -> None:
    places = (Place("a", "A", 0.0, 0.0), Place("b", "B", 0.0, 1.0), Place("c", "C", 1.0, 1.0))
    board = Board(places, (Route("a", "b"), Route("b", "c", RouteKind.ROAD, "R", 5.0)))
    assert board.routes[0].length_km == pytest.approx(111.195 * 1.2, rel=1e-3)
    assert board.routes[1].length_km == 5.0 and board.routes[1].id == "b~c"
    assert board.neighbours(1).tolist() == [0, 2] and board.edges(1) == [(0, 0), (2, 1)]
    assert board.edge_lists() == [board.edges(i) for i in range(3)]
    assert board.route_between(2, 1) == 1 and board.are_adjacent(0, 1) and not board.are_adjacent(0, 2)
    with pytest.raises(KeyError):
        board.route_between(0, 2)
    with pytest.raises(ValueError, match="duplicate place id"):
        Board((places[0], places[0]), ())
    with pytest.raises(ValueError, match="unknown place"):
        Board(places, (Route("a", "zz"),))


def test_rules_replace_merges_tables_and_refuses_unknown_names() -> None:
    r = Rules().replace(stacking={"town": 2}, combat_k=5.0)
    assert r.stacking["town"] == 2 and r.stacking["city"] == 10 and r.combat_k == 5.0
    assert Rules().stacking["town"] == 6
    with pytest.raises(KeyError):
        Rules().replace(no_such_rule=1)
    names = [name for name, _, _ in Rules.describe()]
    assert "combat_k" in names and len(names) == len(set(names)) and all(doc for _, _, doc in Rules.describe())


def test_event_place_centres_the_map() -> None:
    assert ev.event_place(ev.PlaceCaptured("homs", "hts", "government", 8.0)) == "homs"
    assert ev.event_place(ev.UnitMoved("u", "f", ("a", "b", "c"))) == "c"
    assert ev.event_place(ev.FactionBroken("government", 0.2)) is None


def test_a_world_with_an_add_unit_inject_round_trips() -> None:
    """AddUnit has a field called `type`, which shares the key of the codec's record tag."""
    inject = Inject("i", "Arrivals", effects=(AddUnit("x1", "red", "X", UnitType.MILITIA, "p0", 100.0),))
    world = line_world(3, injects=(inject,))
    s = line_state(world, split_control(world, 0), [("r1", "red", "p0", 100.0)])
    back = round_trip(s)
    assert back.world.injects == (inject,) and state_hash(back) == state_hash(s)
    assert decode(Effect, encode(inject.effects[0])) == inject.effects[0]


def test_evolve_is_replace_with_fresh_lookups() -> None:
    state = line_state(line_world(3), {"p0": "red", "p1": "red", "p2": "blue"}, [("r1", "red", "p0", 100.0)])
    state.unit_index()
    evolved = state.evolve(turn=4, flags=frozenset({"x"}))
    replaced = dataclasses.replace(state, turn=4, flags=frozenset({"x"}))
    assert state_hash(evolved) == state_hash(replaced)
    assert evolved.turn == 4 and state.turn == 1 and evolved.cache == {} and state.cache
    assert evolved.u_strength is state.u_strength  # arrays are shared, as with dataclasses.replace
    with pytest.raises(TypeError, match="cache"):
        state.evolve(cache={})
