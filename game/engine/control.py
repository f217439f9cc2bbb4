"""Control phase: a place belongs to the last faction to hold it alone; hostile units together contest it.

Allied units passing through or standing in an ally's place do not take it over."""

from __future__ import annotations

import numpy as np

from . import events as ev
from . import query
from .context import TurnContext
from .state import State


def _relation_counts(s: State) -> tuple[np.ndarray, np.ndarray]:
    """(places × factions) numbers of units there friendly to, and hostile to, each faction."""
    w = s.world
    rel = w.cache.get("relations_int")
    if rel is None:
        rel = w.cache["relations_int"] = (w.friendly.astype(np.int64), w.hostile.astype(np.int64))
    count = query.occupancy(s).count
    return count @ rel[0], count @ rel[1]


def contested_mask(s: State) -> np.ndarray:
    """Places where units of two mutually hostile factions stand together."""
    return np.asarray(np.any(query.occupancy(s).present & (_relation_counts(s)[1] > 0), axis=1))


def run_control(s: State, ctx: TurnContext) -> State:
    w = s.world
    occ = query.occupancy(s)
    present = occ.present
    friends, enemies = _relation_counts(s)
    contested = np.any(present & (enemies > 0), axis=1)
    for p in np.flatnonzero(contested & ~s.contested):
        ctx.events.append(ev.PlaceContested(w.board.places[p].id,
                                            tuple(w.factions[f].id for f in np.flatnonzero(present[p]))))
    s.contested[:] = contested
    rows = np.arange(len(contested))
    change = ~contested & (friends[rows, s.controller] == 0) & (occ.count.sum(axis=1) > 0)
    for p in np.flatnonzero(change):
        new = int(np.argmax(occ.strength[p]))
        old = int(s.controller[p])
        s.controller[p] = new
        value = w.board.places[p].value
        ctx.value_lost[old] += value
        ctx.value_gained[new] += value
        ctx.events.append(ev.PlaceCaptured(w.board.places[p].id, w.factions[new].id, w.factions[old].id, value))
    s.invalidate(keep=("occ", *query.KEPT_ON_MOVE))  # who holds what changed, not where the units stand
    return s


def corridor_status(s: State) -> dict[tuple[int, int], bool]:
    """Open or not, for every corridor and every faction a patron uses it for."""
    w = s.world
    out: dict[tuple[int, int], bool] = {}
    facts = query.corridor_facts(s)
    for pat in w.patrons:
        if pat.corridor is None or pat.corridor not in w.board.corridor_index:
            continue
        c = w.board.corridor_index[pat.corridor]
        for client in pat.clients:
            if client in w.faction_index:
                f = w.faction_index[client]
                out[(c, f)] = query.is_corridor_open(s, c, f, facts=facts)
    return out


def report_corridors(s: State, ctx: TurnContext, before: dict[tuple[int, int], bool]) -> None:
    after = corridor_status(s)
    w = s.world
    for key in sorted(after):
        if before.get(key) != after[key]:
            c, f = key
            ctx.events.append(ev.CorridorChanged(w.board.corridors[c].id, w.factions[f].id, after[key]))
