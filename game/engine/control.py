"""Control phase: a place belongs to the last faction to hold it alone; hostile units together contest it.

Allied units passing through or standing in an ally's place do not take it over."""

from __future__ import annotations

import numpy as np

from . import events as ev
from . import query
from .context import TurnContext
from .state import State


def contested_mask(s: State) -> np.ndarray:
    """Places where units of two mutually hostile factions stand together."""
    present = query.occupancy(s).present
    hostile_present = (present.astype(np.int32) @ s.world.hostile.astype(np.int32)) > 0
    return np.asarray(np.any(present & hostile_present, axis=1))


def run_control(s: State, ctx: TurnContext) -> State:
    w = s.world
    occ = query.occupancy(s)
    present = occ.present
    count = present.sum(axis=1)
    contested = contested_mask(s)
    for p in np.flatnonzero(contested & ~s.contested):
        ctx.events.append(ev.PlaceContested(w.board.places[p].id,
                                            tuple(w.factions[f].id for f in np.flatnonzero(present[p]))))
    s.contested[:] = contested
    owner_side_present = np.any(present & w.friendly[s.controller], axis=1)
    change = (count > 0) & ~contested & ~owner_side_present
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
    for pat in w.patrons:
        if pat.corridor is None or pat.corridor not in w.board.corridor_index:
            continue
        c = w.board.corridor_index[pat.corridor]
        for client in pat.clients:
            if client in w.faction_index:
                f = w.faction_index[client]
                out[(c, f)] = query.is_corridor_open(s, c, f)
    return out


def report_corridors(s: State, ctx: TurnContext, before: dict[tuple[int, int], bool]) -> None:
    after = corridor_status(s)
    w = s.world
    for key in sorted(after):
        if before.get(key) != after[key]:
            c, f = key
            ctx.events.append(ev.CorridorChanged(w.board.corridors[c].id, w.factions[f].id, after[key]))
