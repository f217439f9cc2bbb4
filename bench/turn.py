"""How fast is a turn? Prints figures and ratios; asserts nothing (timings do not belong in tests).

    python bench/turn.py [--quick]

(a) our whole turn, `resolve_turn` (order checking included), on the turns of normal-bot games of
    the default scenario, and (b) the `diplomacy` package's `Game.process()` on the phases of games
    of the standard map with random legal orders, timed alternately call by call so both meet the
    same machine load; each call gets a fresh copy (ours: a copy of the state with no derived
    lookups; theirs: a new Game set to the phase's state, caches cleared). What a scenario fixes
    stays warm on both sides (our World's lookups, its Map), as in a game past its first turn.
    Medians, p90 and our median / theirs (target <= 1.0);
(c) synthetic planar-ish boards of 1,000, 5,000 and 20,000 places: ms per turn and the
    growth exponent (target: 20,000 places under 1 s per turn, exponent <= 1.2);
(d) the supply trace for every faction at 20,000 places against a plain-Python BFS
    (target < 5 ms and >= 3x faster);
(e) the peak memory of the whole run (the bots' orders at 20,000 places once took it to 10 GB).
Bot ordering time is excluded everywhere; each timed turn starts from a copy of the state with an
empty derived-lookup cache, so the engine cannot reuse what the bots' legal-order search computed.
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
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.memory import peak_mb  # noqa: E402
from bench.synthetic import geometric_game  # noqa: E402
from game.engine import Order, State, resolve_turn, turn_rng  # noqa: E402
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
    """Times of `resolve_turn` over a bot game (for the large boards of (c)): each turn resolved
    `repeats` times, each on a fresh copy of the state whose derived lookups are empty."""
    samples: list[float] = []
    state = start
    for _ in range(turns):
        if state.is_over:
            break
        orders = bot_orders(state, seed)
        after = state
        for _ in range(repeats):
            fresh = cold_copy(state)
            rng = turn_rng(seed, state.turn)
            t = _start_clock()
            after, _ = resolve_turn(fresh, orders, rng)
            samples.append(_stop_clock(t))
        state = after
    return samples


def cold_copy(state: State) -> State:
    """A fresh copy of `state` with nothing derived: no lookup the bots' legal-order search (or an
    earlier timing) worked out. The world's lookups (fixed by the scenario) stay warm."""
    fresh = state.copy()
    fresh.cache.clear()
    return fresh


def _start_clock() -> float:
    if NO_GC:
        gc.collect()
        gc.disable()
    return time.perf_counter()


def _stop_clock(t: float) -> float:
    took = time.perf_counter() - t
    gc.enable()
    return took


def default_game() -> tuple[str, State]:
    """The default scenario, or a ~50-place synthetic board when it cannot be loaded yet."""
    try:
        from game.scenario import load_scenario

        _, state = load_scenario(DEFAULT_SCENARIO)
        return f"{DEFAULT_SCENARIO.name} ({state.world.board.n_places} places, {len(state.units)} units)", state
    except (ImportError, OSError, ValueError) as exc:
        state = geometric_game(50, 3)
        return f"synthetic 50 places ({len(state.units)} units; default scenario unavailable: {exc})", state


def our_cases(quick: bool) -> tuple[str, list[tuple[State, dict[str, list[Order]], int]]]:
    """Every turn of bot games on the default scenario: (state at its start, the normal bots' orders
    for it, the game's seed). The bots run here, outside any timing."""
    name, start = default_game()
    cases = []
    for seed in range(3 if quick else 6):
        state = start
        for _ in range(10):
            if state.is_over:
                break
            orders = bot_orders(state, seed)
            cases.append((state, orders, seed))
            state, _ = resolve_turn(cold_copy(state), orders, turn_rng(seed, state.turn))
    return name, cases


def their_cases(quick: bool) -> list[tuple[dict[str, Any], dict[str, list[str]], bool]]:
    """Phases of `diplomacy` games on the standard map with random legal orders: (the game's state
    before the phase, every power's orders, whether it is a movement phase)."""
    from diplomacy import Game

    cases = []
    for seed in range(2 if quick else 5):
        rng = random.Random(seed)
        game = Game()
        for _ in range(30):
            if game.is_game_done:
                break
            possible = game.get_all_possible_orders()
            orders = {}
            for power in game.powers:
                locs = game.get_orderable_locations(power)
                orders[power] = [rng.choice(possible[loc]) for loc in locs if possible.get(loc)]
                game.set_orders(power, orders[power])
            cases.append((game.get_state(), orders, game.get_current_phase().endswith("M")))
            game.process()
    return cases


def fresh_game(state: dict[str, Any], orders: dict[str, list[str]]) -> Any:
    """A new `diplomacy.Game` set to `state` with `orders` given and its caches cleared."""
    from diplomacy import Game

    game = Game()
    game.set_state(state)
    for power, given in orders.items():
        game.set_orders(power, given)
    game.clear_cache()
    return game


def percentile_ms(samples: list[float], q: float) -> float:
    return 1000.0 * float(np.percentile(samples, q))


def bench_fair(quick: bool) -> tuple[float, float] | None:
    """(a) and (b) interleaved call by call: our whole turn (order checking included) on a fresh
    copy of a bot game's state, then diplomacy's `Game.process()` on a fresh game, and so on."""
    name, ours = our_cases(quick)
    try:
        theirs = their_cases(quick)
    except ImportError:
        theirs = []
        print("(b) diplomacy is not installed (pip install -r requirements-bench.txt): timing ours alone")
    pairs = 120 if quick else 600
    mine: list[float] = []
    other: list[float] = []
    movement: list[float] = []
    for k in range(pairs):
        state, orders, seed = ours[k % len(ours)]
        fresh, rng = cold_copy(state), turn_rng(seed, state.turn)
        t = _start_clock()
        resolve_turn(fresh, orders, rng)
        mine.append(_stop_clock(t))
        if theirs:
            dstate, dorders, is_movement = theirs[k % len(theirs)]
            game = fresh_game(dstate, dorders)
            t = _start_clock()
            game.process()
            other.append(_stop_clock(t))
            if is_movement:
                movement.append(other[-1])
    ms = median_ms(mine)
    print(f"(a) our whole turn (resolve_turn: order checking included) on {name}, {len(ours)} turns of "
          f"normal-bot games (orders computed untimed), {len(mine)} timed calls, each on a fresh copy of the "
          f"state with no derived lookups (the world's scenario-fixed lookups stay warm, as in a game after "
          f"its first turn): median {ms:.2f} ms, p90 {percentile_ms(mine, 90):.2f} ms")
    if not other:
        return None
    theirs_ms = median_ms(other)
    print(f"(b) diplomacy Game.process() on the standard map with random legal orders, {len(theirs)} phases, "
          f"{len(other)} timed calls interleaved with ours, each on a fresh Game set to the phase's state "
          f"with its caches cleared (its map stays cached): median {theirs_ms:.2f} ms, "
          f"p90 {percentile_ms(other, 90):.2f} ms (movement phases only: median {median_ms(movement):.2f} ms)")
    return ms, theirs_ms


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
    fair = bench_fair(args.quick)
    if fair:
        ratio = fair[0] / fair[1]
        verdict = "met" if ratio <= 1.0 else "MISSED"
        print(f"    our turn / diplomacy phase (medians) = {ratio:.2f}  [target <= 1.0: {verdict}]")
    sizes = [int(x) for x in args.sizes.split(",")]
    _, big = bench_sizes(sizes, args.quick)
    bench_supply(big, args.quick)
    print(f"(e) peak memory of this run: {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
