"""The shared read-only questions, and that their shortcuts give exactly what a rebuild gives."""

from __future__ import annotations

import numpy as np
import pytest

from bench.synthetic import random_game
from game.engine import legal_orders, query, resolve_turn, state_hash, turn_rng
from game.engine.movement import adjacent_open
from game.engine.state import State


def _play(start: State, turns: int, seed: int) -> list[str]:
    """Hashes of a game where every side gives a random selection of its legal orders."""
    rng = np.random.default_rng(seed)
    state, hashes = start, []
    for _ in range(turns):
        if state.is_over:
            break
        orders = {}
        for side in state.world.sides:
            legal = legal_orders(state, side)
            orders[side] = [legal[int(i)] for i in rng.permutation(len(legal))[:12]] if legal else []
        state, _ = resolve_turn(state, orders, turn_rng(seed, state.turn))
        hashes.append(state_hash(state))
    return hashes


@pytest.mark.parametrize("seed", [3, 11, 29])
def test_recounting_in_place_and_rebuilding_play_the_same_game(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    start = random_game(seed, 25, 4)
    rebuilt = _play(start, 6, seed)
    monkeypatch.setattr(query, "REFRESH_ABOVE", -1)  # every recount refreshes in place, as on a big board
    monkeypatch.setattr(query, "SCANS_BEFORE_GROUPING", 0)  # every units_at reads the sorted grouping
    assert _play(start, 6, seed) == rebuilt


def test_refresh_matches_a_rebuild_after_moves_and_losses() -> None:
    state = random_game(5, 30, 3)
    occ = query.occupancy(state)
    occ.bits()
    rng = np.random.default_rng(5)
    for _ in range(20):
        u = int(rng.integers(len(state.units)))
        frm = int(state.u_place[u])
        state.u_place[u] = int(rng.integers(state.world.board.n_places))
        state.u_strength[u] *= float(rng.choice([0.0, 0.5, 1.0]))
        occ.refresh(sorted({frm, int(state.u_place[u])}))
        fresh = query.Occupancy(state)
        assert np.array_equal(occ.strength, fresh.strength)
        assert np.array_equal(occ.count, fresh.count)
        assert np.array_equal(occ.present, fresh.present)
        assert occ.bits() == fresh.bits()
        for p in range(state.world.board.n_places):
            order, starts = fresh.grouped()
            assert occ.grouped()[0][occ.grouped()[1][p]:occ.grouped()[1][p + 1]].tolist() == \
                order[starts[p]:starts[p + 1]].tolist()


def test_unit_questions_agree_with_the_arrays() -> None:
    state = random_game(7, 20, 4)
    w = state.world
    present = query.occupancy(state).present
    for p in range(w.board.n_places):
        alive_here = np.flatnonzero((state.u_place == p) & (state.u_strength > 0))
        assert query.units_at(state, p).tolist() == alive_here.tolist()
        for f in range(len(w.factions)):
            assert query.has_hostile_units(state, f, p) == bool((present[p] & w.hostile[f]).any())
            assert query.has_neutral_units(state, f, p) == bool((present[p] & ~w.friendly[f] & ~w.hostile[f]).any())
            assert query.is_held_by_friend(state, f, p) == bool(w.friendly[f, state.controller[p]])


def test_open_adjacency_follows_closed_routes() -> None:
    state = random_game(9, 15, 2)
    b = state.world.board
    expected = [sorted({q for q, rid in b.edges(p) if state.route_open[rid]}) for p in range(b.n_places)]
    assert [adjacent_open(state, p) for p in range(b.n_places)] == expected
    state.route_open[:] = False
    state.invalidate()
    assert all(adjacent_open(state, p) == [] for p in range(b.n_places))


def test_move_unit_keeps_counts_exact() -> None:
    state = random_game(13, 20, 3)
    rng = np.random.default_rng(13)
    for _ in range(30):
        occ = query.occupancy(state)
        occ.bits()
        u = int(rng.integers(len(state.units)))
        query.move_unit(state, u, int(rng.integers(state.world.board.n_places)))
        kept, fresh = query.occupancy(state), query.Occupancy(state)
        assert np.array_equal(kept.count, fresh.count)
        assert np.array_equal(kept.present, fresh.present)
        assert np.array_equal(kept.strength, fresh.strength)
        assert kept.bits() == fresh.bits()


@pytest.mark.parametrize("kill", [False, True])
def test_weakened_keeps_counts_exact_and_sums_strength_again(kill: bool) -> None:
    state = random_game(17, 20, 3)
    occ = query.occupancy(state)
    occ.bits()
    _ = occ.strength
    alive = np.flatnonzero(state.u_strength > 0)[:5].tolist()
    for u in alive:
        state.u_strength[u] *= 0.0 if kill and u == alive[0] else 0.7
    query.weakened(state, alive)
    kept, fresh = query.occupancy(state), query.Occupancy(state)
    assert np.array_equal(kept.count, fresh.count)
    assert np.array_equal(kept.strength, fresh.strength)
    assert kept.bits() == fresh.bits()
    assert query.units_at(state, int(state.u_place[alive[1]])).tolist() == \
        np.flatnonzero((state.u_place == state.u_place[alive[1]]) & (state.u_strength > 0)).tolist()
