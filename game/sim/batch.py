"""Monte Carlo batches: many bot games of one scenario, each with its own child seed.

Run i's seed comes from `numpy.random.SeedSequence(seed).spawn(runs)[i]`, and a run
depends on nothing else, so the results are the same whatever the number of
workers, local processes or a Dask cluster. Worker functions are top level
(spawn-safe); each worker builds the scenario once and keeps it.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from game.ai import make_bot
from game.engine import State, World, resolve_turn, turn_rng
from game.engine import events as ev
from game.engine.benchmarks import standings

from .batch_pool import WorkerLost, WorkerPool
from .runner import bot_orders

KEY_VALUE = 5.0
"""Places of at least this victory value are key places (as are all places named in victory conditions)."""


@dataclass(frozen=True)
class BatchSpec:
    """Everything a worker needs to play runs: the scenario's data (overrides applied), its name and folder."""

    data: dict[str, Any]
    name: str
    base: str | None
    turns: int
    level: str = "normal"
    key_value: float = KEY_VALUE

    def digest(self) -> str:
        text = json.dumps([self.data, self.name, self.turns, self.level, self.key_value], sort_keys=True,
                          default=str)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class RunRecord:
    """What one run leaves for the statistics: who held each key place after each turn, when it first
    changed hands (taken, handed over or given by an event), which factions broke (and when), and the
    game's outcome."""

    run: int
    seed: int
    turns: int
    control: dict[str, list[str]]
    fall_turn: dict[str, int | None]
    collapse_turn: dict[str, int | None]
    winners: tuple[str, ...]
    reason: str
    scores: dict[str, float]
    cohesion: dict[str, float]
    standings: dict[str, float] = field(default_factory=dict)
    """Per side with benchmarks: its standing against history at the end (above 0 beats history)."""

    def to_dict(self) -> dict[str, Any]:
        return {"run": self.run, "seed": self.seed, "turns": self.turns, "control": self.control,
                "fall_turn": self.fall_turn, "collapse_turn": self.collapse_turn, "winners": list(self.winners),
                "reason": self.reason, "scores": self.scores, "cohesion": self.cohesion,
                "standings": self.standings}


def key_places(world: World, min_value: float = KEY_VALUE) -> list[str]:
    """Victory-condition places and places worth at least `min_value`, in board order."""
    named = {p for vc in world.victory for p in vc.places}
    return [p.id for p in world.board.places if p.id in named or p.value >= min_value]


def run_seeds(seed: int, runs: int) -> list[int]:
    """One 63-bit integer seed per run, from SeedSequence(seed).spawn(runs)."""
    return [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in np.random.SeedSequence(seed).spawn(runs)]


def play_run(start: State, turns: int, seed: int, run: int, places: Sequence[str],
             bot: Callable[..., Any]) -> RunRecord:
    """Play one game with the runner's conventions (so `main.py run --seed SEED` replays it)."""
    w = start.world
    idx = [w.board.index[p] for p in places]
    control: dict[str, list[str]] = {p: [] for p in places}
    fall: dict[str, int | None] = dict.fromkeys(places)
    broke: dict[str, int | None] = {f.id: None for f in w.factions}
    state = start
    for _ in range(turns):
        if state.is_over:
            break
        turn = state.turn
        state, events = resolve_turn(state, bot_orders(state, seed, bot), turn_rng(seed, turn))
        for e in events:
            if isinstance(e, ev.CONTROL_CHANGES) and e.place in fall and fall[e.place] is None:
                fall[e.place] = turn
            elif isinstance(e, ev.FactionBroken) and broke.get(e.faction) is None:
                broke[e.faction] = turn
        for p, i in zip(places, idx):
            control[p].append(w.factions[int(state.controller[i])].id)
    outcome = state.outcome
    return RunRecord(
        run=run, seed=seed, turns=state.turn - start.turn, control=control, fall_turn=fall, collapse_turn=broke,
        winners=tuple(outcome.winners) if outcome else (), reason=outcome.reason if outcome else "not finished",
        scores={f.id: round(float(state.f_score[i]), 4) for i, f in enumerate(w.factions)},
        cohesion={f.id: round(float(state.f_cohesion[i]), 4) for i, f in enumerate(w.factions)},
        standings={k: round(v, 4) for k, v in standings(state).items()})


_BUILT: dict[str, tuple[State, list[str], Any]] = {}


def build(spec: BatchSpec) -> tuple[State, list[str], Any]:
    """The starting state, key places and bot of a spec, built once per process (or thread)."""
    key = spec.digest()
    hit = _BUILT.get(key)
    if hit is None:
        from game.scenario import build_from_data

        world, state = build_from_data(spec.data, spec.name, base=spec.base)
        ai = spec.data.get("ai") if isinstance(spec.data.get("ai"), dict) else None
        hit = (state, key_places(world, spec.key_value), make_bot(spec.level, ai))
        if len(_BUILT) >= 4:
            _BUILT.clear()
        _BUILT[key] = hit
    return hit


def run_chunk(spec: BatchSpec, chunk: Sequence[tuple[int, int]]) -> list[RunRecord]:
    """Play the (run index, seed) pairs of one chunk. Top level, so any executor can ship it."""
    start, places, bot = build(spec)
    return [play_run(start, spec.turns, seed, run, places, bot) for run, seed in chunk]


def chunks(seeds: Sequence[int], workers: int) -> list[list[tuple[int, int]]]:
    """Small chunks: enough to keep every worker busy and the progress bar moving."""
    size = max(1, min(4, len(seeds) // max(1, workers * 8)))
    pairs = list(enumerate(seeds))
    return [pairs[i:i + size] for i in range(0, len(pairs), size)]


@dataclass
class BatchRun:
    """The records of a batch (sorted by run), whether it was interrupted, and how long it took."""

    records: list[RunRecord] = field(default_factory=list)
    requested: int = 0
    interrupted: bool = False
    seconds: float = 0.0
    stopped: str = ""
    """Why the batch stopped early other than by Ctrl-C (a worker process died), else empty."""


Progress = Callable[[int, int], None]


def run_local(spec: BatchSpec, seed: int, runs: int, workers: int = 1, progress: Progress | None = None) -> BatchRun:
    """Play `runs` games in `workers` processes (1: in this process). Ctrl-C (KeyboardInterrupt) stops early,
    kills the workers at once and keeps what finished; so does a worker that dies (`out.stopped` says how)."""
    out = BatchRun(requested=runs)
    t0 = time.perf_counter()
    parts = chunks(run_seeds(seed, runs), workers)

    def done(records: list[RunRecord]) -> None:
        out.records.extend(records)
        if progress:
            progress(len(out.records), runs)

    try:
        if workers <= 1:
            for part in parts:
                done(run_chunk(spec, part))
        else:
            _play_in_workers(spec, parts, min(workers, len(parts)), done)
    except KeyboardInterrupt:
        out.interrupted = True
    except WorkerLost as exc:
        out.interrupted = True
        out.stopped = str(exc)
    out.records.sort(key=lambda r: r.run)
    out.seconds = time.perf_counter() - t0
    return out


def _play_in_workers(spec: BatchSpec, parts: list[list[tuple[int, int]]], workers: int,
                     done: Callable[[list[RunRecord]], None]) -> None:
    pool = WorkerPool(run_chunk, spec, workers)
    finished = False
    try:
        pool.start()
        pool.play_all(parts, done)
        finished = True
    finally:
        pool.stop(at_once=not finished)


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def default_workers() -> int:
    return max(1, min(usable_cores(), 8))
