"""Which orders are legal: `check_order` for one, `legal_orders` for a whole side."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import query
from .movement import adjacent_open, can_enter, can_reach, reachable, theatre_mask
from .orders import (
    ACTION_OF,
    AirStrike,
    Attack,
    CloseAir,
    DepotStrike,
    Entrench,
    Evacuate,
    HandOver,
    Hold,
    Interdict,
    Move,
    Negotiate,
    Order,
    PatronOrder,
    Reinforce,
    SupplySurge,
    Withdraw,
    channel_of,
    is_routed,
    order_cost,
    support_level,
)
from .state import State, World
from .types import DEFAULT_ACTIONS, PlaceKind, Posture

ROUTED = int(Posture.ROUTED)


def strike_targets(state: State, patron: int) -> np.ndarray:
    """Boolean mask over factions this patron may strike from the air: those in its `strikes` list
    when it has one, else every enemy of its clients; less any faction its own forces are not
    hostile to (after a truce). Read-only (cached per pattern of relations)."""
    w = state.world
    rel = state.tables()

    def make() -> np.ndarray:
        pat = w.patrons[patron]
        mask = np.zeros(len(w.factions), dtype=bool)
        if pat.strikes:
            mask[[w.faction_index[f] for f in pat.strikes if f in w.faction_index]] = True
        else:
            for c in pat.clients:
                if c in w.faction_index:
                    mask |= rel.hostile[w.faction_index[c]]
        for f in w.commanded_by(pat.id):
            mask &= rel.hostile[f]
        mask.flags.writeable = False
        return mask

    return rel.get(("strike_targets", patron), make)  # type: ignore[no-any-return]


def strike_bits(state: State, patron: int) -> int:
    """`strike_targets` as a bit mask over factions (cached per pattern of relations)."""
    return state.tables().get(("strike_bits", patron),  # type: ignore[no-any-return]
                              lambda: query.rows_as_bits(strike_targets(state, patron)[None, :])[0])


def in_zone(w: World, patron: int, place: int) -> bool:
    """Whether a patron's air may act at a place: anywhere, or within its declared `strike_zone`."""
    key = ("strike_zone", patron)
    zone = w.cache.get(key)
    if zone is None:
        names = w.patrons[patron].strike_zone
        zone = w.cache[key] = frozenset(w.board.index[p] for p in names if p in w.board.index) if names else None
        if zone is None:
            w.cache[key] = False
    zone = w.cache[key]
    return zone is False or place in zone


def allowed_actions(w: World, patron: int) -> tuple[str, ...]:
    return w.patrons[patron].actions or DEFAULT_ACTIONS


def helped(w: World, patron: int) -> list[int]:
    """The factions a patron's help reaches: its clients and its own forces, in index order (cached)."""
    key = ("helped", patron)
    hit = w.cache.get(key)
    if hit is None:
        pat = w.patrons[patron]
        hit = w.cache[key] = sorted({w.faction_index[c] for c in pat.clients if c in w.faction_index}
                                    | set(w.commanded_by(pat.id)))
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
    friends = query.faction_bits(state)[0][faction]
    controller, contested = state.controller, state.contested
    return [i for i in source_candidates(state.world, faction)
            if friends >> controller.item(i) & 1 and not contested.item(i)]


def airbases_held(state: State, faction: int) -> list[int]:
    """Airbases held by `faction` or an ally, not contested: where an airlift may land."""
    w = state.world
    bases = w.cache.get("airbases")
    if bases is None:
        bases = w.cache["airbases"] = [i for i, p in enumerate(w.board.places) if p.kind == PlaceKind.AIRBASE]
    friends = query.faction_bits(state)[0][faction]
    controller, contested = state.controller, state.contested
    return [i for i in bases if friends >> controller.item(i) & 1 and not contested.item(i)]


def reinforce_places(state: State, patron: int, faction: int) -> list[int]:
    """Where a patron's reinforcements for `faction` may arrive this turn: the open stretch of its
    corridor (or the client's supply sources when it has none), its `reinforce_at` places the client
    side holds, and, with the airlift action, airbases the client side holds; never a contested place
    (help unloads behind the fighting and marches in, as reinforcements enter free of the enemy in
    board wargames); in index order."""
    w = state.world
    pat = w.patrons[patron]
    out: set[int] = set()
    if pat.corridor is not None and pat.corridor in w.board.corridor_index:
        c = w.board.corridor_index[pat.corridor]
        upto = query.corridor_open_upto(state, c, faction)
        out.update(w.board.corridor_places[c][:upto])
    elif not pat.reinforce_at:
        out.update(source_places(state, faction))
    for pid in pat.reinforce_at:
        p = w.board.index.get(pid)
        if p is not None and query.is_held_by_friend(state, faction, p) and not state.contested[p]:
            out.add(p)
    if "airlift" in allowed_actions(w, patron):
        out.update(airbases_held(state, faction))
    theatre, contested = theatre_mask(state)[faction], state.contested
    return sorted(p for p in out if theatre[p] and not contested[p])


