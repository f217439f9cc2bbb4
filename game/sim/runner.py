"""Headless runs: every side played by a bot, one line printed per turn; the umpire's scripted rulings
applied between the turns and logged."""

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
from game.engine.rulings import CombatResult, MatrixAction, Override, Refused, Ruling

from .log import LogError, LogWriter, a, check_record, decode_orders, read_log, start_of
from .umpiring import UMPIRE_RECORDS, Umpiring

Bot = Callable[[State, str, np.random.Generator], list[Order]]
Plan = Mapping[int, Sequence[Override | MatrixAction]]
"""The umpire's rulings for a run, by the turn they belong to (a changed combat result: the turn whose
battle it changes, applied straight after that turn; any other: applied before that turn is played)."""


def bot_rng(seed: int, turn: int, side_index: int) -> np.random.Generator:
    """A bot's generator for one turn, separate from the turn's own."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, turn, 1 + side_index])))


def bot_orders(state: State, seed: int, bot: Bot = choose_orders) -> dict[str, list[Order]]:
    return {side: bot(state, side, bot_rng(seed, state.turn, i)) for i, side in enumerate(state.world.sides)}


HOW: dict[type, str] = {ev.PlaceCaptured: "", ev.PlaceHandedOver: " (handed over)",
                        ev.PlaceControlSet: " (by an event)"}
"""How a place changed hands, after its new holder in a turn's line (nothing for a capture)."""


def turn_line(before: State, after: State, events: Sequence[ev.Event]) -> str:
    """`Turn 1 2024-12-07: Homs → hts, Raqqa → sdf (handed over); routed 1; cut off 2 | cohesion …`: every
    place that changed hands in the turn (taken, handed over, or given by an event or the umpire's ruling
    before it), and how."""
    w = before.world
    names = {p.id: p.name for p in w.board.places}
    captured = [f"{names[e.place]} → {e.faction}{HOW[type(e)]}" for e in events
                if isinstance(e, ev.CONTROL_CHANGES)]
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
    """Each turn's events, after those of the umpire's rulings before it (as a report's turn page has them)."""


def ruling_line(ruling: Ruling, turn: int) -> str:
    """`Umpire, turn 2: support russia: air 0.60 → air 0.30 (reason)` or a matrix action's roll."""
    e = ruling.events[0]
    if isinstance(e, ev.MatrixResolved):
        mods = sum(v for _, v in e.modifiers)
        return (f"Umpire, turn {turn}: matrix action by {e.team}: {e.action}: rolled {e.roll[0]}+{e.roll[1]}"
                f"{f' (modifiers {mods:+d})' if mods else ''} against {e.needed}: "
                f"{'success' if e.success else 'failure'} ({e.reason})")
    assert isinstance(e, ev.UmpireOverride)
    change = " → ".join(x for x in (e.before, e.after) if x)
    what = " ".join(x for x in (e.what.replace("_", " "), e.target) if x)
    return f"Umpire, turn {turn}: {what}: {change} ({e.reason})"


def _rule(table: Umpiring, rulings: Sequence[Override | MatrixAction], writer: LogWriter | None,
          echo: Callable[[str], None] | None) -> list[ev.Event]:
    """Apply rulings in order, logging and echoing each (`Refused`, naming the turn, stops the run); their
    events, in order."""
    events: list[ev.Event] = []
    for r in rulings:
        turn = table.turn_of(r) if isinstance(r, Override) else table.state.turn
        try:
            ruling, record = table.override(r) if isinstance(r, Override) else table.matrix(r)
        except Refused as exc:
            raise Refused(f"the umpire's ruling for turn {turn}: {exc}") from None
        if writer:
            writer.ruling(record)
        if echo:
            echo(ruling_line(ruling, turn))
        events += ruling.events
    return events


def _is_combat(r: Override | MatrixAction) -> bool:
    return isinstance(r, Override) and isinstance(r.change, CombatResult)


def run_game(start: State, turns: int, seed: int, *, log: str | Path | None = None, source: str = "",
             bot: Bot = choose_orders, echo: Callable[[str], None] | None = None, umpire: Plan | None = None,
             ) -> RunResult:
    """Play up to `turns` turns (or until the game ends), all sides by `bot`, with the umpire's rulings of
    `umpire`. With `log`, the order log is written (LogError before the first turn when `log` names a file
    that is not a log); a run stopped by an exception or Ctrl-C leaves a log marked as interrupted."""
    writer = LogWriter(log, start, seed, source) if log else None
    plan = umpire or {}
    table = Umpiring(start, seed)
    result = RunResult(start)
    try:
        for _ in range(turns):
            if table.state.is_over:
                break
            # the rulings before a turn belong to it, as on its page of the report: a place one gave away
            # is in the turn's line with the places taken in it
            opening = _rule(table, [r for r in plan.get(table.state.turn, ()) if not _is_combat(r)], writer, echo)
            state = table.state
            orders = bot_orders(state, seed, bot)
            after, events = resolve_turn(state, orders, turn_rng(seed, state.turn))
            table.resolved(state, orders, after, events)
            h = state_hash(after)
            if writer:
                writer.turn(state.turn, orders, h, [e for e in events if isinstance(e, ev.OrderRejected)])
            if echo:
                echo(turn_line(state, after, [*opening, *events]))
            _rule(table, [r for r in plan.get(state.turn, ()) if _is_combat(r)], writer, echo)
            result.hashes.append(h)
            result.events.append([*opening, *(table.last.events if table.last else events)])
        if not table.state.is_over:
            _rule(table, [r for r in plan.get(table.state.turn, ()) if not _is_combat(r)], writer, echo)
        left = sorted(t for t in plan if t > table.state.turn or (t == table.state.turn and table.state.is_over))
        if left and echo:
            echo(f"Umpire: the run ended before the rulings planned for turn {', '.join(map(str, left))}; "
                 "they were not applied")
        result.final = table.state
        if writer:
            writer.close(state_hash(table.state))
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
        self.table = Umpiring(self.state, self.seed)
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
        self.table.resolved(s, orders, after, events)
        h = state_hash(after)
        if h != rec["hash"]:
            self.diverged.append((no, f"turn {s.turn}: hash {h[:12]} differs from the log's {rec['hash'][:12]}"))

    def ruling(self, no: int, rec: dict[str, Any]) -> None:
        """An umpire's override or matrix action: applied as recorded, and checked against its hash."""
        ruling = self.table.replay_record(self.path, no, rec)
        self.state = ruling.state
        h = state_hash(ruling.state)
        if h != rec["hash"]:
            self.diverged.append((no, f"the umpire's {rec['type']} of turn {rec['turn']}: hash {h[:12]} differs "
                                      f"from the log's {rec['hash'][:12]}"))

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
                raise LogError(f"{self.where(no)}: {a(kind)} record after the final record (line {ended})")
            if kind == "turn":
                self.turn(no, rec)
            elif kind in UMPIRE_RECORDS:
                self.ruling(no, rec)
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
