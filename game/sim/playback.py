"""A logged game turn by turn: every state, the orders and the events, and the umpire's records.

The log holds the starting save, each turn's orders and the umpire's rulings between the turns; playing
it back re-resolves the turns with the logged seed and applies the rulings (as `runner.replay` does) and
keeps what a report or a view needs. The umpire's records (`override`, `matrix`; see game/sim/umpiring.py
and docs/classroom.md) are also kept as written, in order, for the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.engine import Order, State, resolve_turn, state_hash, turn_rng
from game.engine import events as ev

from .log import LogError, check_record, decode_orders, read_log, start_of
from .umpiring import UMPIRE_RECORDS, Umpiring


@dataclass
class TurnPlayed:
    """One resolved turn: the state it was resolved from (after the umpire's rulings at its start), the
    state it came to (as resolved again when the umpire changed one of its combat results), every
    side's orders, its events, and the events of the umpire's rulings at its start."""

    turn: int
    before: State
    after: State
    orders: dict[str, list[Order]]
    events: list[ev.Event]
    opening: list[ev.Event] = field(default_factory=list)
    """Events of the rulings made before the turn was played (overrides, injects, matrix actions)."""


@dataclass
class PlayedGame:
    """A log played back: its header, the start, each turn, the umpire's records (as written, for the
    report), and the state now (after any rulings since the last turn, whose events are `pending`)."""

    path: str
    seed: int
    source: str
    start: State
    turns: list[TurnPlayed] = field(default_factory=list)
    umpire: list[dict[str, Any]] = field(default_factory=list)
    now: State | None = None
    pending: list[ev.Event] = field(default_factory=list)

    @property
    def final(self) -> State:
        return self.now if self.now is not None else self.turns[-1].after if self.turns else self.start

    def state_at(self, turn: int) -> tuple[State, list[ev.Event]]:
        """The state at the start of turn `turn` (after the umpire's rulings then) and the events of the
        turn before it with those of the rulings (none before the first turn but the rulings')."""
        first = self.start.turn
        last = self.final.turn
        if not first <= turn <= last:
            raise LogError(f"{self.path}: turn {turn} is not in the log (it runs from turn {first} to the start "
                           f"of turn {last})")
        i = turn - first
        before = self.turns[i - 1].events if i > 0 else []
        if i < len(self.turns):
            return self.turns[i].before, before + self.turns[i].opening
        return self.final, before + self.pending


def play_back(path: str | Path, upto: int | None = None) -> PlayedGame:
    """Re-resolve a log's turns (all, or those before turn `upto`) and apply the umpire's rulings (all, or
    those up to the start of turn `upto`), checking each against its hash. Raises LogError naming the
    log, and the line, of what is wrong with it."""
    header, records = read_log(path)
    try:
        start = start_of(header)
        seed = int(header["seed"])
    except (LogError, TypeError, ValueError) as exc:
        raise LogError(f"{path}:1: {exc}") from None
    game = PlayedGame(str(path), seed, str(header.get("source", "")), start)
    table = Umpiring(start, seed)
    for no, rec in records:
        kind = rec.get("type")
        if kind in UMPIRE_RECORDS:
            check_record(path, no, rec)
            ruling = table.replay_record(path, no, rec)
            if state_hash(ruling.state) != rec["hash"]:
                raise LogError(f"{path}:{no}: applying the umpire's {kind} of turn {rec['turn']} gives another game "
                               "than the logged one (its hash differs)")
            game.umpire.append(dict(rec))
            if ruling.last is not None:
                game.turns[-1].after = ruling.state
                game.turns[-1].events = list(ruling.last.events)
            else:
                game.pending += ruling.events
        elif kind == "turn":
            state = table.state
            if upto is not None and state.turn >= upto:
                break
            try:
                orders = decode_orders(rec["orders"])
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise LogError(f"{path}:{no}: the orders of turn {rec.get('turn')} cannot be read "
                               f"({type(exc).__name__}: {exc})") from None
            after, events = resolve_turn(state, orders, turn_rng(seed, state.turn))
            if rec.get("hash") is not None and state_hash(after) != rec.get("hash"):
                raise LogError(f"{path}:{no}: replaying turn {state.turn} gives another game than the "
                               "logged one (its hash differs): the log and this version of the rules disagree")
            table.resolved(state, orders, after, events)
            game.turns.append(TurnPlayed(state.turn, state, after, orders, list(events), game.pending))
            game.pending = []
    game.now = table.state
    return game
