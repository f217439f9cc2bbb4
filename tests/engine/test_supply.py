"""Supply phase: tracing from sources through friendly places, supplied/limited/cut, attrition, giving up."""

from __future__ import annotations

import heapq
import math
from pathlib import Path

import numpy as np
import pytest

import game.engine.supply as supply_module
from bench.synthetic import random_game
from game.engine import Faction, Rules, State
from game.engine import events as ev
from game.engine.legal import source_candidates, source_places
from game.engine.supply import is_place_supplied, supply_distances, supply_states, traces
from game.engine.types import Supply
from game.scenario import load_scenario
from tests.boards import graph_world, line_state, line_world, make_state, of, place, resolve, split_control

INF = math.inf
QUIET = Rules().replace(shock_sd=0.0, unit_follow=0.0)
"""No random cohesion shocks and no pull toward the faction: unit cohesion changes only by the rules tested."""


def test_distances_run_through_friendly_places_only() -> None:
    world = line_world(5)
    s = line_state(world, split_control(world, 2), [])
    d = supply_distances(s)
    assert d[0].tolist() == [0.0, 50.0, 100.0, INF, INF]
    assert d[1].tolist() == [INF, INF, INF, 50.0, 0.0]
    assert supply_distances(s, limit=60.0)[0].tolist() == [0.0, 50.0, INF, INF, INF]
    s.contested[1] = True  # street fighting does not cut a place off
    assert supply_distances(s)[0].tolist() == [0.0, 50.0, 100.0, INF, INF]
    s.controller[1] = 1
    assert supply_distances(s)[0].tolist() == [0.0, INF, INF, INF, INF]
    s.controller[1] = 0
    s.contested[1] = False
    s.route_open[1] = False
    assert supply_distances(s)[0].tolist() == [0.0, 50.0, INF, INF, INF]


def test_allied_territory_carries_supply_and_sourceless_factions_get_none() -> None:
    factions = (Faction("red", "Red", "RED", allies=("green",), sources=("a",)), Faction("green", "Green", "GRN"),
                Faction("blue", "Blue", "BLU", sources=("d",)))
    world = graph_world([place("a"), place("b"), place("c"), place("d")],
                        [("a", "b", 30.0), ("b", "c", 30.0), ("c", "d", 30.0)], factions)
    s = make_state(world, {"a": "red", "b": "green", "c": "red", "d": "blue"}, [])
    d = supply_distances(s)
    assert d[0].tolist() == [0.0, 30.0, 60.0, INF]
    assert np.isinf(d[1]).all()  # green has no source of its own
    assert d[2].tolist() == [INF, INF, INF, 0.0]
    s.controller[0] = 2  # the source falls: red traces from nowhere
    assert np.isinf(supply_distances(s)[0]).all()


def test_supply_states_by_range() -> None:
    rules = Rules().replace(supply_range_km=60.0, limited_range_km=120.0)
    world = line_world(5)
    units = [("r0", "red", "p1", 1000.0), ("r1", "red", "p2", 1000.0), ("r2", "red", "p3", 1000.0)]
    s = line_state(world, split_control(world, 3), units, rules=rules)
    assert [Supply(int(x)) for x in supply_states(s, supply_distances(s))] == [
        Supply.SUPPLIED, Supply.LIMITED, Supply.CUT]
    assert [Supply(int(x)) for x in s.u_supply] == [Supply.SUPPLIED, Supply.LIMITED, Supply.CUT]
    assert is_place_supplied(s, 0, 1) and not is_place_supplied(s, 0, 2) and not is_place_supplied(s, 0, 4)


def test_a_unit_whose_line_is_cut_loses_strength_and_cohesion() -> None:
    world = line_world(5)
    s = line_state(world, split_control(world, 2), [("r1", "red", "p2", 2000.0)], rules=QUIET)
    assert Supply(int(s.u_supply[0])) == Supply.SUPPLIED
    s.controller[1] = 1  # blue now holds p1, between r1 and red's source
    s.invalidate()
    after, events = resolve(s, {})
    assert of(events, ev.SupplyCut) == [ev.SupplyCut("r1", "red", "p2")]
    assert Supply(int(after.u_supply[0])) == Supply.CUT
    assert after.u_strength[0] == pytest.approx(2000 * (1 - QUIET.cut_attrition))
    assert after.u_cohesion[0] == pytest.approx(0.8 - QUIET.cut_cohesion_loss)
    assert after.f_cohesion[0] == pytest.approx(0.8 - QUIET.cut_penalty)
    after.controller[1] = 0
    after.invalidate()
    again, events = resolve(after, {})
    assert of(events, ev.SupplyRestored) == [ev.SupplyRestored("r1", "red", "p2")]
    assert again.u_strength[0] == pytest.approx(after.u_strength[0])


