"""Which orders are legal: `check_order` for one, `legal_orders` for a whole side."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import query
from .movement import adjacent_open, can_enter, can_reach, reachable
from .orders import (
    AirStrike,
    Attack,
    Entrench,
    Hold,
    Move,
    Order,
    Reinforce,
    SupplySurge,
    Withdraw,
    channel_of,
    is_routed,
    order_cost,
    support_level,
)
from .state import State, World
from .types import Posture

ROUTED = int(Posture.ROUTED)


def strike_targets(state: State, patron: int) -> np.ndarray:
    """Boolean mask over factions this patron may strike from the air: those in its `strikes`
    list when it has one, else every enemy of its clients. Read-only (cached on the world)."""
    w = state.world
    key = f"strike_targets{patron}"
    hit = w.cache.get(key)
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    pat = w.patrons[patron]
    mask = np.zeros(len(w.factions), dtype=bool)
    if pat.strikes:
        mask[[w.faction_index[f] for f in pat.strikes if f in w.faction_index]] = True
    else:
        for c in pat.clients:
            if c in w.faction_index:
                mask |= w.hostile[w.faction_index[c]]
    mask.flags.writeable = False
    w.cache[key] = mask
    return mask


def strike_bits(state: State, patron: int) -> int:
    """`strike_targets` as a bit mask over factions (cached on the world)."""
    key = f"strike_bits{patron}"
    hit = state.world.cache.get(key)
    if hit is None:
        hit = state.world.cache[key] = query.rows_as_bits(strike_targets(state, patron)[None, :])[0]
    return hit  # type: ignore[no-any-return]


def source_candidates(w: World, faction: int) -> list[int]:
    """Places that may supply `faction`: its named sources and places that list it as supplied
    (cached on the world; do not modify)."""
    key = f"sources{faction}"
    out = w.cache.get(key)
    if out is None:
        fid = w.factions[faction].id
        ids = set(w.factions[faction].sources)
        out = w.cache[key] = [i for i, p in enumerate(w.board.places) if p.id in ids or fid in p.supply_for]
    return out  # type: ignore[no-any-return]


def source_places(state: State, faction: int) -> list[int]:
    """Places that supply `faction`, held by it or an ally and not contested."""
    return [i for i in source_candidates(state.world, faction)
            if query.is_held_by_friend(state, faction, i) and not state.contested[i]]


def reinforce_places(state: State, patron: int, faction: int) -> list[int]:
    """Where a patron's reinforcements for `faction` may arrive this turn."""
    w = state.world
    pat = w.patrons[patron]
    if pat.corridor is not None and pat.corridor in w.board.corridor_index:
        c = w.board.corridor_index[pat.corridor]
        upto = query.corridor_open_upto(state, c, faction)
        return list(w.board.corridor_places[c][:upto])
    return source_places(state, faction)


def client_index(state: State, patron: int, faction_id: str) -> int | None:
    w = state.world
    clients = w.patrons[patron].clients
    fid = faction_id or (clients[0] if clients else "")
    if fid not in clients or fid not in w.faction_index:
        return None
    return w.faction_index[fid]


def _check_patron(state: State, order: AirStrike | Reinforce | SupplySurge) -> str | None:
    w = state.world
    pi = w.patron_index[order.patron]
    channel = channel_of(order)
    if support_level(state, pi, channel) <= 0:
        return f"{w.patrons[pi].name} gives no {channel.value} support"
    if order_cost(state, order) > state.p_capacity[pi] + 1e-9:
        return f"{w.patrons[pi].name} lacks the capacity this turn"
    b = w.board
    if isinstance(order, AirStrike):
        if order.place not in b.index:
            return f"unknown place {order.place!r}"
        if not query.occupancy(state).bits()[b.index[order.place]] & strike_bits(state, pi):
            return "no enemy units to strike there"
        return None
    fi = client_index(state, pi, order.faction)
    if fi is None:
        return f"{order.faction or '(none)'} is not a client of {w.patrons[pi].name}"
    if isinstance(order, Reinforce):
        if state.p_reserve[pi] <= 0:
            return f"{w.patrons[pi].name} has no reserves left"
        if order.place not in b.index:
            return f"unknown place {order.place!r}"
        p = b.index[order.place]
        if p not in reinforce_places(state, pi, fi):
            if w.patrons[pi].corridor:
                return "the corridor is not open to that place"
            return "not a supply source of the client"
        if query.stack_count(state, fi, p) >= query.stack_limit(state, p):
            return "stacking limit reached there"
        return None
    pat = w.patrons[pi]
    if pat.corridor is not None and pat.corridor in b.corridor_index:
        if not query.is_corridor_open(state, b.corridor_index[pat.corridor], fi):
            return f"corridor {pat.corridor} is closed"
    elif not source_places(state, fi):
        return "the client holds no supply source"
    return None


def _check_hold(state: State, u: int, order: Hold) -> str | None:
    return None


def _check_entrench(state: State, u: int, order: Entrench) -> str | None:
    return "a routed unit cannot entrench" if state.u_posture.item(u) == ROUTED else None


