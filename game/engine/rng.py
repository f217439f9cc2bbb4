"""Seeded randomness: one generator per game, child seeds per Monte Carlo run."""

from __future__ import annotations

import numpy as np


def make_rng(seed: int | np.random.SeedSequence) -> np.random.Generator:
    """The game's generator (PCG64): the same seed gives the same numbers on every machine."""
    return np.random.Generator(np.random.PCG64(seed))


def child_seeds(seed: int, n: int) -> list[np.random.SeedSequence]:
    """Independent seeds for n runs of a batch."""
    return np.random.SeedSequence(seed).spawn(n)


def turn_rng(seed: int, turn: int) -> np.random.Generator:
    """The generator for one turn of a game: derived from the game seed and the turn number,
    so a replay or a loaded save resolves each turn exactly as the original did."""
    return make_rng(np.random.SeedSequence([seed, turn]))


MATRIX_STREAM = 0x6D61747278
"""Tags the matrix-game dice apart from the turns' and the bots' generators."""


def matrix_rng(seed: int, turn: int, draw: int) -> np.random.Generator:
    """The generator for the `draw`-th matrix-game action (from 1) of turn `turn`: separate from the
    turn's, so a matrix roll never changes how the turn resolves, and a replay rolls the same dice."""
    return make_rng(np.random.SeedSequence([seed, turn, MATRIX_STREAM, draw]))
