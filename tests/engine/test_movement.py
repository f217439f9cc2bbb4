"""Movement phase: reach within movement points, passing and entering, head-on meetings, stacking."""

from __future__ import annotations

import heapq
import math

import numpy as np
import pytest

from bench.synthetic import random_game
from game.engine import (
    Attack,
    Entrench,
    Faction,
    Hold,
    Move,
    PlaceKind,
    RouteKind,
    Rules,
    UnitType,
    Withdraw,
    legal_orders,
)
from game.engine import events as ev
from game.engine.movement import adjacent_open, can_enter, can_pass, can_reach, move_path, open_routes, reachable
from game.engine.state import State
from game.engine.types import Posture
from tests.boards import graph_world, line_state, line_world, make_state, of, place, red_blue, resolve, split_control


def mech_line(control_upto: int = 4, extra: list[tuple[str, str, str, float]] | None = None):
    """Five places 50 km apart on highways; red's mechanised r1 at p0; red holds p0..p{control_upto}."""
    world = line_world(5)
    units = [("r1", "red", "p0", 3000.0), *(extra or [])]
    return make_state(world, split_control(world, control_upto), units,
                      unit_types={"r1": UnitType.MECHANISED, "b1": UnitType.MECHANISED})


def test_reach_costs_route_km_times_the_route_cost() -> None:
    s = mech_line()
    reach = reachable(s, 0)
    assert reach.cost == {1: 50.0, 2: 100.0}  # mechanised: 120 points, highways cost 1 per km
    assert reach.path(2) == [0, 1, 2]
    infantry = line_state(line_world(5), split_control(line_world(5), 4), [("r1", "red", "p0", 1.0)])
    assert reachable(infantry, 0).cost == {1: 50.0}  # infantry: 60 points
    world = graph_world([place("a", supply_for=("red",)), place("b"), place("c", supply_for=("blue",))],
                        [("a", "b", 40.0), ("b", "c", 40.0)], red_blue(), kind=RouteKind.TRACK)
    s = make_state(world, {"a": "red", "b": "red", "c": "blue"}, [("r1", "red", "a", 1.0)],
                   unit_types={"r1": UnitType.MECHANISED})
    assert reachable(s, 0).cost == {1: 80.0}  # tracks cost 2 per km: 160 > 120 for two hops


def test_a_unit_may_enter_but_not_pass_an_enemy_place() -> None:
    s = mech_line(control_upto=0)
    assert reachable(s, 0).cost == {1: 50.0}
    s = mech_line(control_upto=4, extra=[("b1", "blue", "p1", 100.0)])
    assert reachable(s, 0).cost == {}
    assert adjacent_open(s, 1) == [0, 2]


def test_closed_routes_block_movement() -> None:
    s = mech_line()
    s.route_open[0] = False
    s.invalidate()
    assert reachable(s, 0).cost == {}
    assert adjacent_open(s, 1) == [2]


def test_moving_into_an_empty_enemy_place_takes_it() -> None:
    s = mech_line(control_upto=0)
    after, events = resolve(s, {"red": [Move("r1", "p1")]})
    assert ev.UnitMoved("r1", "red", ("p0", "p1")) in events
    assert of(events, ev.PlaceCaptured) == [ev.PlaceCaptured("p1", "red", "blue", 1.0)]
    assert int(after.u_place[0]) == 1 and int(after.controller[1]) == 0


def test_postures_follow_orders_and_reset_after_the_turn() -> None:
    s = mech_line(extra=[("r2", "red", "p2", 100.0), ("r3", "red", "p3", 100.0)])
    after, _ = resolve(s, {"red": [Move("r1", "p1"), Entrench("r2"), Hold("r3")]})
    assert [Posture(int(x)) for x in after.u_posture] == [Posture.DEFEND, Posture.ENTRENCH, Posture.DEFEND]
    after2, _ = resolve(after, {"red": [Withdraw("r3", "p2")]})
    assert Posture(int(after2.u_posture[2])) == Posture.WITHDRAW
    after3, _ = resolve(after2, {})
    assert Posture(int(after3.u_posture[2])) == Posture.DEFEND
    assert Posture(int(after3.u_posture[1])) == Posture.ENTRENCH


