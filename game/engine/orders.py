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
    """A patron strikes enemy units at a place; its clients fight better there this turn."""

    patron: str
    place: str


@dataclass(frozen=True)
class Reinforce:
    """A patron sends a new unit to a place along its open corridor (or to a client's supply source)."""

    patron: str
    place: str
    faction: str = ""


@dataclass(frozen=True)
class SupplySurge:
    """A patron pushes supplies to a client: limited units become supplied, cohesion rises."""

    patron: str
    faction: str


Order = Move | Attack | Hold | Entrench | Withdraw | AirStrike | Reinforce | SupplySurge
UnitOrder = Move | Attack | Hold | Entrench | Withdraw
PatronOrder = AirStrike | Reinforce | SupplySurge
UNIT_ORDERS = (Move, Attack, Hold, Entrench, Withdraw)
PATRON_ORDERS = (AirStrike, Reinforce, SupplySurge)


@dataclass(frozen=True)
class Rejected:
    """An order that was not carried out, and why."""

    side: str
    order: Order
    reason: str


def order_cost(state: State, order: Order) -> float:
    r = state.rules
    if isinstance(order, AirStrike):
        return r.cost_air_strike
    if isinstance(order, Reinforce):
        return r.cost_reinforce
    if isinstance(order, SupplySurge):
        return r.cost_supply_surge
    return 0.0


def order_owner(state: State, order: Order) -> str | None:
    """The side that may give this order (None for an unknown unit)."""
    if isinstance(order, PATRON_ORDERS):
        return order.patron
    u = state.unit_index().get(order.unit)
    return None if u is None else state.units[u].faction


def channel_of(order: PatronOrder) -> Channel:
    if isinstance(order, AirStrike):
        return Channel.AIR
    if isinstance(order, Reinforce):
        return Channel.GROUND
    return Channel.SUPPLY


def support_level(state: State, patron: int, channel: Channel) -> float:
    return float(state.p_support[patron, CHANNELS.index(channel)])


def is_unit_able(state: State, u: int) -> bool:
    return bool(state.u_strength[u] > 0)


def is_routed(state: State, u: int) -> bool:
    return int(state.u_posture[u]) == int(Posture.ROUTED)


UNIT_ORDER_POSTURE: dict[type, Posture] = {Move: Posture.MOVE, Attack: Posture.ATTACK, Hold: Posture.DEFEND,
                                           Entrench: Posture.ENTRENCH, Withdraw: Posture.WITHDRAW}
"""The posture each kind of unit order puts its unit in."""