def client_index(state: State, patron: int, faction_id: str) -> int | None:
    """The faction a patron's order is for: one of its clients or its own forces (the first client when empty)."""
    w = state.world
    pat = w.patrons[patron]
    fid = faction_id or (pat.clients[0] if pat.clients else "")
    f = w.faction_index.get(fid)
    if f is None or f not in helped(w, patron):
        return None
    return f


def surge_points(state: State, patron: int, faction: int) -> list[int]:
    """Where a patron's supply surge for `faction` is delivered: the places of its open corridor (the
    client's supply sources when it has none) and, with the airlift action, airbases the client
    side holds. Empty: the supplies cannot get through."""
    w = state.world
    pat = w.patrons[patron]
    out: set[int] = set()
    if pat.corridor is not None and pat.corridor in w.board.corridor_index:
        c = w.board.corridor_index[pat.corridor]
        if query.is_corridor_open(state, c, faction):
            out.update(w.board.corridor_places[c])
    else:
        out.update(source_places(state, faction))
    if "airlift" in allowed_actions(w, patron):
        out.update(airbases_held(state, faction))
    return sorted(out)


def _living_at(state: State, factions: list[int], places: list[int]) -> bool:
    """Whether any living unit of `factions` stands at one of `places`."""
    if not places or not factions:
        return False
    bits = query.occupancy(state).bits()  # `present` as masks: cheaper than numpy on a few cells
    mask = 0
    for f in factions:
        mask |= 1 << f
    return any(bits[p] & mask for p in places)


def _check_air(state: State, pi: int, order: AirStrike | CloseAir | Interdict | DepotStrike) -> str | None:
    w, b = state.world, state.world.board
    if isinstance(order, Interdict):
        a, c = b.index.get(order.a), b.index.get(order.b)
        if a is None or c is None:
            return f"unknown place {order.a if a is None else order.b!r}"
        if c not in adjacent_open(state, a):
            return "interdict a route: two places joined by an open route"
        if not (in_zone(w, pi, a) or in_zone(w, pi, c)):
            return f"outside {w.patrons[pi].name}'s declared zone"
        return None
    p = b.index.get(order.place)
    if p is None:
        return f"unknown place {order.place!r}"
    if not in_zone(w, pi, p):
        return f"outside {w.patrons[pi].name}'s declared zone"
    if isinstance(order, AirStrike):
        if not query.occupancy(state).bits()[p] & strike_bits(state, pi):
            return "no units it may strike there"
        return None
    if isinstance(order, DepotStrike):
        if state.depot.item(p) <= 0:
            return "no weapons depot left there"
        if not strike_targets(state, pi)[state.controller.item(p)]:
            return "the depot is held by a faction it may not strike"
        return None
    if not _living_at(state, helped(w, pi), [p, *adjacent_open(state, p)]):
        return "no units it supports there or next door"
    return None


def _check_patron(state: State, order: PatronOrder) -> str | None:
    w = state.world
    pi = w.patron_index[order.patron]
    pat = w.patrons[pi]
    if ACTION_OF[type(order)] not in allowed_actions(w, pi):
        return f"{pat.name} cannot {ACTION_OF[type(order)].replace('_', ' ')} in this scenario"
    channel = channel_of(order)
    if channel is not None and support_level(state, pi, channel) <= 0:
        return f"{pat.name} gives no {channel.value} support"
    if order_cost(state, order) > state.p_capacity[pi] + 1e-9:
        return f"{pat.name} lacks the capacity this turn"
    b = w.board
    if isinstance(order, (AirStrike, CloseAir, Interdict, DepotStrike)):
        return _check_air(state, pi, order)
    if isinstance(order, Evacuate):
        p = b.index.get(order.place)
        if p is None:
            return f"unknown place {order.place!r}"
        if not _living_at(state, list(w.commanded_by(pat.id)), [p]):
            return f"no {pat.name} forces there"
        if not is_exit(w, p):
            return "evacuate from a base, an airbase or a border crossing (or next to one)"
        return None
    if isinstance(order, Negotiate):
        g = w.faction_index.get(order.faction)
        if g is None:
            return f"unknown faction {order.faction!r}"
        forces = w.commanded_by(pat.id)
        if not forces:
            return f"{pat.name} has no forces of its own to negotiate for"
        if not any(state.hostile[f, g] for f in forces):
            return f"{pat.name}'s forces are not at war with {w.factions[g].name}"
        return None
    fi = client_index(state, pi, order.faction)
    if fi is None:
        return f"{order.faction or '(none)'} is not a client of {pat.name}"
    if isinstance(order, Reinforce):
        if state.p_reserve[pi] <= 0:
            return f"{pat.name} has no reserves left"
        p = b.index.get(order.place)
        if p is None:
            return f"unknown place {order.place!r}"
        if p not in reinforce_places(state, pi, fi):
            if pat.corridor:
                return "the corridor is not open to that place"
            return "not a place its help can reach"
        if query.stack_count(state, fi, p) >= query.stack_limit(state, p):
            return "stacking limit reached there"
        return None
    if not surge_points(state, pi, fi):
        if pat.corridor is not None and pat.corridor in b.corridor_index:
            return f"corridor {pat.corridor} is closed"
        return "the client holds no supply source"
    return None


