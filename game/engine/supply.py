"""Supply phase: trace from each faction's sources through friendly places along open routes."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from . import events as ev
from .context import TurnContext
from .legal import source_places
from .query import is_held_by_friend
from .state import State
from .types import Supply


def _edge_arrays(s: State) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Source place and length of every directed edge of the board's CSR adjacency (cached per world)."""
    w, b = s.world, s.world.board
    hit = w.cache.get("supply_edges")
    if hit is None:
        hit = w.cache["supply_edges"] = (b.edge_src, b.lengths[b.nbr_route])
    return hit  # type: ignore[no-any-return]


def _usable_edges(s: State, active: list[int]) -> NDArray[np.unsignedinteger[Any]]:
    """Per directed edge, a bit per active faction (at most 64): the route is open and joins two
    places held by that faction or an ally, neither contested."""
    w, b = s.world, s.world.board
    src, _ = _edge_arrays(s)
    dtype = np.uint8 if len(active) <= 8 else np.uint64
    bit = np.left_shift(dtype(1), np.arange(len(active), dtype=dtype))
    by_owner = (w.friendly[active].T.astype(dtype) * bit).sum(axis=1, dtype=dtype)
    place_bits = by_owner[s.controller] * ~s.contested
    return np.asarray(place_bits[src] & place_bits[b.nbr] * s.route_open[b.nbr_route], dtype=dtype)


def supply_distances(s: State, limit: float | None = None) -> NDArray[np.float64]:
    """(factions × places) route-km from the nearest friendly source through friendly,
    uncontested places along open routes; inf where out of reach (or beyond `limit`).

    One Dijkstra over a graph with one disjoint copy of the map per faction (only routes
    between places the faction may use), so every faction is traced in a single call."""
    w = s.world
    b = w.board
    n, nf = b.n_places, len(w.factions)
    limit = s.rules.limited_range_km if limit is None else limit
    out = np.full((nf, n), np.inf)
    sources = [source_places(s, f) for f in range(nf)]
    src, lengths = _edge_arrays(s)
    for lo in range(0, nf, 64):
        active = [f for f in range(lo, min(nf, lo + 64)) if sources[f]]
        if not active:
            continue
        usable = _usable_edges(s, active)
        k = len(active)
        edges = [np.flatnonzero(usable & usable.dtype.type(1 << j)) for j in range(k)]
        counts = np.concatenate([np.bincount(src[e], minlength=n) for e in edges])
        indptr = np.concatenate([[0], np.cumsum(counts)])
        indices = np.concatenate([j * n + b.nbr[e] for j, e in enumerate(edges)])
        data = np.concatenate([lengths[e] for e in edges])
        graph = csr_matrix((data, indices, indptr), shape=(k * n, k * n))
        starts = [j * n + p for j, f in enumerate(active) for p in sources[f]]
        dist = dijkstra(graph, directed=True, indices=starts, min_only=True, limit=limit)
        out[active] = np.asarray(dist).reshape(k, n)
    return out


def supply_states(s: State, dist: NDArray[np.float64]) -> NDArray[np.int8]:
    """Supplied / limited / cut for every unit from the distance table."""
    r = s.rules
    d = dist[s.u_faction, s.u_place] if len(s.units) else np.zeros(0)
    out = np.full(len(d), int(Supply.CUT), dtype=np.int8)
    out[d <= r.limited_range_km] = int(Supply.LIMITED)
    out[d <= r.supply_range_km] = int(Supply.SUPPLIED)
    return out


def _give_up(s: State, ctx: TurnContext, u: int, rng: np.random.Generator) -> None:
    """A cut-off unit that breaks flees across a nearby border crossing or surrenders."""
    b, r = s.world.board, s.rules
    here = int(s.u_place[u])
    info = s.units[u]
    crossings = [q for q in [here, *b.neighbours(here).tolist()] if b.places[q].leads_to]
    strength = round(float(s.u_strength[u]), 3)
    if crossings and rng.random() < r.flee_chance:
        q = crossings[0]
        ctx.events.append(ev.UnitFled(info.id, info.faction, b.places[here].id, b.places[q].leads_to, strength))
    else:
        ctx.events.append(ev.UnitSurrendered(info.id, info.faction, b.places[here].id, strength))
    s.u_strength[u] = 0.0


def run_supply(s: State, ctx: TurnContext, rng: np.random.Generator) -> State:
    r, b = s.rules, s.world.board
    before = s.u_supply.copy()
    new = supply_states(s, supply_distances(s))
    for f in ctx.surge:
        new[(s.u_faction == f) & (new == int(Supply.LIMITED))] = int(Supply.SUPPLIED)
    alive = s.u_strength > 0
    s.u_supply[:] = new
    limited = alive & (new == int(Supply.LIMITED))
    cut = alive & (new == int(Supply.CUT))
    s.u_strength[limited] *= 1.0 - r.limited_attrition
    s.u_strength[cut] *= 1.0 - r.cut_attrition
    s.u_cohesion[cut] = np.maximum(0.0, s.u_cohesion[cut] - r.cut_cohesion_loss)
    for u in np.flatnonzero(alive & (new != before)):
        info = s.units[u]
        place = b.places[int(s.u_place[u])].id
        if new[u] == int(Supply.CUT):
            ctx.newly_cut[s.u_faction[u]] += 1
            ctx.events.append(ev.SupplyCut(info.id, info.faction, place))
        elif before[u] == int(Supply.CUT):
            ctx.events.append(ev.SupplyRestored(info.id, info.faction, place))
    for u in np.flatnonzero(cut & (s.u_cohesion < r.surrender_cohesion)):
        if rng.random() < r.surrender_chance:
            _give_up(s, ctx, int(u), rng)
    s.invalidate()
    return s


def is_place_supplied(s: State, faction: int, place: int) -> bool:
    """Whether a unit of `faction` at `place` would be in supply (for the UI and AI)."""
    return is_held_by_friend(s, faction, place) and bool(
        supply_distances(s)[faction, place] <= s.rules.supply_range_km)
