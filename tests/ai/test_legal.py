"""Bots never give an illegal order: random boards (hypothesis) and the shipped scenarios."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.ai import choose_orders, make_bot
from game.engine import State, check_order, resolve_turn, turn_rng
from game.engine import events as ev
from game.engine.orders import channel_of, order_cost

from .randboard import random_state

ROOT = Path(__file__).resolve().parents[2]


def assert_legal(state: State, side: str, orders: list) -> None:
    units = [o.unit for o in orders if hasattr(o, "unit")]
    assert len(units) == len(set(units)), f"{side}: two orders for one unit"
    for o in orders:
        assert check_order(state, side, o) is None, (side, o, check_order(state, side, o))
    if side in state.world.patron_index:
        mine = [o for o in orders if not hasattr(o, "unit")]
        for channel in {channel_of(o) for o in mine}:  # the patron's capacity on each support channel
            spent = sum(order_cost(state, o) for o in mine if channel_of(o) == channel)
            assert spent <= float(state.p_capacity[state.world.patron_index[side]]) + 1e-9


def play(state: State, level: str, turns: int, seed: int) -> State:
    bot = make_bot(level)
    for _ in range(turns):
        if state.is_over:
            break
        orders = {}
        for i, side in enumerate(state.world.sides):
            orders[side] = bot(state, side, np.random.default_rng([seed, state.turn, i]))
            assert_legal(state, side, orders[side])
        state, events = resolve_turn(state, orders, turn_rng(seed, state.turn))
        rejected = [e for e in events if isinstance(e, ev.OrderRejected)]
        assert not rejected, rejected
    return state


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_places=st.integers(3, 18), n_factions=st.integers(2, 4),
       units=st.integers(1, 7), level=st.sampled_from(["easy", "normal"]))
def test_random_boards_easy_normal(seed: int, n_places: int, n_factions: int, units: int, level: str) -> None:
    play(random_state(seed, n_places, n_factions, units), level, 4, seed)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_places=st.integers(3, 12), n_factions=st.integers(2, 4))
def test_random_boards_hard(seed: int, n_places: int, n_factions: int) -> None:
    play(random_state(seed, n_places, n_factions, 4), "hard", 2, seed)


def shipped() -> list[Path]:
    files = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "tests" / "data" / "good").glob("*.yaml"))
    return files


@pytest.mark.parametrize("path", shipped(), ids=lambda p: p.name)
@pytest.mark.parametrize("level", ["easy", "normal", "hard"])
def test_shipped_scenarios(path: Path, level: str) -> None:
    from game.scenario import load_scenario

    _, state = load_scenario(path)
    play(state, level, 3 if level == "hard" else 6, 11)


def test_deterministic_for_a_given_rng() -> None:
    state = random_state(5, 16, 3, 6)
    for level in ("easy", "normal", "hard"):
        bot = make_bot(level)
        for side in state.world.sides:
            a = bot(state, side, np.random.default_rng(3))
            b = bot(state, side, np.random.default_rng(3))
            assert a == b


def test_choose_orders_is_the_normal_bot() -> None:
    state = random_state(8, 12, 3, 5)
    for side in state.world.sides:
        assert choose_orders(state, side, np.random.default_rng(1)) == make_bot("normal")(
            state, side, np.random.default_rng(1))


def test_no_orders_when_the_game_is_over() -> None:
    state = play(random_state(9, 8, 2, 3, turns=2), "normal", 3, 9)
    assert state.is_over
    assert make_bot("hard")(state, state.world.sides[0], np.random.default_rng(0)) == []
