"""Supply phase: trace from each faction's sources through friendly places along open routes."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from . import events as ev
from .context import TurnContext
from .legal import source_candidates
from .morale import goes_to_ground, went_to_ground
from .query import is_held_by_friend
from .rng import Stream
from .state import State, World
from .types import Posture, Supply

T = TypeVar("T")


@dataclass(frozen=True)
class _Copies:
    """The world's board copied once per faction, as a CSR graph whose weights are set per call.

    Copy j holds place p as node j * n + p and every directed edge of the board's adjacency,
    in the board's CSR order. Built once per world, so a trace builds no sparse matrix (and
    pays for no validation of one): it only fills in an array of edge weights."""

    graph: csr_matrix
    """The structure, with placeholder weights; never modified."""
    spare: list[csr_matrix]
    """Shallow copies of `graph` no trace is using. A trace takes one (`list.pop` is atomic, so
    concurrent traces on one world never share one) or, when none is free, copies `graph`; it
    sets its own weights on it and puts it back when done, so a game's traces, one after
    another, reuse a single copy."""
    lengths: NDArray[np.float64]
    """Route length of each directed edge of the board (one copy's worth)."""
    sources: NDArray[np.intp]
    """Node of every place that supplies each faction (the candidates of `legal.source_places`:
    the faction's named sources and places that supply it), in node order."""


def _copies(w: World, layers: int = 1) -> _Copies:
    """The per-faction copies of `w`'s board (cached on the world); with `layers` 2, two copies per
    faction (a second layer after the first: copy nf + f)."""
    key = "supply_copies" if layers == 1 else ("supply_copies", layers)
    hit = w.cache.get(key)
    if hit is None:
        b = w.board
        n, m = b.n_places, len(b.nbr)
        nf = len(w.factions) * layers
        copy = np.arange(nf)[:, None]
        indptr = np.append((copy * m + b.indptr[:-1]).ravel(), nf * m).astype(np.int32)
        indices = (copy * n + b.nbr).ravel().astype(np.int32)
        graph = csr_matrix((np.zeros(nf * m), indices, indptr), shape=(nf * n, nf * n))
        sources = [f * n + i for f in range(len(w.factions)) for i in source_candidates(w, f)]
        hit = w.cache[key] = _Copies(graph, [], b.lengths[b.nbr_route],
                                                 np.array(sources, dtype=np.intp))
    return hit  # type: ignore[no-any-return]


def supply_distances(s: State, limit: float | None = None) -> NDArray[np.float64]:
    """(factions × places) route-km from the nearest friendly source (or stocked depot held by a
    friend) through places held by the faction or its friends, contested or not (street fighting
    does not cut a city off), along open routes; inf where out of reach (or beyond `limit`).

    One Dijkstra over a graph with one disjoint copy of the map per faction, so every faction
    is traced in a single call. The graph's structure is the whole board (built once per
    world); an edge a faction may not use weighs inf: its route is closed, or it leads into a
    place held by neither the faction nor an ally. A path across such an edge is
    infinitely long, like an unreached place's distance, so every finite distance is the same
    float sum along the same shortest path as on a graph without those edges. Where an edge
    leads from need not be checked: only sources and places entered along usable edges are
    reached at a finite distance."""
    w = s.world
    b = w.board
    n, nf = b.n_places, len(w.factions)
    limit = s.rules.limited_range_km if limit is None else limit
    copies = _copies(w)
    usable = s.friendly.take(s.controller, axis=1).ravel()  # by node j * n + p; a contested place still passes supply
    starts = copies.sources[usable[copies.sources]]
    depots = np.flatnonzero(s.depot > s.rules.depot_supply)
    if len(depots):  # a stocked depot supplies whoever holds it, and their friends
        nodes = (np.arange(nf)[:, None] * n + depots[None, :]).ravel()
        starts = np.union1d(starts, nodes[usable[nodes]])
    if not len(starts):
        return np.full((nf, n), np.inf)
    into = usable.take(copies.graph.indices).reshape(nf, -1) & s.route_open.take(b.nbr_route)
    try:
        graph = copies.spare.pop()
    except IndexError:
        graph = copy.copy(copies.graph)  # shares the cached structure; the cached matrix is never changed
    graph.data = np.where(into, copies.lengths, np.inf).ravel()
    dist: NDArray[np.float64] = dijkstra(graph, directed=True, indices=starts, min_only=True, limit=limit)
    copies.spare.append(graph)
    return dist.reshape(nf, n)


def capital_links(s: State) -> NDArray[np.bool_]:
    """Per unit: whether it can trace a route through friendly places (contested or not) to its faction's
    capital (always True for a faction without one, or whose capital is lost)."""
    w = s.world
    b = w.board
    n, nf = b.n_places, len(w.factions)
    caps = _capitals(w)
    usable = s.friendly.take(s.controller, axis=1).ravel()
    starts = [f * n + c for f, c in enumerate(caps) if c >= 0 and usable[f * n + c]]
    linked = np.ones(len(s.units), dtype=bool)
    if not starts:
        return linked
    copies = _copies(w)
    into = usable.take(copies.graph.indices).reshape(nf, -1) & s.route_open.take(b.nbr_route)
    try:
        graph = copies.spare.pop()
    except IndexError:
        graph = copy.copy(copies.graph)
    graph.data = np.where(into, copies.lengths, np.inf).ravel()
    dist = dijkstra(graph, directed=True, indices=starts, min_only=True).reshape(nf, n)
    copies.spare.append(graph)
    traced = np.array([c >= 0 and bool(usable[f * n + c]) for f, c in enumerate(caps)])
    reached: NDArray[np.bool_] = ~traced[s.u_faction] | np.isfinite(dist[s.u_faction, s.u_place])
    return reached


LINK_STEP_KM = 1e-9
"""The length given every usable route in the capital layer of `traces`: reachability is all that
layer is for, and a whole path of such steps stays far inside any supply range."""


def traces(s: State) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """`supply_distances(s)` and `capital_links(s)` from one Dijkstra: a second layer of copies of the
    map, disjoint from the first, holds the capital trace (its routes nearly free, so the range limit
    never cuts it). Disjoint layers share no path, so each layer's distances are those its own trace
    would find. The traces are kept per pattern they depend on (see `_remembered`); the units' links
    are read off them afresh."""
    if not s.rules.limited_range_km >= 1.0:
        return supply_distances(s), capital_links(s)
    supply, reached, traced = _remembered(s, "traces", lambda: _layers(s))
    if reached is None or traced is None:
        return supply, np.ones(len(s.units), dtype=bool)
    faction = s.u_faction.astype(np.intp)  # read by flat index (`take`): numpy's fast path
    linked: NDArray[np.bool_] = ~traced.take(faction) | reached.take(faction * reached.shape[1] + s.u_place)
    return supply, linked


def _layers(s: State) -> tuple[NDArray[np.float64], NDArray[np.bool_] | None, NDArray[np.bool_] | None]:
    """The supply distances, and (None when no faction traces to a capital) per faction and place whether
    its capital is reached, with per faction whether it traces to one at all."""
    w = s.world
    b = w.board
    n, nf = b.n_places, len(w.factions)
    limit = s.rules.limited_range_km
    caps = _capitals(w)
    copies = _copies(w, 2)
    usable = s.friendly.take(s.controller, axis=1).ravel()
    starts = copies.sources[usable[copies.sources]]
    depots = np.flatnonzero(s.depot > s.rules.depot_supply)
    if len(depots):
        nodes = (np.arange(nf)[:, None] * n + depots[None, :]).ravel()
        starts = np.union1d(starts, nodes[usable[nodes]])
    capital_starts = [f * n + c for f, c in enumerate(caps) if c >= 0 and usable[f * n + c]]
    if not capital_starts:
        return supply_distances(s), None, None
    into = usable.take(copies.graph.indices[:len(copies.graph.indices) // 2]).reshape(nf, -1)
    into &= s.route_open.take(b.nbr_route)
    try:
        graph = copies.spare.pop()
    except IndexError:
        graph = copy.copy(copies.graph)
    data = np.empty((2, nf, len(copies.lengths)))
    data[0] = np.where(into, copies.lengths, np.inf)
    data[1] = np.where(into, LINK_STEP_KM, np.inf)
    graph.data = data.ravel()
    all_starts = np.concatenate([starts, nf * n + np.array(capital_starts, dtype=np.intp)])
    dist = dijkstra(graph, directed=True, indices=all_starts, min_only=True, limit=limit).reshape(2, nf, n)
    copies.spare.append(graph)
    traced = np.array([c >= 0 and bool(usable[f * n + c]) for f, c in enumerate(caps)])
    supply = dist[0] if len(starts) else np.full((nf, n), np.inf)
    return supply, np.isfinite(dist[1]), traced


TRACES_KEPT = 256
"""Supply traces kept per world (oldest dropped first), fewer on a big map (see `TRACES_BYTES`): the hard
bot resolves many turns from one state, and most of them leave who holds what, and so the traces, as
another left them."""
TRACES_BYTES = 64 * 2**20


def _remembered(s: State, kind: str, make: Callable[[], T]) -> T:
    """`make()`, kept on the world per pattern a supply trace depends on: who holds each place, the
    relations, the open routes, the stocked depots and the ranges (its arrays are made read-only)."""
    r = s.rules
    key = (kind, s.controller.tobytes(), s.relations.tobytes(), s.route_open.tobytes(),
           (s.depot > r.depot_supply).tobytes(), r.limited_range_km, r.depot_supply)
    memo: dict[Any, Any] = s.world.cache.setdefault("supply_traces", {})
    hit = memo.get(key)
    if hit is None:
        hit = make()
        for x in hit if isinstance(hit, tuple) else (hit,):
            if isinstance(x, np.ndarray):
                x.flags.writeable = False
        w = s.world
        kept = min(TRACES_KEPT, max(1, TRACES_BYTES // (16 * len(w.factions) * max(w.board.n_places, 1))))
        while len(memo) >= kept:
            memo.pop(next(iter(memo)))
        memo[key] = hit
    return hit  # type: ignore[no-any-return]


def _capitals(w: World) -> list[int]:
    """Per faction, its capital's place (-1: none), cached on the world."""
    caps = w.cache.get("capitals")
    if caps is None:
        b = w.board
        caps = w.cache["capitals"] = [b.index.get(f.capital, -1) if f.capital else -1 for f in w.factions]
    return caps  # type: ignore[no-any-return]


def supply_states(s: State, dist: NDArray[np.float64]) -> NDArray[np.int8]:
    """Supplied / limited / cut for every unit from the distance table: one step down from
    SUPPLIED (0) per range exceeded, LIMITED (1) beyond supply range, CUT (2) beyond both. Units
    fighting inside a contested place held by another trace through the place they came from
    (their nearest neighbour in supply)."""
    r = s.rules
    # dist[faction, place] of every unit, read by flat index (`take` by intp: numpy's fast path)
    d: NDArray[np.float64] = dist.take(s.u_faction.astype(np.intp) * dist.shape[1] + s.u_place)
    if s.contested.any():
        b = s.world.board
        for u in np.flatnonzero(s.contested[s.u_place] & np.isinf(d)).tolist():
            f, p = s.u_faction.item(u), s.u_place.item(u)
            lo, hi = b.indptr[p], b.indptr[p + 1]
            near = dist[f, b.nbr[lo:hi]] + b.lengths[b.nbr_route[lo:hi]]
            if len(near):
                d[u] = near.min()
    beyond_limited = d > max(r.supply_range_km, r.limited_range_km)
    return (d > r.supply_range_km).astype(np.int8) + beyond_limited


def _crossings(w: World) -> list[int | None]:
    """Per place, the first of it and its neighbours (in adjacency order) that leads abroad, if any
    (cached on the world)."""
    hit = w.cache.get("crossings")
    if hit is None:
        b = w.board
        hit = w.cache["crossings"] = [next((q for q in [p, *b.neighbours(p).tolist()] if b.places[q].leads_to), None)
                                      for p in range(b.n_places)]
    return hit  # type: ignore[no-any-return]


def _give_up(s: State, ctx: TurnContext, u: int, roll: float) -> None:
    """A cut-off unit that breaks flees across a nearby border crossing or surrenders (an insurgent cell goes
    to ground instead)."""
    if goes_to_ground(s, u):
        if s.u_posture.item(u) != int(Posture.ROUTED):  # already hiding: nothing new to report
            went_to_ground(s, ctx, u)
        return
    b, r = s.world.board, s.rules
    here = s.u_place.item(u)
    info = s.units[u]
    crossing = _crossings(s.world)[here]
    strength = round(s.u_strength.item(u), 3)
    if crossing is not None and roll < r.flee_chance:
        ctx.events.append(ev.UnitFled(info.id, info.faction, b.places[here].id, b.places[crossing].leads_to, strength))
    else:
        ctx.events.append(ev.UnitSurrendered(info.id, info.faction, b.places[here].id, strength))
    s.u_strength[u] = 0.0


SUPPLIED, LIMITED, CUT = int(Supply.SUPPLIED), int(Supply.LIMITED), int(Supply.CUT)


def run_supply(s: State, ctx: TurnContext, rng: Stream) -> State:
    """Trace every unit's supply; changes to or from cut are reported, limited and cut-off units
    lose strength, cut ones cohesion too, and those of them below the surrender line may give up."""
    r, b = s.rules, s.world.board
    dist, linked = traces(s)
    new = supply_states(s, dist)
    if ctx.surged:
        surged = np.array(sorted(ctx.surged), dtype=np.intp)
        surged = surged[new[surged] == LIMITED]
        new[surged] = SUPPLIED
    alive = s.u_strength > 0
    was = s.u_supply  # overwritten with `new` once the changes are reported
    for u in (alive & (new != was)).nonzero()[0].tolist():
        if new.item(u) == CUT:
            info = s.units[u]
            ctx.newly_cut[s.u_faction.item(u)] += 1
            ctx.events.append(ev.SupplyCut(info.id, info.faction, b.places[s.u_place.item(u)].id))
        elif was.item(u) == CUT:
            info = s.units[u]
            ctx.events.append(ev.SupplyRestored(info.id, info.faction, b.places[s.u_place.item(u)].id))
    was[:] = new
    kept = np.array([1.0, 1.0 - r.limited_attrition, 1.0 - r.cut_attrition])  # strength kept, by supply state
    np.multiply(s.u_strength, kept[new], out=s.u_strength, where=alive)
    _use_stocks(s, new, alive)
    _trace_capital(s, ctx, alive, linked)
    cut = (alive & (new == CUT)).nonzero()[0]
    left = np.maximum(0.0, s.u_cohesion[cut] - r.cut_cohesion_loss)
    s.u_cohesion[cut] = left
    low = cut[left < r.surrender_cohesion].tolist()
    if low:  # a roll per unit (to give up, then to flee rather than surrender), whoever else is cut off
        rolls = rng.random((len(s.units), 2))  # row u is unit u's, however many units there are (rng.Stream)
        for u in low:
            if rolls.item(u, 0) < r.surrender_chance:
                _give_up(s, ctx, u, rolls.item(u, 1))
    s.invalidate()
    return s


def _use_stocks(s: State, supply: NDArray[np.int8], alive: NDArray[np.bool_]) -> None:
    """Supplied units' stocks drift back toward a normal 0.5; limited and cut-off units use theirs up."""
    r = s.rules
    use = np.array([r.stock_use.get(x.label, 0.0) for x in Supply])[supply]
    stock = s.u_stock
    back = np.clip(0.5 - stock, -r.stock_recover, r.stock_recover)
    new = np.where(supply == SUPPLIED, stock + back, stock) - use
    np.clip(new, 0.0, 1.0, out=new)
    stock[alive] = new[alive]


def _trace_capital(s: State, ctx: TurnContext, alive: NDArray[np.bool_], linked: NDArray[np.bool_]) -> None:
    """Which units can still reach their capital (`linked`, from `traces`); a faction whose share of
    strength cut from it grew this turn loses heart in proportion (`CapitalCut`)."""
    ctx.cut_off = ~linked
    w = s.world
    nf = len(w.factions)
    strength = np.where(alive, s.u_strength, 0.0)
    faction = s.u_faction.astype(np.intp)
    total = np.bincount(faction, weights=strength, minlength=nf)
    lost = np.bincount(faction, weights=np.where(linked, 0.0, strength), minlength=nf)
    share = np.divide(lost, total, out=np.zeros(nf), where=total > 0)
    grew = np.maximum(0.0, share - s.f_isolated)
    for f in np.flatnonzero(grew > 0.05).tolist():
        ctx.isolated[f] = grew[f]
        ctx.events.append(ev.CapitalCut(w.factions[f].id, round(float(share[f]), 4)))
    s.f_isolated[:] = share


def is_place_supplied(s: State, faction: int, place: int) -> bool:
    """Whether a unit of `faction` at `place` would be in supply (for the UI and AI)."""
    return is_held_by_friend(s, faction, place) and bool(
        supply_distances(s)[faction, place] <= s.rules.supply_range_km)