@pytest.mark.parametrize("seed", range(6))
def test_units_moving_head_on_along_one_route_meet_there(seed: int) -> None:
    s = mech_line(control_upto=1, extra=[("b1", "blue", "p3", 3000.0)])
    after, events = resolve(s, {"red": [Move("r1", "p2")], "blue": [Move("b1", "p1")]}, seed=seed)
    (meet,) = of(events, ev.Engagement)
    assert meet.route == "p1~p2" and {meet.winner, meet.loser} == {"r1", "b1"}
    moved = {e.unit: e.path for e in of(events, ev.UnitMoved)}
    if meet.loser == "r1":
        assert moved["r1"] == ("p0", "p1") and moved["b1"] == ("p3", "p2", "p1")
    else:
        assert moved["b1"] == ("p3", "p2") and moved["r1"] == ("p0", "p1", "p2")
    (combat,) = of(events, ev.Combat)  # both end at one place: they fight there
    assert combat.place == moved[meet.winner][-1]
    assert after.u_strength.min() < 3000.0


def test_stacking_stops_the_later_unit_short() -> None:
    places = [place("a", supply_for=("red",)), place("x", kind=PlaceKind.CROSSING), place("z", supply_for=("blue",))]
    world = graph_world(places, [("a", "x", 30.0), ("x", "z", 30.0)], red_blue())
    units = [("r1", "red", "x", 100.0), ("r2", "red", "x", 100.0), ("r3", "red", "a", 100.0),
             ("r4", "red", "a", 100.0)]
    s = make_state(world, {"a": "red", "x": "red", "z": "blue"}, units)
    assert s.rules.stacking["crossing"] == 3
    after, events = resolve(s, {"red": [Move("r3", "x"), Move("r4", "x")]})
    assert not of(events, ev.OrderRejected)
    assert [int(p) for p in after.u_place] == [1, 1, 1, 0]
    assert [e.unit for e in of(events, ev.UnitMoved)] == ["r3"]
    _, events = resolve(after, {"red": [Move("r4", "x")]})
    assert of(events, ev.OrderRejected)[0].reason == "stacking limit reached there"


def test_withdraw_happens_before_combat() -> None:
    world = line_world(4)
    s = line_state(world, split_control(world, 1), [("r1", "red", "p1", 3000.0), ("b1", "blue", "p2", 9000.0)])
    after, events = resolve(s, {"red": [Withdraw("r1", "p0")], "blue": [Attack("b1", "p1")]})
    assert events.index(ev.UnitMoved("r1", "red", ("p1", "p0"))) < events.index(
        ev.UnitMoved("b1", "blue", ("p2", "p1")))
    assert not of(events, ev.Combat)
    assert int(after.u_place[0]) == 0 and int(after.controller[1]) == 1


def plain_reach(state: State, u: int) -> tuple[dict[int, float], dict[int, int]]:
    """The movement search written plainly: Dijkstra from the unit's place through places it may pass
    (`can_pass`) to places it may enter (`can_enter`), the first route of any length, ties broken by
    the heap. Returns the places it may end at, with their cost, and the previous place of every
    place reached."""
    faction, start = int(state.u_faction[u]), int(state.u_place[u])
    limit = state.rules.move_points.get(state.units[u].type.value, 60.0) + 1e-9
    steps = open_routes(state).steps
    cost, prev = {start: 0.0}, {}
    heap = [(0.0, start)]
    while heap:
        c, p = heapq.heappop(heap)
        if c > cost[p] or (p != start and not can_pass(state, faction, p)):
            continue
        for q, step in steps[p]:
            nc = c + step
            if ((nc <= limit or p == start) and nc < cost.get(q, math.inf)
                    and (can_enter(state, faction, q) or can_pass(state, faction, q))):
                cost[q], prev[q] = nc, p
                heapq.heappush(heap, (nc, q))
    del cost[start]
    return {q: c for q, c in cost.items() if can_enter(state, faction, q)}, prev