def test_cut_units_below_the_surrender_line_give_up() -> None:
    rules = QUIET.replace(surrender_cohesion=1.0, surrender_chance=1.0, flee_chance=0.0)
    world = line_world(3)
    s = line_state(world, {"p0": "red", "p1": "blue", "p2": "red"}, [("r1", "red", "p2", 2000.0)], rules=rules)
    after, events = resolve(s, {})
    (gone,) = of(events, ev.UnitSurrendered)
    assert gone.unit == "r1" and gone.place == "p2" and gone.strength == pytest.approx(2000 * 0.97, abs=1e-3)
    assert after.units == ()


def test_cut_units_next_to_a_border_crossing_may_flee_abroad() -> None:
    rules = QUIET.replace(surrender_cohesion=1.0, surrender_chance=1.0, flee_chance=1.0)
    factions = (Faction("red", "Red", "RED", sources=("a",)), Faction("blue", "Blue", "BLU"))
    world = graph_world([place("a"), place("b"), place("c"), place("x", leads_to="Iraq")],
                        [("a", "b", 30.0), ("b", "c", 30.0), ("c", "x", 30.0)], factions)
    s = make_state(world, {"a": "red", "b": "blue", "c": "red", "x": "red"}, [("r1", "red", "c", 2000.0)],
                   rules=rules)
    after, events = resolve(s, {})
    assert of(events, ev.UnitFled) == [ev.UnitFled("r1", "red", "c", "Iraq", round(2000 * 0.97, 3))]
    assert after.units == ()


def trace_starts(s: State, f: int) -> list[int]:
    """Where faction `f`'s supply starts: its source places and stocked depots held by it or a friend,
    contested or not, in index order."""
    w = s.world
    held = [bool(s.friendly[f, s.controller[p]]) for p in range(w.board.n_places)]
    depots = {p for p in range(w.board.n_places) if s.depot[p] > s.rules.depot_supply}
    return sorted(p for p in set(source_candidates(w, f)) | depots if held[p])


def test_units_fighting_inside_an_enemy_place_trace_through_a_neighbour() -> None:
    world = line_world(5)
    s = line_state(world, split_control(world, 1), [("r1", "red", "p2", 1000.0), ("b1", "blue", "p2", 1000.0)],
                   rules=Rules().replace(supply_range_km=80.0, limited_range_km=150.0))
    assert s.contested.tolist() == [False, False, True, False, False]  # they start together: already fighting
    assert np.isinf(supply_distances(s)[0, 2])  # blue holds p2
    assert [Supply(int(x)) for x in s.u_supply] == [Supply.LIMITED, Supply.LIMITED]  # 100 km: via p1 and via p3


def plain_dijkstra(s: State, limit: float) -> list[list[float]]:
    """Per faction, a textbook Dijkstra from where its supply starts through the places it may use
    (held by it or a friend, contested or not)."""
    w, b = s.world, s.world.board
    out = []
    for f in range(len(w.factions)):
        usable = [bool(s.friendly[f, s.controller[p]]) for p in range(b.n_places)]
        dist = [INF] * b.n_places
        heap = [(0.0, p) for p in trace_starts(s, f)]
        while heap:
            d, p = heapq.heappop(heap)
            if dist[p] < INF:
                continue
            dist[p] = d
            for q, r in b.edges(p):
                if usable[q] and s.route_open[r] and dist[q] == INF and d + float(b.lengths[r]) <= limit:
                    heapq.heappush(heap, (d + float(b.lengths[r]), q))
        out.append(dist)
    return out


