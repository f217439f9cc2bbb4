"""How fast is a turn? Prints figures and ratios; asserts nothing (timings do not belong in tests).

    python bench/turn.py [--quick]

(a) `resolve_turn` on the default scenario with bot orders (median over many turns);
(b) the `diplomacy` package's adjudication of the standard map with random legal orders,
    median ms per `game.process()`, and our turn time / its phase time (target <= 1.0);
(c) synthetic planar-ish boards of 1,000, 5,000 and 20,000 places: ms per turn and the
    growth exponent (target: 20,000 places under 1 s per turn, exponent <= 1.2);
(d) the supply trace for every faction at 20,000 places against a plain-Python BFS
    (target < 5 ms and >= 3x faster);
(e) the peak memory of the whole run (the bots' orders at 20,000 places once took it to 10 GB).
Bot ordering time is excluded everywhere; the state's derived-lookup cache is cleared (all of
it) before each timed turn so the engine cannot reuse what the bot's legal-order search computed.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.memory import peak_mb  # noqa: E402
from bench.synthetic import geometric_game  # noqa: E402
from game.engine import State, resolve_turn, turn_rng  # noqa: E402
from game.engine.legal import source_places  # noqa: E402
from game.engine.supply import supply_distances  # noqa: E402
from game.sim.runner import bot_orders  # noqa: E402

DEFAULT_SCENARIO = ROOT / "scenarios" / "homs_junction.yaml"


def median_ms(samples: list[float]) -> float:
    return 1000.0 * statistics.median(samples)


def timed(fn: Callable[[], object], repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


NO_GC = False
"""--no-gc: time with the garbage collector paused (as `timeit` does), to separate it from the rules' own cost."""


def turn_times(start: State, seed: int, turns: int, repeats: int) -> list[float]:
    """Times of `resolve_turn` over a bot game: each turn resolved `repeats` times from a cold cache."""
    samples: list[float] = []
    state = start
    for _ in range(turns):
        if state.is_over:
            break
        orders = bot_orders(state, seed)
        rng_seed = state.turn
        after = state
        for _ in range(repeats):
            state.cache.clear()  # everything, even what `invalidate` keeps: nothing the bot worked out
            rng = turn_rng(seed, rng_seed)
            if NO_GC:
                gc.collect()
                gc.disable()
            t = time.perf_counter()
            after, _ = resolve_turn(state, orders, rng)
            samples.append(time.perf_counter() - t)
            gc.enable()
        state = after
    return samples


def default_game() -> tuple[str, State]:
    """The default scenario, or a ~50-place synthetic board when it cannot be loaded yet."""
    try:
        from game.scenario import load_scenario  # type: ignore[attr-defined]

        _, state = load_scenario(DEFAULT_SCENARIO)
        return f"{DEFAULT_SCENARIO.name} ({state.world.board.n_places} places, {len(state.units)} units)", state
    except (ImportError, OSError, ValueError) as exc:
        state = geometric_game(50, 3)
        return f"synthetic 50 places ({len(state.units)} units; default scenario unavailable: {exc})", state


def bench_default(quick: bool) -> float:
    name, start = default_game()
    samples: list[float] = []
    for seed in range(2 if quick else 6):
        samples += turn_times(start, seed, turns=10, repeats=3 if quick else 5)
    ms = median_ms(samples)
    print(f"(a) resolve_turn on {name}: median {ms:.2f} ms over {len(samples)} turns "
          f"(p10 {1000 * np.percentile(samples, 10):.2f}, p90 {1000 * np.percentile(samples, 90):.2f})")
    return ms


def bench_diplomacy(quick: bool) -> float | None:
    """Median ms of `Game.process()` on the standard map with random legal orders."""
    try:
        from diplomacy import Game
    except ImportError:
        print("(b) diplomacy is not installed (pip install -r requirements-bench.txt): skipped")
        return None
    samples: list[float] = []
    movement: list[float] = []
    for seed in range(2 if quick else 5):
        rng = random.Random(seed)
        game = Game()
        for _ in range(15 if quick else 30):
            if game.is_game_done:
                break
            possible = game.get_all_possible_orders()
            for power in game.powers:
                locs = game.get_orderable_locations(power)
                game.set_orders(power, [rng.choice(possible[loc]) for loc in locs if possible.get(loc)])
            is_movement = game.get_current_phase().endswith("M")
            t = time.perf_counter()
            game.process()
            samples.append(time.perf_counter() - t)
            if is_movement:
                movement.append(samples[-1])
    ms = median_ms(samples)
    print(f"(b) diplomacy Game.process(): median {ms:.2f} ms per phase over {len(samples)} phases "
          f"(movement phases only: {median_ms(movement):.2f} ms)")
    return ms


