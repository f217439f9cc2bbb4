"""Typed events: everything that happened in a turn.

The turn report, logs, after-action report and statistics are built from
these, never from differences between states.
"""

from __future__ import annotations

from dataclasses import dataclass

from .orders import Order


@dataclass(frozen=True)
class OrderRejected:
    side: str
    order: Order
    reason: str


@dataclass(frozen=True)
class UnitMoved:
    unit: str
    faction: str
    path: tuple[str, ...]


@dataclass(frozen=True)
class AttackCalledOff:
    """An accepted attack order that was not carried out, and why: the unit was destroyed, routed or driven
    off before its attack (battles are fought place by place), or neutral units held the place it would
    have walked into."""

    unit: str
    faction: str
    place: str
    reason: str


@dataclass(frozen=True)
class Engagement:
    """A meeting of hostile units on a route, before either reached the other's place."""

    route: str
    winner: str
    loser: str


@dataclass(frozen=True)
class Combat:
    place: str
    attacker: str
    defender: str
    attackers: tuple[str, ...]
    defenders: tuple[str, ...]
    ratio: float
    chance: float
    success: bool
    """Whether the defenders gave way (not when entrenched defenders stood on a retreat result)."""
    attacker_losses: float
    defender_losses: float
    result: str = ""
    """The graded result (crt.RESULTS)."""
    column: str = ""
    """The results table column it was read on, as odds ("2:1")."""
    shifts: tuple[tuple[str, float], ...] = ()
    """Why the column moved: (reason, columns), positive for the attacker."""
    inside: bool = False
    """The attackers were already inside the place (street fighting going on, or a meeting there): the fight
    went on rather than being launched from outside."""


@dataclass(frozen=True)
class UnitRetreated:
    unit: str
    faction: str
    place: str
    to: str
    reason: str = "defeated"


@dataclass(frozen=True)
class UnitRouted:
    unit: str
    faction: str
    place: str


@dataclass(frozen=True)
class UnitRallied:
    unit: str
    faction: str
    place: str


@dataclass(frozen=True)
class UnitSurrendered:
    unit: str
    faction: str
    place: str
    strength: float


@dataclass(frozen=True)
class UnitDestroyed:
    unit: str
    faction: str
    place: str


@dataclass(frozen=True)
class UnitFled:
    """A unit gave up and crossed a border (as some 2,000 troops fled into Iraq)."""

    unit: str
    faction: str
    place: str
    country: str
    strength: float


@dataclass(frozen=True)
class UnitDeserted:
    unit: str
    faction: str
    place: str
    strength: float


@dataclass(frozen=True)
class UnitWentToGround:
    """An insurgent cell that would have surrendered or melted away went to ground where it is instead
    (routed, its place contested while it is there); `strength`: what it still has."""

    unit: str
    faction: str
    place: str
    strength: float


@dataclass(frozen=True)
class PlaceCaptured:
    place: str
    faction: str
    previous: str
    value: float


@dataclass(frozen=True)
class PlaceContested:
    place: str
    factions: tuple[str, ...]


@dataclass(frozen=True)
class SupplyCut:
    unit: str
    faction: str
    place: str


@dataclass(frozen=True)
class SupplyRestored:
    unit: str
    faction: str
    place: str


@dataclass(frozen=True)
class AirStrike:
    patron: str
    place: str
    losses: float
    units: tuple[str, ...]


@dataclass(frozen=True)
class CloseAirSupport:
    """A patron flew close air support at a place for its side's units fighting there."""

    patron: str
    place: str
    effect: float


@dataclass(frozen=True)
class RouteInterdicted:
    """A patron's air watched a route; `losses`: strength hostile units moving along it lost."""

    patron: str
    route: str
    effect: float
    losses: float = 0.0


@dataclass(frozen=True)
class DepotStruck:
    patron: str
    place: str
    left: float


@dataclass(frozen=True)
class ForcesEvacuated:
    patron: str
    place: str
    units: tuple[str, ...]
    strength: float


@dataclass(frozen=True)
class TruceOffered:
    """A patron sought a truce for its forces with a faction; `taken`: whether it holds from now on."""

    patron: str
    faction: str
    taken: bool


@dataclass(frozen=True)
class RelationChanged:
    a: str
    b: str
    relation: str


