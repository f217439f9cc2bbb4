"""The hard bot's stand for a broken army (game/ai/stake.py) on a small hand-built board: it gathers on
the places its keep-benchmarks weigh and stands there; an army that holds together plays as before."""

from __future__ import annotations

import numpy as np

from game.ai import make_bot
from game.ai.lookahead import STANDING
from game.ai.stake import broken_stand, concentrate, stakes
from game.engine import Entrench, Move, State
from game.engine.specs import Benchmark
from tests.boards import graph_world, make_state, place, red_blue

# red's capital `cap` (its held-turns benchmark, weight 2) and its port `port` (a hold benchmark, weight 1)
# lie behind a forward screen `fwd`; blue attacks from `east`; `side` (beyond the screen, in contact) and
# `quay` (next to the port only) are red places no benchmark names.
ROUTES = [("cap", "fwd", 20.0), ("port", "fwd", 20.0), ("fwd", "east", 20.0), ("side", "fwd", 20.0),
          ("quay", "port", 20.0)]
BENCHMARKS = (Benchmark("bm_cap", "red", "held_turns", ("cap",), weight=2.0, history=0.0),
              Benchmark("bm_port", "red", "hold", ("port",), weight=1.0, history=0.0))
UNITS = [("r_cap", "red", "cap", 1000), ("r_fwd1", "red", "fwd", 1000), ("r_fwd2", "red", "fwd", 1000),
         ("r_side", "red", "side", 800), ("r_quay", "red", "quay", 800),
         ("b1", "blue", "east", 3000), ("b2", "blue", "east", 3000)]


def board(broken: bool) -> State:
    places = [place(p) for p in ("cap", "port", "fwd", "east", "side", "quay")]
    w = graph_world(places, ROUTES, red_blue(), benchmarks=BENCHMARKS)
    control = {"cap": "red", "port": "red", "fwd": "red", "side": "red", "quay": "red", "east": "blue"}
    s = make_state(w, control, UNITS)
    s.f_collapsed[w.faction_index["red"]] = broken
    return s


def by_unit(orders: list) -> dict:  # type: ignore[type-arg]
    return {o.unit: o for o in orders}


def test_stakes_follow_the_sides_keep_benchmarks() -> None:
    s = board(broken=True)
    v = stakes(s, "red", STANDING)
    idx = s.world.board.index
    assert v[idx["cap"]] > v[idx["port"]] > 0
    assert v[idx["fwd"]] == v[idx["side"]] == v[idx["quay"]] == v[idx["east"]] == 0
    assert not stakes(s, "blue", STANDING).any()


def test_concentrate_gathers_on_the_heaviest_stake_and_stands_there() -> None:
    s = board(broken=True)
    got = by_unit(concentrate(s, "red", STANDING) or [])
    assert isinstance(got["r_cap"], Entrench)
    for u in ("r_fwd1", "r_fwd2"):
        assert got[u] == Move(u, "cap")
    assert got["r_quay"] == Move("r_quay", "port")  # the only stake within its reach
    assert isinstance(got["r_side"], Entrench)  # no stake within its reach: it stands where it is
    assert concentrate(s, "blue", STANDING) is None  # blue has no place to keep


def test_only_a_broken_or_breaking_army_stands() -> None:
    assert broken_stand(board(broken=False), "red", STANDING) is None
    assert broken_stand(board(broken=False), "red", STANDING, breaking=True) is not None
    assert broken_stand(board(broken=True), "red", STANDING) is not None


def test_the_hard_bot_of_a_broken_army_stands_where_the_normal_bot_screens_forward() -> None:
    s = board(broken=True)
    hard = by_unit(make_bot("hard")(s, "red", np.random.default_rng(3)))
    assert hard == by_unit(concentrate(s, "red", STANDING) or [])
    normal = by_unit(make_bot("normal")(s, "red", np.random.default_rng(3)))
    assert normal["r_cap"] == Move("r_cap", "fwd")  # the planner's screen, which thins out the capital