def is_exit(w: World, place: int) -> bool:
    """A place forces can be taken off the map from: a base, an airbase, a border crossing or next to one."""
    key = "exits"
    hit = w.cache.get(key)
    if hit is None:
        b = w.board
        hit = w.cache[key] = [
            p.kind in (PlaceKind.BASE, PlaceKind.AIRBASE) or bool(p.leads_to)
            or any(b.places[q].leads_to for q in b.neighbours(i).tolist())
            for i, p in enumerate(b.places)]
    return hit[place]  # type: ignore[no-any-return]


def _check_handover(state: State, side: str, order: HandOver) -> str | None:
    w, b = state.world, state.world.board
    f, g = w.faction_index.get(order.faction), w.faction_index.get(order.to)
    if f is None or g is None:
        return f"unknown faction {order.faction if f is None else order.to!r}"
    if w.side_of(f) != side:
        return f"{side} cannot give orders for {order.faction}"
    p = b.index.get(order.place)
    if p is None:
        return f"unknown place {order.place!r}"
    if state.controller.item(p) != f or state.contested.item(p):
        return f"{w.factions[f].name} does not hold {b.places[p].name}"
    if f == g or state.hostile[f, g]:
        return "hand a place only to a faction you are not at war with"
    if not theatre_mask(state)[g, p]:
        return f"{b.places[p].name} is outside {w.factions[g].name}'s theatre"
    if not _living_at(state, [g], [p, *adjacent_open(state, p)]):
        return f"{w.factions[g].name} has no units there or next door to take it over"
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
    if not theatre_mask(state)[faction, dest]:
        return f"outside {state.world.factions[faction].name}'s theatre"
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
    if not theatre_mask(state)[faction, dest]:
        return f"outside {state.world.factions[faction].name}'s theatre"
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
    if check_unit is None:
        if isinstance(order, HandOver):
            return _check_handover(state, side, order)
        patron = order.patron  # type: ignore[union-attr]
        if patron not in state.world.patron_index:
            return f"unknown patron {patron!r}"
        if patron != side:
            return f"{side} cannot give orders for {patron}"
        return _check_patron(state, order)  # type: ignore[arg-type]
    index, sides = state.cache.get("unit_sides") or unit_sides(state)
    u = index.get(order.unit)  # type: ignore[union-attr]
    if u is None or not state.u_strength.item(u) > 0:
        return f"unknown unit {order.unit!r}"  # type: ignore[union-attr]
    if sides[state.u_faction.item(u)] != side:
        return f"{side} cannot give orders to {order.unit}"  # type: ignore[union-attr]
    return None if check_unit is _check_hold else check_unit(state, u, order)


def check_orders(state: State, side: str, orders: Sequence[Order]) -> list[str | None]:
    """`check_order` of each of `orders`. What every unit order is checked for first (a living unit that
    `side` commands) is read from the unit arrays as lists, once per state; a unit order that passes it goes
    straight to its kind's own check (a hold, most of a turn's orders, needs nothing more). An order that
    fails it goes through `check_order`, which says why in its own words."""
    index, sides = state.cache.get("unit_sides") or unit_sides(state)
    rows = state.cache.get("unit_rows")
    if rows is None:  # dropped with the other derived lookups when the arrays change
        rows = state.cache["unit_rows"] = (state.u_strength.tolist(), state.u_faction.tolist())
    strength, faction = rows
    out: list[str | None] = []
    for order in orders:
        check_unit = _UNIT_CHECKS.get(type(order))
        u = index.get(order.unit) if check_unit is not None else None  # type: ignore[union-attr]
        if u is None or not strength[u] > 0 or sides[faction[u]] != side:
            out.append(check_order(state, side, order))
        else:
            out.append(None if check_unit is _check_hold else check_unit(state, u, order))  # type: ignore[misc]
    return out


