"""One whole turn: accept orders, then support, movement, combat, control, supply,
cohesion, events and victory, in that fixed order."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np

from . import events as ev
from .cohesion import run_cohesion
from .combat import run_combat
from .context import TurnContext
from .control import corridor_status, report_corridors, run_control
from .injects import run_injects
from .legal import check_order
from .movement import run_movement
from .orders import PATRON_ORDERS, Order, order_cost
from .state import ARRAYS, State
from .supply import run_supply
from .support import run_support
from .types import Posture
from .victory import run_victory

Orders = Mapping[str, Sequence[Order]]


def accept_orders(state: State, orders: Orders) -> tuple[list[tuple[str, Order]], list[ev.Event]]:
    """Check every order against the start of the turn: sides in world order, orders as given.
    One order per unit; a patron's orders within its capacity."""
    w = state.world
    accepted: list[tuple[str, Order]] = []
    rejected: list[ev.Event] = []
    unknown = sorted(set(orders) - set(w.sides))
    for side in unknown:
        for o in orders[side]:
            rejected.append(ev.OrderRejected(side, o, f"unknown side {side!r}"))
    for side in w.sides:
        spent = 0.0
        seen: set[str] = set()
        for order in orders.get(side, ()):
            reason = check_order(state, side, order)
            if reason is None:
                if not isinstance(order, PATRON_ORDERS):
                    if order.unit in seen:
                        reason = "this unit already has an order this turn"
                    seen.add(order.unit)
                else:
                    cost = order_cost(state, order)
                    if spent + cost > float(state.p_capacity[w.patron_index[side]]) + 1e-9:
                        reason = "over this turn's capacity"
                    else:
                        spent += cost
            if reason is None:
                accepted.append((side, order))
            else:
                rejected.append(ev.OrderRejected(side, order, reason))
    return accepted, rejected


def remove_dead(s: State) -> State:
    """Drop units with no strength left, keeping the arrays aligned."""
    keep = s.u_strength > 1e-6
    if bool(keep.all()):
        return s
    idx = np.flatnonzero(keep)
    changes = {k: getattr(s, k)[idx] for k in ARRAYS if k.startswith("u_")}
    return dataclasses.replace(s, units=tuple(s.units[i] for i in idx), **changes)


def resolve_turn(state: State, orders: Orders, rng: np.random.Generator) -> tuple[State, list[ev.Event]]:
    """Resolve one turn. Pure: the input state is not changed; all chance comes from `rng`."""
    if state.is_over:
        return state, [ev.OrderRejected(side, o, "the game is over") for side in orders for o in orders[side]]
    accepted, rejected = accept_orders(state, orders)
    ctx = TurnContext(start=state, orders=accepted, events=list(rejected))
    corridors_before = corridor_status(state)
    s = state.copy()
    s = run_support(s, ctx, rng)
    s = run_movement(s, ctx, rng)
    s = run_combat(s, ctx, rng)
    s = run_control(s, ctx)
    report_corridors(s, ctx, corridors_before)
    s = run_supply(s, ctx, rng)
    s = run_cohesion(s, ctx, rng)
    s = run_injects(s, ctx, rng)
    s = remove_dead(s)
    s = run_victory(s, ctx)
    s.u_posture[(s.u_posture == int(Posture.MOVE)) | (s.u_posture == int(Posture.ATTACK))] = int(Posture.DEFEND)
    s = dataclasses.replace(s, turn=state.turn + 1)
    return s, ctx.events
