"""Bot figures on the default scenario (a benchmark that prints, not a test).

1. Median milliseconds for a bot to order one side, per level (targets: normal < 5 ms, hard < 50 ms), each
   call on a fresh copy of the turn-1 state (its per-state lookups cold, as on a new turn of a game).
2. How much better the hard bot plays than the easy one: for `government` and for `hts`, the share of
   games the side wins when the hard bot plays it and when the easy bot plays it, every other side
   played by the normal bot, over the same seeds. A side wins when it is among the game's winners as
   the engine decides them (a decisive victory condition, or the highest score at the last turn: the
   victory value of the places it holds plus the points of the conditions it achieved).
   The games are played in both settings of docs/calibration.md: the historical support levels and
   the what-if setting with Russian and Iranian support at their maximum. The output says in which
   setting the target (hard at least 15 points above easy) is met, side by side.
3. Large boards (bench/synthetic.py's geometric_game, 2,000 and 20,000 places, half a unit per place):
   for each level, a fresh process builds the board, then the bot orders every side at turn 1. It
   prints the seconds for all sides together and the slowest side, and the process's peak memory
   (bench/memory.py) beside its peak once the board was built, so the figures are cold and honest.
   Targets at 20,000 places: under 5 s for all sides together and under 2 GB peak.

    python bench/ai.py [--games 200] [--turns 12] [--workers 2] [--setting historical|maximum]
                       [--sizes 2000,20000] [--big-levels easy,normal] [--skip-strength] [--skip-big]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.memory import peak_mb  # noqa: E402
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
                fresh = state.copy()  # a new turn's state: its derived lookups cold, as in a game
                t0 = time.perf_counter()
                bot(fresh, side, np.random.default_rng(k))
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


BIG_TARGET_S, BIG_TARGET_MB = 5.0, 2048
"""Targets for one bot turn of every side at 20,000 places."""


def big_turn(n: int, level: str) -> dict[str, object]:
    """In this (fresh) process: build a geometric board of n places and let the bot order every side once."""
    from bench.synthetic import geometric_game

    state = geometric_game(n, seed=1)
    built = peak_mb()
    bot = make_bot(level)
    times: dict[str, float] = {}
    orders = 0
    cpu = time.process_time()
    for i, side in enumerate(state.world.sides):
        t0 = time.perf_counter()
        orders += len(bot(state, side, bot_rng(1, state.turn, i)))
        times[side] = time.perf_counter() - t0
    return {"places": n, "units": len(state.units), "level": level, "total": sum(times.values()),
            "cpu": time.process_time() - cpu,
            "slowest": max(times.items(), key=lambda kv: kv[1]), "orders": orders, "built_mb": built,
            "peak_mb": peak_mb()}


def big_boards(sizes: list[int], levels: list[str]) -> None:
    """One fresh process per size and level, so caches and memory start cold."""
    print("\nOne bot turn of every side on large synthetic boards (fresh process each; turn 1):")
    for n in sizes:
        for level in levels:
            out = subprocess.run([sys.executable, __file__, "--big-child", str(n), level], capture_output=True,
                                 text=True, check=False)
            if out.returncode != 0:
                print(f"  {n:6,d} places, {level}: failed ({out.stderr.strip().splitlines()[-1:]})")
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            side, slow = r["slowest"]
            verdict = ""
            if n >= 20000:
                met = r["total"] < BIG_TARGET_S and r["peak_mb"] < BIG_TARGET_MB
                verdict = f"  [target < {BIG_TARGET_S:.0f} s and < {BIG_TARGET_MB / 1024:.0f} GB: " \
                          f"{'met' if met else 'MISSED'}]"
            print(f"  {n:6,d} places, {r['units']:5,d} units, {level:<6}: all sides {r['total']:6.2f} s "
                  f"(CPU {r['cpu']:.2f} s; slowest {side} {slow:.2f} s, {r['orders']:,d} orders); "
                  f"peak memory {r['peak_mb']:6.0f} MB "
                  f"({r['built_mb']:.0f} MB once the board was built){verdict}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--games", type=int, default=200)
    ap.add_argument("--turns", type=int, default=12, help="turns per game (default 12, the whole scenario)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--setting", choices=sorted(SETTINGS), action="append",
                    help="play the strength games in this setting only (repeatable; default: both)")
    ap.add_argument("--skip-strength", action="store_true")
    ap.add_argument("--sizes", default="2000,20000", help="large board sizes (comma-separated)")
    ap.add_argument("--big-levels", default="easy,normal",
                    help="levels timed on the large boards (comma-separated; hard resolves whole turns per plan)")
    ap.add_argument("--skip-big", action="store_true")
    ap.add_argument("--big-child", nargs=2, metavar=("PLACES", "LEVEL"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.big_child:
        print(json.dumps(big_turn(int(args.big_child[0]), args.big_child[1])))
        return
    timings()
    if not args.skip_big:
        big_boards([int(x) for x in args.sizes.split(",")], args.big_levels.split(","))
    if not args.skip_strength:
        names = args.setting or list(SETTINGS)
        verdicts(strength(args.games, args.turns, args.workers, names), names)


if __name__ == "__main__":
    main()
