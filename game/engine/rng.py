"""Seeded randomness: one generator per game, child seeds per Monte Carlo run, and the dice of a turn split
by purpose (`Dice`, `Stream`: common random numbers)."""

from __future__ import annotations

from typing import overload

import numpy as np
from numpy.typing import NDArray


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


def turn_key(rng: np.random.Generator) -> int:
    """The key of a turn's dice (see `Dice`), drawn from the turn's generator."""
    return int(rng.integers(0, 2**63 - 1))


SUPPORT, MOVEMENT, COMBAT, SUPPLY, COHESION, INJECTS = range(1, 7)
"""Tags of the turn's phases: each phase draws from streams of its own (see `Dice`)."""


class Dice:
    """The dice of one turn, split by purpose (common random numbers). Each phase has a key of its own, and
    within a phase every battle place, head-on meeting and patron order draws from a `Stream` keyed by it,
    and every unit and faction has its own numbers in the phases that roll for each (morale checks, breaks,
    cohesion shocks, surrenders, events). Two games from the same seed that differ in one decision (a
    support level, a patron's order, a side's plan) therefore roll the same dice everywhere that decision
    does not reach: a paired comparison, or a sweep over a support level, measures the decision and not a
    reshuffle of every later roll."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.key = turn_key(rng)

    def key_of(self, phase: int) -> int:
        """The key of a phase that keys a `Stream` per thing it decides (a battle place, a meeting, an order)."""
        return mix(self.key, phase)

    def stream(self, phase: int) -> Stream:
        """The stream of a phase that rolls per unit, faction or event (its `sub` streams keep those apart)."""
        return Stream(self.key, phase)


_MASK = (1 << 64) - 1
_GOLDEN, _M1, _M2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB


def _step(z: int) -> int:
    """SplitMix64's output function on a 64-bit whole number."""
    z = ((z ^ (z >> 30)) * _M1) & _MASK
    z = ((z ^ (z >> 27)) * _M2) & _MASK
    return z ^ (z >> 31)


_U30, _U27, _U31, _U11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_UM1, _UM2 = np.uint64(_M1), np.uint64(_M2)


def _steps(z: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """`_step` over an array (numpy's unsigned arithmetic wraps as `& _MASK` does); `z` is overwritten."""
    z ^= z >> _U30
    z *= _UM1
    z ^= z >> _U27
    z *= _UM2
    z ^= z >> _U31
    return z


_UNIT = 1.0 / (1 << 53)


def _number(base: int, k: int) -> float:
    """Number k (from 1) of the stream whose own key is `base`: 53 bits of `_step`, in [0, 1)."""
    return (_step((base + k + _GOLDEN) & _MASK) >> 11) * _UNIT


def mix(*parts: int) -> int:
    """A 63-bit key from whole numbers (SplitMix64 steps: cheap, and no two small tuples alike)."""
    z = 0
    for x in parts:
        z = _step((z + (x & _MASK) + _GOLDEN) & _MASK)
    return z >> 1


_SHORT = 16
"""Up to this many numbers at once are worked out with Python's integers, beyond it with numpy's."""


class Stream:
    """The numbers of one keyed purpose (a phase, a battle place, a meeting, a patron order): number k is
    SplitMix64's hash of the key and k, so it does not depend on how many numbers were drawn before it, and
    number k of `random(size)` is number k of single draws (a roll per unit stays that unit's however many
    units there are). As reproducible as a numpy generator and far cheaper to start: a turn starts dozens."""

    __slots__ = ("_key", "_base", "drawn")

    def __init__(self, key: int, *tags: int) -> None:
        self._key: tuple[int, ...] | None = (key, *tags)
        self._base = 0
        self.drawn = 0

    @property
    def base(self) -> int:
        """The stream's own key (worked out at the first draw: many streams of a turn draw nothing)."""
        if self._key is not None:
            self._base, self._key = _step((mix(*self._key) + _GOLDEN) & _MASK), None
        return self._base

    def sub(self, tag: int) -> Stream:
        """A stream of its own for one part of this purpose (e.g. a roll per unit beside a roll per faction)."""
        return Stream(self.base, tag)

    def _floats(self, n: int) -> NDArray[np.float64]:
        start, base = self.drawn, self.base
        self.drawn += n
        if n <= _SHORT:  # a few numbers: Python's integers are quicker than numpy's setup
            return np.array([_number(base, start + k) for k in range(1, n + 1)], dtype=np.float64)
        counts = np.arange(start + 1, start + n + 1, dtype=np.uint64)
        counts += np.uint64((base + _GOLDEN) & _MASK)  # wraps as adding each would
        bits = _steps(counts) >> _U11
        return bits.astype(np.float64) * _UNIT  # type: ignore[no-any-return]

    @overload
    def random(self) -> float: ...

    @overload
    def random(self, size: int) -> NDArray[np.float64]: ...

    @overload
    def random(self, size: tuple[int, int]) -> NDArray[np.float64]: ...

    def random(self, size: int | tuple[int, int] | None = None) -> float | NDArray[np.float64]:
        """A number in [0, 1) (53 bits), or an array of them (filled row by row)."""
        if size is None:
            base = self.base
            self.drawn += 1
            return _number(base, self.drawn)
        if isinstance(size, int):
            return self._floats(size)
        return self._floats(size[0] * size[1]).reshape(size)

    def floats(self, n: int) -> list[float]:
        """`random(n)` as a list (the same numbers, with no array in between when there are few)."""
        if n > _SHORT:
            return self._floats(n).tolist()  # type: ignore[no-any-return]
        start, base = self.drawn, self.base
        self.drawn += n
        return [_number(base, start + k) for k in range(1, n + 1)]

    def normal(self, loc: float, scale: float, size: int) -> NDArray[np.float64]:
        """`size` normal numbers (Box-Muller on two numbers each, so number k is still item k's)."""
        u = self.random((size, 2))
        return loc + scale * np.sqrt(-2.0 * np.log1p(-u[:, 0])) * np.cos(2.0 * np.pi * u[:, 1])

    def permutation(self, n: int) -> NDArray[np.intp]:
        """The numbers 0 to n - 1 in a drawn order."""
        return np.argsort(self.random(n), kind="stable")


MATRIX_STREAM = 0x6D61747278
"""Tags the matrix-game dice apart from the turns' and the bots' generators."""


def matrix_rng(seed: int, turn: int, draw: int) -> np.random.Generator:
    """The generator for the `draw`-th matrix-game action (from 1) of turn `turn`: separate from the
    turn's, so a matrix roll never changes how the turn resolves, and a replay rolls the same dice."""
    return make_rng(np.random.SeedSequence([seed, turn, MATRIX_STREAM, draw]))