@dataclass(frozen=True)
class PlaceHandedOver:
    place: str
    faction: str
    previous: str


@dataclass(frozen=True)
class PlaceControlSet:
    """A `set_controller` effect gave a place to a faction: an inject firing, or the umpire's ruling (an
    override of the controller, an inject fired or written, a matrix action); only when it changed who
    holds the place."""

    place: str
    faction: str
    previous: str


CONTROL_CHANGES = (PlaceCaptured, PlaceHandedOver, PlaceControlSet)
"""Every event by which a place changes hands (an umpire's override of a controller is its `UmpireOverride`,
with `what` "controller", followed by the `PlaceControlSet` of the change)."""


@dataclass(frozen=True)
class MoraleFailed:
    """A unit failed a morale check: it wavered (desertion) or broke (fell back without orders)."""

    unit: str
    faction: str
    place: str
    broke: bool
    strength: float


@dataclass(frozen=True)
class CapitalCut:
    """Part of a faction's strength lost its route to the capital."""

    faction: str
    share: float


@dataclass(frozen=True)
class ReinforcementsArrived:
    patron: str
    faction: str
    unit: str
    place: str
    strength: float


@dataclass(frozen=True)
class ConvoyInterdicted:
    patron: str
    interdictor: str
    place: str
    strength: float


@dataclass(frozen=True)
class SupplySurged:
    patron: str
    faction: str
    units: int
    by_air: bool = False


@dataclass(frozen=True)
class CorridorChanged:
    corridor: str
    faction: str
    open: bool


@dataclass(frozen=True)
class CohesionChanged:
    faction: str
    before: float
    after: float


@dataclass(frozen=True)
class FactionBroken:
    """A faction's cohesion fell below its breakpoint."""

    faction: str
    cohesion: float


@dataclass(frozen=True)
class InjectFired:
    inject: str
    title: str
    message: str
    audience: tuple[str, ...]


@dataclass(frozen=True)
class UmpireOverride:
    """The umpire changed the game on the record (engine/umpire.py): `what` was changed (combat_result,
    controller, support, rule, inject, new_inject, …) at `target`, from `before` to `after` (in words,
    "" where it does not apply), why, and who is told ("all", team or side ids; none: the umpire only)."""

    what: str
    target: str
    before: str
    after: str
    reason: str
    audience: tuple[str, ...]


@dataclass(frozen=True)
class MatrixResolved:
    """A matrix-game action adjudicated: the action a team stated, the arguments for and against,
    the umpire's modifiers (reason, value), the 2d6 roll against the number needed, and the outcome."""

    team: str
    action: str
    arguments: tuple[str, ...]
    counter_arguments: tuple[str, ...]
    modifiers: tuple[tuple[str, int], ...]
    roll: tuple[int, int]
    needed: int
    success: bool
    outcome: str
    reason: str
    audience: tuple[str, ...]


@dataclass(frozen=True)
class VictoryAchieved:
    condition: str
    faction: str
    points: float
    decisive: bool
    description: str


@dataclass(frozen=True)
class GameOver:
    winners: tuple[str, ...]
    reason: str


Event = (OrderRejected | UnitMoved | AttackCalledOff | Engagement | Combat | UnitRetreated | UnitRouted | UnitRallied
         | UnitSurrendered | UnitDestroyed | UnitFled | UnitDeserted | UnitWentToGround | PlaceCaptured | PlaceContested
         | SupplyCut | SupplyRestored | AirStrike | ReinforcementsArrived | ConvoyInterdicted | SupplySurged
         | CorridorChanged | CohesionChanged | FactionBroken | InjectFired | VictoryAchieved | GameOver
         | CloseAirSupport | RouteInterdicted | DepotStruck | ForcesEvacuated | TruceOffered | RelationChanged
         | PlaceHandedOver | PlaceControlSet | MoraleFailed | CapitalCut | UmpireOverride | MatrixResolved)


def event_place(event: Event) -> str | None:
    """The place an event happened at, for centring the map on it."""
    for name in ("place",):
        val = getattr(event, name, None)
        if isinstance(val, str):
            return val
    if isinstance(event, UnitMoved) and event.path:
        return event.path[-1]
    return None
