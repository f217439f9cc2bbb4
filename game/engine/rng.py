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


def keyed(key: int, *tags: int) -> np.random.Generator:
    """A generator for one purpose within a turn: the turn's key and the purpose's tags (a phase, a place,
    a unit), so what one purpose draws never depends on how many numbers another drew before it."""
    return make_rng(np.random.SeedSequence([key, *tags]))


def turn_key(rng: np.random.Generator) -> int:
    """A key for the keyed streams of one purpose, drawn from its phase's generator."""
    return int(rng.integers(0, 2**63 - 1))


SUPPORT, MOVEMENT, COMBAT, SUPPLY, COHESION, INJECTS = range(1, 7)
"""Tags of the turn's phases: each phase draws from a stream of its own (see `Dice`)."""


class Dice:
    """The dice of one turn, split by purpose (common random numbers). Each phase draws from a stream of
    its own, and within a phase every battle, convoy, collision and unit from one keyed by it, so two
    games from the same seed that differ in one decision (a support level, a patron's order, a side's
    plan) roll the same dice everywhere that decision does not reach: a paired comparison, or a sweep
    over a support level, measures the decision and not a reshuffle of every later roll."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.key = turn_key(rng)

    def key_of(self, phase: int) -> int:
        """The key of a phase whose dice are all keyed by what they decide (a battle place, an order)."""
        return mix(self.key, phase)

    def stream(self, phase: int) -> np.random.Generator:
        """The generator of a phase that draws its dice in a fixed order (a roll per unit, per faction)."""
        return keyed(self.key, phase)


_MASK = (1 << 64) - 1


def mix(*parts: int) -> int:
    """A 63-bit key from whole numbers (SplitMix64 steps: cheap, and no two small tuples alike)."""
    z = 0
    for x in parts:
        z = (z + (x & _MASK) + 0x9E3779B97F4A7C15) & _MASK
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        z ^= z >> 31
    return z >> 1


class Lazy:
    """One keyed stream, made only when its first number is drawn (most patron orders draw none)."""

    __slots__ = ("key", "tags", "_g")

    def __init__(self, key: int, *tags: int) -> None:
        self.key, self.tags = key, tags
        self._g: np.random.Generator | None = None

    def random(self) -> float:
        if self._g is None:
            self._g = keyed(self.key, *self.tags)
        return float(self._g.random())


MATRIX_STREAM = 0x6D61747278
"""Tags the matrix-game dice apart from the turns' and the bots' generators."""


def matrix_rng(seed: int, turn: int, draw: int) -> np.random.Generator:
    """The generator for the `draw`-th matrix-game action (from 1) of turn `turn`: separate from the
    turn's, so a matrix roll never changes how the turn resolves, and a replay rolls the same dice."""
    return make_rng(np.random.SeedSequence([seed, turn, MATRIX_STREAM, draw]))
