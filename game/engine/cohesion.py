"""Cohesion phase: the will to fight, of factions and of their units.

December 2024 was a collapse of will more than of numbers: losses of key
places, routs and encirclements drain a faction's cohesion; below its
breakpoint units desert and fall back without orders, and the fall spreads.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from . import events as ev
from . import query
from .combat import retreat_place
from .context import TurnContext
from .state import State
from .types import Posture


def faction_change(s: State, ctx: TurnContext) -> np.ndarray:
    """This turn's change of every faction's cohesion from the tallies of the turn."""
    r = s.rules
    drift = np.array([r.cohesion_drift if f.drift is None else f.drift for f in s.world.factions], dtype=np.float64)
    change: np.ndarray = (-ctx.value_lost * r.cohesion_per_value_lost + ctx.value_gained * r.cohesion_per_value_gained
                          - ctx.routs * r.rout_penalty - ctx.newly_cut * r.cut_penalty
                          + ctx.wins * r.combat_win_bonus + drift)
    return change


def hostile_near(s: State, f: int) -> NDArray[np.bool_]:
    """Places with units hostile to faction `f` there or one route away."""
    b = s.world.board
    here = np.any(query.occupancy(s).present & s.world.hostile[f], axis=1)
    near = np.bincount(b.edge_src, weights=here[b.nbr], minlength=b.n_places) > 0
    return np.asarray(here | near)


def _break_units(s: State, ctx: TurnContext, f: int, rng: np.random.Generator) -> None:
    """Below the breakpoint: desertion, and withdrawals without orders that shake neighbours."""
    r, b = s.rules, s.world.board
    units = query.units_of(s, f)
    deserts = rng.random(len(units)) < r.desertion_chance
    breaks = (rng.random(len(units)) < r.break_withdraw_chance) & hostile_near(s, f)[s.u_place[units]]
    for u in units[deserts]:
        lost = float(s.u_strength[u]) * r.desertion_rate
        s.u_strength[u] -= lost
        info = s.units[u]
        ctx.events.append(ev.UnitDeserted(info.id, info.faction, b.places[int(s.u_place[u])].id, round(lost, 3)))
    query.weakened(s, units[deserts].tolist())
    for u in units[breaks]:
        u = int(u)
        place = int(s.u_place[u])
        to = retreat_place(s, u)
        if to is None:
            continue
        query.move_unit(s, u, to)
        s.u_posture[u] = int(Posture.ROUTED)
        info = s.units[u]
        ctx.events.append(ev.UnitRetreated(info.id, info.faction, b.places[place].id, b.places[to].id,
                                           reason="broke"))
        around = np.zeros(b.n_places, dtype=bool)
        around[b.neighbours(place)] = True
        near = (s.u_faction == f) & around[s.u_place]
        s.u_cohesion[near] = np.maximum(0.0, s.u_cohesion[near] - r.contagion)


def run_cohesion(s: State, ctx: TurnContext, rng: np.random.Generator) -> State:
    r, w = s.rules, s.world
    start = ctx.start.f_cohesion
    s.f_cohesion[:] = np.clip(s.f_cohesion + faction_change(s, ctx), 0.0, 1.0)
    alive = np.flatnonzero(s.u_strength > 0)
    target = s.f_cohesion[s.u_faction[alive]]
    shock = rng.normal(0.0, r.shock_sd, size=len(alive)) if r.shock_sd > 0 else np.zeros(len(alive))
    coh = s.u_cohesion[alive]
    s.u_cohesion[alive] = np.clip(coh + (target - coh) * r.unit_follow + shock, 0.0, 1.0)
    for u in alive[(s.u_posture[alive] == int(Posture.ROUTED)) & (s.u_cohesion[alive] > r.rally_cohesion)]:
        s.u_posture[u] = int(Posture.DEFEND)
        info = s.units[u]
        ctx.events.append(ev.UnitRallied(info.id, info.faction, w.board.places[int(s.u_place[u])].id))
    for f, fac in enumerate(w.factions):
        broken = bool(s.f_cohesion[f] < fac.breakpoint)
        if broken and not s.f_collapsed[f]:
            ctx.events.append(ev.FactionBroken(fac.id, round(float(s.f_cohesion[f]), 4)))
            allies = np.flatnonzero(w.friendly[f])
            allies = allies[allies != f]
            s.f_cohesion[allies] = np.maximum(0.0, s.f_cohesion[allies] - r.collapse_spread)
        s.f_collapsed[f] = broken
        if broken:
            _break_units(s, ctx, f, rng)
    for f, fac in enumerate(w.factions):
        if abs(float(s.f_cohesion[f]) - float(start[f])) > 1e-4:
            ctx.events.append(ev.CohesionChanged(fac.id, round(float(start[f]), 4), round(float(s.f_cohesion[f]), 4)))
    return s
