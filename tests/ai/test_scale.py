"""Bots on large boards: no all-pairs distance table, and the bounded searches give exactly what the
dense tables gave (so the bots' choices, and the shipped scenario's games, are unchanged)."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

from bench.synthetic import geometric_game
from game.ai import make_bot
from game.ai.assess import HopRows, NeighbourSum, best_reach, halving_reach, hop_rows, next_to
from game.engine import State, World

from .randboard import random_state
from .test_legal import assert_legal


def dense_hops(world: World) -> np.ndarray:
    """The all-pairs table the bots used to build (fine on a small board)."""
    b = world.board
    n = b.n_places
    return shortest_path(csr_matrix((np.ones(len(b.nbr)), b.nbr, b.indptr), shape=(n, n)), unweighted=True,
                         directed=False)


def dense_reach(world: World, want: np.ndarray, per_hop: float) -> np.ndarray:
    """The formula best_reach replaces: max over places t of want[t] - per_hop * hops[p, t]."""
    hops = dense_hops(world)
    return np.max(np.where(np.isfinite(hops), want[None, :] - per_hop * hops, -np.inf), axis=1)


def split_board(seed: int) -> World:
    """A random board with a second, unconnected part (places that can reach no target)."""
    a = random_state(seed, n_places=30, n_factions=3).world
    b = a.board
    keep = [r for r in b.routes if not ({r.a, r.b} & {"p0", "p1", "p2"})]
    return World(a.meta, type(b)(b.places, tuple(keep), ()), a.factions)


@pytest.mark.parametrize("seed", range(12))
def test_best_reach_is_the_dense_formula_exactly(seed: int) -> None:
    rng = np.random.default_rng(seed)
    world = split_board(seed) if seed % 3 == 0 else random_state(seed, n_places=40).world
    n = world.board.n_places
    # values like the planner's: a few levels (exact ties), levels one hop's worth apart plus differences
    # too small to survive the subtraction (ties of the floats that are not ties of the numbers), holes
    step = 1.5 if seed % 2 else 1.2
    want = rng.integers(0, 4, size=n) * step + rng.choice([0.1, 0.1 + 2 ** -52, 0.3 - 0.2, 1e-17, 0.0], size=n)
    want[rng.random(n) < 0.4] = -np.inf
    for per_hop in (1.5, 0.7):
        ours, dense = best_reach(world, want, per_hop), dense_reach(world, want, per_hop)
        assert np.array_equal(ours, dense), (per_hop, np.flatnonzero(ours != dense))
    assert np.all(best_reach(world, np.full(n, -np.inf), 1.5) == -np.inf)


def test_hop_rows_are_the_dense_rows_and_only_a_few_are_kept() -> None:
    world = random_state(5, n_places=90).world
    rows, dense = HopRows(world), dense_hops(world)
    for p in list(range(world.board.n_places)) + [0, 1]:
        assert np.array_equal(rows[p], dense[p])
    assert len(rows._rows) <= HopRows.ROWS_KEPT
    assert hop_rows(world) is hop_rows(world)


def test_sums_over_neighbours_are_numpys_bit_for_bit() -> None:
    """The threat next to each place is summed in Python for short lists: it must equal numpy's own sum
    (a numpy that summed short arrays differently would show here, not as a changed game)."""
    rng = np.random.default_rng(4)
    for _ in range(50):
        n = 60
        per_place = rng.random(n) * rng.choice([0.0, 1e-3, 1.0, 3e3, 1e9], size=n)
        adj = [sorted(set(rng.integers(0, n, size=int(rng.integers(0, 30))).tolist())) for _ in range(n)]
        want = np.array([per_place[a].sum() if a else 0.0 for a in adj])
        assert np.array_equal(next_to(per_place, adj), want)
        assert np.array_equal(next_to(per_place, adj, NeighbourSum(adj)), want)  # the bots' sparse product
        shuffled = [rng.permutation(a).tolist() for a in adj]  # a list's own order, not a sorted one
        want = np.array([per_place[a].sum() if a else 0.0 for a in shuffled])
        assert np.array_equal(next_to(per_place, shuffled, NeighbourSum(shuffled)), want)


def bot_turn_peak(state: State) -> int:
    """Peak bytes traced while the normal bot orders every side once; checks every order is legal."""
    bot = make_bot("normal")
    tracemalloc.start()
    try:
        for i, side in enumerate(state.world.sides):
            orders = bot(state, side, np.random.default_rng(i))
            assert_legal(state, side, orders)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_bots_order_a_2000_place_board_without_n_by_n_tables() -> None:
    """An n x n float table at 2,000 places is 32 MB: the whole turn must stay far below it, and memory
    must grow with the board, not with its square."""
    small = bot_turn_peak(geometric_game(1000, seed=2, units_per_place=0.2))
    n = 2000
    big = bot_turn_peak(geometric_game(n, seed=2, units_per_place=0.2))
    assert big < n * n * 8 / 4, f"{big / 1e6:.1f} MB traced"
    assert big < 3 * small, (small, big)


@pytest.mark.parametrize("seed", range(6))
def test_halving_reach_is_the_dense_decay_formula(seed: int) -> None:
    """The pull of places beyond each place (faction.approach_values): max over t of want[t] × 0.5 ** hops,
    as the dense hop table gave it, found without the table."""
    rng = np.random.default_rng(seed)
    world = split_board(seed) if seed % 2 == 0 else random_state(seed, n_places=40).world
    n = world.board.n_places
    want = np.where(rng.random(n) < 0.3, rng.integers(0, 5, size=n) * 1.5 + rng.random(n), 0.0)
    hops = dense_hops(world)
    dense = (np.where(np.isfinite(hops), 0.5 ** np.minimum(hops, 60.0), 0.0) * want[None, :]).max(axis=1)
    assert np.array_equal(halving_reach(world, want), dense)
    assert np.array_equal(halving_reach(world, np.zeros(n)), np.zeros(n))
