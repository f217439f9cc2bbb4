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
from .combat import Ground, retreat_place
from .context import TurnContext
from .state import State
from .types import Posture

_ROUTED, _DEFEND = int(Posture.ROUTED), int(Posture.DEFEND)


def _drift(s: State) -> NDArray[np.float64]:
    """Every faction's daily drift of cohesion: its own, or the rules' (cached on the world per rule)."""
    w, default = s.world, s.rules.cohesion_drift
    key = ("drift", default)
    hit = w.cache.get(key)
    if hit is None:
        hit = w.cache[key] = np.array([default if f.drift is None else f.drift for f in w.factions], dtype=np.float64)
    return hit  # type: ignore[no-any-return]


def faction_change(s: State, ctx: TurnContext) -> np.ndarray:
    """This turn's change of every faction's cohesion from the tallies of the turn."""
    r = s.rules
    change: np.ndarray = (-ctx.value_lost * r.cohesion_per_value_lost + ctx.value_gained * r.cohesion_per_value_gained
                          - ctx.routs * r.rout_penalty - ctx.newly_cut * r.cut_penalty
                          + ctx.wins * r.combat_win_bonus + _drift(s))
    return change


def hostile_near(s: State, f: int) -> NDArray[np.bool_]:
    """Places with living units hostile to faction `f` there or one route away."""
    b = s.world.board
    here = np.zeros(b.n_places, dtype=bool)
    here[s.u_place[s.world.hostile[f][s.u_faction] & (s.u_strength > 0)]] = True
    near = here.copy()
    near[b.edge_src[here[b.nbr]]] = True  # the far end of every route into one of them
    return near


def _around(s: State) -> list[set[int]]:
    """Per place, the places one route away (cached on the world)."""
    w = s.world
    hit = w.cache.get("around")
    if hit is None:
        b = w.board
        hit = w.cache["around"] = [set(b.neighbours(p).tolist()) for p in range(b.n_places)]
    return hit  # type: ignore[no-any-return]


def _break_units(s: State, ctx: TurnContext, f: int, rng: np.random.Generator) -> None:
    """Below the breakpoint: desertion, and withdrawals without orders that shake neighbours
    (every unit of the faction next to the place left, the withdrawn one too, one after another)."""
    r, b = s.rules, s.world.board
    own = s.u_faction == f
    units = np.flatnonzero(own & (s.u_strength > 0))
    deserts = rng.random(len(units)) < r.desertion_chance
    breaks = (rng.random(len(units)) < r.break_withdraw_chance) & hostile_near(s, f)[s.u_place[units]]
    gone = units[deserts]
    if len(gone):
        lost = s.u_strength[gone] * r.desertion_rate
        s.u_strength[gone] -= lost
        for u, x, p in zip(gone.tolist(), lost.tolist(), s.u_place[gone].tolist()):
            info = s.units[u]
            ctx.events.append(ev.UnitDeserted(info.id, info.faction, b.places[p].id, round(x, 3)))
        query.weakened(s, gone.tolist())
    withdrawing = units[breaks]
    if not len(withdrawing):
        return
    mine: dict[int, list[int]] = {}  # the faction's units by place, living or not, as the contagion has it
    around = _around(s)
    touched: list[int] = []
    ground = Ground(s)
    decided: dict[int, int | None] = {}  # by place, while nobody moves: the units there see the same ground
    for u, place in zip(withdrawing.tolist(), s.u_place[withdrawing].tolist()):
        if place not in decided:
            decided[place] = retreat_place(s, u, ground=ground)
        to = decided[place]
        if to is None:
            continue
        if not mine:  # the first to go: nobody has moved yet
            for v, p in zip(own.nonzero()[0].tolist(), s.u_place[own].tolist()):
                mine.setdefault(p, []).append(v)
        s.u_place[u] = to
        ground.moved(u, place, to)
        mine[place].remove(u)
        mine.setdefault(to, []).append(u)
        decided.clear()
        s.u_posture[u] = _ROUTED
        touched += [place, to]
        info = s.units[u]
        ctx.events.append(ev.UnitRetreated(info.id, info.faction, b.places[place].id, b.places[to].id,
                                           reason="broke"))
        for q in around[place]:  # each unit loses cohesion on its own: the order does not matter
            for v in mine.get(q, ()):
                s.u_cohesion[v] = max(0.0, s.u_cohesion.item(v) - r.contagion)
    if touched:
        query.recount(s, touched)


def run_cohesion(s: State, ctx: TurnContext, rng: np.random.Generator) -> State:
    r, w = s.rules, s.world
    start = ctx.start.f_cohesion.tolist()
    s.f_cohesion[:] = (s.f_cohesion + faction_change(s, ctx)).clip(0.0, 1.0)
    alive = (s.u_strength > 0).nonzero()[0]
    target = s.f_cohesion[s.u_faction[alive]]
    shock = rng.normal(0.0, r.shock_sd, size=len(alive)) if r.shock_sd > 0 else np.zeros(len(alive))
    coh = s.u_cohesion[alive]
    coh = (coh + (target - coh) * r.unit_follow + shock).clip(0.0, 1.0)
    s.u_cohesion[alive] = coh
    for u in alive[(s.u_posture[alive] == _ROUTED) & (coh > r.rally_cohesion)].tolist():
        s.u_posture[u] = _DEFEND
        info = s.units[u]
        ctx.events.append(ev.UnitRallied(info.id, info.faction, w.board.places[s.u_place.item(u)].id))
    for f, fac in enumerate(w.factions):
        broken = s.f_cohesion.item(f) < fac.breakpoint
        if broken and not s.f_collapsed.item(f):
            ctx.events.append(ev.FactionBroken(fac.id, round(s.f_cohesion.item(f), 4)))
            allies = np.flatnonzero(w.friendly[f])
            allies = allies[allies != f]
            s.f_cohesion[allies] = np.maximum(0.0, s.f_cohesion[allies] - r.collapse_spread)
        s.f_collapsed[f] = broken
        if broken:
            _break_units(s, ctx, f, rng)
    end = s.f_cohesion.tolist()
    for f, fac in enumerate(w.factions):
        if abs(end[f] - start[f]) > 1e-4:
            ctx.events.append(ev.CohesionChanged(fac.id, round(start[f], 4), round(end[f], 4)))
    return s