def unit_sides(state: State) -> tuple[dict[str, int], list[str]]:
    """`state.unit_index()`, and per faction the side that gives its orders (`World.side_of`), read
    together by `check_order` (cached on the state; do not modify)."""
    hit = state.cache.get("unit_sides")
    if hit is None:
        side_of = state.world.side_of
        hit = state.cache["unit_sides"] = (state.unit_index(), [side_of(f) for f in range(len(state.world.factions))])
    return hit  # type: ignore[no-any-return]


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
    theatre = theatre_mask(state)[faction]
    for q in adj:
        if theatre[q] and query.has_hostile_units(state, faction, q):
            out.append(Attack(uid, b.places[q].id))
    for q in sorted(reachable(state, u).cost):
        if query.stack_count(state, faction, q) < query.stack_limit(state, q):
            out.append(Move(uid, b.places[q].id))
    return out


def _contact_places(state: State, factions: list[int], pi: int) -> list[int]:
    """Places where units of `factions` stand next to units the patron may strike, or that hold such units
    next to `factions`' units: where close air support can matter (in index order)."""
    occ = query.occupancy(state)
    bits = occ.bits()
    targets = strike_bits(state, pi)
    mine = 0
    for f in factions:
        mine |= 1 << f
    out = set()
    for p in range(state.world.board.n_places):
        here = bits[p]
        if here & mine and any(bits[q] & targets for q in adjacent_open(state, p)):
            out.add(p)
        if here & targets and any(bits[q] & mine for q in adjacent_open(state, p)):
            out.add(p)
    return sorted(out)


def patron_orders(state: State, pi: int) -> list[Order]:
    """Every legal order for one patron (each within capacity on its own): its own orders, then
    those of its forces' units."""
    w = state.world
    b = w.board
    pat = w.patrons[pi]
    actions = allowed_actions(w, pi)
    cands: list[PatronOrder] = []
    targets = strike_targets(state, pi)
    hit = np.unique(state.u_place[(state.u_strength > 0) & targets[state.u_faction]]).tolist()
    mine = helped(w, pi)
    if "air_strike" in actions:
        cands += [AirStrike(pat.id, b.places[p].id) for p in hit]
    if "close_air" in actions or "interdict" in actions:
        contact = _contact_places(state, mine, pi)
        if "close_air" in actions:
            cands += [CloseAir(pat.id, b.places[p].id) for p in contact]
        if "interdict" in actions:
            friends = [p for p in contact if not (query.occupancy(state).bits()[p] & strike_bits(state, pi))]
            for p in friends:
                for q in adjacent_open(state, p):
                    if q in hit:
                        cands.append(Interdict(pat.id, b.places[q].id, b.places[p].id))
    if "depot_strike" in actions:
        cands += [DepotStrike(pat.id, b.places[p].id) for p in np.flatnonzero(state.depot > 0).tolist()]
    for f in mine:
        fid = w.factions[f].id
        if "reinforce" in actions:
            cands += [Reinforce(pat.id, b.places[p].id, fid) for p in reinforce_places(state, pi, f)]
        if "supply" in actions and fid in pat.clients:
            cands.append(SupplySurge(pat.id, fid))
    forces = w.commanded_by(pat.id)
    if "evacuate" in actions and forces:
        at = np.unique(state.u_place[(state.u_strength > 0) & np.isin(state.u_faction, forces)]).tolist()
        cands += [Evacuate(pat.id, b.places[p].id) for p in at]
    if "negotiate" in actions and forces:
        cands += [Negotiate(pat.id, g.id) for i, g in enumerate(w.factions) if any(state.hostile[f, i] for f in forces)]
    out: list[Order] = [o for o in cands if _check_patron(state, o) is None]
    for f in forces:
        out.extend(faction_unit_orders(state, f))
    return out


def handover_orders(state: State, f: int) -> list[Order]:
    """Every place faction `f` could hand to a faction it is not at war with that stands there or next door."""
    w = state.world
    b = w.board
    bits = query.occupancy(state).bits()
    friendly_or_neutral = 0
    for g in range(len(w.factions)):
        if g != f and not state.hostile[f, g]:
            friendly_or_neutral |= 1 << g
    out: list[Order] = []
    for p in np.flatnonzero((state.controller == f) & ~state.contested).tolist():
        near = bits[p]
        for q in adjacent_open(state, p):
            near |= bits[q]
        near &= friendly_or_neutral
        for g in range(len(w.factions)):
            if near >> g & 1:
                order = HandOver(w.factions[f].id, b.places[p].id, w.factions[g].id)
                if _check_handover(state, w.side_of(f), order) is None:
                    out.append(order)
    return out


def faction_unit_orders(state: State, f: int) -> list[Order]:
    """Every legal order for the units of faction `f`."""
    out: list[Order] = []
    for u in query.units_of(state, f):
        out.extend(unit_orders(state, int(u)))
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
    if w.factions[fi].commander is not None:
        return []
    return faction_unit_orders(state, fi) + handover_orders(state, fi)
