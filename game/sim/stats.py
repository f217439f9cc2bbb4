"""Small statistics for batch results: Wilson intervals for proportions, quartiles and a
distribution-free confidence interval for a median."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Proportion:
    """k of n, with its 95 % Wilson score interval."""

    k: int
    n: int
    low: float
    high: float

    @property
    def p(self) -> float:
        return self.k / self.n if self.n else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {"p": round(self.p, 6), "low": round(self.low, 6), "high": round(self.high, 6), "k": self.k,
                "n": self.n}

    def text(self) -> str:
        """'62% (55-68)'"""
        return f"{100 * self.p:3.0f}% ({100 * self.low:.0f}-{100 * self.high:.0f})"


def wilson(k: int, n: int, z: float = Z95) -> Proportion:
    """The Wilson score interval: good for small n and for proportions near 0 or 1."""
    if n <= 0:
        return Proportion(0, 0, 0.0, 1.0)
    p = k / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return Proportion(k, n, max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Quartiles:
    """Median and quartiles of a sample, with a 95 % interval for the median."""

    n: int
    q1: float
    median: float
    q3: float
    median_low: float
    median_high: float

    def to_dict(self) -> dict[str, float | int]:
        return {"n": self.n, "q1": self.q1, "median": self.median, "q3": self.q3,
                "median_low": self.median_low, "median_high": self.median_high}

    def text(self) -> str:
        """'2 [2-3] (95% CI of median 2-2)'"""
        return (f"{_num(self.median)} [{_num(self.q1)}-{_num(self.q3)}] "
                f"(median CI {_num(self.median_low)}-{_num(self.median_high)})")


def _num(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"


def quantile(sorted_xs: Sequence[float], q: float) -> float:
    """Linear interpolation between order statistics (numpy's default)."""
    n = len(sorted_xs)
    pos = q * (n - 1)
    lo = int(math.floor(pos))
    hi = min(lo + 1, n - 1)
    return float(sorted_xs[lo] + (sorted_xs[hi] - sorted_xs[lo]) * (pos - lo))


def quartiles(xs: Sequence[float]) -> Quartiles | None:
    """None for an empty sample."""
    if not xs:
        return None
    from scipy.stats import binom  # a second of start-up: loaded when the first batch is summarised

    s = sorted(float(x) for x in xs)
    n = len(s)
    lo_rank = int(binom.ppf(0.025, n, 0.5))
    hi_rank = int(binom.isf(0.025, n, 0.5))
    low = s[max(0, min(n - 1, lo_rank - 1))]
    high = s[max(0, min(n - 1, hi_rank))]
    return Quartiles(n, quantile(s, 0.25), quantile(s, 0.5), quantile(s, 0.75), low, high)


def _fall_by_turn(falls: Sequence[int | None], turns: int) -> list[dict[str, float | int]]:
    """The chance a place has changed hands by the end of each turn 1..turns."""
    n = len(falls)
    return [wilson(sum(1 for f in falls if f is not None and f <= t), n).to_dict() for t in range(1, turns + 1)]


def _holder(record: Any, pid: str, turn: int, start: str) -> str:
    """Who held the place at the end of `turn` (the last known holder if the game ended earlier)."""
    seq = record.control[pid]
    if not seq:
        return start
    return str(seq[min(turn, len(seq)) - 1])


def summarise_place(pid: str, name: str, start: str, records: Sequence[Any], factions: Sequence[str],
                    turns: int) -> dict[str, Any]:
    """One key place: who holds it at the end (and after each turn), whether and when it first changed hands."""
    n = len(records)
    finals = [r.control[pid][-1] if r.control[pid] else start for r in records]
    falls = [r.fall_turn[pid] for r in records]
    fell = [f for f in falls if f is not None]
    q = quartiles(fell)
    held = {f: [wilson(sum(1 for r in records if _holder(r, pid, t, start) == f), n).to_dict()
                for t in range(1, turns + 1)] for f in factions}
    return {
        "name": name, "start": start,
        "control": {f: wilson(sum(1 for x in finals if x == f), n).to_dict() for f in factions},
        "held_by_turn": {f: v for f, v in held.items() if any(c["k"] for c in v)},
        "changed_hands": wilson(len(fell), n).to_dict(),
        "fall_turn": q.to_dict() if q else None,
        "fallen_by_turn": _fall_by_turn(falls, turns),
    }


def summarise(records: Sequence[Any], *, places: Sequence[tuple[str, str, str]], factions: Sequence[str],
              turns: int) -> dict[str, Any]:
    """The statistics of a batch (the body of the versioned JSON): `places.<id>.control.<faction>`,
    `places.<id>.fall_turn`, `factions.<id>.collapse`, `standings.<side>` (how often it beats history, and
    its median standing against its benchmarks), `outcomes`, `wins`. The turn-by-turn series run to
    the longest game played, at most `turns`."""
    n = len(records)
    turns = min(turns, max((int(r.turns) for r in records), default=0))  # a game that ended adds no turns
    out: dict[str, Any] = {"places": {}, "factions": {}, "outcomes": [], "wins": {}}
    for pid, name, start in places:
        out["places"][pid] = summarise_place(pid, name, start, records, factions, turns)
    for f in factions:
        broke = [r.collapse_turn.get(f) for r in records]
        q = quartiles([t for t in broke if t is not None])
        coh = sorted(r.cohesion[f] for r in records)
        out["factions"][f] = {
            "collapse": wilson(sum(1 for t in broke if t is not None), n).to_dict(),
            "collapse_turn": q.to_dict() if q else None,
            "final_cohesion_median": round(quantile(coh, 0.5), 4) if coh else None,
        }
        out["wins"][f] = wilson(sum(1 for r in records if f in r.winners), n).to_dict()
    sides = sorted({side for r in records for side in getattr(r, "standings", {})})
    out["standings"] = {}
    for side in sides:
        vals = sorted(r.standings.get(side, 0.0) for r in records)
        out["standings"][side] = {"beats_history": wilson(sum(1 for v in vals if v > 1e-9), n).to_dict(),
                                  "median": round(quantile(vals, 0.5), 4)}
    counts: dict[tuple[str, ...], int] = {}
    for r in records:
        counts[tuple(r.winners)] = counts.get(tuple(r.winners), 0) + 1
    for winners, k in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        out["outcomes"].append({"winners": list(winners), **wilson(k, n).to_dict()})
    return out
