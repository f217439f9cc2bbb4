"""The hard bot's choice among its candidate plans (`lookahead.best_plan`): a race on common dice.

The pure parts (`leader`, `still_running`, `clearly_ahead`) are checked on made-up rolls; `best_plan` on the
ford race board with the engine and the evaluation replaced by stand-ins whose worth per plan is known, so the
test says which plan the race must play and how many resolutions it may spend."""

from __future__ import annotations

import zlib
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from game.ai import lookahead
from game.ai.weights import Weights
from game.engine import Entrench, Hold
from game.scenario import load_scenario

BOARD = Path(__file__).resolve().parents[1] / "data" / "good" / "ford_race.yaml"


def test_the_leader_is_the_best_mean_and_the_normal_plan_on_a_tie() -> None:
    assert lookahead.leader({0: [1.0, 3.0], 1: [2.0, 2.5]}, base=0) == 1
    assert lookahead.leader({0: [2.0, 2.0], 1: [1.0, 3.0]}, base=0) == 0
    assert lookahead.leader({1: [1.0, 3.0], 0: [2.0, 2.0]}, base=0) == 0


def test_a_candidate_clearly_behind_or_identical_drops_out() -> None:
    values = {
        0: [10.0, 12.0, 11.0, 13.0],   # the leader
        1: [1.0, 2.0, 0.0, 3.0],       # about ten behind on every roll: out
        2: [12.0, 9.0, 13.0, 10.0],    # behind on the mean, but not clearly: runs on
        3: [10.0, 12.0, 11.0, 13.0],   # the leader's outcome on every roll: out
    }
    assert lookahead.still_running(values, base=0) == [0, 2]


def test_clearly_ahead_needs_the_paired_lead_beyond_its_noise() -> None:
    base = [0.0, 0.0, 0.0, 0.0]
    assert lookahead.clearly_ahead([5.0, 6.0, 4.0, 5.0], base, 0.5)
    assert not lookahead.clearly_ahead([30.0, -29.0, 31.0, -30.0], base, 0.5)  # a mean of 0.5 in a spread of 30
    assert not lookahead.clearly_ahead(base, base, 0.5)


class StandIn:
    """The engine and the evaluation replaced: a plan's worth on a roll is its known mean plus the roll's
    noise, the same noise for every plan on the same roll plus some of each plan's own."""

    def __init__(self, means: dict[str, float], spread: float, own: float) -> None:
        self.means, self.spread, self.own, self.resolutions = means, spread, own, 0

    def resolve(self, s, orders, g):
        self.resolutions += 1
        mine = orders["slate"]
        common = float(g.normal(0.0, self.spread))
        roll = int(g.integers(0, 2**31))
        own = np.random.default_rng([zlib.crc32(repr(mine).encode()), roll]).normal(0.0, self.own)
        return SimpleNamespace(worth=(mine, common, float(own)), f_collapsed=np.zeros(8, bool), is_over=False), []

    def evaluate(self, after, faction, w, side=None):
        mine, common, own = after.worth
        return self.means[mine[0].unit + type(mine[0]).__name__] + common + own


@pytest.fixture()
def race(monkeypatch: pytest.MonkeyPatch):
    s = load_scenario(BOARD)[1]
    units = [u.id for u in s.units if u.faction == "slate"]
    plans = [[Hold(units[0])], [Entrench(units[0])], [Hold(units[1])], [Entrench(units[1])]]
    names = [p[0].unit + type(p[0]).__name__ for p in plans]
    calls = iter(range(100))

    def plan(state, side, w, rng):  # each personality a different plan, the normal bot's first
        return plans[min(next(calls), len(plans) - 1)]

    def run(means: list[float], spread: float = 30.0, own: float = 0.5, seed: int = 1):
        stand_in = StandIn(dict(zip(names, means, strict=True)), spread, own)
        monkeypatch.setattr(lookahead, "resolve_turn", stand_in.resolve)
        monkeypatch.setattr(lookahead, "evaluate", stand_in.evaluate)
        monkeypatch.setattr(lookahead, "is_chasing", lambda state, f: False)
        monkeypatch.setattr(lookahead, "margin", lambda state, f: 0.0)
        nonlocal calls
        calls = iter(range(100))
        chosen = lookahead.best_plan(s, "slate", Weights(), plan, {}, np.random.default_rng(seed),
                                     extra=[plans[0]])
        return names.index(chosen[0].unit + type(chosen[0]).__name__), stand_in.resolutions
    return run


def test_the_race_plays_a_plan_clearly_better_on_common_dice_though_one_roll_varies_far_more(race) -> None:
    for seed in range(10):
        chosen, _ = race([0.0, 5.0, -3.0, 1.0], seed=seed)
        assert chosen == 1, seed


def test_a_plan_no_better_than_the_normal_one_leaves_the_normal_one_played(race) -> None:
    for seed in range(10):
        chosen, _ = race([0.0, 0.0, -20.0, -20.0], own=3.0, seed=seed)
        assert chosen in (0, 1), seed
    played = [race([0.0, 0.0, -20.0, -20.0], own=0.0, seed=seed)[0] for seed in range(10)]
    assert played == [0] * 10  # identical outcomes: the normal bot's plan


def test_the_race_spends_rolls_only_on_plans_in_doubt(race) -> None:
    full, least = lookahead.MAX_ROLLS * 4, lookahead.MIN_ROLLS * 4
    for seed in range(10):  # everything but the leader out at the first look
        assert race([0.0, 40.0, -40.0, -40.0], spread=1.0, own=1.0, seed=seed)[1] == least
    close = [race([0.0, 0.3, 0.1, 0.2], spread=30.0, own=3.0, seed=seed)[1] for seed in range(10)]
    assert all(least <= n <= full for n in close)
    assert sum(close) > 10 * least + 4 * (full - least)  # most close races run on past the first look

