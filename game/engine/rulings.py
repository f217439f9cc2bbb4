"""The umpire's rulings as typed records: overrides and matrix-game actions (applied by engine/umpire.py).

Every record is plain data (frozen dataclasses of strings, numbers and the effects of specs.py), so
it encodes to JSON with `codec.encode` and decodes with `codec.decode`, for the log and the network.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import events as ev
from .orders import Order
from .specs import Effect
from .state import State


@dataclass(frozen=True)
class FireInject:
    """Fire one of the scenario's injects now, whatever its conditions and chance."""

    inject: str


@dataclass(frozen=True)
class NewInject:
    """An inject the umpire writes: a message (to the override's audience) with any effects."""

    title: str
    message: str = ""
    effects: tuple[Effect, ...] = ()


@dataclass(frozen=True)
class CombatResult:
    """The battle at `place` in the turn just resolved reads `result` (crt.RESULTS): the turn is
    resolved again from its start with the same orders and dice, that battle taking this result and
    every other battle of the turn keeping the one it had."""

    place: str
    result: str


Change = FireInject | NewInject | CombatResult | Effect
"""What an override changes: an inject fired or written, a combat result, or one effect of the
events vocabulary (a support level, a rule, a place's controller, …)."""


@dataclass(frozen=True)
class Override:
    """One change the umpire makes on the record: what, why (required), and who is told ("all",
    team or side ids; empty: the umpire alone)."""

    change: Change
    reason: str
    audience: tuple[str, ...] = ("all",)
    by: str = "umpire"


@dataclass(frozen=True)
class Modifier:
    """A modifier the umpire sets on a matrix action's roll, with why."""

    reason: str
    value: int


@dataclass(frozen=True)
class MatrixAction:
    """A matrix-game action: a team states what it does and why (`arguments`), others object
    (`counter_arguments`), the umpire sets `modifiers` and the number `needed` and gives a reason;
    2d6 plus the modifiers reaching `needed` succeeds, and then `effects` apply and `outcome` is told."""

    team: str
    action: str
    arguments: tuple[str, ...]
    reason: str
    counter_arguments: tuple[str, ...] = ()
    modifiers: tuple[Modifier, ...] = ()
    needed: int = 7
    outcome: str = ""
    effects: tuple[Effect, ...] = ()
    audience: tuple[str, ...] = ("all",)


@dataclass(frozen=True)
class LastTurn:
    """The turn just resolved, as changing one of its combat results needs it: the state it started
    from, the orders, the game's seed, its events (as last resolved) and the state it came to."""

    before: State
    orders: Mapping[str, Sequence[Order]]
    seed: int
    events: tuple[ev.Event, ...]
    after: State


@dataclass(frozen=True)
class Ruling:
    """An applied override or matrix action: the new state and what happened."""

    state: State
    events: tuple[ev.Event, ...]
    """Its `UmpireOverride` or `MatrixResolved` event first, then what it caused (an inject's message, the
    places its `set_controller` effects, or an override of a place's controller, gave away)."""
    last: LastTurn | None = None
    """After a changed combat result: the last turn as resolved again; its events (which hold this
    ruling's event) replace the turn's report. None when the ruling did not resolve the turn again."""
    roll: tuple[int, int] | None = None
    """A matrix action's two dice."""


class Refused(ValueError):
    """A ruling the engine will not apply (nothing was changed); the message says why, for people."""
