"""Headless runs: every side played by a bot, one line printed per turn."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from game.ai import choose_orders
from game.engine import Order, State, resolve_turn, state_hash, turn_rng
from game.engine import events as ev

from .log import LogError, LogWriter, decode_orders, read_log, start_of

Bot = Callable[[State, str, np.random.Generator], list[Order]]


def bot_rng(seed: int, turn: int, side_index: int) -> np.random.Generator:
    """A bot's generator for one turn, separate from the turn's own."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, turn, 1 + side_index])))


def bot_orders(state: State, seed: int, bot: Bot = choose_orders) -> dict[str, list[Order]]:
    return {side: bot(state, side, bot_rng(seed, state.turn, i)) for i, side in enumerate(state.world.sides)}


def turn_line(before: State, after: State, events: Sequence[ev.Event]) -> str:
    """`Turn 1 2024-12-07: homs → hts; routed 1; cut off 2 | cohesion government 0.31 …`"""
    w = before.world
    names = {p.id: p.name for p in w.board.places}
    captured = [f"{names[e.place]} → {e.faction}" for e in events if isinstance(e, ev.PlaceCaptured)]
    routed = sum(isinstance(e, ev.UnitRouted) for e in events)
    cut = sum(isinstance(e, ev.SupplyCut) for e in events)
    gone = sum(isinstance(e, (ev.UnitSurrendered, ev.UnitFled)) for e in events)
    parts = [", ".join(captured) if captured else "no place changed hands",
             f"routed {routed}", f"cut off {cut}", f"surrendered or fled {gone}"]
    coh = " ".join(f"{f.id} {after.f_cohesion[i]:.2f}" for i, f in enumerate(w.factions))
    line = f"Turn {before.turn:2d} {before.date}: " + "; ".join(parts) + f" | cohesion {coh}"
    for e in events:
        if isinstance(e, ev.GameOver):
            line += f"\nGame over: {', '.join(e.winners) or 'nobody'} ({e.reason})"
    return line


@dataclass
class RunResult:
    final: State
    hashes: list[str] = field(default_factory=list)
    events: list[list[ev.Event]] = field(default_factory=list)


def run_game(start: State, turns: int, seed: int, *, log: str | Path | None = None, source: str = "",
             bot: Bot = choose_orders, echo: Callable[[str], None] | None = None) -> RunResult:
    """Play up to `turns` turns (or until the game ends), all sides by `bot`."""
    writer = LogWriter(log, start, seed, source) if log else None
    state = start
    result = RunResult(start)
    for _ in range(turns):
        if state.is_over:
            break
        orders = bot_orders(state, seed, bot)
        after, events = resolve_turn(state, orders, turn_rng(seed, state.turn))
        h = state_hash(after)
        if writer:
            writer.turn(state.turn, orders, h)
        if echo:
            echo(turn_line(state, after, events))
        result.hashes.append(h)
        result.events.append(events)
        state = after
    result.final = state
    if writer:
        writer.close(state_hash(state))
    return result


def replay(path: str | Path, mapping: Mapping[str, str] | None = None) -> tuple[State, list[str]]:
    """Re-resolve a log's orders; raises LogError when a turn's hash differs from the logged one."""
    header, records = read_log(path)
    try:
        state = start_of(header)
    except LogError as exc:
        raise LogError(f"{path}:1: {exc}") from None
    seed = int(header["seed"])
    problems: list[str] = []
    for rec in records:
        if rec.get("type") == "turn":
            orders = decode_orders(rec["orders"])
            state, _ = resolve_turn(state, orders, turn_rng(seed, state.turn))
            h = state_hash(state)
            if h != rec.get("hash"):
                logged = str(rec.get("hash"))[:12]
                problems.append(f"turn {rec.get('turn')}: hash {h[:12]} differs from the log's {logged}")
        elif rec.get("type") == "end" and rec.get("hash") != state_hash(state):
            problems.append("final hash differs from the log's")
    if problems:
        raise LogError(f"{path}: replay diverged: " + "; ".join(problems))
    return state, problems