def bench_sizes(sizes: list[int], quick: bool) -> tuple[list[float], State]:
    per_turn: list[float] = []
    state = None
    for n in sizes:
        t = time.perf_counter()
        state = geometric_game(n, seed=1)
        build = time.perf_counter() - t
        samples = turn_times(state, seed=1, turns=2 if quick else 3, repeats=2 if quick else 3)
        per_turn.append(median_ms(samples))
        print(f"(c) {n:6d} places, {len(state.world.board.routes):6d} routes, {len(state.units):5d} units: "
              f"{per_turn[-1]:8.1f} ms per turn (board built in {build:.2f} s)")
    slope = float(np.polyfit(np.log(sizes), np.log(per_turn), 1)[0])
    print(f"    growth exponent (slope of log time vs log places): {slope:.2f}  [target <= 1.2]")
    if sizes[-1] >= 20000:
        verdict = "met" if per_turn[-1] < 1000 else "MISSED"
        print(f"    {sizes[-1]} places: {per_turn[-1]:.0f} ms per turn  [target < 1000 ms: {verdict}]")
    assert state is not None
    return per_turn, state


def plain_bfs(state: State, adj: list[list[tuple[int, int]]], sources: list[list[int]]) -> list[list[int]]:
    """Hop distances from each faction's sources through friendly, uncontested places along open routes."""
    w = state.world
    controller = state.controller.tolist()
    contested = state.contested.tolist()
    is_open = state.route_open.tolist()
    out = []
    for f in range(len(w.factions)):
        friendly = w.friendly[f].tolist()
        held = [friendly[c] and not k for c, k in zip(controller, contested)]
        dist = [-1] * len(held)
        queue = deque(sources[f])
        for s in sources[f]:
            dist[s] = 0
        while queue:
            p = queue.popleft()
            for q, rid in adj[p]:
                if dist[q] < 0 and held[q] and is_open[rid]:
                    dist[q] = dist[p] + 1
                    queue.append(q)
        out.append(dist)
    return out


def bench_supply(state: State, quick: bool) -> None:
    repeats = 10 if quick else 40
    ours = median_ms(timed(lambda: supply_distances(state), repeats))
    adj = state.world.board.edge_lists()
    sources = [source_places(state, f) for f in range(len(state.world.factions))]
    plain = median_ms(timed(lambda: plain_bfs(state, adj, sources), max(3, repeats // 4)))
    n, nf = state.world.board.n_places, len(state.world.factions)
    print(f"(d) supply for all {nf} factions at {n} places: supply_distances {ours:.2f} ms "
          f"[target < 5 ms: {'met' if ours < 5 else 'MISSED'}]; plain-Python BFS {plain:.2f} ms; "
          f"speed-up {plain / ours:.1f}x [target >= 3x: {'met' if plain / ours >= 3 else 'MISSED'}]")
    print("    (supply_distances is a weighted Dijkstra with a range limit; the BFS counts hops, unlimited)")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    ap.add_argument("--sizes", default="1000,5000,20000", help="synthetic board sizes (comma-separated)")
    ap.add_argument("--no-gc", action="store_true", help="pause the garbage collector while a turn is timed")
    args = ap.parse_args(argv)
    global NO_GC
    NO_GC = args.no_gc
    if NO_GC:
        print("(garbage collector paused during timed turns)")
    ours = bench_default(args.quick)
    theirs = bench_diplomacy(args.quick)
    if theirs:
        ratio = ours / theirs
        print(f"    our turn / diplomacy phase = {ratio:.2f}  [target <= 1.0: {'met' if ratio <= 1.0 else 'MISSED'}]")
    sizes = [int(x) for x in args.sizes.split(",")]
    _, big = bench_sizes(sizes, args.quick)
    bench_supply(big, args.quick)
    print(f"(e) peak memory of this run: {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
