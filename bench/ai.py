"""Bot figures on the default scenario (a benchmark that prints, not a test).

1. Median milliseconds for a bot to order one side, per level (targets: normal < 5 ms, hard < 50 ms).
2. How much better the hard bot plays than the easy one: for `government` and for `hts`, the share of
   games the side wins when the hard bot plays it and when the easy bot plays it, every other side
   played by the normal bot, over the same seeds. A side wins when it is among the game's winners as
   the engine decides them (a decisive victory condition, or the highest score at the last turn: the
   victory value of the places it holds plus the points of the conditions it achieved).
   The games are played in both settings of docs/calibration.md: the historical support levels and
   the what-if setting with Russian and Iranian support at their maximum. The output says in which
   setting the target (hard at least 15 points above easy) is met, side by side.

    python bench/ai.py [--games 200] [--turns 12] [--workers 2] [--setting historical|maximum]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.ai import make_bot  # noqa: E402
from game.engine import Order, State, resolve_turn, turn_rng  # noqa: E402
from game.scenario import build_from_data, load_scenario, parse_file  # noqa: E402
from game.sim.batch import run_seeds  # noqa: E402
from game.sim.overrides import apply_overrides, parse_assignment  # noqa: E402
from game.sim.runner import bot_rng  # noqa: E402
from game.sim.stats import wilson  # noqa: E402

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "homs_junction.yaml"
SETTINGS: dict[str, tuple[str, list[str]]] = {
    "historical": ("historical support", []),
    "maximum": ("Russian and Iranian support at maximum",
                [f"patrons.{p}.support.{c}=1" for p in ("russia", "iran") for c in ("air", "ground", "supply")]),
}
TARGET = 15.0
"""Least gap, in percentage points, between the hard and the easy bot's victory rates."""
_START: list[State] = []
_SETTING: dict[str, State] = {}


class Mixed:
    """One side played at `level`, every other side by the normal bot."""

    def __init__(self, side: str, level: str) -> None:
        self.side, self.mine, self.rest = side, make_bot(level), make_bot("normal")

    def __call__(self, state: State, side: str, rng: np.random.Generator) -> list[Order]:
        return (self.mine if side == self.side else self.rest)(state, side, rng)


def start() -> State:
    """The default scenario as written (for the timings)."""
    if not _START:
        _START.append(load_scenario(SCENARIO)[1])
    return _START[0]


def setting(name: str) -> State:
    """The starting state of one setting of docs/calibration.md (for the strength games)."""
    if name not in _SETTING:
        data = apply_overrides(parse_file(SCENARIO).data, [parse_assignment(a) for a in SETTINGS[name][1]])
        _SETTING[name] = build_from_data(data, str(SCENARIO), base=SCENARIO)[1]
    return _SETTING[name]


def won(job: tuple[str, str, str, int, int]) -> bool:
    """Play one game; whether the side is among its winners."""
    name, side, level, seed, turns = job
    bot = Mixed(side, level)
    state = setting(name)
    for _ in range(turns):
        if state.is_over:
            break
        orders = {s: bot(state, s, bot_rng(seed, state.turn, i)) for i, s in enumerate(state.world.sides)}
        state, _ = resolve_turn(state, orders, turn_rng(seed, state.turn))
    return state.outcome is not None and side in state.outcome.winners


def timings(repeats: int = 15) -> None:
    state = start()
    print("Median time for a bot to order one side (default scenario, turn 1):")
    for level in ("easy", "normal", "hard"):
        bot = make_bot(level)
        cells = []
        for side in state.world.sides:
            ts = []
            for k in range(repeats):
                t0 = time.perf_counter()
                bot(state, side, np.random.default_rng(k))
                ts.append(time.perf_counter() - t0)
            cells.append((side, 1000 * statistics.median(ts)))
        worst = max(cells, key=lambda c: c[1])
        allsides = statistics.median(ms for _, ms in cells)
        print(f"  {level:<7} median over sides {allsides:6.2f} ms; slowest side {worst[0]} {worst[1]:6.2f} ms; "
              + ", ".join(f"{s} {ms:.2f}" for s, ms in cells if s in ("government", "hts")))


def strength(games: int, turns: int, workers: int, names: list[str]) -> dict[tuple[str, str], float]:
    """Victory rates per level for government and hts in each setting; returns the hard - easy gaps."""
    seeds = run_seeds(99, games)
    gaps: dict[tuple[str, str], float] = {}
    print(f"\nHard against easy: {games} games each, {turns} turns, every other side the normal bot; "
          "a win = among the game's winners")
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for name in names:
            print(f"  {SETTINGS[name][0]}:")
            for side in ("government", "hts"):
                t0 = time.perf_counter()
                rates = {}
                for level in ("easy", "normal", "hard"):
                    wins = list(pool.map(won, [(name, side, level, s, turns) for s in seeds], chunksize=4))
                    rates[level] = wilson(sum(wins), games)
                gap = gaps[name, side] = 100 * (rates["hard"].p - rates["easy"].p)
                verdict = "target met" if gap >= TARGET else "target NOT met"
                print(f"    {side:<11} hard {rates['hard'].text()}, normal {rates['normal'].text()}, easy "
                      f"{rates['easy'].text()}; hard - easy {gap:+.0f} points, {verdict} "
                      f"({time.perf_counter() - t0:.0f} s)")
    return gaps


def verdicts(gaps: dict[tuple[str, str], float], names: list[str]) -> None:
    """Say plainly, per side, in which settings the hard-vs-easy target is met."""
    print(f"\nTarget: hard at least {TARGET:.0f} points above easy.")
    for side in ("government", "hts"):
        met = [SETTINGS[n][0] for n in names if gaps[n, side] >= TARGET]
        if not met:
            print(f"  {side:<11} NOT met in any setting played")
        else:
            only = " only" if len(met) < len(names) else ""
            print(f"  {side:<11} met{only} with {' and '.join(met)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--games", type=int, default=200)
    ap.add_argument("--turns", type=int, default=12, help="turns per game (default 12, the whole scenario)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--setting", choices=sorted(SETTINGS), action="append",
                    help="play the strength games in this setting only (repeatable; default: both)")
    ap.add_argument("--skip-strength", action="store_true")
    args = ap.parse_args()
    timings()
    if not args.skip_strength:
        names = args.setting or list(SETTINGS)
        verdicts(strength(args.games, args.turns, args.workers, names), names)


if __name__ == "__main__":
    main()