def shuffled(seed: int) -> State:
    """A random game whose places change hands, are contested and whose routes close at random."""
    s = random_game(seed, 12 + seed % 20, 2 + seed % 4)
    rng = np.random.default_rng(seed)
    s.controller[:] = rng.integers(0, len(s.world.factions), s.world.board.n_places)
    s.contested[:] = rng.random(s.world.board.n_places) < 0.2
    s.route_open[:] = rng.random(len(s.route_open)) < 0.85
    s.invalidate()
    return s


@pytest.mark.parametrize("seed", range(12))
def test_distances_equal_a_plain_dijkstra_bit_for_bit(seed: int) -> None:
    s = shuffled(seed)
    reached = supply_distances(s, INF)
    exact = float(reached[np.isfinite(reached)].max())  # the farthest place lies at exactly this limit
    for limit in (s.rules.limited_range_km, INF, 80.0, exact):
        assert supply_distances(s, limit).tolist() == plain_dijkstra(s, limit)


@pytest.mark.parametrize("seed", range(4))
def test_traces_of_states_of_one_world_one_after_another_do_not_mix(seed: int) -> None:
    """Traces on one world reuse its graph: each still sees its own state's places and routes."""
    s = shuffled(seed)
    t = s.copy()
    rng = np.random.default_rng(100 + seed)
    t.controller[:] = rng.integers(0, len(s.world.factions), s.world.board.n_places)
    t.route_open[:] = rng.random(len(t.route_open)) < 0.7
    limit = s.rules.limited_range_km
    expected = {"s": plain_dijkstra(s, limit), "t": plain_dijkstra(t, limit)}
    for name, state in [("s", s), ("t", t), ("s", s), ("t", t)]:
        assert supply_distances(state).tolist() == expected[name]


@pytest.mark.parametrize("seed", range(12))
def test_traces_start_from_exactly_the_source_places(seed: int) -> None:
    s = shuffled(seed)
    d = supply_distances(s)
    for f in range(len(s.world.factions)):
        assert np.flatnonzero(d[f] == 0.0).tolist() == trace_starts(s, f)
        assert set(source_places(s, f)) <= set(trace_starts(s, f))  # those also take reinforcements


def test_supply_states_when_the_supply_range_exceeds_the_limited_range() -> None:
    world = line_world(5)
    units = [("r0", "red", "p1", 1000.0), ("r1", "red", "p2", 1000.0), ("r2", "red", "p3", 1000.0)]
    s = line_state(world, split_control(world, 5), units, rules=Rules().replace(supply_range_km=120.0,
                                                                                limited_range_km=60.0))
    dist = np.array([[0.0, 50.0, 100.0, 150.0, INF], [INF] * 5])
    assert [Supply(int(x)) for x in supply_states(s, dist)] == [Supply.SUPPLIED, Supply.SUPPLIED, Supply.CUT]


def _homs() -> State:
    return load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "homs_junction.yaml")[1]


def test_remembered_traces_are_those_a_fresh_trace_finds_after_a_change() -> None:
    """`traces` keeps its Dijkstra per pattern of control, relations, open routes and depots: a state that
    differs in any of them, or only in where its units stand, gets what tracing it afresh gives."""
    s = _homs()
    supply, linked = traces(s)
    again = traces(s)
    assert again[0] is supply and np.array_equal(again[1], linked)
    w = s.world
    cap = w.board.index[w.factions[0].capital]
    changed = s.copy()
    changed.controller[cap] = 1  # the first faction's capital lost
    changed.route_open[0] = False
    moved = s.copy()
    moved.u_place[0] = cap if int(moved.u_place[0]) != cap else int(w.board.nbr[w.board.indptr[cap]])
    for other in (changed, moved):
        kept = traces(other)
        w.cache.pop("supply_traces")
        fresh = traces(other)
        assert np.array_equal(kept[0], fresh[0]) and np.array_equal(kept[1], fresh[1])
    assert not np.array_equal(traces(changed)[0], supply)
    assert not np.array_equal(traces(changed)[1], linked)


def test_remembered_traces_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(supply_module, "TRACES_KEPT", 3)
    s = _homs()
    for p in range(6):
        other = s.copy()
        other.controller[p] = (int(other.controller[p]) + 1) % len(s.world.factions)
        traces(other)
    assert len(s.world.cache["supply_traces"]) == 3
