"""Properties on random boards (bench.synthetic.random_game) and random legal orders over several turns."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.synthetic import random_game
from game.engine import (
    CHANNELS,
    AirStrike,
    Attack,
    Entrench,
    Hold,
    Move,
    Order,
    Reinforce,
    State,
    SupplySurge,
    Withdraw,
    game_from_dict,
    game_to_dict,
    legal_orders,
    resolve_turn,
    state_hash,
    turn_rng,
)
from game.engine import events as ev
from game.engine.orders import PATRON_ORDERS, HandOver
from game.engine.types import Posture, Supply

PROPERTY = settings(max_examples=100, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CAPACITY = "over this turn's capacity"

games = st.tuples(st.integers(0, 2**31 - 1), st.integers(3, 30), st.integers(2, 4), st.booleans())


def random_orders(state: State, rng: np.random.Generator) -> dict[str, list[Order]]:
    """One random legal order per unit; a random handful of each patron's legal orders."""
    out: dict[str, list[Order]] = {}
    for side in state.world.sides:
        legal = legal_orders(state, side)
        if side in state.world.patron_index:
            k = int(rng.integers(0, len(legal) + 1))
            out[side] = [legal[int(i)] for i in rng.permutation(len(legal))[:k]]
            continue
        by_unit: dict[str, list[Order]] = {}
        for o in legal:
            key = o.place if isinstance(o, HandOver) else o.unit  # type: ignore[union-attr]
            by_unit.setdefault(key, []).append(o)
        out[side] = [opts[int(rng.integers(0, len(opts)))] for opts in by_unit.values()]
    return out


def play(start: State, seed: int, turns: int = 4) -> tuple[list[State], list[list[ev.Event]], list[dict]]:
    rng = np.random.default_rng(seed)
    states, events, orders = [start], [], []
    s = start
    for _ in range(turns):
        if s.is_over:
            break
        o = random_orders(s, rng)
        s, e = resolve_turn(s, o, turn_rng(seed, s.turn))
        states.append(s)
        events.append(e)
        orders.append(o)
    return states, events, orders


def check_invariants(s: State) -> None:
    w = s.world
    n, nf, npat, nu = w.board.n_places, len(w.factions), len(w.patrons), len(s.units)
    for k in ("u_faction", "u_place", "u_strength", "u_cohesion", "u_posture", "u_supply"):
        assert getattr(s, k).shape == (nu,), k
    assert s.controller.shape == s.contested.shape == (n,)
    assert s.f_cohesion.shape == s.f_score.shape == s.f_collapsed.shape == (nf,)
    assert s.p_support.shape == (npat, len(CHANNELS)) and s.p_capacity.shape == s.p_reserve.shape == (npat,)
    assert s.route_open.shape == (len(w.board.routes),)
    assert ((s.controller >= 0) & (s.controller < nf)).all()
    assert ((s.u_place >= 0) & (s.u_place < n)).all()
    assert np.isfinite(s.u_strength).all() and (s.u_strength > 0).all()
    assert ((s.u_cohesion >= 0) & (s.u_cohesion <= 1)).all()
    assert ((s.f_cohesion >= 0) & (s.f_cohesion <= 1)).all()
    assert ((s.p_support >= 0) & (s.p_support <= 1)).all()
    assert (s.p_capacity >= 0).all() and (s.p_reserve >= -1e-9).all()
    assert set(s.u_posture.tolist()) <= {int(p) for p in Posture}
    assert set(s.u_supply.tolist()) <= {int(x) for x in Supply}
    ids = [u.id for u in s.units]
    assert len(ids) == len(set(ids))
    assert [w.faction_index[u.faction] for u in s.units] == s.u_faction.tolist()


@PROPERTY
@given(games)
def test_invariants_hold_over_random_games(params: tuple[int, int, int, bool]) -> None:
    seed, n, nf, scripted = params
    states, events, orders = play(random_game(seed, n, nf, scripted=scripted), seed)
    names = {p.id for p in states[0].world.board.places}
    for s, turn_events, turn_orders in zip(states[1:], events, orders):
        check_invariants(s)
        for e in turn_events:
            assert ev.event_place(e) in names | {None}
            if isinstance(e, ev.OrderRejected):
                assert e.reason == CAPACITY and isinstance(e.order, PATRON_ORDERS), e
        given_orders = sum(len(v) for v in turn_orders.values())
        assert given_orders >= len([e for e in turn_events if isinstance(e, ev.OrderRejected)])
    check_invariants(states[0])


@PROPERTY
@given(games)
def test_same_seed_and_orders_give_the_same_game(params: tuple[int, int, int, bool]) -> None:
    seed, n, nf, scripted = params
    start = random_game(seed, n, nf, scripted=scripted)
    states, events, orders = play(start, seed)
    s = random_game(seed, n, nf, scripted=scripted)
    assert state_hash(s) == state_hash(start)
    for o, expected_state, expected_events in zip(orders, states[1:], events):
        s, e = resolve_turn(s, o, turn_rng(seed, s.turn))
        assert state_hash(s) == state_hash(expected_state)
        assert e == expected_events
    back = game_from_dict(game_to_dict(states[-1]))
    assert state_hash(back) == state_hash(states[-1])


def test_a_different_seed_can_give_a_different_game() -> None:
    start = random_game(11, 16, 3)
    orders = random_orders(start, np.random.default_rng(0))
    outcomes = {state_hash(resolve_turn(start, orders, turn_rng(seed, 1))[0]) for seed in range(8)}
    assert len(outcomes) > 1


units = st.sampled_from(["f0_u0", "f0_u1", "f1_u0", "f2_u2", "ghost", ""])
places = st.sampled_from(["p0", "p1", "p2", "p5", "nowhere", ""])
sides = st.sampled_from(["f0", "f1", "f2", "pat0", "pat1", "spoiler", "nobody"])
any_order = st.one_of(
    st.builds(Move, units, places), st.builds(Attack, units, places), st.builds(Hold, units),
    st.builds(Entrench, units), st.builds(Withdraw, units, places),
    st.builds(AirStrike, sides, places), st.builds(Reinforce, sides, places, sides),
    st.builds(SupplySurge, sides, sides))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.integers(0, 1000), st.dictionaries(sides, st.lists(any_order, max_size=6), max_size=4))
def test_any_order_is_accepted_or_rejected_never_an_exception(seed: int, orders: dict[str, list[Order]]) -> None:
    start = random_game(seed, 8, 3)
    after, events = resolve_turn(start, orders, turn_rng(seed, 1))
    check_invariants(after)
    for e in events:
        if isinstance(e, ev.OrderRejected):
            assert e.reason and e.order in orders.get(e.side, [])
