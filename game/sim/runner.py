"""Headless runs: every side played by a bot, one line printed per turn."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from game.ai import choose_orders
from game.engine import Order, State, resolve_turn, state_hash, turn_rng
from game.engine import events as ev
from game.engine.codec import encode

from .log import LogError, LogWriter, check_record, decode_orders, read_log, start_of

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
    """Play up to `turns` turns (or until the game ends), all sides by `bot`. With `log`, the order log is
    written (LogError before the first turn when `log` names a file that is not a log); a run stopped by
    an exception or Ctrl-C leaves a log marked as interrupted."""
    writer = LogWriter(log, start, seed, source) if log else None
    state = start
    result = RunResult(start)
    try:
        for _ in range(turns):
            if state.is_over:
                break
            orders = bot_orders(state, seed, bot)
            after, events = resolve_turn(state, orders, turn_rng(seed, state.turn))
            h = state_hash(after)
            if writer:
                writer.turn(state.turn, orders, h, [e for e in events if isinstance(e, ev.OrderRejected)])
            if echo:
                echo(turn_line(state, after, events))
            result.hashes.append(h)
            result.events.append(events)
            state = after
        result.final = state
        if writer:
            writer.close(state_hash(state))
    except BaseException as exc:
        if writer:
            writer.abort("stopped by Ctrl-C" if isinstance(exc, KeyboardInterrupt) else type(exc).__name__)
        raise
    return result


class Replay:
    """Re-resolves one log record by record, checking each against the engine (see `replay`)."""

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self.header, self.records = read_log(path)
        try:
            self.state = start_of(self.header)
        except LogError as exc:
            raise LogError(f"{path}:1: {exc}") from None
        self.seed = int(self.header["seed"])
        self.sides = set(self.state.world.sides)
        self.diverged: list[tuple[int, str]] = []
        self.first_turn = self.state.turn

    def where(self, no: int) -> str:
        return f"{self.path}:{no}"

    def held(self) -> str:
        """Which turns the log holds, for messages."""
        last = self.state.turn - 1
        return "no turn" if last < self.first_turn else f"turns {self.first_turn}-{last}"

    def turn(self, no: int, rec: dict[str, Any]) -> None:
        s = self.state
        if s.is_over:
            raise LogError(f"{self.where(no)}: turn {rec['turn']} comes after the game ended (turn {s.turn - 1})")
        if rec["turn"] != s.turn:
            raise LogError(f"{self.where(no)}: turn {rec['turn']} where turn {s.turn} was expected")
        unknown = sorted(set(rec["orders"]) - self.sides)
        if unknown:
            raise LogError(f"{self.where(no)}: turn {s.turn}: orders for an unknown side {unknown[0][:40]!r}")
        orders = decode_orders(rec["orders"])
        after, events = resolve_turn(s, orders, turn_rng(self.seed, s.turn))
        logged = {(r.get("side"), repr(r.get("order"))) for r in rec.get("rejected", [])}
        for e in events:
            if isinstance(e, ev.OrderRejected) and (e.side, repr(encode(e.order))) not in logged:
                order = repr(e.order)[:120]
                raise LogError(f"{self.where(no)}: turn {s.turn}: the engine rejects {e.side}'s order {order}: "
                               f"{e.reason}")
        self.state = after
        h = state_hash(after)
        if h != rec["hash"]:
            self.diverged.append((no, f"turn {s.turn}: hash {h[:12]} differs from the log's {rec['hash'][:12]}"))

    def run(self) -> State:
        try:
            return self._run()
        except LogError as exc:
            if exc.cut_short:
                raise LogError(f"{exc}; it holds {self.held()}{self.agreement()}") from None
            raise

    def _run(self) -> State:
        ended = 0
        for no, rec in self.records:
            kind = check_record(self.path, no, rec)
            if ended:
                raise LogError(f"{self.where(no)}: a {kind} record after the final record (line {ended})")
            if kind == "turn":
                self.turn(no, rec)
            elif kind == "interrupted":
                raise LogError(f"{self.where(no)}: the log is from an interrupted run ({rec['reason'][:40]}): "
                               f"it holds {self.held()}{self.agreement()}")
            else:
                ended = no
                if rec["hash"] != state_hash(self.state):
                    self.diverged.append((no, "the final hash differs from the log's"))
        if not ended:
            raise LogError(f"{self.path}: the log is incomplete (cut short, or the run was interrupted): it has no "
                           f"final record and holds {self.held()}{self.agreement()}")
        if self.diverged:
            raise LogError(f"{self.where(self.diverged[0][0])}: replay diverged: {self.divergence()}")
        return self.state

    def divergence(self) -> str:
        """The first turn whose hash differs, and the lines of the next few."""
        first, *rest = self.diverged
        also = f" (also line{'s' if len(rest) > 1 else ''} {', '.join(str(no) for no, _ in rest[:5])})" if rest else ""
        return first[1] + also

    def agreement(self) -> str:
        if self.diverged:
            return f"; and the replay diverged at line {self.diverged[0][0]}: {self.divergence()}"
        return ", which replay to the logged hashes"


def replay(path: str | Path, mapping: Mapping[str, str] | None = None) -> tuple[State, list[str]]:
    """Re-resolve a log's orders. LogError (naming the line) when a record is damaged or out of order, an
    order is rejected that the log did not record as rejected, a hash differs, or the log is incomplete."""
    return Replay(path).run(), []
