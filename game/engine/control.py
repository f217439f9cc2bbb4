"""Control phase: a place belongs to the last faction to hold it alone; hostile units together contest it.

Allied units passing through or standing in an ally's place do not take it over."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from . import events as ev
from . import query
from .context import TurnContext
from .orders import HandOver
from .state import State

Masks = NDArray[np.int64]
"""Sets of factions as bit masks (bit f for faction f): int64, or Python ints (an object array)
past 62 factions."""


def _mask_tables(s: State) -> tuple[Masks, Masks, Masks]:
    """Per faction: itself, the factions hostile to it, and its friends (itself included), as bit
    masks (cached per pattern of relations)."""

    def make() -> tuple[Masks, Masks, Masks]:
        nf = len(s.world.factions)
        dtype = np.int64 if nf <= 62 else object
        friends, enemies = query.faction_bits(s)
        return (np.array([1 << f for f in range(nf)], dtype=dtype),
                np.array(enemies, dtype=dtype), np.array(friends, dtype=dtype))

    return s.tables().get("mask_tables", make)  # type: ignore[no-any-return]


def faction_masks(s: State) -> tuple[Masks, Masks]:
    """Per place, the factions with living units there, and the factions hostile to any of those
    (cached on the state until it changes)."""
    hit = s.cache.get("faction_masks")
    if hit is None:
        own, hostile, _ = _mask_tables(s)
        alive = s.u_strength > 0
        places, factions = s.u_place[alive].astype(np.intp), s.u_faction[alive].astype(np.intp)  # intp: fast path
        n = s.world.board.n_places
        present, foes = np.zeros(n, dtype=own.dtype), np.zeros(n, dtype=own.dtype)
        np.bitwise_or.at(present, places, own.take(factions))
        np.bitwise_or.at(foes, places, hostile.take(factions))
        hit = s.cache["faction_masks"] = (present, foes)
    return hit  # type: ignore[no-any-return]


def contested_mask(s: State) -> np.ndarray:
    """Places where units of two mutually hostile factions stand together."""
    present, foes = faction_masks(s)
    return np.asarray((present & foes) != 0)


def _strongest(s: State, p: int, among: int) -> int:
    """The faction (of the bit mask `among`) with the most living strength at place `p`, the first in
    index order on a tie (each faction's units summed in index order, as `query.occupancy` sums them)."""
    strength, faction = s.u_strength, s.u_faction
    totals: dict[int, float] = {}
    for u in (s.u_place == p).nonzero()[0].tolist():
        x = strength.item(u)
        g = faction.item(u)
        if x > 0 and among >> g & 1:
            totals[g] = totals.get(g, 0.0) + x
    return max(sorted(totals), key=totals.__getitem__)


def _hand_over(s: State, ctx: TurnContext) -> None:
    """Places handed over by agreement this turn change hands, if the giver still holds them alone."""
    w = s.world
    for _, order in ctx.orders:
        if type(order) is not HandOver:
            continue
        p, f, g = w.board.index[order.place], w.faction_index[order.faction], w.faction_index[order.to]
        if s.controller.item(p) != f or s.contested.item(p) or s.hostile[f, g]:
            continue
        s.controller[p] = g
        ctx.events.append(ev.PlaceHandedOver(order.place, order.to, order.faction))


def run_control(s: State, ctx: TurnContext) -> State:
    w = s.world
    present, foes = faction_masks(s)
    contested = (present & foes) != 0
    for p in (contested & ~s.contested).nonzero()[0].tolist():
        here = int(present[p])
        ctx.events.append(ev.PlaceContested(w.board.places[p].id,
                                            tuple(fac.id for f, fac in enumerate(w.factions) if here >> f & 1)))
    s.contested[:] = contested
    _hand_over(s, ctx)
    _, enemies, friends = _mask_tables(s)
    holder = s.controller.astype(np.intp)
    holder_foes = enemies.take(holder)
    change = ~contested & ((present & friends.take(holder)) == 0) & ((present & holder_foes) != 0)  # enemies alone
    for p in change.nonzero()[0].tolist():
        new = _strongest(s, p, int(holder_foes[p]))
        old = s.controller.item(p)
        s.controller[p] = new
        value = w.board.places[p].value
        ctx.value_lost[old] += value
        ctx.value_gained[new] += value
        ctx.events.append(ev.PlaceCaptured(w.board.places[p].id, w.factions[new].id, w.factions[old].id, value))
    s.invalidate(keep=("occ", "faction_masks", *query.KEPT_ON_MOVE))  # who holds what changed, not where units stand
    return s


def _corridor_users(s: State) -> list[tuple[int, int]]:
    """Every (corridor, faction) pair a patron uses a corridor for, in the patrons' order, without
    repeats (cached on the world)."""
    w = s.world
    hit = w.cache.get("corridor_users")
    if hit is None:
        pairs: dict[tuple[int, int], None] = {}
        for pat in w.patrons:
            if pat.corridor is None or pat.corridor not in w.board.corridor_index:
                continue
            c = w.board.corridor_index[pat.corridor]
            for client in pat.clients:
                if client in w.faction_index:
                    pairs[(c, w.faction_index[client])] = None
        hit = w.cache["corridor_users"] = list(pairs)
    return hit  # type: ignore[no-any-return]


def corridor_status(s: State) -> dict[tuple[int, int], bool]:
    """Open or not, for every corridor and every faction a patron uses it for."""
    users = _corridor_users(s)
    if not users:
        return {}
    facts = query.corridor_facts(s)
    return {(c, f): query.is_corridor_open(s, c, f, facts=facts) for c, f in users}


def _corridors_through(s: State) -> tuple[list[list[int]], list[list[int]]]:
    """Per place and per route, the corridors a patron uses that run through it, in index order
    (cached on the world): all that whether a corridor is open depends on, besides who is friends
    with whom."""
    w = s.world
    hit = w.cache.get("corridors_through")
    if hit is None:
        b = w.board
        used = sorted({c for c, _ in _corridor_users(s)})
        by_place: list[list[int]] = [[] for _ in range(b.n_places)]
        by_route: list[list[int]] = [[] for _ in b.routes]
        for c in used:
            for p in sorted(set(b.corridor_places[c])):
                by_place[p].append(c)
            for r in sorted(set(b.corridor_routes[c])):
                by_route[r].append(c)
        hit = w.cache["corridors_through"] = (by_place, by_route)
    return hit  # type: ignore[no-any-return]


def report_corridors(s: State, ctx: TurnContext, start: State) -> None:
    """A `CorridorChanged` event for every corridor a patron uses that opened or closed for a
    client since `start` (the start of the turn), in corridor and faction order. Only corridors
    through a place or route that changed hands, was contested or freed, or opened or closed
    are looked at again."""
    users = _corridor_users(s)
    if not users:
        return
    by_place, by_route = _corridors_through(s)
    touched: set[int] = set()
    if s.controller.tobytes() != start.controller.tobytes() or s.contested.tobytes() != start.contested.tobytes():
        for p in np.flatnonzero((s.controller != start.controller) | (s.contested != start.contested)).tolist():
            touched.update(by_place[p])
    if s.route_open.tobytes() != start.route_open.tobytes():
        for r in np.flatnonzero(s.route_open != start.route_open).tolist():
            touched.update(by_route[r])
    if not touched:
        return
    w = s.world
    for c, f in sorted(users):
        if c in touched:
            now = query.is_corridor_open(s, c, f)
            if now != query.is_corridor_open(start, c, f):
                ctx.events.append(ev.CorridorChanged(w.board.corridors[c].id, w.factions[f].id, now))
