"""Orders a side may give, and the rules for which of them are legal.

An illegal order is a value (`Rejected`), never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass

from .state import State
from .types import CHANNELS, Channel, Posture


@dataclass(frozen=True)
class Move:
    """Move along routes, within movement points, to a place that holds no enemy units."""

    unit: str
    to: str


@dataclass(frozen=True)
class Attack:
    """Attack an adjacent place that holds enemy units; on success, move in."""

    unit: str
    target: str


@dataclass(frozen=True)
class Hold:
    """Stay and defend."""

    unit: str


@dataclass(frozen=True)
class Entrench:
    """Stay and dig in: a better defence, but the unit does not move."""

    unit: str


@dataclass(frozen=True)
class Withdraw:
    """Fall back to an adjacent friendly place before any fighting."""

    unit: str
    to: str


@dataclass(frozen=True)
class AirStrike:
    """A patron strikes units it may hit at a place: losses and shaken cohesion, before anyone moves."""

    patron: str
    place: str


@dataclass(frozen=True)
class CloseAir:
    """A patron flies close air support at a place: its clients' (and own forces') units fighting
    there this turn, attacking it or defending it, get the odds shifted their way."""

    patron: str
    place: str


@dataclass(frozen=True)
class Interdict:
    """A patron's air watches the route between `a` and `b`: hostile units moving along it lose
    strength, and attacks across it fight at worse odds."""

    patron: str
    a: str
    b: str


@dataclass(frozen=True)
class Reinforce:
    """A patron sends a new unit to a place along its open corridor, to one of its `reinforce_at`
    places, or (with the airlift action) to an airbase a client holds."""

    patron: str
    place: str
    faction: str = ""


@dataclass(frozen=True)
class SupplySurge:
    """A patron pushes supplies to a client through its open corridor (or by airlift to an airbase
    the client holds): the client's units near the delivery points gain stock, limited ones are supplied."""

    patron: str
    faction: str


@dataclass(frozen=True)
class Evacuate:
    """A patron takes its own forces at a base, an airbase or a border crossing (or next to one) off the map, safely."""

    patron: str
    place: str


@dataclass(frozen=True)
class Negotiate:
    """A patron with forces on the map seeks a truce with a faction hostile to them: if it takes,
    they stand neutral to each other from then on."""

    patron: str
    faction: str


@dataclass(frozen=True)
class DepotStrike:
    """A patron strikes the weapons depot at a place held by a faction it may strike."""

    patron: str
    place: str


@dataclass(frozen=True)
class HandOver:
    """A faction hands a place it holds to a faction it is not hostile to, which has units there or next door."""

    faction: str
    place: str
    to: str


Order = (Move | Attack | Hold | Entrench | Withdraw | AirStrike | CloseAir | Interdict | Reinforce | SupplySurge
         | Evacuate | Negotiate | DepotStrike | HandOver)
UnitOrder = Move | Attack | Hold | Entrench | Withdraw
PatronOrder = AirStrike | CloseAir | Interdict | Reinforce | SupplySurge | Evacuate | Negotiate | DepotStrike
UNIT_ORDERS = (Move, Attack, Hold, Entrench, Withdraw)
PATRON_ORDERS = (AirStrike, CloseAir, Interdict, Reinforce, SupplySurge, Evacuate, Negotiate, DepotStrike)

ACTION_OF: dict[type, str] = {AirStrike: "air_strike", CloseAir: "close_air", Interdict: "interdict",
                              Reinforce: "reinforce", SupplySurge: "supply", Evacuate: "evacuate",
                              Negotiate: "negotiate", DepotStrike: "depot_strike"}
"""The action (in a patron's `actions` list) each kind of patron order needs."""


@dataclass(frozen=True)
class Rejected:
    """An order that was not carried out, and why."""

    side: str
    order: Order
    reason: str


def order_cost(state: State, order: Order) -> float:
    """Capacity points a patron's order costs (0 for a faction's)."""
    r = state.rules
    kind = type(order)
    if kind in (AirStrike, CloseAir, Interdict, DepotStrike):
        return r.cost_air_strike
    if kind is Reinforce:
        return r.cost_reinforce
    if kind is SupplySurge:
        return r.cost_supply_surge
    if kind in (Evacuate, Negotiate):
        return r.cost_other
    return 0.0


def order_owner(state: State, order: Order) -> str | None:
    """The side that may give this order (None for an unknown unit or faction)."""
    w = state.world
    if isinstance(order, PATRON_ORDERS):
        return order.patron
    if isinstance(order, HandOver):
        f = w.faction_index.get(order.faction)
        return None if f is None else w.side_of(f)
    u = state.unit_index().get(order.unit)
    return None if u is None else w.side_of(state.u_faction.item(u))


def channel_of(order: PatronOrder) -> Channel | None:
    """The support channel a patron's order draws on (None: it needs no support level)."""
    if isinstance(order, (AirStrike, CloseAir, Interdict, DepotStrike)):
        return Channel.AIR
    if isinstance(order, Reinforce):
        return Channel.GROUND
    if isinstance(order, SupplySurge):
        return Channel.SUPPLY
    return None


def support_level(state: State, patron: int, channel: Channel) -> float:
    return float(state.p_support[patron, CHANNELS.index(channel)])


def is_routed(state: State, u: int) -> bool:
    return int(state.u_posture[u]) == int(Posture.ROUTED)


UNIT_ORDER_POSTURE: dict[type, Posture] = {Move: Posture.MOVE, Attack: Posture.ATTACK, Hold: Posture.DEFEND,
                                           Entrench: Posture.ENTRENCH, Withdraw: Posture.WITHDRAW}
"""The posture each kind of unit order puts its unit in."""
