"""A logged game turn by turn: every state, the orders and the events, and the umpire's records.

The log holds the starting save and each turn's orders; playing it back re-resolves them with the
logged seed (as `runner.replay` does) and keeps what a report or a view needs. Records other than
turns (`override`, `matrix`; see docs/classroom.md) are kept as written, in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.engine import Order, State, resolve_turn, state_hash, turn_rng
from game.engine import events as ev

from .log import LogError, decode_orders, read_log, start_of

UMPIRE_RECORDS = ("override", "matrix")
"""Record types the umpire's console writes into a log (the report lists them)."""


@dataclass
class TurnPlayed:
    """One resolved turn: the state before and after, every side's orders and the events."""

    turn: int
    before: State
    after: State
    orders: dict[str, list[Order]]
    events: list[ev.Event]


@dataclass
class PlayedGame:
    """A log played back: its header, the start, each turn, and the umpire's records."""

    path: str
    seed: int
    source: str
    start: State
    turns: list[TurnPlayed] = field(default_factory=list)
    umpire: list[dict[str, Any]] = field(default_factory=list)

    @property
    def final(self) -> State:
        return self.turns[-1].after if self.turns else self.start

    def state_at(self, turn: int) -> tuple[State, list[ev.Event]]:
        """The state at the start of turn `turn` and the events of the turn before it (none at the start)."""
        first = self.start.turn
        last = self.final.turn
        if not first <= turn <= last:
            raise LogError(f"{self.path}: turn {turn} is not in the log (it runs from turn {first} to the start "
                           f"of turn {last})")
        if turn == first:
            return self.start, []
        played = self.turns[turn - first - 1]
        return played.after, played.events


def _umpire_record(path: str | Path, no: int, rec: dict[str, Any]) -> dict[str, Any]:
    """An override or matrix record, checked for the fields the report reads."""
    turn = rec.get("turn")
    if not isinstance(turn, int) or isinstance(turn, bool):
        raise LogError(f"{path}:{no}: ({rec.get('type')}): `turn` must be a whole number, got {turn!r}")
    reason = rec.get("reason", "")
    if not isinstance(reason, str):
        raise LogError(f"{path}:{no}: ({rec.get('type')}): `reason` must be text, got {reason!r}")
    return rec


def play_back(path: str | Path, upto: int | None = None) -> PlayedGame:
    """Re-resolve a log's turns (all, or those before turn `upto`), checking each against its hash.
    Raises LogError naming the log and what is wrong with it."""
    header, records = read_log(path)
    try:
        start = start_of(header)
        seed = int(header["seed"])
    except (LogError, TypeError, ValueError) as exc:
        raise LogError(f"{path}:1: {exc}") from None
    game = PlayedGame(str(path), seed, str(header.get("source", "")), start)
    state = start
    for no, rec in records:
        kind = rec.get("type")
        if kind in UMPIRE_RECORDS:
            game.umpire.append(_umpire_record(path, no, rec))
        elif kind == "turn" and (upto is None or state.turn < upto):
            try:
                orders = decode_orders(rec["orders"])
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise LogError(f"{path}:{no}: the orders of turn {rec.get('turn')} cannot be read "
                               f"({type(exc).__name__}: {exc})") from None
            after, events = resolve_turn(state, orders, turn_rng(seed, state.turn))
            if rec.get("hash") is not None and state_hash(after) != rec.get("hash"):
                raise LogError(f"{path}:{no}: replaying turn {state.turn} gives another game than the "
                               "logged one (its hash differs): the log and this version of the rules disagree")
            game.turns.append(TurnPlayed(state.turn, state, after, orders, list(events)))
            state = after
    return game
