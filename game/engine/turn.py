"""One whole turn: accept orders, then support, movement, combat, control, supply,
cohesion, events and victory, in that fixed order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from . import events as ev
from .cohesion import run_cohesion
from .combat import run_combat
from .context import TurnContext
from .control import report_corridors, run_control
from .injects import run_injects
from .legal import check_orders
from .movement import run_movement
from .orders import UNIT_ORDERS, HandOver, Order, channel_of, order_cost
from .rng import COHESION, COMBAT, INJECTS, MOVEMENT, SUPPLY, SUPPORT, Dice
from .state import ARRAYS, State
from .supply import run_supply
from .support import run_support
from .types import Posture
from .victory import run_victory

Orders = Mapping[str, Sequence[Order]]


def accept_orders(state: State, orders: Orders) -> tuple[list[tuple[str, Order]], list[ev.Event]]:
    """Check every order against the start of the turn: sides in world order, orders as given.
    One order per unit; a patron's orders within its capacity on each support channel (air missions,
    ground help and supplies are different resources: one does not crowd out another)."""
    w = state.world
    sides = w.sides
    accepted: list[tuple[str, Order]] = []
    rejected: list[ev.Event] = []
    for side in sorted(set(orders) - set(sides)):
        rejected += [ev.OrderRejected(side, o, f"unknown side {side!r}") for o in orders[side]]
    memo = state.cache.setdefault("accepted_orders", {})
    for side in sides:
        given = orders.get(side)
        if not given:
            continue
        key: tuple[str, tuple[Order, ...]] | None = (side, tuple(given))
        try:
            h = hash(key)  # hashed once: a tuple does not keep its hash, and the orders' hashes are Python calls
        except TypeError:  # an order that cannot be hashed: checked afresh, not kept
            key, h = None, 0
        kept = memo.get(h) if key is not None else None
        hit = kept[1] if kept is not None and kept[0] == key else None
        if hit is None:
            hit = _accept_side(state, side, given)
            if key is not None:
                if len(memo) >= ACCEPT_MEMO:
                    memo.clear()
                memo[h] = (key, hit)
        accepted += hit[0]
        rejected += hit[1]
    return accepted, rejected


ACCEPT_MEMO = 256
"""Sides' order lists whose checks a state keeps (the hard bot resolves the same orders of the other sides
beside each of its candidates, on the same state)."""


_UNIT_KINDS = frozenset(UNIT_ORDERS)
"""The kinds of unit order (a set: matched by exact type, as `check_order` dispatches them)."""


def _accept_side(state: State, side: str, given: Sequence[Order]) -> tuple[list[tuple[str, Order]], list[ev.Event]]:
    """One side's accepted orders and rejections (a side's checks do not depend on the others' orders)."""
    patron = state.world.patron_index.get(side)
    capacity = 0.0 if patron is None else state.p_capacity.item(patron) + 1e-9
    spent: dict[object, float] = {}  # per support channel: each has the patron's capacity
    seen: set[str] = set()
    accepted: list[tuple[str, Order]] = []
    rejected: list[ev.Event] = []
    # `check_orders` passes a patron's orders for patrons only, unit orders for the side that commands the unit
    for order, reason in zip(given, check_orders(state, side, given)):
        if reason is None:
            kind = type(order)
            is_unit = kind in _UNIT_KINDS
            if is_unit or kind is HandOver:
                key = order.unit if is_unit else f"handover:{order.place}"  # type: ignore[union-attr]
                if key in seen:
                    reason = ("this unit already has an order this turn" if is_unit
                              else "that place is already being handed over")
                else:
                    seen.add(key)
            else:
                cost = order_cost(state, order)
                channel = channel_of(order)  # type: ignore[arg-type]
                if spent.get(channel, 0.0) + cost > capacity:
                    reason = "over this turn's capacity"
                else:
                    spent[channel] = spent.get(channel, 0.0) + cost
        if reason is None:
            accepted.append((side, order))
        else:
            rejected.append(ev.OrderRejected(side, order, reason))
    return accepted, rejected


def next_turn(s: State) -> State:
    """The state at the start of the next turn: units with no strength left dropped (keeping the
    arrays aligned), and the postures of the turn's moves and attacks back to defending."""
    s.u_posture[_OF_THE_TURN[s.u_posture]] = int(Posture.DEFEND)
    keep = s.u_strength > 1e-6
    if bool(keep.all()):
        return s.evolve(turn=s.turn + 1)
    idx = np.flatnonzero(keep)
    changes = {k: getattr(s, k)[idx] for k in ARRAYS if k.startswith("u_")}
    return s.evolve(turn=s.turn + 1, units=tuple(s.units[i] for i in idx), **changes)


_OF_THE_TURN = np.isin(np.arange(max(Posture) + 1), [Posture.MOVE, Posture.ATTACK])
"""Indexed by posture: whether it lasts only for the turn (moving, attacking)."""


def resolve_turn(state: State, orders: Orders, rng: np.random.Generator, *,
                 forced: Mapping[str, str] | None = None) -> tuple[State, list[ev.Event]]:
    """Resolve one turn. Pure: the input state is not changed; all chance comes from `rng`.
    `forced`: results-table results by place id that the battles there take whatever the die says
    (the umpire re-resolving a turn, engine/umpire.py); the die is still rolled."""
    if state.is_over:
        return state, [ev.OrderRejected(side, o, "the game is over") for side in orders for o in orders[side]]
    accepted, rejected = accept_orders(state, orders)
    ctx = TurnContext(start=state, orders=accepted, events=list(rejected))
    if forced:
        ctx.forced = {state.world.board.index[p]: result for p, result in forced.items()}
    s = state.copy()
    dice = Dice(rng)  # a stream per phase (common random numbers: see rng.Dice)
    s = run_support(s, ctx, dice.key_of(SUPPORT))
    s = run_movement(s, ctx, dice.key_of(MOVEMENT))
    s = run_combat(s, ctx, dice.key_of(COMBAT))
    s = run_control(s, ctx)
    report_corridors(s, ctx, state)
    s = run_supply(s, ctx, dice.stream(SUPPLY))
    s = run_cohesion(s, ctx, dice.stream(COHESION))
    s = run_injects(s, ctx, dice.stream(INJECTS))
    s = run_victory(s, ctx)  # reads places, cohesion and scores, not units
    return next_turn(s), ctx.events