@pytest.mark.parametrize("seed", range(30))
def test_reach_is_the_plain_search_on_random_boards(seed: int) -> None:
    rng = np.random.default_rng(seed)
    s = random_game(seed, 40, 2 + seed % 3)
    for _ in range(4):
        s.route_open[rng.random(len(s.route_open)) < 0.1] = False
        s.invalidate()
        for u in range(len(s.units)):
            reach = reachable(s, u)
            cost, prev = plain_reach(s, u)
            assert list(reach.cost.items()) == list(cost.items())
            assert list(reach.prev.items()) == list(prev.items())
            assert all(reach.path(q)[0] == int(s.u_place[u]) for q in cost)
            # the shortcuts of order checks and moves answer as the search does
            assert [can_reach(s, u, q) for q in range(40)] == [q in reach.cost for q in range(40)]
            assert all(move_path(s, u, q) == reach.path(q) for q in reach.cost)
        orders = {side: [o for o in legal_orders(s, side) if rng.random() < 0.3] for side in s.world.sides}
        s, _ = resolve(s, orders, seed=seed)


def test_a_move_next_door_takes_a_cheaper_way_round_when_it_may_pass() -> None:
    """a-b is a long road; a-c-b is shorter, but only while red may pass through c."""
    world = graph_world([place("a", supply_for=("red",)), place("b"), place("c"), place("d", supply_for=("blue",))],
                        [("a", "b", 90.0), ("a", "c", 30.0), ("c", "b", 30.0), ("c", "d", 30.0)], red_blue())
    s = make_state(world, {"a": "red", "b": "red", "c": "red", "d": "blue"}, [("r1", "red", "a", 100.0)],
                   unit_types={"r1": UnitType.MECHANISED})
    assert move_path(s, 0, 1) == [0, 2, 1] and move_path(s, 0, 2) == [0, 2]
    s.controller[2] = 1  # c is blue's now: red may end a move there, not pass through it
    s.invalidate()
    assert move_path(s, 0, 1) == [0, 1] == reachable(s, 0).path(1)
    assert can_reach(s, 0, 1) and can_reach(s, 0, 2) and not can_reach(s, 0, 3)


def test_allies_crossing_one_route_pass_each_other() -> None:
    allies = (Faction("red", "Red", "RED", allies=("blue",)), Faction("blue", "Blue", "BLUE"))
    world = graph_world([place("p0"), place("p1"), place("p2")], [("p0", "p1", 50.0), ("p1", "p2", 50.0)], allies)
    s = make_state(world, {"p0": "red", "p1": "red", "p2": "blue"}, [("r1", "red", "p0", 100.0),
                                                                    ("b1", "blue", "p2", 100.0)],
                   unit_types={"r1": UnitType.MECHANISED, "b1": UnitType.MECHANISED})
    _, events = resolve(s, {"red": [Move("r1", "p2")], "blue": [Move("b1", "p0")]})
    assert not of(events, ev.Engagement)
    assert {e.unit: e.path for e in of(events, ev.UnitMoved)} == {"r1": ("p0", "p1", "p2"), "b1": ("p2", "p1", "p0")}


def test_a_routed_unit_told_to_hold_stays_routed() -> None:
    world = line_world(3)
    quiet = Rules().replace(shock_sd=0.0, unit_follow=0.0)  # no enemy near: no morale check either
    s = line_state(world, split_control(world, 1), [("r1", "red", "p0", 100.0), ("r2", "red", "p1", 100.0)],
                   rules=quiet)
    s.u_posture[:] = [int(Posture.ROUTED), int(Posture.WITHDRAW)]
    s.u_cohesion[:] = 0.05  # too low to rally this turn
    after, _ = resolve(s, {"red": [Hold("r1"), Hold("r2")]})
    assert [Posture(int(x)) for x in after.u_posture] == [Posture.ROUTED, Posture.DEFEND]
