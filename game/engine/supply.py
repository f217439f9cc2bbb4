"""Supply phase: trace from each faction's sources through friendly places along open routes."""

from __future__ import annotations

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


def supply_distances(s: State, limit: float | None = None) -> NDArray[np.float64]:
    """(factions × places) route-km from the nearest friendly source through friendly,
    uncontested places along open routes; inf where out of reach (or beyond `limit`)."""
    w = s.world
    b = w.board
    n, nf = b.n_places, len(w.factions)
    limit = s.rules.limited_range_km if limit is None else limit
    out = np.full((nf, n), np.inf)
    src_of_edge = np.repeat(np.arange(n), np.diff(b.indptr))
    lengths = b.lengths[b.nbr_route]
    open_edge = s.route_open[b.nbr_route]
    cache: dict[tuple[bytes, tuple[int, ...]], NDArray[np.float64]] = {}
    for f in range(nf):
        sources = tuple(source_places(s, f))
        if not sources:
            continue
        held = w.friendly[f, s.controller] & ~s.contested
        key = (held.tobytes(), sources)
        if key not in cache:
            keep = open_edge & held[src_of_edge] & held[b.nbr]
            counts = np.bincount(src_of_edge[keep], minlength=n)
            indptr = np.concatenate([[0], np.cumsum(counts)])
            graph = csr_matrix((lengths[keep], b.nbr[keep], indptr), shape=(n, n))
            cache[key] = np.asarray(dijkstra(graph, directed=True, indices=list(sources),
                                             min_only=True, limit=limit))
        out[f] = cache[key]
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