def _check_withdraw(state: State, u: int, order: Withdraw) -> str | None:
    dest = state.world.board.index.get(order.to)
    if dest is None:
        return f"unknown place {order.to!r}"
    if dest not in adjacent_open(state, state.u_place.item(u)):
        return "withdraw only to an adjacent place along an open route"
    faction = state.u_faction.item(u)
    if not query.is_held_by_friend(state, faction, dest) or query.has_hostile_units(state, faction, dest):
        return "withdraw only to a friendly place free of enemies"
    return None


def _check_attack(state: State, u: int, order: Attack) -> str | None:
    dest = state.world.board.index.get(order.target)
    if dest is None:
        return f"unknown place {order.target!r}"
    if state.u_posture.item(u) == ROUTED:
        return "a routed unit can only hold or withdraw"
    if dest not in adjacent_open(state, state.u_place.item(u)):
        return "attack only an adjacent place along an open route"
    faction = state.u_faction.item(u)
    if not query.has_hostile_units(state, faction, dest):
        return "no enemy units there" + (" (move in instead)" if can_enter(state, faction, dest) else "")
    return None


def _check_move(state: State, u: int, order: Move) -> str | None:
    dest = state.world.board.index.get(order.to)
    if dest is None:
        return f"unknown place {order.to!r}"
    if state.u_posture.item(u) == ROUTED:
        return "a routed unit can only hold or withdraw"
    if dest == state.u_place.item(u):
        return "already there"
    faction = state.u_faction.item(u)
    if not can_reach(state, u, dest):
        return "out of reach this turn" if can_enter(state, faction, dest) else "cannot enter: enemy or neutral there"
    if query.stack_count(state, faction, dest) >= query.stack_limit(state, dest):
        return "stacking limit reached there"
    return None


_UNIT_CHECKS: dict[type, Callable[[State, int, Any], str | None]] = {
    Hold: _check_hold, Entrench: _check_entrench, Withdraw: _check_withdraw, Attack: _check_attack, Move: _check_move}
"""The check of each kind of unit order, for a living unit of the side giving it."""


def check_order(state: State, side: str, order: Order) -> str | None:
    """Why `side` may not give `order` now, or None when it may (capacity is checked per order)."""
    check_unit = _UNIT_CHECKS.get(type(order))
    if check_unit is None:  # a patron's order
        patron = order.patron  # type: ignore[union-attr]
        if patron not in state.world.patron_index:
            return f"unknown patron {patron!r}"
        if patron != side:
            return f"{side} cannot give orders for {patron}"
        return _check_patron(state, order)  # type: ignore[arg-type]
    u = state.unit_index().get(order.unit)  # type: ignore[union-attr]
    if u is None or not state.u_strength.item(u) > 0:
        return f"unknown unit {order.unit!r}"  # type: ignore[union-attr]
    if state.units[u].faction != side:
        return f"{side} cannot give orders to {order.unit}"  # type: ignore[union-attr]
    return check_unit(state, u, order)


def unit_orders(state: State, u: int) -> list[Order]:
    """Every legal order for one unit."""
    b = state.world.board
    uid = state.units[u].id
    faction = int(state.u_faction[u])
    place = int(state.u_place[u])
    out: list[Order] = [Hold(uid)]
    routed = is_routed(state, u)
    if not routed:
        out.append(Entrench(uid))
    adj = adjacent_open(state, place)
    for q in adj:
        if query.is_held_by_friend(state, faction, q) and not query.has_hostile_units(state, faction, q):
            out.append(Withdraw(uid, b.places[q].id))
    if routed:
        return out
    for q in adj:
        if query.has_hostile_units(state, faction, q):
            out.append(Attack(uid, b.places[q].id))
    for q in sorted(reachable(state, u).cost):
        if query.stack_count(state, faction, q) < query.stack_limit(state, q):
            out.append(Move(uid, b.places[q].id))
    return out


def patron_orders(state: State, pi: int) -> list[Order]:
    """Every legal order for one patron (each within capacity on its own)."""
    w = state.world
    b = w.board
    pat = w.patrons[pi]
    out: list[Order] = []
    cands: list[AirStrike | Reinforce | SupplySurge] = []
    targets = strike_targets(state, pi)
    hit = np.unique(state.u_place[(state.u_strength > 0) & targets[state.u_faction]])
    cands += [AirStrike(pat.id, b.places[int(p)].id) for p in hit]
    for c in pat.clients:
        if c not in w.faction_index:
            continue
        fi = w.faction_index[c]
        cands += [Reinforce(pat.id, b.places[p].id, c) for p in reinforce_places(state, pi, fi)]
        cands.append(SupplySurge(pat.id, c))
    for o in cands:
        if _check_patron(state, o) is None:
            out.append(o)
    return out


def legal_orders(state: State, side: str) -> list[Order]:
    """Every legal order `side` (a faction or patron id) may give this turn."""
    w = state.world
    if state.is_over:
        return []
    if side in w.patron_index:
        return patron_orders(state, w.patron_index[side])
    if side not in w.faction_index:
        raise KeyError(f"unknown side {side!r}")
    fi = w.faction_index[side]
    out: list[Order] = []
    for u in query.units_of(state, fi):
        out.extend(unit_orders(state, int(u)))
    return out

